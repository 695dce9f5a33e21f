"""Scoped reads of the organization structure."""

from __future__ import annotations

from django.db.models import QuerySet

from .access import Actor, scoped
from .models import AcademicYear, CalendarOverride, Group, Organization
from .permissions import Area


def groups_visible(actor: Actor, *, include_archived: bool = False) -> QuerySet[Group]:
    """Groups of the active organization the actor may see (educators: their own)."""
    qs = scoped(actor, Group.objects.select_related("organization"), Area.ORGANIZATION)
    if actor.organization is not None:
        qs = qs.filter(organization=actor.organization)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.order_by("organization__short_name", "name")


def organizations_visible(actor: Actor) -> QuerySet[Organization]:
    return scoped(actor, Organization.objects.select_related("municipality"), Area.ORGANIZATION)


def academic_years(actor: Actor) -> QuerySet[AcademicYear]:
    return scoped(actor, AcademicYear.objects.all(), Area.ORGANIZATION).order_by("-start")


def calendar_overrides(actor: Actor, start, end) -> QuerySet[CalendarOverride]:
    return scoped(actor, CalendarOverride.objects.all(), Area.ORGANIZATION).filter(
        date__range=(start, end)
    )
