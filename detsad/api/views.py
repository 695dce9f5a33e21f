"""Shared pieces of the API: the root listing and the exception handler."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler


class ApiRootView(APIView):
    """The list endpoints of the API and the schema address."""

    @extend_schema(exclude=True)
    def get(self, request):
        from .urls import router

        links = {}
        for prefix, _viewset, basename in router.registry:
            try:
                links[prefix] = request.build_absolute_uri(reverse(f"api:{basename}-list"))
            except NoReverseMatch:
                continue
        links["schema"] = request.build_absolute_uri(reverse("api:schema"))
        return Response(links)


def exception_handler(exc, context):
    """DRF's handler, plus an audit record of a refused request for an object (case C18)."""
    if isinstance(
        exc, (Http404, PermissionDenied, exceptions.NotFound, exceptions.PermissionDenied)
    ):
        from detsad.accounts.middleware import log_denied

        request = context.get("request")
        if request is not None:
            log_denied(getattr(request, "_request", request), exc)
    return drf_exception_handler(exc, context)
