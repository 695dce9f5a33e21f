"""Parents' advance notices (C06: absence across a weekend and a holiday) and the parent's
calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from detsad.attendance.models import AbsenceNotice, AbsenceReason, AttendanceMark
from detsad.attendance.selectors import child_days, day_roster
from detsad.attendance.services import (
    absence_notice_cancel,
    absence_notice_create,
    attendance_mark_group_day,
    attendance_month_close,
    notices_apply,
)
from detsad.core.access import Actor

from .helpers import at_today

C06_DAYS = [dt.date(2026, 3, d) for d in (5, 6, 10, 11, 12)]


def reason(world, code):
    return AbsenceReason.objects.get(municipality=world.municipality, code=code)


def parent(world, today):
    return at_today(world.a.actor("parent"), today)


class TestC06:
    def test_a_notice_counts_only_the_working_days_of_the_period(self, world):
        c1 = world.a.children["c1"]
        notice = absence_notice_create(
            actor=parent(world, dt.date(2026, 3, 4)),
            child=c1,
            start=dt.date(2026, 3, 5),
            end=dt.date(2026, 3, 12),
            reason=reason(world, "О"),
        )
        assert notice.days == C06_DAYS
        assert not AttendanceMark.objects.filter(child=c1).exists()  # no marks for future days
        system = at_today(Actor.system(organization=world.a.org), dt.date(2026, 3, 13))
        written = notices_apply(actor=system, organization=world.a.org, upto=dt.date(2026, 3, 13))
        assert written == 5
        marks = AttendanceMark.objects.filter(child=c1).order_by("on")
        assert [m.on for m in marks] == C06_DAYS
        assert all(
            (m.present, m.reason.code, m.source, m.notice_id) == (False, "О", "notice", notice.pk)
            for m in marks
        )
        days = child_days(world.a.org, dt.date(2026, 3, 1), dt.date(2026, 3, 31))[c1.pk]
        assert sorted(days.absent) == C06_DAYS and days.absent_valid == set(C06_DAYS)
        assert notices_apply(actor=system, organization=world.a.org, upto=dt.date(2026, 3, 13)) == 0

    def test_staff_entering_a_past_notice_writes_the_five_marks_at_once(self, world):
        c1 = world.a.children["c1"]
        absence_notice_create(
            actor=at_today(world.a.actor("educator"), dt.date(2026, 3, 13)),
            child=c1,
            start=dt.date(2026, 3, 5),
            end=dt.date(2026, 3, 12),
            reason=reason(world, "О"),
        )
        assert (
            sorted(AttendanceMark.objects.filter(child=c1).values_list("on", flat=True)) == C06_DAYS
        )

    def test_the_grid_the_timesheet_and_the_reports_count_five_days(self, world):
        """C06: the month sheet (timesheet rows), the attendance report and form 85-K see
        the five working days of the notice, none of 7, 8, 9 March."""
        from detsad.attendance import reports
        from detsad.attendance.sheet import month_sheet
        from detsad.core.models import Group

        c1 = world.a.children["c1"]
        absence_notice_create(
            actor=at_today(world.a.actor("educator"), dt.date(2026, 3, 13)),
            child=c1,
            start=dt.date(2026, 3, 5),
            end=dt.date(2026, 3, 12),
            reason=reason(world, "О"),
        )
        sun = Group.objects.select_related("organization").get(pk=world.a.groups["sun"].pk)
        sheet = month_sheet(sun, dt.date(2026, 3, 1), today=dt.date(2026, 3, 13))
        row = next(r for r in sheet.rows if r.child.pk == c1.pk)
        assert (row.absent, row.absent_valid, row.reasons_text) == (5, 5, "О — 5")
        texts = [c.timesheet_text for c in row.cells]
        assert [texts[k - 1] for k in (5, 6, 7, 8, 9, 10, 11, 12)] == [
            "О",
            "О",
            "В",
            "В",
            "В",
            "О",
            "О",
            "О",
        ]
        coordinator = at_today(world.a.actor("coordinator"), dt.date(2026, 3, 13))
        data = reports.attendance_summary(coordinator, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
        assert {r.label: r for r in data.rows}["Солнышко"].by_reason == {"О": 5}
        assert data.total.absent == 5

    def test_the_journal_shows_the_notice_on_top_and_the_educator_may_override(self, world):
        c1, sun = world.a.children["c1"], world.a.groups["sun"]
        absence_notice_create(
            actor=parent(world, dt.date(2026, 3, 4)),
            child=c1,
            start=dt.date(2026, 3, 5),
            end=dt.date(2026, 3, 12),
            reason=reason(world, "О"),
            comment="едем к бабушке",
        )
        roster = day_roster(sun, dt.date(2026, 3, 5), today=dt.date(2026, 3, 5))
        assert [r.child_id for r in roster.notices] == [c1.pk]
        educator = at_today(world.a.actor("educator"), dt.date(2026, 3, 6))
        attendance_mark_group_day(
            actor=educator, group=sun, day=dt.date(2026, 3, 5), all_present=True
        )
        assert AttendanceMark.objects.get(child=c1, on=dt.date(2026, 3, 5)).reason.code == "О"
        attendance_mark_group_day(
            actor=educator, group=sun, day=dt.date(2026, 3, 6), marks={c1.pk: (True, None)}
        )
        mark = AttendanceMark.objects.get(child=c1, on=dt.date(2026, 3, 6))
        assert mark.present is True and mark.source == "journal"  # the educator's word wins

    def test_a_notice_never_overwrites_an_existing_mark(self, world):
        c1, sun = world.a.children["c1"], world.a.groups["sun"]
        educator = at_today(world.a.actor("educator"), dt.date(2026, 3, 5))
        attendance_mark_group_day(
            actor=educator, group=sun, day=dt.date(2026, 3, 5), all_present=True
        )
        absence_notice_create(
            actor=parent(world, dt.date(2026, 3, 5)),
            child=c1,
            start=dt.date(2026, 3, 5),
            end=dt.date(2026, 3, 6),
            reason=reason(world, "Б"),
        )
        assert AttendanceMark.objects.get(child=c1, on=dt.date(2026, 3, 5)).present is True

    def test_closing_the_month_applies_the_notices_first(self, world):
        c1 = world.a.children["c1"]
        absence_notice_create(
            actor=parent(world, dt.date(2026, 3, 4)),
            child=c1,
            start=dt.date(2026, 3, 30),
            end=dt.date(2026, 4, 3),
            reason=reason(world, "С"),
        )
        attendance_month_close(
            actor=at_today(world.a.actor("coordinator"), dt.date(2026, 4, 1)),
            organization=world.a.org,
            month=dt.date(2026, 3, 1),
            confirm=True,
        )
        days = AttendanceMark.objects.filter(child=c1).values_list("on", flat=True)
        assert sorted(days) == [dt.date(2026, 3, 30), dt.date(2026, 3, 31)]


class TestRules:
    def test_a_parent_cannot_notify_for_a_past_day(self, world):
        with pytest.raises(ValidationError, match="сегодняшний или будущие"):
            absence_notice_create(
                actor=parent(world, dt.date(2026, 3, 10)),
                child=world.a.children["c1"],
                start=dt.date(2026, 3, 9),
                end=dt.date(2026, 3, 12),
                reason=reason(world, "Б"),
            )

    def test_a_parent_cannot_pick_a_kindergarten_reason(self, world):
        with pytest.raises(ValidationError, match="Выберите причину"):
            absence_notice_create(
                actor=parent(world, dt.date(2026, 3, 10)),
                child=world.a.children["c1"],
                start=dt.date(2026, 3, 10),
                end=dt.date(2026, 3, 12),
                reason=reason(world, "К"),
            )

    def test_a_period_of_weekend_only_is_refused(self, world):
        with pytest.raises(ValidationError, match="нет рабочих дней"):
            absence_notice_create(
                actor=parent(world, dt.date(2026, 3, 6)),
                child=world.a.children["c1"],
                start=dt.date(2026, 3, 7),
                end=dt.date(2026, 3, 9),
                reason=reason(world, "О"),
            )

    def test_a_parent_of_another_family_gets_404(self, world):
        with pytest.raises(Http404):
            absence_notice_create(
                actor=parent(world, dt.date(2026, 3, 10)),
                child=world.a.children["c2"],
                start=dt.date(2026, 3, 10),
                end=dt.date(2026, 3, 12),
                reason=reason(world, "О"),
            )

    def test_the_head_cannot_notify(self, world):
        with pytest.raises(PermissionDenied):
            absence_notice_create(
                actor=at_today(world.a.actor("head"), dt.date(2026, 3, 10)),
                child=world.a.children["c1"],
                start=dt.date(2026, 3, 10),
                end=dt.date(2026, 3, 12),
                reason=reason(world, "О"),
            )

    def test_cancelling_removes_todays_prefilled_mark(self, world):
        c1 = world.a.children["c1"]
        actor = parent(world, dt.date(2026, 3, 10))
        notice = absence_notice_create(
            actor=actor,
            child=c1,
            start=dt.date(2026, 3, 10),
            end=dt.date(2026, 3, 12),
            reason=reason(world, "О"),
        )
        assert AttendanceMark.objects.filter(child=c1, on=dt.date(2026, 3, 10)).exists()
        absence_notice_cancel(actor=actor, notice=notice)
        assert not AttendanceMark.objects.filter(child=c1).exists()
        assert AbsenceNotice.objects.get(pk=notice.pk).cancelled_at is not None


class TestParentPages:
    def test_the_parent_reports_an_absence_and_sees_the_calendar(self, world, as_role, frozen_now):
        frozen_now(dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC))
        client = as_role("parent")
        c1 = world.a.children["c1"]
        url = reverse("attendance:notice_create", kwargs={"child_pk": c1.pk})
        page = client.get(url).content.decode()
        assert "Отпуск или отгул родителей (О)" in page and "Карантин" not in page
        response = client.post(
            url,
            {
                "start": "2026-03-05",
                "end": "12.03.2026",
                "reason": reason(world, "О").pk,
                "comment": "отпуск",
            },
        )
        assert response.status_code == 302
        calendar = client.get(
            reverse("attendance:child_calendar", kwargs={"child_pk": c1.pk}), {"month": "2026-03"}
        ).content.decode()
        assert "05.03.2026–12.03.2026" in calendar
        assert calendar.count("fst-italic") == 5  # five planned days

    def test_another_familys_calendar_is_404(self, world, as_role):
        url = reverse("attendance:child_calendar", kwargs={"child_pk": world.a.children["c2"].pk})
        assert as_role("parent").get(url).status_code == 404

    def test_the_dashboard_offers_the_parent_the_calendar(self, world, as_role):
        html = as_role("parent").get("/").content.decode()
        assert 'data-testid="parent-attendance-widget"' in html and "Иванов Иван" in html
