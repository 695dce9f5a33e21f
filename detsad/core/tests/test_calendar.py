"""Work calendar: federal calendar with transfers (holidays RU) plus overrides."""

import datetime as dt

import pytest

from detsad.core import calendar as workcal
from detsad.core.models import CalendarOverride

# Production calendar 2026 (Government decree on 2026 transfers): working days per month.
WORKING_DAYS_2026 = [15, 19, 21, 22, 19, 21, 23, 21, 22, 22, 20, 22]


@pytest.mark.parametrize("month", range(1, 13))
def test_federal_working_days_2026(world, month):
    assert len(workcal.working_days(world.a.org, 2026, month)) == WORKING_DAYS_2026[month - 1]


def test_year_2026_has_247_working_days(world):
    assert sum(len(workcal.working_days(world.a.org, 2026, m)) for m in range(1, 13)) == 247


def test_transfers_2026_january(world):
    cal = workcal.work_calendar(world.a.org, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert not cal.is_working_day(dt.date(2026, 1, 9))  # 3 January moved to 9 January
    assert cal.is_working_day(dt.date(2026, 1, 12))
    assert cal.is_holiday(dt.date(2026, 1, 9))
    assert not cal.is_holiday(dt.date(2026, 1, 10))  # a plain Saturday


def test_march_2026_ninth_is_a_day_off(world):
    # 8 March 2026 is a Sunday, so Monday 9 March is a day off (cases, assumptions).
    days = workcal.working_days(world.a.org, 2026, 3)
    assert dt.date(2026, 3, 9) not in days
    assert len(days) == 21


def test_organization_closure_removes_a_day_and_only_for_that_organization(world):
    CalendarOverride.objects.create(
        organization=world.a.org, date=dt.date(2026, 4, 7), kind="non_working", reason="карантин"
    )
    assert dt.date(2026, 4, 7) not in workcal.working_days(world.a.org, 2026, 4)
    assert len(workcal.working_days(world.a.org, 2026, 4)) == 21
    assert len(workcal.working_days(world.b.org, 2026, 4)) == 22


def test_municipality_decree_and_organization_override_win_in_order(world):
    CalendarOverride.objects.create(
        municipality=world.municipality,
        date=dt.date(2026, 5, 4),
        kind="non_working",
        reason="региональный праздник",
    )
    CalendarOverride.objects.create(
        organization=world.b.org, date=dt.date(2026, 5, 4), kind="working", reason="дежурная группа"
    )
    assert not workcal.is_working_day(world.a.org, dt.date(2026, 5, 4))
    assert workcal.is_working_day(world.b.org, dt.date(2026, 5, 4))
    assert workcal.is_working_day(world.c.org, dt.date(2026, 5, 4))  # another municipality


def test_working_saturday_by_override(world):
    CalendarOverride.objects.create(
        organization=world.a.org, date=dt.date(2026, 6, 6), kind="working", reason="перенос"
    )
    assert len(workcal.working_days(world.a.org, 2026, 6)) == 22
