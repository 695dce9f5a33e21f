"""Reads of the attendance journal that pages and other modules (fees, reports) build on.

`child_days` is the shared primitive: per child, the dates present and the dates absent
with the reason's code and validity, for a period of one organization (one query).
The journal's pages read through `day_roster` (one group, one day), `groups_today`
(dashboard) and `unmarked_child_days` (month closing); the month grid, the timesheet and
the parent's calendar through `sheet.month_sheet` / `sheet.child_month`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, FilteredRelation, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from detsad.core.access import Actor, scoped
from detsad.core.calendar import work_calendar
from detsad.core.models import Group, Organization
from detsad.core.permissions import Area
from detsad.movement.models import Placement
from detsad.movement.selectors import children_in
from detsad.people.models import Child

from .locks import DayLock, day_lock
from .models import AbsenceNotice, AbsenceReason, AttendanceMark


@dataclass
class ChildDays:
    """One child's marks in a period: ``present`` dates, ``absent`` date → (code, is_valid)."""

    present: set[dt.date] = field(default_factory=set)
    absent: dict[dt.date, tuple[str, bool]] = field(default_factory=dict)

    @property
    def absent_valid(self) -> set[dt.date]:
        return {d for d, (_code, valid) in self.absent.items() if valid}

    @property
    def absent_invalid(self) -> set[dt.date]:
        return {d for d, (_code, valid) in self.absent.items() if not valid}


def child_days(
    organization, start: dt.date, end: dt.date, *, children=None
) -> dict[int, ChildDays]:
    """Marks of `organization` in [start, end] grouped by child id (one query)."""
    qs = AttendanceMark.objects.filter(organization=organization, on__range=(start, end))
    if children is not None:
        qs = qs.filter(child__in=children)
    result: dict[int, ChildDays] = {}
    for child_id, on, present, code, valid in qs.values_list(
        "child_id", "on", "present", "reason__code", "reason__is_valid"
    ):
        days = result.setdefault(child_id, ChildDays())
        if present:
            days.present.add(on)
        else:
            days.absent[on] = (code or "Н", bool(valid))
    return result


def reasons_of(municipality_id: int, *, active_only: bool = True) -> list[AbsenceReason]:
    """The municipality's absence reasons in list order (one query)."""
    qs = AbsenceReason.objects.filter(municipality_id=municipality_id)
    if active_only:
        qs = qs.filter(is_active=True)
    return list(qs.order_by("ordering", "code"))


def reasons_visible(actor: Actor) -> QuerySet[AbsenceReason]:
    return scoped(actor, AbsenceReason.objects.all(), Area.ATTENDANCE).order_by("ordering", "code")


# --- one group, one day -------------------------------------------------------------------


@dataclass
class RosterRow:
    child_id: int
    name: str
    present: bool | None  # None: not marked yet
    code: str = ""
    source: str = ""
    notice: AbsenceNotice | None = None

    @property
    def absent(self) -> bool:
        return self.present is False

    @property
    def state(self) -> str:
        """«present», «absent» or «» (not marked) — the radio the page shows checked."""
        if self.present is None:
            return ""
        return "present" if self.present else "absent"


@dataclass
class DayRoster:
    """Everything the «group today» page shows (five queries)."""

    group: Group
    day: dt.date
    today: dt.date
    working: bool
    off_reason: str
    lock: DayLock
    rows: list[RosterRow]
    reasons: list[AbsenceReason]

    @property
    def future(self) -> bool:
        return self.day > self.today

    @property
    def editable(self) -> bool:
        return self.working and not self.future

    @property
    def notices(self) -> list[RosterRow]:
        return [r for r in self.rows if r.notice is not None]

    @property
    def marked(self) -> int:
        return sum(1 for r in self.rows if r.present is not None)

    @property
    def present_count(self) -> int:
        return sum(1 for r in self.rows if r.present)

    @property
    def absent_count(self) -> int:
        return sum(1 for r in self.rows if r.present is False)

    @property
    def complete(self) -> bool:
        return bool(self.rows) and self.marked == len(self.rows)


def day_roster(group: Group, day: dt.date, *, today: dt.date) -> DayRoster:
    """Children of `group` on `day` (movement book) with their marks and notices.

    An unmarked child with an active notice for the day is shown as absent with the
    notice's reason (pre-filled; saving the day stores it). Five queries.
    """
    lock = day_lock(group.organization_id, day)
    org = Organization(pk=group.organization_id, municipality_id=lock.municipality_id)
    cal = work_calendar(org, day, day)
    working = cal.is_working_day(day)
    reasons = reasons_of(lock.municipality_id, active_only=False)
    codes = {r.pk: r.code for r in reasons}
    rows = [
        RosterRow(
            child_id=pk,
            name=" ".join(p for p in (last, first) if p),
            present=present,
            code=codes.get(reason_id, "Н") if present is False else "",
            source=source or "",
        )
        for pk, last, first, present, reason_id, source in children_in(group, day)
        .annotate(m=FilteredRelation("attendance_marks", condition=Q(attendance_marks__on=day)))
        .values_list("pk", "last_name", "first_name", "m__present", "m__reason_id", "m__source")
    ]
    by_child = {r.child_id: r for r in rows}
    if rows:
        for notice in AbsenceNotice.objects.filter(
            child_id__in=list(by_child), start__lte=day, end__gte=day, cancelled_at__isnull=True
        ).order_by("created_at", "pk"):
            row = by_child[notice.child_id]
            row.notice = notice
            notice.reason_code = codes.get(notice.reason_id, "")
    return DayRoster(
        group=group,
        day=day,
        today=today,
        working=working,
        off_reason=cal.reason(day) or ("выходной день" if day.weekday() >= 5 else "праздник"),
        lock=lock,
        rows=rows,
        reasons=[r for r in reasons if r.is_active],
    )


def last_working_day(organization: Organization, on_or_before: dt.date) -> dt.date:
    """The latest working day of the organization not after `on_or_before` (one query)."""
    start = on_or_before - dt.timedelta(days=40)
    cal = work_calendar(organization, start, on_or_before)
    days = cal.working_days(start, on_or_before)
    return days[-1] if days else on_or_before


def day_navigation(
    organization: Organization, day: dt.date, today: dt.date
) -> tuple[dt.date | None, dt.date | None, dt.date]:
    """Previous and next working days around `day` and the last working day up to `today`
    (one query)."""
    start = min(day, today) - dt.timedelta(days=40)
    end = max(day, today) + dt.timedelta(days=20)
    cal = work_calendar(organization, start, end)
    before = cal.working_days(day - dt.timedelta(days=20), day - dt.timedelta(days=1))
    after = cal.working_days(day + dt.timedelta(days=1), day + dt.timedelta(days=20))
    up_to_today = cal.working_days(today - dt.timedelta(days=40), today)
    return (
        before[-1] if before else None,
        after[0] if after else None,
        up_to_today[-1] if up_to_today else today,
    )


# --- dashboard ----------------------------------------------------------------------------


@dataclass
class GroupToday:
    group: Group
    enrolled: int
    marked: int
    present: int

    @property
    def absent(self) -> int:
        return self.marked - self.present

    @property
    def complete(self) -> bool:
        return self.marked >= self.enrolled

    @property
    def not_marked(self) -> int:
        return max(self.enrolled - self.marked, 0)


def _count(qs) -> Coalesce:
    return Coalesce(
        Subquery(qs.values("group_id").annotate(c=Count("pk")).values("c")[:1]),
        0,
        output_field=IntegerField(),
    )


def groups_today(groups: QuerySet[Group], day: dt.date) -> list[GroupToday]:
    """Per group: children enrolled on `day`, marked, present (one query for any number)."""
    on_day = Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))
    enrolled = Placement.objects.filter(on_day, group_id=OuterRef("pk"))
    marks = AttendanceMark.objects.filter(group_id=OuterRef("pk"), on=day)
    rows = groups.annotate(
        n_enrolled=_count(enrolled),
        n_marked=_count(marks),
        n_present=_count(marks.filter(present=True)),
    )
    return [
        GroupToday(group=g, enrolled=g.n_enrolled, marked=g.n_marked, present=g.n_present)
        for g in rows
    ]


def unmarked_by_group(organization: Organization, start: dt.date, end: dt.date) -> dict[int, int]:
    """Group id → working child-days of [start, end] with the child in the group and no
    mark (three queries for the whole organization)."""
    if end < start:
        return {}
    cal = work_calendar(organization, start, end)
    days = cal.working_days(start, end)
    if not days:
        return {}
    marked = set(
        AttendanceMark.objects.filter(
            organization=organization, on__range=(start, end)
        ).values_list("child_id", "on")
    )
    missing: dict[int, int] = {}
    for child_id, group_id, p_start, p_end in (
        Placement.objects.filter(organization=organization, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .values_list("child_id", "group_id", "start", "end")
    ):
        for day in days:
            if p_start <= day and (p_end is None or p_end >= day) and (child_id, day) not in marked:
                missing[group_id] = missing.get(group_id, 0) + 1
    return missing


def unmarked_child_days(organization: Organization, start: dt.date, end: dt.date) -> int:
    """Working child-days of [start, end] with a child enrolled and no mark (three queries)."""
    return sum(unmarked_by_group(organization, start, end).values())


@dataclass
class GroupMonth:
    group: Group
    present: int = 0
    absent: int = 0
    absent_valid: int = 0
    unmarked: int = 0


def month_by_group(
    organization: Organization, groups: list[Group], month: dt.date, *, today: dt.date
) -> list[GroupMonth]:
    """Per group of the month: child-days present, absent (valid), unmarked up to today
    (four queries for any number of groups)."""
    from .locks import month_end

    start, end = month, month_end(month)
    rows = {g.pk: GroupMonth(group=g) for g in groups}
    for group_id, present, valid, n in (
        AttendanceMark.objects.filter(organization=organization, on__range=(start, end))
        .values_list("group_id", "present", "reason__is_valid")
        .annotate(n=Count("pk"))
    ):
        row = rows.get(group_id)
        if row is None:
            continue
        if present:
            row.present += n
        else:
            row.absent += n
            row.absent_valid += n if valid else 0
    for group_id, n in unmarked_by_group(organization, start, min(end, today)).items():
        if group_id in rows:
            rows[group_id].unmarked = n
    return list(rows.values())


# --- notices ------------------------------------------------------------------------------


def notices_visible(actor: Actor) -> QuerySet[AbsenceNotice]:
    """Notices the actor may see, newest first, with child and reason."""
    qs = scoped(actor, AbsenceNotice.objects.all(), Area.ATTENDANCE)
    if actor.organization is not None:
        qs = qs.filter(organization=actor.organization)
    return qs.select_related("child", "reason").order_by("-start", "-pk")


def children_for_parent(actor: Actor) -> QuerySet[Child]:
    """The actor's own children in the active organization (parents' pages)."""
    from detsad.people.models import ChildGuardian

    if actor.organization is None or not getattr(actor.user, "pk", None):
        return Child.objects.none()
    return (
        scoped(actor, Child.objects.all(), Area.ATTENDANCE)
        .filter(
            organization=actor.organization,
            pk__in=ChildGuardian.objects.filter(guardian__user_id=actor.user.pk).values("child_id"),
        )
        .order_by("last_name", "first_name")
    )
