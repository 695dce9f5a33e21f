"""Saving the journal: all marks of one group on one day in one transaction.

Rules (issue 4, DESIGN.md §5, cases C01, C03, C04, C05, C16, C17):

- a mark is only for a working day of the organization's calendar (federal calendar with
  holiday transfers, then the municipality's and the organization's overrides, e.g. a
  closure for quarantine);
- never for a day after the actor's "today" (the municipality's time zone, C01);
- only for a child enrolled in that group on that day by the movement book (C17: after a
  transfer the old group's educator cannot mark the child);
- one mark per child per day: the database constraint (child, on) plus an upsert, so
  repeated or concurrent saves update the same row and the later save wins (C03, C04);
- a day of a closed month or a closed academic year is locked: only the coordinator may
  change it, as a correction with a reason (C16); everyone else gets PermissionDenied;
- every changed mark leaves an audit record (who, old → new), written in one insert.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import FilteredRelation, OuterRef, Q, Subquery
from django.http import Http404

from detsad.core.access import Actor, scoped
from detsad.core.models import AuditRecord, Group
from detsad.core.permissions import Area
from detsad.movement.selectors import children_in
from detsad.people.models import Child

from ..locks import day_lock
from ..models import AbsenceNotice, AbsenceReason, AttendanceMark
from .common import audit_marks, can_manage, default_absence_reason, mark_label

#: What the caller says about one child: (present, reason code or None).
MarkInput = tuple[bool, str | None]

UPDATE_FIELDS = [
    "organization",
    "group",
    "present",
    "reason",
    "source",
    "notice",
    "author",
    "updated_at",
]


@dataclass
class SaveResult:
    """Outcome of a group-day save: how many marks were created, changed, left as they were."""

    day: dt.date
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    correction: bool = False

    @property
    def changed(self) -> int:
        return self.created + self.updated


def _full_name(last: str, first: str, middle: str) -> str:
    return " ".join(p for p in (last, first, middle) if p)


def check_day_open_for(actor: Actor, group: Group, day: dt.date, correction_reason: str):
    """Raise unless `actor` may write marks of `group` for `day` (future, lock, calendar).

    Returns the `DayLock` (municipality id, lock flags). One query: the lock read together
    with the actor's write access to the group (`core.access` scope) and the day's
    calendar override.

    Raises:
        PermissionDenied: no write right in the journal, or the day is locked and the
            actor is not the coordinator.
        Http404: the group lies outside the actor's write scope.
        ValidationError: the day is in the future, not a working day, or locked and no
            correction reason was given.
    """
    if not actor.is_authenticated or not actor.can(Area.ATTENDANCE, write=True):
        raise PermissionDenied("Недостаточно прав.")
    lock = day_lock(
        group.organization_id,
        day,
        access=scoped(actor, Group.objects.filter(pk=group.pk), Area.ATTENDANCE, write=True),
        with_calendar=True,
    )
    if not lock.access:
        raise Http404("Не найдено")
    if day > actor.today:
        raise ValidationError(
            {
                "day": f"{day:%d.%m.%Y} ещё не наступило: отметки ставятся за сегодня "
                "и прошедшие дни."
            }
        )
    if lock.locked:
        if not can_manage(actor):
            raise PermissionDenied(
                f"За {day:%d.%m.%Y} {lock.message}: изменения вносит координатор "
                "как исправление с указанием причины."
            )
        if not correction_reason:
            raise ValidationError(
                {
                    "correction_reason": f"За {day:%d.%m.%Y} {lock.message}: "
                    "укажите причину исправления."
                }
            )
    cal = lock.calendar(day)
    if not cal.is_working_day(day):
        why = cal.reason(day)
        raise ValidationError(
            {
                "day": f"{day:%d.%m.%Y} — нерабочий день"
                + (f" ({why})" if why else "")
                + ": отметки не ставятся."
            }
        )
    return lock


@transaction.atomic
def attendance_mark_group_day(
    *,
    actor: Actor,
    group: Group,
    day: dt.date,
    marks: Mapping[int, MarkInput] | None = None,
    all_present: bool = False,
    correction_reason: str = "",
) -> SaveResult:
    """Save the marks of `group` for `day` in one transaction (at most 5 queries: lock
    with the write check and the calendar, roster with marks and notices, reasons,
    upsert, audit).

    `marks` maps a child id to (present, reason code); an absence without a code gets the
    municipality's reason without a valid excuse («Н»). Children not in `marks` keep their
    mark; an unmarked one with a parent's notice for the day gets the notice's absence,
    and with ``all_present=True`` every other unmarked child is marked present.

    Raises:
        ValidationError: future or non-working day, a child not in the group that day, an
            unknown or retired reason code, a locked day without a correction reason.
        PermissionDenied: no write right on the group, or a locked day and not the
            coordinator.
    """
    marks = dict(marks or {})
    correction_reason = (correction_reason or "").strip()
    lock = check_day_open_for(actor, group, day, correction_reason)
    result = SaveResult(day=day, correction=lock.locked)

    notice = AbsenceNotice.objects.filter(
        child=OuterRef("pk"), start__lte=day, end__gte=day, cancelled_at__isnull=True
    ).order_by("-created_at", "-pk")  # the latest notice wins
    roster = {
        row[0]: row
        for row in children_in(group, day)
        .annotate(
            m=FilteredRelation("attendance_marks", condition=Q(attendance_marks__on=day)),
            notice_id=Subquery(notice.values("pk")[:1]),
            notice_reason_id=Subquery(notice.values("reason_id")[:1]),
        )
        .values_list(
            "pk",
            "last_name",
            "first_name",
            "patronymic",
            "m__present",
            "m__reason_id",
            "notice_id",
            "notice_reason_id",
        )
    }
    foreign = set(marks) - set(roster)
    if foreign:
        visible = scoped(actor, Child.objects.filter(pk__in=foreign), Area.ATTENDANCE)
        names = ", ".join(sorted(c.full_name for c in visible)) or "воспитанник"
        raise ValidationError(
            f"{names}: не числится в группе «{group.name}» на {day:%d.%m.%Y} — отметка не принята."
        )
    if not roster:
        return result

    reasons = list(AbsenceReason.objects.filter(municipality_id=lock.municipality_id))
    by_code = {r.code.upper(): r for r in reasons}
    by_pk = {r.pk: r for r in reasons}
    fallback = default_absence_reason(reasons)
    notices = {  # child id → (notice id, its reason id)
        child_id: (row[6], row[7]) for child_id, row in roster.items() if row[6] is not None
    }

    source_default = (
        AttendanceMark.Source.CORRECTION if lock.locked else AttendanceMark.Source.JOURNAL
    )
    wanted: dict[int, tuple[bool, int | None, str, int | None]] = {}
    for child_id, (present, code) in marks.items():
        row = roster[child_id]
        if present:
            wanted[child_id] = (True, None, source_default, None)
            continue
        reason = fallback
        if code:
            reason = by_code.get(code.strip().upper())
            if reason is None:
                raise ValidationError(
                    f"{_full_name(*row[1:4])}: неизвестная причина отсутствия «{code}»."
                )
            if not reason.is_active and row[5] != reason.pk:
                raise ValidationError(
                    f"{_full_name(*row[1:4])}: причина «{reason.code}» больше не используется."
                )
        notice = notices.get(child_id)
        if notice and reason and notice[1] == reason.pk and not lock.locked:
            wanted[child_id] = (False, reason.pk, AttendanceMark.Source.NOTICE, notice[0])
        else:
            wanted[child_id] = (False, reason.pk if reason else None, source_default, None)
    for child_id, row in roster.items():
        if child_id in marks or row[4] is not None:
            continue
        notice = notices.get(child_id)
        if notice is not None:
            wanted[child_id] = (False, notice[1], AttendanceMark.Source.NOTICE, notice[0])
        elif all_present:
            wanted[child_id] = (True, None, source_default, None)

    user_id = actor.user.pk if getattr(actor.user, "pk", None) else None
    rows, changes = [], []
    for child_id in sorted(wanted):  # one lock order for concurrent saves (no deadlocks)
        present, reason_id, source, notice_id = wanted[child_id]
        row = roster[child_id]
        old_present, old_reason = row[4], row[5]
        if old_present is not None and old_present == present and old_reason == reason_id:
            result.unchanged += 1
            continue
        created = old_present is None
        if created:
            result.created += 1
        else:
            result.updated += 1
        rows.append(
            AttendanceMark(
                organization_id=group.organization_id,
                child_id=child_id,
                group_id=group.pk,
                on=day,
                present=present,
                reason_id=reason_id,
                source=source,
                notice_id=notice_id,
                author_id=user_id,
            )
        )
        old_code = by_pk[old_reason].code if old_reason in by_pk else None
        new_code = by_pk[reason_id].code if reason_id in by_pk else None
        changes.append(
            (
                child_id,
                _full_name(*row[1:4]),
                day,
                mark_label(old_present, old_code),
                mark_label(present, new_code),
                AuditRecord.Action.CREATE if created else AuditRecord.Action.UPDATE,
            )
        )
    if rows:
        AttendanceMark.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["child", "on"], update_fields=UPDATE_FIELDS
        )
        audit_marks(
            actor,
            organization_id=group.organization_id,
            municipality_id=lock.municipality_id,
            changes=changes,
            note=(f"исправление: {correction_reason}" if lock.locked else ""),
        )
    return result


def attendance_mark_set(
    *,
    actor: Actor,
    group: Group,
    child: Child,
    day: dt.date,
    present: bool,
    reason: str | None = None,
    correction_reason: str = "",
) -> SaveResult:
    """Set one child's mark (the month grid's cell editor); same rules as a group-day save."""
    return attendance_mark_group_day(
        actor=actor,
        group=group,
        day=day,
        marks={child.pk: (present, reason)},
        correction_reason=correction_reason,
    )
