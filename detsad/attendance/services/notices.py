"""Parents' advance notices of absence and the marks they pre-fill (issue 4 item 3, C06).

A notice covers the days from `start` to `end`; it turns into absent marks with its reason
on the **working days** of the organization's calendar on which the child is enrolled
(weekends, holidays and closures are skipped: C06 gives 5 marks for 05.03–12.03.2026).
Marks are never written for a future day: the days up to today are written when the
notice is made, later days when they come (`notices_apply`, called by the group-day save
of the journal, by month closing and by ``manage.py attendance_apply_notices``). A notice
never overwrites a mark that exists: the educator's word wins, and the educator may
change a pre-filled mark like any other.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from detsad.core import audit
from detsad.core.access import Actor, scoped
from detsad.core.calendar import work_calendar
from detsad.core.models import AuditRecord, Organization
from detsad.core.permissions import Area
from detsad.movement.models import Placement
from detsad.people.models import Child

from ..locks import month_start
from ..models import AbsenceNotice, AbsenceReason, AttendanceMark
from .common import audit_marks, can_manage, closed_months, mark_label

MAX_NOTICE_DAYS = 366


def _may_notify(actor: Actor) -> bool:
    return actor.has_extra(Area.ATTENDANCE, "notices") or actor.can(Area.ATTENDANCE, write=True)


def _is_staff_writer(actor: Actor) -> bool:
    return actor.can(Area.ATTENDANCE, write=True)


def notice_days(organization: Organization, child: Child, start: dt.date, end: dt.date):
    """Working days of [start, end] on which `child` is enrolled in `organization`.

    Returns a list of (day, group id). Two queries (placements, calendar overrides).
    """
    placements = list(
        Placement.objects.filter(child=child, organization=organization, start__lte=end).filter(
            Q(end__isnull=True) | Q(end__gte=start)
        )
    )
    cal = work_calendar(organization, start, end)
    days = []
    for day in cal.working_days(start, end):
        for p in placements:
            if p.start <= day and (p.end is None or p.end >= day):
                days.append((day, p.group_id))
                break
    return days


@transaction.atomic
def absence_notice_create(
    *,
    actor: Actor,
    child: Child,
    start: dt.date,
    end: dt.date,
    reason: AbsenceReason,
    comment: str = "",
) -> AbsenceNotice:
    """Record a notice «the child will be absent from `start` to `end`» and pre-fill marks.

    Parents (right «notices» over their own children) notify for today and later days;
    the educator of the child's group and the coordinator may also enter a notice a parent
    gave by phone, then for past days too. The returned notice has ``days``: the working
    days it covers (C06).

    Raises:
        PermissionDenied: no right to notify; Http404: the child is outside the scope.
        ValidationError: dates reversed or too long a period, a parent's notice for a past
            day, a reason not offered to parents or retired, a period touching a closed
            month, or no working day of attendance in the period.
    """
    if not actor.is_authenticated or not _may_notify(actor):
        raise PermissionDenied("Недостаточно прав.")
    if not scoped(actor, Child.objects.filter(pk=child.pk), Area.ATTENDANCE).exists():
        raise Http404("Не найдено")
    staff = _is_staff_writer(actor)
    if end < start:
        raise ValidationError({"end": "Дата окончания раньше даты начала."})
    if (end - start).days + 1 > MAX_NOTICE_DAYS:
        raise ValidationError({"end": "Период уведомления не может быть длиннее года."})
    if not staff and start < actor.today:
        raise ValidationError({"start": "Уведомление подаётся на сегодняшний или будущие дни."})
    organization = Organization.objects.get(pk=child.organization_id)
    if (
        reason.municipality_id != organization.municipality_id
        or not reason.is_active
        or (not staff and not reason.for_parents)
    ):
        raise ValidationError({"reason": "Выберите причину из списка."})
    closed = closed_months(organization.pk, start, end)
    if closed:
        months = ", ".join(f"{m:%m.%Y}" for m in sorted(closed))
        raise ValidationError(
            {"start": f"Месяц {months} уже закрыт: отсутствие отмечает координатор."}
        )
    days = notice_days(organization, child, start, end)
    if not days:
        raise ValidationError(
            {
                "end": "В эти даты нет рабочих дней, в которые ребёнок посещает детский сад "
                "(выходные, праздники или ребёнок не зачислен)."
            }
        )
    notice = AbsenceNotice.objects.create(
        organization=organization,
        child=child,
        start=start,
        end=end,
        reason=reason,
        comment=(comment or "").strip()[:300],
        author=actor.user if getattr(actor.user, "pk", None) else None,
    )
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        notice,
        organization=organization,
        changes={"start": start, "end": end, "reason": str(reason), "days": len(days)},
    )
    notices_apply(actor=actor, organization=organization, upto=actor.today, notices=[notice])
    notice.days = [d for d, _g in days]
    return notice


@transaction.atomic
def notices_apply(
    *,
    actor: Actor,
    organization: Organization,
    upto: dt.date,
    start: dt.date | None = None,
    notices: list[AbsenceNotice] | None = None,
) -> int:
    """Write the absent marks of active notices for their days up to `upto` (never after
    the actor's today), skipping days that already have a mark, non-working days, days the
    child is not enrolled and closed months. Returns the number of marks written.

    Without `notices`, takes every active notice of the organization overlapping
    [start, upto] (`start` defaults to the first day of `upto`'s month). Six queries at
    most, whatever the number of notices.
    """
    upto = min(upto, actor.today)
    if notices is None:
        start = start or month_start(upto)
        notices = list(
            AbsenceNotice.objects.filter(
                organization=organization,
                cancelled_at__isnull=True,
                start__lte=upto,
                end__gte=start,
            ).order_by("created_at", "pk")
        )
    else:
        start = start or min((n.start for n in notices), default=upto)
    notices = [n for n in notices if n.start <= upto and n.end >= start]
    if not notices:
        return 0
    first = max(start, min(n.start for n in notices))
    last = min(upto, max(n.end for n in notices))
    child_ids = {n.child_id for n in notices}
    placements: dict[int, list[Placement]] = {}
    for p in Placement.objects.filter(
        child_id__in=child_ids, organization=organization, start__lte=last
    ).filter(Q(end__isnull=True) | Q(end__gte=first)):
        placements.setdefault(p.child_id, []).append(p)
    cal = work_calendar(organization, first, last)
    closed = closed_months(organization.pk, first, last)
    existing = set(
        AttendanceMark.objects.filter(child_id__in=child_ids, on__range=(first, last)).values_list(
            "child_id", "on"
        )
    )
    wanted: dict[tuple[int, dt.date], AttendanceMark] = {}
    for notice in notices:  # oldest first: a later notice replaces an earlier one's day
        for day in cal.working_days(max(first, notice.start), min(last, notice.end)):
            if (notice.child_id, day) in existing or month_start(day) in closed:
                continue
            group_id = next(
                (
                    p.group_id
                    for p in placements.get(notice.child_id, [])
                    if p.start <= day and (p.end is None or p.end >= day)
                ),
                None,
            )
            if group_id is None:
                continue
            wanted[(notice.child_id, day)] = AttendanceMark(
                organization_id=organization.pk,
                child_id=notice.child_id,
                group_id=group_id,
                on=day,
                present=False,
                reason_id=notice.reason_id,
                source=AttendanceMark.Source.NOTICE,
                notice_id=notice.pk,
                author_id=notice.author_id,
            )
    if not wanted:
        return 0
    rows = [wanted[k] for k in sorted(wanted)]
    AttendanceMark.objects.bulk_create(rows, ignore_conflicts=True)
    codes = dict(
        AbsenceReason.objects.filter(pk__in={r.reason_id for r in rows}).values_list("pk", "code")
    )
    names = {c.pk: c.full_name for c in Child.objects.filter(pk__in={r.child_id for r in rows})}
    audit_marks(
        actor,
        organization_id=organization.pk,
        municipality_id=organization.municipality_id,
        changes=[
            (
                r.child_id,
                names.get(r.child_id, ""),
                r.on,
                None,
                mark_label(False, codes.get(r.reason_id)),
                AuditRecord.Action.CREATE,
            )
            for r in rows
        ],
        note="по уведомлению родителя",
    )
    return len(rows)


@transaction.atomic
def absence_notice_cancel(*, actor: Actor, notice: AbsenceNotice) -> AbsenceNotice:
    """Cancel a notice. Marks it pre-filled for today (and any later day) are removed, in
    open months only; past days keep their marks (the child was absent then).

    Raises:
        PermissionDenied: no right; Http404: the notice is outside the scope.
        ValidationError: already cancelled, or (for a parent) the period is over.
    """
    if not actor.is_authenticated or not _may_notify(actor):
        raise PermissionDenied("Недостаточно прав.")
    if not scoped(actor, AbsenceNotice.objects.filter(pk=notice.pk), Area.ATTENDANCE).exists():
        raise Http404("Не найдено")
    if notice.cancelled_at is not None:
        raise ValidationError("Уведомление уже отменено.")
    if notice.end < actor.today and not can_manage(actor):
        raise ValidationError("Период уведомления уже прошёл: его нельзя отменить.")
    notice.cancelled_at = timezone.now()
    notice.save(update_fields=["cancelled_at"])
    closed = closed_months(notice.organization_id, actor.today, max(actor.today, notice.end))
    removable = [
        m
        for m in AttendanceMark.objects.filter(
            notice=notice, source=AttendanceMark.Source.NOTICE, on__gte=actor.today
        ).select_related("reason", "child")
        if month_start(m.on) not in closed
    ]
    if removable:
        AttendanceMark.objects.filter(pk__in=[m.pk for m in removable]).delete()
        municipality_id = (
            Organization.objects.filter(pk=notice.organization_id)
            .values_list("municipality_id", flat=True)
            .first()
        )
        audit_marks(
            actor,
            organization_id=notice.organization_id,
            municipality_id=municipality_id,
            changes=[
                (
                    m.child_id,
                    m.child.full_name,
                    m.on,
                    mark_label(False, m.reason.code if m.reason else None),
                    None,
                    AuditRecord.Action.DELETE,
                )
                for m in removable
            ],
            note="уведомление отменено",
        )
    audit.record(
        actor,
        AuditRecord.Action.CANCEL,
        notice,
        organization=notice.organization,
        changes={"cancelled": True},
    )
    return notice
