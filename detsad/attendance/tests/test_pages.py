"""Pages of the journal through the test client: the phone page of a group-day (htmx),
the month grid and its cell editor, bounded query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from detsad.attendance.models import AttendanceMark

from .helpers import enroll, new_child

DAY = dt.date(2026, 4, 6)


def day_url(group, day=DAY):
    return reverse("attendance:group_day", kwargs={"group_pk": group.pk, "day": day})


def month_url(group, month="2026-04"):
    return reverse("attendance:group_month", kwargs={"group_pk": group.pk, "month": month})


def add_children(world, n, group_key="sun"):
    group = world.a.groups[group_key]
    for i in range(n):
        enroll(world.a, new_child(world.a, first=f"Ребёнок{i:02d}"), group, dt.date(2026, 1, 12))


class TestGroupDay:
    def test_the_educator_sees_the_children_of_the_day(self, world, as_role, april_10):
        response = as_role("educator").get(day_url(world.a.groups["sun"]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Иванов Иван" in html and "Петрова Мария" in html and "Сидоров" not in html
        assert f'name="m_{world.a.children["c1"].pk}"' in html

    def test_one_htmx_post_saves_the_day_with_one_absence(self, world, as_role, april_10):
        c1, c2 = world.a.children["c1"], world.a.children["c2"]
        response = as_role("educator").post(
            day_url(world.a.groups["sun"]),
            {f"m_{c1.pk}": "absent", f"r_{c1.pk}": "Б", "all_present": "1"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert 'id="day-form"' in response.content.decode()
        assert "Сохранено" in response.content.decode()
        marks = {m.child_id: m for m in AttendanceMark.objects.filter(on=DAY)}
        assert (marks[c1.pk].present, marks[c1.pk].reason.code) == (False, "Б")
        assert marks[c2.pk].present is True

    def test_without_htmx_the_post_redirects_back(self, world, as_role, april_10):
        response = as_role("educator").post(day_url(world.a.groups["sun"]), {"all_present": "1"})
        assert response.status_code == 302 and response["Location"] == day_url(
            world.a.groups["sun"]
        )

    def test_errors_are_shown_in_russian(self, world, as_role, april_10):
        response = as_role("educator").post(
            day_url(world.a.groups["sun"], dt.date(2026, 4, 13)),
            {"all_present": "1"},
            HTTP_HX_REQUEST="true",
        )
        assert "ещё не наступило" in response.content.decode()

    def test_a_non_working_day_offers_the_last_working_day(self, world, as_role, april_10):
        response = as_role("educator").get(day_url(world.a.groups["sun"], dt.date(2026, 4, 5)))
        html = response.content.decode()
        assert "нерабочий день" in html and "10.04.2026" in html

    def test_the_head_reads_but_cannot_save(self, world, as_role, april_10):
        client = as_role("head")
        assert client.get(day_url(world.a.groups["sun"])).status_code == 200
        assert client.post(day_url(world.a.groups["sun"]), {"all_present": "1"}).status_code == 403
        assert not AttendanceMark.objects.exists()

    def test_parent_and_department_get_404(self, world, as_role, april_10):
        assert as_role("parent").get(day_url(world.a.groups["sun"])).status_code == 404
        assert as_role("dept_officer").get(day_url(world.a.groups["sun"])).status_code == 404

    @pytest.mark.parametrize("extra", [0, 25])
    def test_saving_a_group_day_takes_the_same_queries_for_any_group_size(
        self, world, as_role, april_10, extra, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from detsad.attendance.services import attendance_mark_group_day

        from .helpers import at_today

        add_children(world, extra)
        actor = at_today(world.a.actor("educator"), april_10)
        with CaptureQueriesContext(connection) as ctx:
            result = attendance_mark_group_day(
                actor=actor, group=world.a.groups["sun"], day=DAY, all_present=True
            )
        assert result.created == 2 + extra
        statements = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
        assert len(statements) <= 8, statements
        client = as_role("educator")
        data = {
            f"m_{c}": "present" for c in AttendanceMark.objects.values_list("child_id", flat=True)
        }
        data[f"m_{world.a.children['c1'].pk}"] = "absent"
        with django_assert_max_num_queries(25):
            response = client.post(day_url(world.a.groups["sun"]), data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200


class TestMonthGrid:
    @pytest.mark.parametrize("extra", [0, 25])
    def test_the_month_grid_takes_the_same_queries_for_any_group_size(
        self, world, as_role, april_10, extra, django_assert_max_num_queries
    ):
        add_children(world, extra)
        client = as_role("coordinator")
        client.post(day_url(world.a.groups["sun"]), {"all_present": "1"})
        # 16 for the grid + the fee columns (rate, days to pay) loaded once by fees.timesheet
        with django_assert_max_num_queries(24):
            response = client.get(month_url(world.a.groups["sun"]))
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="grid-row"') == 2 + extra

    def test_the_cell_editor_saves_one_mark_and_returns_the_row(self, world, as_role, april_10):
        c1 = world.a.children["c1"]
        client = as_role("educator")
        url = reverse(
            "attendance:month_cell",
            kwargs={"group_pk": world.a.groups["sun"].pk, "month": "2026-04"},
        )
        form = client.get(url, {"child": c1.pk, "day": "2026-04-07"}, HTTP_HX_REQUEST="true")
        assert form.status_code == 200 and "Иванов Иван" in form.content.decode()
        response = client.post(
            url,
            {"child": c1.pk, "day": "2026-04-07", "state": "absent", "reason": "О"},
            HTTP_HX_REQUEST="true",
        )
        html = response.content.decode()
        assert "Сохранено" in html and f'id="row-{c1.pk}"' in html and "hx-swap-oob" in html
        mark = AttendanceMark.objects.get(child=c1, on=dt.date(2026, 4, 7))
        assert (mark.present, mark.reason.code) == (False, "О")

    def test_the_cell_editor_without_a_state_saves_nothing(self, world, as_role, april_10):
        """An empty cell saved without choosing «был»/«отсутствовал» (or a garbage state)
        used to become an absence «Н»; now it is refused with a message."""
        c1 = world.a.children["c1"]
        url = reverse(
            "attendance:month_cell",
            kwargs={"group_pk": world.a.groups["sun"].pk, "month": "2026-04"},
        )
        client = as_role("educator")
        for extra in ({}, {"state": "garbage"}, {"state": ""}):
            response = client.post(
                url, {"child": c1.pk, "day": "2026-04-07", **extra}, HTTP_HX_REQUEST="true"
            )
            assert response.status_code == 200
            assert "выберите «был» или «отсутствовал»" in response.content.decode()
        assert not AttendanceMark.objects.exists()

    def test_the_cell_editor_refuses_another_groups_child(self, world, as_role, april_10):
        url = reverse(
            "attendance:month_cell",
            kwargs={"group_pk": world.a.groups["sun"].pk, "month": "2026-04"},
        )
        response = as_role("educator").post(
            url, {"child": world.a.children["c3"].pk, "day": "2026-04-07", "state": "present"}
        )
        assert response.status_code == 404
        assert not AttendanceMark.objects.exists()


class TestTodayAndDashboard:
    def test_the_dashboard_opens_the_group_in_one_click(self, world, as_role, april_10):
        html = as_role("educator").get("/").content.decode()
        assert "Мои группы сегодня" in html
        assert (
            reverse("attendance:group_today", kwargs={"group_pk": world.a.groups["sun"].pk}) in html
        )

    def test_the_coordinator_sees_groups_not_marked_today(self, world, as_role, april_10):
        client = as_role("coordinator")
        html = client.get("/").content.decode()
        assert 'data-testid="not-marked-widget"' in html and "Солнышко" in html
        as_role("coordinator").post(day_url(world.a.groups["sun"], april_10), {"all_present": "1"})
        html = client.get(reverse("attendance:today")).content.decode()
        assert "Не отмечены сегодня" in html
        not_marked = html.split('data-testid="groups-not-marked"')[1].split("</div>")[0]
        assert "Радуга" in not_marked and "Солнышко" not in not_marked

    def test_an_educator_of_one_group_goes_straight_to_it(self, world, as_role, april_10):
        response = as_role("educator").get(reverse("attendance:today"))
        assert response.status_code == 302
        assert response["Location"].endswith(f"/groups/{world.a.groups['sun'].pk}/")


class TestMonthPage:
    def test_the_coordinator_closes_and_reopens_a_month(self, world, as_role, april_10):
        from detsad.core.models import MonthClosing

        client = as_role("coordinator")
        page = client.get(reverse("attendance:months"), {"month": "2026-03"}).content.decode()
        assert "Солнышко" in page and "Закрыть месяц" in page
        response = client.post(reverse("attendance:month_close"), {"month": "2026-03"})
        assert response.status_code == 302
        warning = client.get(response["Location"]).content.decode()
        assert "не отмечено детодней: 63" in warning  # 3 children × 21 working days
        client.post(reverse("attendance:month_close"), {"month": "2026-03", "confirm": "1"})
        closing = MonthClosing.objects.get(organization=world.a.org, month=dt.date(2026, 3, 1))
        assert closing.is_closed and closing.closed_by == world.a.users["coordinator"]
        client.post(reverse("attendance:month_reopen"), {"month": "2026-03", "reason": "ошибка"})
        closing.refresh_from_db()
        assert not closing.is_closed and closing.reopen_reason == "ошибка"

    def test_a_garbage_month_closes_nothing(self, world, as_role, april_10):
        """A close/reopen POST with a month like 2026-13 used to fall back to the current
        month (April) and close it."""
        from detsad.core.models import MonthClosing

        client = as_role("coordinator")
        for month in ("2026-13", "", "abc", "0001-01"):
            response = client.post(
                reverse("attendance:month_close"), {"month": month, "confirm": "1"}, follow=True
            )
            assert "укажите месяц в виде ГГГГ-ММ" in response.content.decode()
        assert not MonthClosing.objects.exists()
        client.post(reverse("attendance:month_close"), {"month": "2026-03", "confirm": "1"})
        response = client.post(
            reverse("attendance:month_reopen"),
            {"month": "2026-3x", "reason": "ошибка"},
            follow=True,
        )
        assert "укажите месяц в виде ГГГГ-ММ" in response.content.decode()
        assert MonthClosing.objects.get().is_closed

    def test_the_educator_cannot_close(self, world, as_role, april_10):
        from detsad.core.models import MonthClosing

        client = as_role("educator")
        assert client.get(reverse("attendance:months")).status_code == 200
        client.post(reverse("attendance:month_close"), {"month": "2026-03", "confirm": "1"})
        assert not MonthClosing.objects.exists()
