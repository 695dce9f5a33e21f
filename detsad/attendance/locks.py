"""Whether a day of an organization is locked for the journal: a closed attendance month
(`MonthClosing`, kind attendance) or a closed academic year (case C16)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from detsad.core.models import AcademicYear, MonthClosing, Organization


@dataclass(frozen=True)
class DayLock:
    """What locks a day of an organization, read in one query (`day_lock`)."""

    municipality_id: int
    month_closed: bool
    year_closed: bool

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


def day_lock(organization_id: int, day: dt.date) -> DayLock:
    """Whether `day` lies in a closed attendance month or a closed academic year (1 query)."""
    row = (
        Organization.objects.filter(pk=organization_id)
        .annotate(
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
        .values_list("municipality_id", "month_closed", "year_closed")
        .get()
    )
    return DayLock(*row)
