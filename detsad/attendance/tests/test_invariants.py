"""Property test (hypothesis): whatever marks people try to save in March 2026,

- a mark exists only for a working day, not after today, with the child enrolled in that
  group that day (refusals are ValidationErrors, nothing half-written);
- there is never more than one mark per child and day;
- in the month grid each child's present + absent + unmarked = the working days the child
  was in the group, per-day totals add up to the per-child totals, and `child_days` (what
  the fee module reads) agrees with the grid.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detsad.attendance.models import AttendanceMark
from detsad.attendance.selectors import child_days
from detsad.attendance.services import attendance_mark_group_day
from detsad.attendance.sheet import ABSENT, PRESENT, UNMARKED, month_sheet
from detsad.core.calendar import work_calendar
from detsad.core.models import Group
from detsad.movement.models import Placement

from .helpers import at_today, enroll, new_child, withdraw

TODAY = dt.date(2026, 3, 25)
MARCH = [dt.date(2026, 3, 1) + dt.timedelta(days=i) for i in range(31)]
VALUES = st.sampled_from(["present", "Б", "О", "Н", None])


@pytest.fixture
def setup(world):
    sun = Group.objects.select_related("organization").get(pk=world.a.groups["sun"].pk)
    late = enroll(world.a, new_child(world.a, last="Аверин"), sun, dt.date(2026, 3, 16))
    withdraw(world.a, world.a.children["c2"], dt.date(2026, 3, 19))
    children = [world.a.children["c1"], world.a.children["c2"], late, world.a.children["c3"]]
    actor = at_today(world.a.actor("coordinator"), TODAY)
    return sun, children, actor


def enrolled(child, group, day) -> bool:
    return (
        Placement.objects.filter(child=child, group=group, start__lte=day)
        .exclude(end__lt=day)
        .exists()
    )


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 3), VALUES, st.booleans()), max_size=25
    )
)
def test_marks_respect_calendar_enrollment_and_today(world, setup, ops):
    sun, children, actor = setup
    cal = work_calendar(world.a.org, MARCH[0], MARCH[-1])
    sid = transaction.savepoint_create()
    try:
        for day_index, child_index, value, all_present in ops:
            day, child = MARCH[day_index], children[child_index]
            marks = {child.pk: (True, None) if value == "present" else (False, value)}
            allowed = day <= TODAY and cal.is_working_day(day) and enrolled(child, sun, day)
            before = AttendanceMark.objects.count()
            try:
                attendance_mark_group_day(
                    actor=actor, group=sun, day=day, marks=marks, all_present=all_present
                )
            except ValidationError:
                assert not allowed
                assert AttendanceMark.objects.count() == before
            else:
                assert allowed
        for mark in AttendanceMark.objects.filter(organization=world.a.org):
            assert mark.on <= TODAY and cal.is_working_day(mark.on)
            assert enrolled(mark.child, mark.group, mark.on)
        pairs = list(AttendanceMark.objects.values_list("child_id", "on"))
        assert len(pairs) == len(set(pairs))
        sheet = month_sheet(sun, MARCH[0], today=TODAY, use_registry=False)
        marks_by_child = child_days(world.a.org, MARCH[0], MARCH[-1])
        for row in sheet.rows:
            in_group = sum(
                1
                for day in sheet.days
                if day.working and day.date <= TODAY and enrolled(row.child, sun, day.date)
            )
            assert row.present + row.absent + row.unmarked == in_group
            got = marks_by_child.get(row.child.pk)
            assert row.present == (len(got.present) if got else 0)
            assert row.absent == (len(got.absent) if got else 0)
            assert row.absent_valid == (len(got.absent_valid) if got else 0)
        for i, _day in enumerate(sheet.days):
            assert sheet.present_by_day[i] == sum(r.cells[i].kind == PRESENT for r in sheet.rows)
            assert sheet.absent_by_day[i] == sum(r.cells[i].kind == ABSENT for r in sheet.rows)
        assert sheet.totals["present"] == sum(sheet.present_by_day)
        assert sheet.totals["absent"] == sum(sheet.absent_by_day)
        assert sheet.totals["unmarked"] == sum(
            r.cells[i].kind == UNMARKED for r in sheet.rows for i in range(len(sheet.days))
        )
    finally:
        transaction.savepoint_rollback(sid)
