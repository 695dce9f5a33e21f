"""Attendance reports on a hand-worked March 2026 of kindergarten A (21 working days).

Marks: «Солнышко» — Иванов: Б on 10–12, Н on 20, otherwise present (17 present);
Петрова: present every day (21); Малышева (born 20.03.2023, 3 years old from 20.03):
present every day (21, of them 8 at 3 years and older). «Радуга» — Сидоров: Н on 2–5,
Б on 16, otherwise present (16).

By hand: «Солнышко» present 59, absent 4 (Б 3, Н 1), average 59 ÷ 21 = 2.8, 59 ÷ 63 =
93.7 %; «Радуга» present 16, absent 5 (Н 4, Б 1), 16 ÷ 21 = 0.8, 16 ÷ 21 = 76.2 %; total
present 75, absent 9, 75 ÷ 21 = 3.6, 75 ÷ 84 = 89.3 %.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from detsad.attendance import reports
from detsad.attendance.services import attendance_mark_group_day
from detsad.core.calendar import working_days

from .helpers import at_today, enroll, new_child

TODAY = dt.date(2026, 4, 2)
START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)


def d(day):
    return dt.date(2026, 3, day)


@pytest.fixture
def march(world):
    sun, rainbow = world.a.groups["sun"], world.a.groups["rainbow"]
    small = enroll(
        world.a,
        new_child(world.a, last="Малышева", first="Ася", birth=dt.date(2023, 3, 20)),
        sun,
        dt.date(2026, 1, 12),
    )
    c1, c3 = world.a.children["c1"], world.a.children["c3"]
    coord = at_today(world.a.actor("coordinator"), TODAY)
    sun_special = {d(k): {c1.pk: (False, "Б")} for k in (10, 11, 12)}
    sun_special[d(20)] = {c1.pk: (False, "Н")}
    rainbow_special = {d(k): {c3.pk: (False, None)} for k in (2, 3, 4, 5)}
    rainbow_special[d(16)] = {c3.pk: (False, "Б")}
    for day in working_days(world.a.org, 2026, 3):
        attendance_mark_group_day(
            actor=coord, group=sun, day=day, marks=sun_special.get(day, {}), all_present=True
        )
        attendance_mark_group_day(
            actor=coord,
            group=rainbow,
            day=day,
            marks=rainbow_special.get(day, {}),
            all_present=True,
        )
    return small


def test_summary_by_group(world, march):
    data = reports.attendance_summary(at_today(world.a.actor("head"), TODAY), START, END)
    rows = {r.label: r for r in data.rows}
    sun, rainbow = rows["Солнышко"], rows["Радуга"]
    assert (sun.present, sun.absent, sun.by_reason) == (59, 4, {"Б": 3, "Н": 1})
    assert (sun.working_days, sun.average_daily, sun.attendance_pct) == (
        21,
        Decimal("2.8"),
        Decimal("93.7"),
    )
    assert (rainbow.present, rainbow.absent, rainbow.by_reason) == (16, 5, {"Н": 4, "Б": 1})
    assert (rainbow.average_daily, rainbow.attendance_pct) == (Decimal("0.8"), Decimal("76.2"))
    t = data.total
    assert (t.present, t.absent, t.average_daily, t.attendance_pct) == (
        75,
        9,
        Decimal("3.6"),
        Decimal("89.3"),
    )
    assert data.codes == ["Б", "Н"]


def test_the_educator_sees_only_the_own_group(world, march):
    data = reports.attendance_summary(at_today(world.a.actor("educator"), TODAY), START, END)
    assert [r.label for r in data.rows] == ["Солнышко"]
    assert data.total.present == 59


def test_the_department_sees_kindergartens_as_aggregates(world, march):
    dept = at_today(world.dept_actor("m1"), TODAY)
    data = reports.attendance_summary(dept, START, END)
    rows = {r.label: r for r in data.rows}
    assert set(rows) == {"ДОО A", "ДОО B"}
    assert (rows["ДОО A"].present, rows["ДОО A"].absent) == (75, 9)
    assert rows["ДОО B"].present == 0
    with pytest.raises(PermissionDenied):
        reports.illness_by_child(dept, START, END)
    other = reports.attendance_summary(at_today(world.dept_actor("m2"), TODAY), START, END)
    assert [r.label for r in other.rows] == ["ДОО C"] and other.total.present == 0


def test_illness_per_child(world, march):
    lines = reports.illness_by_child(at_today(world.a.actor("coordinator"), TODAY), START, END)
    assert [(x.child.last_name, x.days, x.cases, x.first, x.last) for x in lines] == [
        ("Иванов", 3, 1, d(10), d(12)),
        ("Сидоров", 1, 1, d(16), d(16)),
    ]


def test_absent_three_days_in_a_row_without_a_reason(world, march):
    actor = at_today(world.a.actor("coordinator"), TODAY)
    lines = reports.absence_streaks(actor, START, END, 3)
    assert [(x.child.last_name, x.days, x.first, x.last, x.group) for x in lines] == [
        ("Сидоров", 4, d(2), d(5), "Радуга")
    ]
    assert reports.absence_streaks(actor, START, END, 5) == []


def test_a_weekend_does_not_break_a_run(world, march):
    coord = at_today(world.a.actor("coordinator"), TODAY)
    c2 = world.a.children["c2"]
    for k in (26, 27, 30):  # Thu, Fri, Mon
        attendance_mark_group_day(
            actor=coord, group=world.a.groups["sun"], day=d(k), marks={c2.pk: (False, "Н")}
        )
    lines = reports.absence_streaks(coord, START, END, 3)
    assert ("Петрова", 3, d(26), d(30)) in [
        (x.child.last_name, x.days, x.first, x.last) for x in lines
    ]


def test_form_85k_attendance(world, march):
    rows, total = reports.form_85k_attendance(at_today(world.a.actor("head"), TODAY), 2026)
    assert len(rows) == 1
    assert [(code, a, b) for code, _t, a, b in rows[0].lines()] == [
        ("01", 75, 62),
        ("02", 9, 9),
        ("03", 4, 4),
        ("04", 5, 5),
        ("05", 57, None),  # 15 + 19 + 21 working days, and 1–2 April
    ]


def test_summary_page_and_xlsx(world, as_role, march, frozen_now, django_assert_max_num_queries):
    frozen_now(dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC))
    client = as_role("coordinator")
    url = reverse("attendance:report_summary")
    with django_assert_max_num_queries(14):
        page = client.get(url, {"start": "2026-03-01", "end": "2026-03-31"})
    html = page.content.decode()
    assert "89.3" in html or "89,3" in html
    xlsx = client.get(url, {"start": "2026-03-01", "end": "2026-03-31", "format": "xlsx"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5)]
    total = next(r for r in rows if r[0] == "Итого")
    assert total[1:3] == [75, 9] and total[-1] == pytest.approx(89.3)
    for name in ("report_illness", "report_streaks", "report_85k", "reports"):
        assert client.get(reverse(f"attendance:{name}")).status_code == 200


def test_reports_are_closed_to_parents_and_hr(world, as_role):
    for role in ("parent", "hr"):
        assert as_role(role).get(reverse("attendance:report_summary")).status_code == 403
