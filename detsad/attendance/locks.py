"""Whether a day of an organization is locked for the journal: a closed attendance month
(`MonthClosing`, kind attendance) or a closed academic year (case C16)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from detsad.core.calendar import WorkCalendar
from detsad.core.models import AcademicYear, CalendarOverride, MonthClosing, Organization


@dataclass(frozen=True)
class DayLock:
    """What locks a day of an organization, read in one query (`day_lock`)."""

    municipality_id: int
    month_closed: bool
    year_closed: bool
    #: the `access` rows of `day_lock` exist (e.g. the actor may write the group); True
    #: when nothing was asked
    access: bool = True
    #: the day's calendar override (kind, reason) when asked (``with_calendar``): the
    #: organization's row wins over the municipality's, as in `core.calendar.work_calendar`
    override_kind: str | None = None
    override_reason: str | None = None

    def calendar(self, day: dt.date) -> WorkCalendar:
        """The work calendar of `day` alone, from the override read with the lock."""
        if self.override_kind is None:
            return WorkCalendar(overrides={}, reasons={})
        return WorkCalendar(
            overrides={day: self.override_kind}, reasons={day: self.override_reason or ""}
        )

    @property
    def locked(self) -> bool:
        return self.month_closed or self.year_closed

    @property
    def message(self) -> str:
        if self.year_closed:
            return "учебный год закрыт"
        return "месяц закрыт" if self.month_closed else ""


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def day_lock(
    organization_id: int,
    day: dt.date,
    *,
    access: QuerySet | None = None,
    with_calendar: bool = False,
) -> DayLock:
    """Whether `day` lies in a closed attendance month or a closed academic year (1 query).

    `access`: a queryset whose existence is read in the same query (``DayLock.access``) —
    the journal asks there whether the actor may write the group. `with_calendar`: read
    the day's calendar override too (``DayLock.calendar(day)``). Both save a query each
    when a group-day is saved."""
    extra = {"access": Exists(access)} if access is not None else {}
    if with_calendar:
        override = CalendarOverride.objects.filter(
            Q(organization=OuterRef("pk")) | Q(municipality_id=OuterRef("municipality_id")),
            date=day,
        ).order_by(F("organization_id").desc(nulls_last=True), "-pk")
        extra["override_kind"] = Subquery(override.values("kind")[:1])
        extra["override_reason"] = Subquery(override.values("reason")[:1])
    row = (
        Organization.objects.filter(pk=organization_id)
        .annotate(
            **extra,
            month_closed=Exists(
                MonthClosing.objects.filter(
                    organization=OuterRef("pk"),
                    kind=MonthClosing.Kind.ATTENDANCE,
                    month=month_start(day),
                    reopened_at__isnull=True,
                )
            ),
            year_closed=Exists(
                AcademicYear.objects.filter(
                    organization=OuterRef("pk"),
                    start__lte=day,
                    end__gte=day,
                    state=AcademicYear.State.CLOSED,
                )
            ),
        )
        .values_list("municipality_id", "month_closed", "year_closed", *extra)
        .get()
    )
    return DayLock(*row)
