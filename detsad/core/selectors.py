"""Scoped reads of the organization structure."""

from __future__ import annotations

from django.db.models import QuerySet

from .access import Actor, scoped
from .models import AcademicYear, CalendarOverride, Group, Organization
from .permissions import Area, Role


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


def educators_of(groups) -> dict[int, list[str]]:
    """Names of the educators assigned to each of `groups` (an active educator membership
    bound to the group, DESIGN.md §4): ``{group id: ["Иванова Анна Петровна", …]}`` sorted
    by name; groups without educators are absent. One query, whatever the number of groups.
    """
    from detsad.accounts.models import Membership

    ids = [g.pk for g in groups]
    if not ids:
        return {}
    rows = (
        Membership.groups.through.objects.filter(
            group_id__in=ids,
            membership__role=Role.EDUCATOR,
            membership__is_active=True,
            membership__ended_at__isnull=True,
            membership__user__is_active=True,
        )
        .values_list(
            "group_id",
            "membership__user__last_name",
            "membership__user__first_name",
            "membership__user__patronymic",
            "membership__user__username",
        )
        .distinct()
    )
    found: dict[int, list[str]] = {}
    for group_id, last, first, middle, username in rows:
        name = " ".join(p for p in (last, first, middle) if p) or username
        found.setdefault(group_id, []).append(name)
    return {k: sorted(set(v)) for k, v in found.items()}
