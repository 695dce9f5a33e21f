"""WSGI entry point (gunicorn detsad.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "detsad.settings")
application = get_wsgi_application()
