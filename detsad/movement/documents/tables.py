"""The movement book (PDF, XLSX) and the movement reports (XLSX).

Book columns (issue item 4): №, ФИО воспитанника, дата рождения, адрес, родители
(законные представители), дата зачисления, приказ о зачислении, группа, дата отчисления,
приказ об отчислении, причина, куда выбыл.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from detsad.core.documents import render_pdf, workbook_bytes

from ..book import BookRow
from ..summaries import REASON_TITLES, REASONS, OccupancyRow, SummaryRow
from .common import d

BOOK_COLUMNS = [
    ("№", 6),
    ("ФИО воспитанника", 30),
    ("Дата рождения", 12),
    ("Адрес", 32),
    ("Родители (законные представители)", 40),
    ("Дата зачисления", 12),
    ("Приказ о зачислении", 22),
    ("Группа", 26),
    ("Дата отчисления", 12),
    ("Приказ об отчислении", 22),
    ("Причина отчисления", 30),
    ("Куда выбыл", 24),
]

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEAD = Alignment(wrap_text=True, vertical="center", horizontal="center")


def book_values(row: BookRow) -> list:
    """One stay as the book's cells (dates as dates for the spreadsheet)."""
    c = row.child
    w = row.withdraw
    return [
        row.n,
        c.full_name,
        c.birth_date,
        c.address,
        row.parents,
        row.start,
        row.enroll_order,
        row.groups_text,
        w.on if w else None,
        row.withdraw_order,
        row.reason,
        w.destination if w else "",
    ]


def _title(ws, lines: list[str], width: int) -> int:
    for i, text in enumerate(lines, start=1):
        ws.cell(row=i, column=1, value=text).font = Font(bold=i == 1, size=12 if i == 1 else 11)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
    return len(lines) + 2


def _header(ws, row: int, names: list[tuple[str, int]]) -> None:
    for col, (name, width) in enumerate(names, start=1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font = Font(bold=True)
        cell.alignment = HEAD
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def book_xlsx(organization, rows: list[BookRow], start: dt.date, end: dt.date) -> bytes:
    """The book as a spreadsheet: title, header row 4, one row per stay."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Книга движения"
    first = _title(
        ws,
        [
            organization.full_name,
            f"Книга учёта движения воспитанников за период {d(start)} – {d(end)}",
        ],
        len(BOOK_COLUMNS),
    )
    _header(ws, first, BOOK_COLUMNS)
    for i, row in enumerate(rows, start=first + 1):
        for col, value in enumerate(book_values(row), start=1):
            cell = ws.cell(row=i, column=col, value=value)
            cell.alignment = WRAP
            cell.border = BORDER
            if isinstance(value, dt.date):
                cell.number_format = "DD.MM.YYYY"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    return workbook_bytes(wb)


def book_pdf(organization, rows: list[BookRow], start: dt.date, end: dt.date) -> bytes:
    """The book as PDF (A4 landscape, our layout)."""
    return render_pdf(
        "movement/docs/book.html",
        {
            "organization": organization,
            "rows": rows,
            "start": start,
            "end": end,
            "columns": [name for name, _w in BOOK_COLUMNS],
        },
    )


SUMMARY_COLUMNS = [
    ("Группа", 28),
    ("Состояло на начало", 12),
    ("Зачислено", 11),
    ("Переведено из других групп", 13),
    ("Переведено в другие группы", 13),
    *[(f"Отчислено: {REASON_TITLES[r]}", 14) for r in REASONS],
    ("Отчислено всего", 11),
    ("Состоит на конец", 12),
]


def summary_values(r: SummaryRow) -> list:
    return [
        r.label,
        r.at_start,
        r.enrolled,
        r.transferred_in,
        r.transferred_out,
        *r.withdrawn_list,
        r.withdrawn_total,
        r.at_end,
    ]


def summary_xlsx(
    title: str, unit: str, rows: list[SummaryRow], total: SummaryRow, start, end
) -> bytes:
    """The movement summary: one row per group (or organization) and the total."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Движение"
    columns = [(unit, 28), *SUMMARY_COLUMNS[1:]]
    first = _title(ws, [title, f"Движение воспитанников за период {d(start)} – {d(end)}"], 6)
    _header(ws, first, columns)
    for i, r in enumerate([*rows, total], start=first + 1):
        for col, value in enumerate(summary_values(r), start=1):
            cell = ws.cell(row=i, column=col, value=value)
            cell.border = BORDER
            if r is total:
                cell.font = Font(bold=True)
    return workbook_bytes(wb)


def occupancy_xlsx(
    title: str, unit: str, rows: list[OccupancyRow], total: OccupancyRow, on
) -> bytes:
    """Occupancy on a date: places, children, free places, percent."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Наполняемость"
    columns = [(unit, 28), ("Групп", 8), ("Мест", 9), ("Детей", 9), ("Свободно", 10), ("%", 7)]
    first = _title(ws, [title, f"Наполняемость групп на {d(on)}"], len(columns))
    _header(ws, first, columns)
    for i, r in enumerate([*rows, total], start=first + 1):
        values = [r.label, r.groups, r.capacity, r.count, r.free, r.percent]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=i, column=col, value=value)
            cell.border = BORDER
            if r is total:
                cell.font = Font(bold=True)
    return workbook_bytes(wb)
