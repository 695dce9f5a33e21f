"""Helpers shared by the attendance services: who may manage the journal, whether a day
is locked (closed month or closed academic year), and the audit trail of many marks in one
insert."""

from __future__ import annotations

import datetime as dt

from detsad.core.access import Actor
from detsad.core.models import AuditRecord, MonthClosing
from detsad.core.permissions import Area, Scope

from ..locks import month_start
from ..models import AbsenceReason

MARK_KIND = "attendance.attendancemark"


def can_manage(actor: Actor) -> bool:
    """True when the actor writes the attendance of the whole organization (coordinator).

    Managing means: closing and reopening months, corrections in a closed month or a
    closed academic year, editing the absence reasons. Educators write only the marks of
    their own groups (DESIGN.md §4: attendance «W own groups»).
    """
    return any(r.write and r.scope == Scope.ORG for r in actor.rights(Area.ATTENDANCE))


def closed_months(organization_id: int, start: dt.date, end: dt.date) -> set[dt.date]:
    """First days of the closed attendance months of the organization in [start, end]."""
    return set(
        MonthClosing.objects.filter(
            organization_id=organization_id,
            kind=MonthClosing.Kind.ATTENDANCE,
            month__range=(month_start(start), end),
            reopened_at__isnull=True,
        ).values_list("month", flat=True)
    )


def default_absence_reason(reasons: list[AbsenceReason]) -> AbsenceReason | None:
    """The reason given to an absence entered without one: the first active invalid
    reason of the municipality's list (code «Н», «без уважительной причины»)."""
    for reason in reasons:
        if reason.is_active and not reason.is_valid:
            return reason
    return None


def mark_label(present: bool | None, code: str | None) -> str | None:
    """Human form of a mark for the audit trail: «был», «отсутствовал (Б)», None = no mark."""
    if present is None:
        return None
    return "был" if present else f"отсутствовал ({code or 'Н'})"


def audit_marks(
    actor: Actor,
    *,
    organization_id: int,
    municipality_id: int | None,
    changes: list[tuple[int, str, dt.date, str | None, str | None, str]],
    note: str = "",
) -> None:
    """Write one audit record per changed mark in a single insert.

    `changes` holds (child id, child name, day, old label, new label, action) with action
    an `AuditRecord.Action` (create / update / delete). The records
    match what `core.audit.record` writes (kind ``attendance.attendancemark``, object id
    ``<child id>:<YYYY-MM-DD>``), so the audit pages show them like any other change.
    """
    if not changes:
        return
    user = getattr(actor, "user", None)
    if user is not None and not getattr(user, "pk", None):
        user = None
    name = getattr(actor, "name", "система")[:200]
    ip = getattr(actor, "ip", None)
    AuditRecord.objects.bulk_create(
        [
            AuditRecord(
                actor=user,
                actor_name=name,
                ip=ip,
                organization_id=organization_id,
                municipality_id=municipality_id,
                action=action,
                kind=MARK_KIND,
                object_id=f"{child_id}:{day.isoformat()}",
                object_repr=f"{child_name}, {day:%d.%m.%Y}"[:300],
                changes={"отметка": [old, new]},
                note=note[:500],
            )
            for child_id, child_name, day, old, new, action in changes
        ]
    )
