"""API endpoint modules. Each defines ``register(router)``; api/urls.py lists the modules.

To add an app's endpoints (attendance, fees …): write ``detsad/api/endpoints/<app>.py``
with its viewsets and ``register(router)``, and add its path to ``ENDPOINT_MODULES``.
"""

ENDPOINT_MODULES = [
    "detsad.api.endpoints.organization",
    "detsad.api.endpoints.people",
    "detsad.api.endpoints.fees",
]
