"""Production settings: a municipality server behind nginx over HTTPS.

Requires SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS in the environment.
`manage.py check --deploy --settings=detsad.settings.production` must report nothing.
"""

from .base import *  # noqa: F403
from .base import env, mailers_from_env, require_env

# A production server sends mail through an SMTP server (a local MTA unless EMAIL_URL says
# otherwise); the console backend of development would lose the set-password letters.
MAILERS = mailers_from_env("smtp://localhost:25")

DEBUG = False
SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading HSTS into browsers is a decision for the owner of the whole domain (it cannot
# be undone quickly), so it stays off unless asked for, and its reminder is silenced.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No debug pages: DEBUG is off, and the browsable API is replaced by plain JSON.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Static files come from `collectstatic` (STATIC_ROOT), not from the apps' folders.
WHITENOISE_USE_FINDERS = False
