"""The group-day save of the journal: calendar, time zone, enrollment, locks, audit.

Cases C01, C03, C05 (journal part), C07 (journal part), C16, C17 of CASES.md.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from detsad.attendance.models import AttendanceMark
from detsad.attendance.selectors import child_days, day_roster, groups_today
from detsad.attendance.services import (
    attendance_mark_group_day,
    attendance_month_close,
    attendance_month_reopen,
)
from detsad.core.calendar import working_days
from detsad.core.models import AcademicYear, AuditRecord, CalendarOverride, Group
from detsad.core.services import calendar_override_set

from .helpers import at_today, enroll, new_child, transfer, withdraw

MON_6_APR = dt.date(2026, 4, 6)


def educator(world, today):
    return at_today(world.a.actor("educator"), today)


def coordinator(world, today):
    return at_today(world.a.actor("coordinator"), today)


class TestCalendar:
    def test_march_2026_has_21_working_days_and_9_march_is_off(self, world):
        days = working_days(world.a.org, 2026, 3)
        assert len(days) == 21
        assert dt.date(2026, 3, 9) not in days
        assert dt.date(2026, 3, 6) in days and dt.date(2026, 3, 10) in days

    def test_january_2026_transfer_makes_9_january_a_day_off(self, world):
        days = working_days(world.a.org, 2026, 1)
        assert len(days) == 15
        assert days[0] == dt.date(2026, 1, 12)  # 1–8 holidays, 9 Jan moved from 3 Jan

    def test_the_journal_refuses_the_holiday_and_accepts_the_next_day(self, world):
        actor = educator(world, dt.date(2026, 3, 20))
        sun, c1 = world.a.groups["sun"], world.a.children["c1"]
        with pytest.raises(ValidationError, match="09.03.2026 — нерабочий день"):
            attendance_mark_group_day(
                actor=actor, group=sun, day=dt.date(2026, 3, 9), marks={c1.pk: (True, None)}
            )
        attendance_mark_group_day(
            actor=actor, group=sun, day=dt.date(2026, 3, 10), marks={c1.pk: (True, None)}
        )
        assert AttendanceMark.objects.filter(child=c1).count() == 1

    def test_a_closure_entered_by_the_coordinator_removes_the_day_from_marking(self, world):
        calendar_override_set(
            actor=world.a.actor("coordinator"),
            organization=world.a.org,
            date=dt.date(2026, 3, 11),
            kind=CalendarOverride.Kind.NON_WORKING,
            reason="карантин",
        )
        assert len(working_days(world.a.org, 2026, 3)) == 20
        actor = educator(world, dt.date(2026, 3, 20))
        roster = day_roster(world.a.groups["sun"], dt.date(2026, 3, 11), today=actor.today)
        assert roster.working is False and roster.off_reason == "карантин"
        with pytest.raises(ValidationError, match=r"нерабочий день \(карантин\)"):
            attendance_mark_group_day(
                actor=actor,
                group=world.a.groups["sun"],
                day=dt.date(2026, 3, 11),
                all_present=True,
            )

    def test_the_kindergartens_working_day_wins_over_the_municipalitys_day_off(self, world):
        """The save reads the day's override with the lock (one query): the organization's
        row wins over the municipality's, as in core.calendar.work_calendar."""
        day = dt.date(2026, 3, 12)
        CalendarOverride.objects.create(
            municipality=world.municipality, date=day, kind="non_working", reason="паводок"
        )
        actor = educator(world, dt.date(2026, 3, 20))
        sun, c1 = world.a.groups["sun"], world.a.children["c1"]
        with pytest.raises(ValidationError, match=r"нерабочий день \(паводок\)"):
            attendance_mark_group_day(actor=actor, group=sun, day=day, marks={c1.pk: (True, None)})
        CalendarOverride.objects.create(
            organization=world.a.org, date=day, kind="working", reason="дежурная группа"
        )
        attendance_mark_group_day(actor=actor, group=sun, day=day, marks={c1.pk: (True, None)})
        assert AttendanceMark.objects.get(child=c1, on=day).present is True

    def test_a_group_day_is_saved_in_five_queries(self, world, django_assert_max_num_queries):
        """Lock + write check + calendar, roster with marks and notices, reasons, upsert,
        audit: five queries whatever the group's size (issue 7: ≤ 10 per request), plus
        the transaction's SAVEPOINT and RELEASE inside the test's transaction."""
        actor = educator(world, dt.date(2026, 4, 10))
        sun = world.a.groups["sun"]
        for i in range(10):
            enroll(world.a, new_child(world.a, first=f"Ребёнок{i:02d}"), sun, dt.date(2026, 1, 12))
        with django_assert_max_num_queries(5 + 2):
            result = attendance_mark_group_day(
                actor=actor, group=sun, day=MON_6_APR, all_present=True
            )
        assert result.created == 12
        assert AttendanceMark.objects.filter(group=sun, on=MON_6_APR, present=True).count() == 12

    def test_weekends_and_future_days_are_refused(self, world):
        actor = educator(world, dt.date(2026, 4, 8))
        sun = world.a.groups["sun"]
        with pytest.raises(ValidationError, match="нерабочий день"):
            attendance_mark_group_day(
                actor=actor, group=sun, day=dt.date(2026, 4, 4), all_present=True
            )
        with pytest.raises(ValidationError, match="ещё не наступило"):
            attendance_mark_group_day(
                actor=actor, group=sun, day=dt.date(2026, 4, 9), all_present=True
            )
        assert not AttendanceMark.objects.filter(group=sun).exists()


class TestTimeZone:
    def test_c01_today_is_the_municipality_date_not_the_server_date(self, world):
        """C01: 2026-03-10 08:30 in Vladivostok is 2026-03-09 22:30 UTC on the server."""
        world.municipality.time_zone = "Asia/Vladivostok"
        world.municipality.save()
        sun = world.a.groups["sun"]
        for i in range(16):
            enroll(world.a, new_child(world.a, first=f"Ребёнок{i:02d}"), sun, dt.date(2026, 1, 12))
        server_now = dt.datetime(2026, 3, 9, 22, 30, tzinfo=dt.UTC)
        with mock.patch("django.utils.timezone.now", return_value=server_now):
            actor = world.a.actor("educator")
            assert actor.today == dt.date(2026, 3, 10)
            coordinator_view = groups_today(Group.objects.filter(pk=sun.pk), actor.today)
            assert coordinator_view[0].enrolled == 18 and not coordinator_view[0].complete
            result = attendance_mark_group_day(
                actor=actor, group=sun, day=actor.today, all_present=True
            )
        assert result.created == 18
        marks = AttendanceMark.objects.filter(group=sun)
        assert set(marks.values_list("on", flat=True)) == {dt.date(2026, 3, 10)}
        assert marks.filter(present=True).count() == 18
        assert not AttendanceMark.objects.filter(on=dt.date(2026, 3, 9)).exists()
        after = groups_today(Group.objects.filter(pk=sun.pk), dt.date(2026, 3, 10))
        assert after[0].complete and after[0].not_marked == 0


class TestDuplicates:
    def test_c03_a_second_save_updates_the_one_mark(self, world):
        actor = educator(world, dt.date(2026, 4, 10))
        sun, a = world.a.groups["sun"], world.a.children["c1"]
        attendance_mark_group_day(actor=actor, group=sun, day=MON_6_APR, marks={a.pk: (True, None)})
        attendance_mark_group_day(actor=actor, group=sun, day=MON_6_APR, marks={a.pk: (False, "Б")})
        marks = AttendanceMark.objects.filter(child=a, on=MON_6_APR)
        assert marks.count() == 1
        mark = marks.get()
        assert (mark.present, mark.reason.code) == (False, "Б")
        days = child_days(world.a.org, dt.date(2026, 4, 1), dt.date(2026, 4, 30))[a.pk]
        assert MON_6_APR not in days.present and days.absent[MON_6_APR] == ("Б", True)

    def test_the_database_refuses_a_second_row_for_the_same_child_and_day(self, world):
        from django.db import IntegrityError, transaction

        sun, a = world.a.groups["sun"], world.a.children["c1"]
        AttendanceMark.objects.create(
            organization=world.a.org, child=a, group=sun, on=MON_6_APR, present=True
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            AttendanceMark.objects.create(
                organization=world.a.org, child=a, group=sun, on=MON_6_APR, present=False
            )

    def test_saving_the_same_marks_again_changes_nothing_and_writes_no_audit(self, world):
        actor = educator(world, dt.date(2026, 4, 10))
        sun = world.a.groups["sun"]
        attendance_mark_group_day(actor=actor, group=sun, day=MON_6_APR, all_present=True)
        before = AuditRecord.objects.count()
        result = attendance_mark_group_day(actor=actor, group=sun, day=MON_6_APR, all_present=True)
        assert (result.changed, AuditRecord.objects.count()) == (0, before)

    def test_every_change_is_audited_with_old_and_new_value(self, world):
        actor = educator(world, dt.date(2026, 4, 10))
        sun, a = world.a.groups["sun"], world.a.children["c1"]
        attendance_mark_group_day(actor=actor, group=sun, day=MON_6_APR, marks={a.pk: (True, None)})
        attendance_mark_group_day(actor=actor, group=sun, day=MON_6_APR, marks={a.pk: (False, "О")})
        records = AuditRecord.objects.filter(
            kind="attendance.attendancemark", object_id=f"{a.pk}:2026-04-06"
        ).order_by("id")
        assert [r.changes["отметка"] for r in records] == [
            [None, "был"],
            ["был", "отсутствовал (О)"],
        ]
        assert {r.actor_id for r in records} == {world.a.users["educator"].pk}


class TestEnrollment:
    def test_c07_days_before_enrollment_are_not_absences(self, world):
        from detsad.attendance.sheet import OUT, month_sheet

        sun = Group.objects.select_related("organization").get(pk=world.a.groups["sun"].pk)
        child = enroll(world.a, new_child(world.a, last="Аверин"), sun, dt.date(2026, 3, 16))
        actor = educator(world, dt.date(2026, 3, 31))
        with pytest.raises(ValidationError, match="не числится в группе"):
            attendance_mark_group_day(
                actor=actor, group=sun, day=dt.date(2026, 3, 13), marks={child.pk: (False, None)}
            )
        days = working_days(world.a.org, 2026, 3)
        for day in days:
            attendance_mark_group_day(actor=actor, group=sun, day=day, all_present=True)
        sheet = month_sheet(sun, dt.date(2026, 3, 1), today=actor.today, use_registry=False)
        row = next(r for r in sheet.rows if r.child == child)
        assert [c.kind for c in row.cells[:15]] == [OUT] * 15  # 1–15 March: not enrolled
        assert (row.present, row.absent, row.absent_valid, row.payable) == (12, 0, 0, 12)
        assert sheet.working_days == 21
        marks = AttendanceMark.objects.filter(child=child)
        assert marks.count() == 12 and min(marks.values_list("on", flat=True)) == dt.date(
            2026, 3, 16
        )

    def test_no_mark_after_withdrawal(self, world):
        c2 = world.a.children["c2"]
        withdraw(world.a, c2, dt.date(2026, 4, 3))
        actor = educator(world, dt.date(2026, 4, 10))
        with pytest.raises(ValidationError, match="Петрова Мария Сергеевна: не числится"):
            attendance_mark_group_day(
                actor=actor, group=world.a.groups["sun"], day=MON_6_APR, marks={c2.pk: (True, None)}
            )
        result = attendance_mark_group_day(
            actor=actor, group=world.a.groups["sun"], day=MON_6_APR, all_present=True
        )
        assert result.created == 1  # only c1 is left in «Солнышко»

    def test_c17_the_old_group_cannot_mark_a_transferred_child(self, world):
        sun, rainbow = world.a.groups["sun"], world.a.groups["rainbow"]
        g = world.a.children["c1"]
        transfer(world.a, g, rainbow, dt.date(2026, 2, 2))
        actor = educator(world, dt.date(2026, 2, 10))
        with pytest.raises(ValidationError, match="не числится в группе «Солнышко» на 03.02.2026"):
            attendance_mark_group_day(
                actor=actor, group=sun, day=dt.date(2026, 2, 3), marks={g.pk: (True, None)}
            )
        assert g.pk not in {
            r.child_id for r in day_roster(sun, dt.date(2026, 2, 3), today=actor.today).rows
        }
        assert g.pk in {
            r.child_id for r in day_roster(rainbow, dt.date(2026, 2, 3), today=actor.today).rows
        }
        assert g.pk in {
            r.child_id for r in day_roster(sun, dt.date(2026, 1, 30), today=actor.today).rows
        }
        assert not AttendanceMark.objects.filter(child=g).exists()

    def test_an_educator_cannot_mark_another_group(self, world):
        from django.http import Http404

        actor = educator(world, dt.date(2026, 4, 10))
        with pytest.raises(Http404):
            attendance_mark_group_day(
                actor=actor, group=world.a.groups["rainbow"], day=MON_6_APR, all_present=True
            )
        with pytest.raises(Http404):
            attendance_mark_group_day(
                actor=actor, group=world.b.groups["sun"], day=MON_6_APR, all_present=True
            )

    def test_head_and_parent_cannot_write(self, world):
        for role in ("head", "parent", "hr"):
            actor = at_today(world.a.actor(role), dt.date(2026, 4, 10))
            with pytest.raises(PermissionDenied):
                attendance_mark_group_day(
                    actor=actor, group=world.a.groups["sun"], day=MON_6_APR, all_present=True
                )


class TestClosedMonth:
    def test_a_closed_month_takes_only_the_coordinators_corrections_with_a_reason(self, world):
        sun, a = world.a.groups["sun"], world.a.children["c1"]
        edu, coord = educator(world, dt.date(2026, 5, 5)), coordinator(world, dt.date(2026, 5, 5))
        attendance_mark_group_day(actor=edu, group=sun, day=MON_6_APR, all_present=True)
        attendance_month_close(
            actor=coord, organization=world.a.org, month=dt.date(2026, 4, 1), confirm=True
        )
        with pytest.raises(PermissionDenied, match="месяц закрыт"):
            attendance_mark_group_day(
                actor=edu, group=sun, day=MON_6_APR, marks={a.pk: (False, "Б")}
            )
        with pytest.raises(ValidationError, match="укажите причину исправления"):
            attendance_mark_group_day(
                actor=coord, group=sun, day=MON_6_APR, marks={a.pk: (False, "Б")}
            )
        result = attendance_mark_group_day(
            actor=coord,
            group=sun,
            day=MON_6_APR,
            marks={a.pk: (False, "Б")},
            correction_reason="справка из поликлиники",
        )
        assert result.correction and result.updated == 1
        mark = AttendanceMark.objects.get(child=a, on=MON_6_APR)
        assert mark.source == AttendanceMark.Source.CORRECTION
        record = AuditRecord.objects.filter(object_id=f"{a.pk}:2026-04-06").latest("id")
        assert record.note == "исправление: справка из поликлиники"
        assert record.changes["отметка"] == ["был", "отсутствовал (Б)"]

    def test_reopened_month_is_editable_again_and_the_reason_is_kept(self, world):
        sun = world.a.groups["sun"]
        coord = coordinator(world, dt.date(2026, 5, 5))
        attendance_month_close(
            actor=coord, organization=world.a.org, month=dt.date(2026, 4, 1), confirm=True
        )
        with pytest.raises(ValidationError, match="причину"):
            attendance_month_reopen(
                actor=coord, organization=world.a.org, month=dt.date(2026, 4, 1), reason=" "
            )
        closing = attendance_month_reopen(
            actor=coord,
            organization=world.a.org,
            month=dt.date(2026, 4, 1),
            reason="ошибка в табеле",
        )
        assert not closing.is_closed and closing.reopen_reason == "ошибка в табеле"
        attendance_mark_group_day(
            actor=educator(world, dt.date(2026, 5, 5)), group=sun, day=MON_6_APR, all_present=True
        )
        closing = attendance_month_close(
            actor=coord, organization=world.a.org, month=dt.date(2026, 4, 1), confirm=True
        )
        assert closing.is_closed

    def test_closing_warns_about_unmarked_days_until_confirmed(self, world):
        from detsad.attendance.services import ClosingWarning

        coord = coordinator(world, dt.date(2026, 5, 5))
        with pytest.raises(ClosingWarning, match="не отмечено детодней: 66"):
            attendance_month_close(actor=coord, organization=world.a.org, month=dt.date(2026, 4, 1))

    def test_only_the_coordinator_closes_a_month(self, world):
        for role in ("educator", "head"):
            actor = at_today(world.a.actor(role), dt.date(2026, 5, 5))
            with pytest.raises(PermissionDenied):
                attendance_month_close(
                    actor=actor, organization=world.a.org, month=dt.date(2026, 4, 1), confirm=True
                )

    def test_c16_closed_academic_year_refuses_the_educator_and_audits_the_correction(self, world):
        sun, child = world.a.groups["sun"], world.a.children["c1"]
        edu = educator(world, dt.date(2026, 5, 20))
        attendance_mark_group_day(
            actor=edu, group=sun, day=dt.date(2026, 5, 15), marks={child.pk: (True, None)}
        )
        withdraw(world.a, child, dt.date(2026, 5, 29))
        AcademicYear.objects.filter(organization=world.a.org, start=dt.date(2025, 9, 1)).update(
            state=AcademicYear.State.CLOSED
        )
        edu = educator(world, dt.date(2026, 10, 1))
        with pytest.raises(PermissionDenied, match="учебный год закрыт"):
            attendance_mark_group_day(
                actor=edu, group=sun, day=dt.date(2026, 5, 15), marks={child.pk: (False, "Б")}
            )
        assert AttendanceMark.objects.get(child=child).present is True
        coord = coordinator(world, dt.date(2026, 10, 1))
        attendance_mark_group_day(
            actor=coord,
            group=sun,
            day=dt.date(2026, 5, 15),
            marks={child.pk: (False, "Б")},
            correction_reason="справка о болезни принесена после закрытия года",
        )
        record = AuditRecord.objects.filter(object_id=f"{child.pk}:2026-05-15").latest("id")
        assert record.changes["отметка"] == ["был", "отсутствовал (Б)"]
        assert record.actor == world.a.users["coordinator"]


class TestReasons:
    def test_absence_without_a_reason_gets_the_invalid_reason(self, world):
        actor = educator(world, dt.date(2026, 4, 10))
        a = world.a.children["c1"]
        attendance_mark_group_day(
            actor=actor, group=world.a.groups["sun"], day=MON_6_APR, marks={a.pk: (False, None)}
        )
        mark = AttendanceMark.objects.get(child=a)
        assert (mark.reason.code, mark.reason.is_valid) == ("Н", False)

    def test_unknown_reason_is_refused_naming_the_child(self, world):
        actor = educator(world, dt.date(2026, 4, 10))
        a = world.a.children["c1"]
        with pytest.raises(ValidationError, match="Иванов Иван Иванович: неизвестная причина"):
            attendance_mark_group_day(
                actor=actor, group=world.a.groups["sun"], day=MON_6_APR, marks={a.pk: (False, "Ж")}
            )
