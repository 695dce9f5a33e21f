"""The REST API: read-only endpoints over the access layer, and its OpenAPI schema.

Endpoints come from the modules listed in endpoints.ENDPOINT_MODULES (see there to add
one). SimpleRouter: no format-suffix routes, so URL keywords are only the ``*_pk`` ones.
"""

import importlib

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from .endpoints import ENDPOINT_MODULES
from .views import ApiRootView

app_name = "api"

router = SimpleRouter(use_regex_path=False)
for module in ENDPOINT_MODULES:
    importlib.import_module(module).register(router)

urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    *router.urls,
]
