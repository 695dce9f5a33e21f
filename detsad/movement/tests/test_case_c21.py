"""Case C21 (shared/cases/CASES.md): dates in local formats, a blank row, a duplicate of an
existing child and an impossible date — a per-row report, and either nothing or only the
valid rows committed, as the user chose before the run."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from detsad.core.models import AuditRecord
from detsad.movement.children_import import EXISTS, ImportOptions, children_import
from detsad.people.models import Child

from .import_support import TODAY

HEADER = ["Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "Свидетельство о рождении"]
ROWS = [
    ["Орлов", "Олег", "Петрович", "05.03.2021", "М", "II-АГ 500001"],  # (1) sheet row 2
    ["Орлова", "Ольга", "Петровна", "2021-03-05", "Ж", "II-АГ 500002"],  # (2) row 3
    ["Павлов", "Павел", "Ильич", "3/5/2021", "М", "II-АГ 500003"],  # (3) row 4
    [None, None, None, None, None, None],  # (4) row 5, blank
    ["Иванов", "Иван", "Иванович", "05.03.2022", "М", "I-АГ a00001"],  # (5) row 6 = world c1
    ["Сидорова", "Анна", "Ивановна", "31.02.2021", "Ж", "II-АГ 500006"],  # (6) row 7
]


def c21_file() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    for row in ROWS:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(world, valid_only: bool):
    actor = world.a.actor("coordinator")
    actor.today = TODAY
    return children_import(
        actor=actor,
        organization=world.a.org,
        content=c21_file(),
        filename="c21.xlsx",
        options=ImportOptions(initial_data=True, valid_only=valid_only),
    )


def test_per_row_report_and_nothing_written_by_default(world):
    children = Child.objects.filter(organization=world.a.org).count()
    audit = AuditRecord.objects.count()

    report = run(world, valid_only=False)

    assert [str(f) for f in report.faults] == [
        "строка 4, столбец «Дата рождения»: дата «3/5/2021» неоднозначна (3 мая или 5 марта?): "
        "запишите её как ДД.ММ.ГГГГ",
        "строка 7, столбец «Дата рождения»: такой даты нет: «31.02.2021»",
    ]
    by_row = {r.row: r for r in report.results}
    assert sorted(by_row) == [2, 3, 4, 6, 7] and report.parsed.empty_rows == [5]
    assert by_row[2].source.child["birth_date"] == dt.date(2021, 3, 5)
    assert by_row[3].source.child["birth_date"] == dt.date(2021, 3, 5)
    assert by_row[6].status == EXISTS and by_row[6].child == world.a.children["c1"]
    assert "уже есть: Иванов Иван Иванович" in by_row[6].note
    assert not report.committed
    assert Child.objects.filter(organization=world.a.org).count() == children
    assert AuditRecord.objects.count() == audit


def test_only_valid_rows_when_chosen(world):
    report = run(world, valid_only=True)

    assert report.committed
    created = Child.objects.filter(organization=world.a.org, last_name__in=["Орлов", "Орлова"])
    assert sorted(created.values_list("birth_date", flat=True)) == [dt.date(2021, 3, 5)] * 2
    assert not Child.objects.filter(last_name__in=["Павлов", "Сидорова"]).exists()
    assert Child.objects.filter(organization=world.a.org, last_name="Иванов").count() == 1


@pytest.mark.parametrize("valid_only", [False, True])
def test_never_half_finished(world, valid_only):
    """A row failing at write time (its account taken) leaves no trace of that row."""
    report = run(world, valid_only)
    written = {r.row for r in report.new} if report.committed else set()
    names = set(Child.objects.filter(organization=world.a.org).values_list("last_name", flat=True))
    assert ({"Орлов", "Орлова"} <= names) == (written == {2, 3})
