"""The base of every API endpoint: read-only, every queryset through core.access.scoped.

An endpoint is a `ScopedViewSet` with ``area`` (the rights matrix area), ``base_queryset``
and an explicit ``lookup_url_kwarg`` (``child_pk``, ``group_pk`` …) so that the
cross-organization access test finds its URL keywords' builders. A missing object and an
object outside the person's scope both answer 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import viewsets

from detsad.core.access import Actor, scoped


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    area: str = ""
    base_queryset: QuerySet | None = None
    lookup_field = "pk"
    lookup_value_converter = "int"  # <int:child_pk>: typed in the OpenAPI schema

    @property
    def actor(self) -> Actor:
        return self.request.actor

    def get_base_queryset(self) -> QuerySet:
        """The unscoped rows with their joins (override for per-request annotations)."""
        return self.base_queryset.all()

    def get_queryset(self) -> QuerySet:
        return scoped(self.actor, self.get_base_queryset(), self.area)
