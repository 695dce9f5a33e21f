"""The month of a group as one grid of children × days (the табель), and the month of one
child (the parent's calendar). The screen grid, the timesheet 0504608 (PDF, XLSX) and the
reports all read these, so their figures agree.

Rules of a cell (FACTS.md §2, FACTS-2.md §1, case C07):

- a day the child was not in this group (before enrollment, after withdrawal or a
  transfer) is «out»: blank «не числился», never an absence;
- a non-working day of the organization's calendar is «off»: «В» in the timesheet;
- a working day with a mark is «present» (blank in the timesheet) or «absent» with the
  reason's code («Н» without a valid reason);
- a working day without a mark is «unmarked» up to today and «future» after it; a day
  covered by an active parent's notice but not yet marked is «planned» (shows the code).

Totals per child: days present; days missed and, of them, for a valid reason
(«засчитываемые»); days to be paid — by default the days present (the fee rule "per day
attended", CASES.md assumptions); another app (fees) may supply the rates and the payable
days through ``<app>/timesheet.py`` (see `providers`). Per day: children present/absent.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db.models import Q

from detsad.core.calendar import month_bounds, month_days, work_calendar
from detsad.core.models import Group, MonthClosing
from detsad.core.registry import app_modules
from detsad.core.text import MONTHS_NOMINATIVE
from detsad.movement.models import Placement
from detsad.people.models import Child, PersonalAccount

from .models import AbsenceNotice, AttendanceMark

WEEKDAYS_SHORT = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]

PRESENT, ABSENT, OFF, OUT, UNMARKED, FUTURE, PLANNED = (
    "present",
    "absent",
    "off",
    "out",
    "unmarked",
    "future",
    "planned",
)

#: rates(group, month, children) -> {child id: text}; payable_days(sheet) -> {child id: int}
RateProvider = Callable[[Group, dt.date, list[Child]], Mapping[int, str]]
PayableProvider = Callable[["MonthSheet"], Mapping[int, int]]


def month_title(month: dt.date) -> str:
    return f"{MONTHS_NOMINATIVE[month.month]} {month.year}"


@dataclass
class Day:
    date: dt.date
    working: bool
    holiday: bool
    reason: str = ""

    @property
    def weekday(self) -> str:
        return WEEKDAYS_SHORT[self.date.weekday()]


@dataclass
class Cell:
    date: dt.date
    kind: str
    code: str = ""
    valid: bool = False
    source: str = ""
    future: bool = False  # after today (a planned absence not yet due)

    @property
    def timesheet_text(self) -> str:
        """The cell as printed on form 0504608: blank attended, code of an absence, «В»."""
        if self.kind == ABSENT:
            return self.code or "Н"
        if self.kind == OFF:
            return "В"
        if self.kind == OUT:
            return "—"
        if self.kind == UNMARKED:
            return "?"
        return ""

    @property
    def markable(self) -> bool:
        """A working day of the child in the group, not in the future: it takes a mark."""
        return self.kind in (PRESENT, ABSENT, UNMARKED) or (
            self.kind == PLANNED and not self.future
        )

    @property
    def screen_text(self) -> str:
        if self.kind == PRESENT:
            return "✓"
        if self.kind in (ABSENT, PLANNED):
            return self.code or "Н"
        if self.kind == OFF:
            return "В"
        return ""


class CellCounts:
    """Day counts over ``self.cells`` shared by a timesheet row and a child's month."""

    cells: list[Cell]

    @property
    def present(self) -> int:
        return sum(1 for c in self.cells if c.kind == PRESENT)

    @property
    def absent(self) -> int:
        return sum(1 for c in self.cells if c.kind == ABSENT)

    @property
    def absent_valid(self) -> int:
        return sum(1 for c in self.cells if c.kind == ABSENT and c.valid)


@dataclass
class SheetRow(CellCounts):
    child: Child
    account: str = ""
    rate: str = ""
    cells: list[Cell] = field(default_factory=list)
    payable_override: int | None = None

    @property
    def absent_invalid(self) -> int:
        return self.absent - self.absent_valid

    @property
    def unmarked(self) -> int:
        return sum(1 for c in self.cells if c.kind == UNMARKED)

    @property
    def payable(self) -> int:
        return self.present if self.payable_override is None else self.payable_override

    @property
    def reasons(self) -> Counter:
        return Counter(c.code or "Н" for c in self.cells if c.kind == ABSENT)

    @property
    def reasons_text(self) -> str:
        """«Б — 3, О — 2»: the «причины непосещения» column."""
        return ", ".join(f"{code} — {n}" for code, n in sorted(self.reasons.items()))


@dataclass
class MonthSheet:
    group: Group
    month: dt.date
    today: dt.date
    days: list[Day]
    rows: list[SheetRow]
    closing: MonthClosing | None = None

    @property
    def title(self) -> str:
        return month_title(self.month)

    @property
    def working_days(self) -> int:
        return sum(1 for d in self.days if d.working)

    @property
    def closed(self) -> bool:
        return self.closing is not None and self.closing.is_closed

    def per_day(self, kind: str) -> list[int]:
        return [sum(1 for r in self.rows if r.cells[i].kind == kind) for i in range(len(self.days))]

    @property
    def present_by_day(self) -> list[int]:
        return self.per_day(PRESENT)

    @property
    def absent_by_day(self) -> list[int]:
        return self.per_day(ABSENT)

    @property
    def totals(self) -> dict[str, int]:
        return {
            "present": sum(r.present for r in self.rows),
            "absent": sum(r.absent for r in self.rows),
            "absent_valid": sum(r.absent_valid for r in self.rows),
            "payable": sum(r.payable for r in self.rows),
            "unmarked": sum(r.unmarked for r in self.rows),
        }

    @property
    def day_columns(self) -> list[tuple[Day, int, int]]:
        return list(zip(self.days, self.present_by_day, self.absent_by_day, strict=True))


def column_provider() -> Callable[[MonthSheet], Mapping[int, tuple[str, int]]] | None:
    """A provider of both fee columns at once, ``columns(sheet) -> {child id: (rate text,
    days to be paid)}``, offered by another app's ``timesheet.py`` (preferred over the
    separate providers: one load of the facts)."""
    for module in app_modules("timesheet"):
        if hasattr(module, "columns"):
            return module.columns
    return None


def providers() -> tuple[RateProvider | None, PayableProvider | None]:
    """Rate and payable-days providers offered by other apps in ``<app>/timesheet.py``
    (functions ``rates`` and ``payable_days``); the first app offering one wins."""
    rates = payable = None
    for module in app_modules("timesheet"):
        rates = rates or getattr(module, "rates", None)
        payable = payable or getattr(module, "payable_days", None)
    return rates, payable


def _in(p_start: dt.date, p_end: dt.date | None, day: dt.date) -> bool:
    return p_start <= day and (p_end is None or p_end >= day)


def _month_days(organization, month: dt.date) -> list[Day]:
    start, end = month_bounds(month.year, month.month)
    cal = work_calendar(organization, start, end)
    return [
        Day(date=d, working=cal.is_working_day(d), holiday=cal.is_holiday(d), reason=cal.reason(d))
        for d in month_days(month.year, month.month)
    ]


Mark = tuple[bool, str, bool, str]  # present, reason code, valid, source


def _marks(qs) -> dict[int, dict[dt.date, Mark]]:
    """Child id → day → mark, from a queryset of marks (one query)."""
    result: dict[int, dict[dt.date, Mark]] = {}
    for child_id, on, present, code, valid, source in qs.values_list(
        "child_id", "on", "present", "reason__code", "reason__is_valid", "source"
    ):
        result.setdefault(child_id, {})[on] = (present, code or "Н", bool(valid), source)
    return result


def _planned(qs, start: dt.date, end: dt.date) -> dict[int, dict[dt.date, str]]:
    """Child id → day → reason code of the active notices of `qs` within [start, end]."""
    result: dict[int, dict[dt.date, str]] = {}
    for child_id, n_start, n_end, code in qs.filter(
        cancelled_at__isnull=True, start__lte=end, end__gte=start
    ).values_list("child_id", "start", "end", "reason__code"):
        d = max(n_start, start)
        while d <= min(n_end, end):
            result.setdefault(child_id, {})[d] = code
            d += dt.timedelta(days=1)
    return result


def _cells(
    days: list[Day],
    spans: list[tuple[dt.date, dt.date | None]],
    marks: dict[dt.date, Mark],
    planned: dict[dt.date, str],
    today: dt.date,
) -> list[Cell]:
    """The cells of one child over `days` by the rules of the module docstring."""
    cells = []
    for day in days:
        d = day.date
        if not any(_in(s, e, d) for s, e in spans):
            cells.append(Cell(d, OUT))
        elif not day.working:
            cells.append(Cell(d, OFF))
        elif d in marks:
            present, code, valid, source = marks[d]
            cells.append(
                Cell(d, PRESENT, source=source)
                if present
                else Cell(d, ABSENT, code=code, valid=valid, source=source)
            )
        elif d in planned:
            cells.append(Cell(d, PLANNED, code=planned[d], future=d > today))
        else:
            cells.append(Cell(d, FUTURE if d > today else UNMARKED))
    return cells


def month_sheet(
    group: Group,
    month: dt.date,
    *,
    today: dt.date,
    rate_provider: RateProvider | None = None,
    payable_provider: PayableProvider | None = None,
    use_registry: bool = True,
) -> MonthSheet:
    """The табель of `group` for the month of `month` (six queries for any group size).

    `group.organization` should be loaded (select_related) by the caller. Providers not
    given are taken from other apps' ``timesheet.py`` unless ``use_registry=False``.
    """
    month = month.replace(day=1)
    start, end = month_bounds(month.year, month.month)
    organization = group.organization
    days = _month_days(organization, month)
    intervals: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    children: dict[int, Child] = {}
    for p in (
        Placement.objects.filter(group=group, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .select_related("child")
    ):
        intervals.setdefault(p.child_id, []).append((p.start, p.end))
        children[p.child_id] = p.child
    ordered = sorted(
        children.values(), key=lambda c: (c.last_name, c.first_name, c.patronymic, c.pk)
    )
    marks = _marks(
        AttendanceMark.objects.filter(child_id__in=list(children), on__range=(start, end))
    )
    accounts = dict(
        PersonalAccount.objects.filter(
            child_id__in=list(children), organization_id=organization.pk
        ).values_list("child_id", "number")
    )
    planned = _planned(AbsenceNotice.objects.filter(child_id__in=list(children)), start, end)
    closing = MonthClosing.objects.filter(
        organization_id=organization.pk, kind=MonthClosing.Kind.ATTENDANCE, month=month
    ).first()
    rows = [
        SheetRow(
            child=child,
            account=accounts.get(child.pk, ""),
            cells=_cells(
                days,
                intervals[child.pk],
                marks.get(child.pk, {}),
                planned.get(child.pk, {}),
                today,
            ),
        )
        for child in ordered
    ]
    sheet = MonthSheet(group=group, month=month, today=today, days=days, rows=rows, closing=closing)
    columns = (
        column_provider() if use_registry and rate_provider is payable_provider is None else None
    )
    if columns is not None:
        if rows:
            values = columns(sheet) or {}
            for row in rows:
                if row.child.pk in values:
                    rate, payable = values[row.child.pk]
                    row.rate, row.payable_override = str(rate or ""), int(payable)
        return sheet
    if use_registry and (rate_provider is None or payable_provider is None):
        reg_rates, reg_payable = providers()
        rate_provider = rate_provider or reg_rates
        payable_provider = payable_provider or reg_payable
    if rate_provider is not None and rows:
        rates = rate_provider(group, month, ordered) or {}
        for row in rows:
            row.rate = str(rates.get(row.child.pk, "") or "")
    if payable_provider is not None and rows:
        payable = payable_provider(sheet) or {}
        for row in rows:
            if row.child.pk in payable:
                row.payable_override = int(payable[row.child.pk])
    return sheet


@dataclass
class ChildMonth(CellCounts):
    """One child's month for the parent's calendar: weeks of cells and the totals."""

    child: Child
    month: dt.date
    cells: list[Cell]
    days: list[Day]

    @property
    def title(self) -> str:
        return month_title(self.month)

    @property
    def weeks(self) -> list[list[tuple[Day, Cell] | None]]:
        weeks: list[list[tuple[Day, Cell] | None]] = []
        week: list[tuple[Day, Cell] | None] = [None] * self.days[0].date.weekday()
        for day, cell in zip(self.days, self.cells, strict=True):
            week.append((day, cell))
            if len(week) == 7:
                weeks.append(week)
                week = []
        if week:
            weeks.append(week + [None] * (7 - len(week)))
        return weeks


def child_month(child: Child, month: dt.date, *, today: dt.date) -> ChildMonth:
    """The month of `child` in its kindergarten, whatever the group (four queries)."""
    month = month.replace(day=1)
    start, end = month_bounds(month.year, month.month)
    days = _month_days(child.organization, month)
    spans = list(
        Placement.objects.filter(child=child, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .values_list("start", "end")
    )
    marks = _marks(AttendanceMark.objects.filter(child=child, on__range=(start, end)))
    planned = _planned(AbsenceNotice.objects.filter(child=child), start, end)
    cells = _cells(days, spans, marks.get(child.pk, {}), planned.get(child.pk, {}), today)
    return ChildMonth(child=child, month=month, cells=cells, days=days)
