"""Work calendar: working days of an organization.

Rule (FACTS.md §9): the federal production calendar of the Russian Federation (Labour Code
art. 112 holidays plus the government's yearly transfer decrees) from the maintained
``holidays`` package (country RU), overridden by `CalendarOverride` rows of the
municipality and then of the organization (late decrees, regional holidays, closures for
quarantine or repairs). Weekends are Saturday and Sunday unless a decree makes one working.
2026 by this rule: 15, 19, 21, 22, 19, 21, 23, 21, 22, 22, 20, 22 working days = 247.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _federal_non_working(year: int) -> frozenset[dt.date]:
    """Non-working days of `year` by the federal calendar (weekends + holidays + transfers)."""
    ru = holidays.country_holidays("RU", years=year)
    days = set()
    day = dt.date(year, 1, 1)
    while day.year == year:
        if not ru.is_working_day(day):
            days.add(day)
        day += dt.timedelta(days=1)
    return frozenset(days)


def federal_is_working_day(day: dt.date) -> bool:
    return day not in _federal_non_working(day.year)


def month_days(year: int, month: int) -> list[dt.date]:
    """Every date of the month."""
    last = _calendar.monthrange(year, month)[1]
    return [dt.date(year, month, d) for d in range(1, last + 1)]


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, _calendar.monthrange(year, month)[1])


@dataclass
class WorkCalendar:
    """Working days of one organization over a loaded period (one query for overrides).

    ``overrides`` maps a date to its CalendarOverride kind; organization rows win over
    municipality rows. Build it with `work_calendar`.
    """

    overrides: dict[dt.date, str]
    reasons: dict[dt.date, str]

    def is_working_day(self, day: dt.date) -> bool:
        kind = self.overrides.get(day)
        if kind == "non_working":
            return False
        if kind == "working":
            return True
        # "shortened" only shortens a working day; it never makes a day off a working one.
        return federal_is_working_day(day)

    def is_holiday(self, day: dt.date) -> bool:
        """A non-working day that is not a plain Saturday/Sunday."""
        return not self.is_working_day(day) and day.weekday() < 5

    def working_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Working days from `start` to `end` inclusive."""
        days, day = [], start
        while day <= end:
            if self.is_working_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def month_working_days(self, year: int, month: int) -> list[dt.date]:
        return [d for d in month_days(year, month) if self.is_working_day(d)]

    def reason(self, day: dt.date) -> str:
        return self.reasons.get(day, "")


def work_calendar(organization, start: dt.date, end: dt.date) -> WorkCalendar:
    """Load the calendar of `organization` for the period [start, end] (one query)."""
    from django.db.models import Q

    from .models import CalendarOverride

    rows = CalendarOverride.objects.filter(
        Q(organization=organization) | Q(municipality_id=organization.municipality_id),
        date__range=(start, end),
    ).values_list("date", "kind", "reason", "organization_id")
    overrides: dict[dt.date, str] = {}
    reasons: dict[dt.date, str] = {}
    # Municipality rows first, organization rows override them.
    for day, kind, reason, _org_id in sorted(rows, key=lambda r: r[3] is not None):
        overrides[day] = kind
        reasons[day] = reason
    return WorkCalendar(overrides=overrides, reasons=reasons)


def working_days(organization, year: int, month: int) -> list[dt.date]:
    """Working days of `organization` in the month (the answer to "working days of X in M")."""
    start, end = month_bounds(year, month)
    return work_calendar(organization, start, end).month_working_days(year, month)


def is_working_day(organization, day: dt.date) -> bool:
    return work_calendar(organization, day, day).is_working_day(day)
