"""A hand-worked timesheet: «Солнышко», March 2026 (21 working days; 9 March a day off).

Marks entered through the journal (values worked out by hand):

| child | enrolled | absences | present | missed | valid | payable |
| --- | --- | --- | --- | --- | --- | --- |
| Аверин Олег | from 16.03 | С on 30, 31 | 10 | 2 | 2 | 10 |
| Иванов Иван | all month | Б on 10, 11, 12; Н on 20 | 17 | 4 | 3 | 17 |
| Петрова Мария | all month | О on 2–6 (parent's notice) | 16 | 5 | 5 | 16 |
| total | | | 43 | 11 | 10 | 43 |

Per day: 2 March — present 1, absent 1; 16 March — present 3, absent 0; 20 March — present
2, absent 1; 30 March — present 2, absent 1. The screen grid, the XLSX and the PDF must all
show these numbers.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from detsad.attendance.models import AbsenceReason
from detsad.attendance.services import absence_notice_create, attendance_mark_group_day
from detsad.attendance.sheet import month_sheet
from detsad.attendance.timesheet import timesheet_xlsx, timesheets_pdf, timesheets_zip
from detsad.core.calendar import working_days
from detsad.core.models import Group

from .helpers import at_today, enroll, new_child

MARCH = dt.date(2026, 3, 1)


def d(day):
    return dt.date(2026, 3, day)


@pytest.fixture
def march(world):
    sun = Group.objects.select_related("organization").get(pk=world.a.groups["sun"].pk)
    averin = enroll(world.a, new_child(world.a, last="Аверин", first="Олег"), sun, d(16))
    c1, c2 = world.a.children["c1"], world.a.children["c2"]
    coordinator = at_today(world.a.actor("coordinator"), dt.date(2026, 3, 1))
    absence_notice_create(
        actor=coordinator,
        child=c2,
        start=d(2),
        end=d(6),
        reason=AbsenceReason.objects.get(municipality=world.municipality, code="О"),
    )
    educator = at_today(world.a.actor("educator"), dt.date(2026, 4, 2))
    special = {
        d(10): {c1.pk: (False, "Б")},
        d(11): {c1.pk: (False, "Б")},
        d(12): {c1.pk: (False, "Б")},
        d(20): {c1.pk: (False, None)},
        d(30): {averin.pk: (False, "С")},
        d(31): {averin.pk: (False, "С")},
    }
    for day in working_days(world.a.org, 2026, 3):
        attendance_mark_group_day(
            actor=educator, group=sun, day=day, marks=special.get(day, {}), all_present=True
        )
    sheet = month_sheet(
        sun,
        MARCH,
        today=dt.date(2026, 4, 2),
        rate_provider=lambda group, month, children: {c.pk: "125,00" for c in children},
        use_registry=False,
    )
    return sheet, {"averin": averin, "c1": c1, "c2": c2}


EXPECTED = {  # name: (present, missed, valid, payable, reasons)
    "Аверин Олег": (10, 2, 2, 10, "С — 2"),
    "Иванов Иван": (17, 4, 3, 17, "Б — 3, Н — 1"),
    "Петрова Мария": (16, 5, 5, 16, "О — 5"),
}


def test_the_month_grid_matches_the_hand_count(march):
    sheet, kids = march
    assert sheet.working_days == 21
    got = {
        f"{r.child.last_name} {r.child.first_name}": (
            r.present,
            r.absent,
            r.absent_valid,
            r.payable,
            r.reasons_text,
        )
        for r in sheet.rows
    }
    assert got == EXPECTED
    assert [f"{r.child.last_name}" for r in sheet.rows] == ["Аверин", "Иванов", "Петрова"]
    assert sheet.totals == {
        "present": 43,
        "absent": 11,
        "absent_valid": 10,
        "payable": 43,
        "unmarked": 0,
    }
    by_day = dict(zip([x.date.day for x in sheet.days], sheet.day_columns, strict=True))
    assert by_day[2][1:] == (1, 1)
    assert by_day[16][1:] == (3, 0)
    assert by_day[20][1:] == (2, 1)
    assert by_day[30][1:] == (2, 1)
    assert by_day[9][1:] == (0, 0) and not by_day[9][0].working  # 9 March: holiday
    ivanov = sheet.rows[1]
    texts = [c.timesheet_text for c in ivanov.cells]
    assert texts[0] == "В"  # 1 March, Sunday
    assert texts[1] == ""  # attended: blank
    assert texts[8] == "В"  # 9 March, transferred day off
    assert texts[9:12] == ["Б", "Б", "Б"] and texts[19] == "Н"
    averin = sheet.rows[0]
    assert [c.timesheet_text for c in averin.cells[:15]] == ["—"] * 15  # not yet enrolled
    assert ivanov.rate == "125,00"


def test_the_xlsx_contains_the_hand_count(march):
    sheet, _kids = march
    wb = load_workbook(io.BytesIO(timesheet_xlsx(sheet)))
    ws = wb.active
    cells = {
        (c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None
    }
    values = set(cells.values())
    assert "0504608" in values and "12345678" in values
    assert "Младшая группа «Солнышко»" in values and "Детский сад A" in values
    header_row = next(r for (r, c), v in cells.items() if v == "Фамилия, имя")
    day_row = header_row + 1
    day_col = {v: c for (r, c), v in cells.items() if r == day_row and isinstance(v, int)}
    assert sorted(day_col) == list(range(1, 32))
    last = day_col[31]
    rows = {v: r for (r, c), v in cells.items() if c == 2 and isinstance(v, str) and v in EXPECTED}
    assert set(rows) == set(EXPECTED)
    for name, (_present, missed, valid, payable, reasons) in EXPECTED.items():
        r = rows[name]
        assert (cells.get((r, last + 1)), cells.get((r, last + 2))) == (missed, valid)
        assert (cells.get((r, last + 3)), cells.get((r, last + 4))) == (reasons, payable)
    r = rows["Иванов Иван"]
    assert [cells.get((r, day_col[k])) for k in (1, 2, 9, 10, 20)] == ["В", None, "В", "Б", "Н"]
    assert cells[(r, 4)] == "125,00"
    absent_row = next(r for (r, c), v in cells.items() if v == "Отсутствует детей")
    present_row = next(r for (r, c), v in cells.items() if v == "Присутствует детей")
    assert [cells.get((absent_row, day_col[k])) for k in (2, 16, 20, 30)] == [1, 0, 1, 1]
    assert [cells.get((present_row, day_col[k])) for k in (2, 16, 20, 30)] == [1, 3, 2, 2]
    assert (cells[(absent_row, last + 1)], cells[(absent_row, last + 2)]) == (11, 10)
    assert cells[(present_row, last + 4)] == 43


def test_the_pdf_contains_the_hand_count(march):
    from pypdf import PdfReader

    sheet, _kids = march
    pdf = timesheets_pdf([sheet])
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    text = " ".join(p.extract_text() for p in reader.pages)
    for fragment in (
        "0504608",
        "ТАБЕЛЬ",
        "учета посещаемости детей",
        "март 2026",
        "Младшая группа «Солнышко»",
        "Аверин Олег",
        "Иванов Иван",
        "Петрова Мария",
        "Б — 3, Н — 1",
        "О — 5",
        "С — 2",
        "Отсутствует детей",
        "Присутствует детей",
        "Руководитель",
        "Ответственный исполнитель",
        "Рабочих дней в месяце: 21",
    ):
        assert fragment in text, fragment
    tokens = text.split()
    assert "43" in tokens and "11" in tokens and "10" in tokens


def test_batch_zip_has_one_xlsx_per_group(world, march):
    sheet, _ = march
    rainbow = Group.objects.select_related("organization").get(pk=world.a.groups["rainbow"].pk)
    other = month_sheet(rainbow, MARCH, today=dt.date(2026, 4, 2), use_registry=False)
    archive = zipfile.ZipFile(io.BytesIO(timesheets_zip([sheet, other])))
    assert sorted(archive.namelist()) == [
        "Табель 0504608 Радуга 2026-03.xlsx",
        "Табель 0504608 Солнышко 2026-03.xlsx",
    ]


def test_the_timesheet_downloads(world, as_role, march):
    from django.urls import reverse

    client = as_role("coordinator")
    kwargs = {"group_pk": world.a.groups["sun"].pk, "month": "2026-03"}
    pdf = client.get(reverse("attendance:timesheet_pdf", kwargs=kwargs))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("attendance:timesheet_xlsx", kwargs=kwargs))
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    batch = client.get(
        reverse("attendance:timesheets_batch"), {"month": "2026-03", "format": "xlsx"}
    )
    assert batch.status_code == 200 and batch.content.startswith(b"PK")
    assert (
        as_role("parent").get(reverse("attendance:timesheet_pdf", kwargs=kwargs)).status_code == 404
    )


def test_the_reports_agree_with_the_grid_and_the_files(world, as_role, march):
    """The attendance report (screen data and XLSX read back) and the illness report give
    the same March numbers as the grid, the timesheet XLSX and the hand count above."""
    from detsad.attendance import reports

    sheet, _kids = march
    coordinator = at_today(world.a.actor("coordinator"), dt.date(2026, 4, 2))
    data = reports.attendance_summary(coordinator, MARCH, d(31))
    sun = {r.label: r for r in data.rows}["Солнышко"]
    assert (sun.present, sun.absent) == (sheet.totals["present"], sheet.totals["absent"])
    assert (sun.present, sun.absent) == (43, 11)
    assert sun.by_reason == {"Б": 3, "Н": 1, "О": 5, "С": 2}
    valid = sum(n for code, n in sun.by_reason.items() if code != "Н")
    assert valid == sheet.totals["absent_valid"] == 10
    assert sun.attendance_pct == Decimal("79.6")  # 43 / (43 + 11)

    client = as_role("coordinator")
    period = {"start": "2026-03-01", "end": "2026-03-31", "format": "xlsx"}
    ws = load_workbook(
        io.BytesIO(client.get(reverse("attendance:report_summary"), period).content)
    ).active
    table = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    header, by_label = table[0], {row[0]: row for row in table[1:]}
    line = dict(zip(header, by_label["Солнышко"], strict=True))
    assert (line["Детодней присутствия"], line["Детодней пропущено"]) == (43, 11)
    assert (line["в т.ч. «Б»"], line["в т.ч. «О»"], line["в т.ч. «С»"], line["в т.ч. «Н»"]) == (
        3,
        5,
        2,
        1,
    )
    assert line["Рабочих дней"] == sheet.working_days == 21

    ws = load_workbook(
        io.BytesIO(client.get(reverse("attendance:report_illness"), period).content)
    ).active
    ill = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    ivanov = next(row for row in ill if row and str(row[0]).startswith("Иванов Иван"))
    assert 3 in ivanov  # the three «Б» days of the grid
