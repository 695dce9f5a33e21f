"""Helpers shared by the attendance pages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef

from detsad.core.access import Actor, get_scoped_or_404, scoped
from detsad.core.models import Group
from detsad.core.permissions import Area, Role

from ..converters import check_year

STAFF_JOURNAL_ROLES = (Role.HEAD, Role.COORDINATOR, Role.SYSADMIN, Role.EDUCATOR)


def group_for(actor: Actor, group_pk: int) -> Group:
    """The group with its organization, within the actor's attendance scope (else 404).

    The same query tells whether the actor may write the group's marks (an ``EXISTS`` of
    the write scope), so `can_write_group` needs no query of its own."""
    qs = Group.objects.select_related("organization")
    if actor.is_authenticated and actor.can(Area.ATTENDANCE, write=True):
        writable = scoped(
            actor, Group.objects.filter(pk=OuterRef("pk")), Area.ATTENDANCE, write=True
        )
        qs = qs.annotate(attendance_writable=Exists(writable))
    return get_scoped_or_404(actor, qs, Area.ATTENDANCE, pk=group_pk)


def can_write_group(actor: Actor, group: Group) -> bool:
    """True when the actor may write marks of `group` (coordinator; educator: own group)."""
    if not actor.can(Area.ATTENDANCE, write=True):
        return False
    known = getattr(group, "attendance_writable", None)  # read along with the group
    if known is not None:
        return known
    return scoped(actor, Group.objects.filter(pk=group.pk), Area.ATTENDANCE, write=True).exists()


def journal_groups(actor: Actor):
    """Active groups of the active organization whose journal the actor may open."""
    if actor.organization is None:
        return Group.objects.none()
    return scoped(
        actor,
        Group.objects.filter(organization=actor.organization, archived_at__isnull=True),
        Area.ATTENDANCE,
    ).order_by("name")


def parse_month(value: str | None, default: dt.date) -> dt.date:
    """``YYYY-MM`` → first day of that month (falls back to the month of `default`)."""
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        return check_year(dt.date(year, month, 1))
    except (ValueError, TypeError):
        return default.replace(day=1)


def parse_day(value: str | None) -> dt.date | None:
    """``YYYY-MM-DD`` or ``DD.MM.YYYY`` → date; None when empty, invalid or its year is
    outside 1900–2999."""
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return check_year(dt.datetime.strptime(value, fmt).date())  # noqa: DTZ007
        except ValueError:
            continue
    return None


def shift_month(month: dt.date, delta: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + delta
    return dt.date(index // 12, index % 12 + 1, 1)


def error_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for errors in exc.message_dict.values() for m in errors]
    return list(exc.messages)
