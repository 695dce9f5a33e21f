"""XLSX versions of the fee reports (the same rows the screens show)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from detsad.core.documents import workbook_bytes

from .rules import rubles

MONEY = "#,##0.00"
BOLD = Font(bold=True)


def _sheet(title: str, heading: str, columns: list[tuple[str, int]]):
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([heading])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([])
    ws.append([name for name, _w in columns])
    for i, (_name, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        ws.cell(row=3, column=i).font = BOLD
        ws.cell(row=3, column=i).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A4"
    return wb, ws


def _money_row(ws, values: list, money_from: int, bold: bool = False) -> None:
    ws.append(
        [
            rubles(v) if i >= money_from and isinstance(v, int) and not isinstance(v, bool) else v
            for i, v in enumerate(values)
        ]
    )
    for i, value in enumerate(values):
        cell = ws.cell(row=ws.max_row, column=i + 1)
        if i >= money_from and isinstance(value, int):
            cell.number_format = MONEY
        if bold:
            cell.font = BOLD


def turnover_xlsx(report, organization, group=None) -> bytes:
    scope = f"группа «{group.name}»" if group else str(organization)
    wb, ws = _sheet(
        "Оборотная ведомость",
        f"Оборотная ведомость по родительской плате, {scope}, "
        f"{report.start:%d.%m.%Y}–{report.end:%d.%m.%Y}",
        [
            ("№", 5),
            ("Воспитанник", 34),
            ("Лицевой счёт", 13),
            ("Группа", 16),
            ("Сальдо на начало", 14),
            ("Начислено", 14),
            ("Оплачено", 14),
            ("Возвращено", 13),
            ("Списано", 13),
            ("Сальдо на конец", 14),
        ],
    )
    for i, row in enumerate(report.rows, start=1):
        _money_row(
            ws,
            [
                i,
                row.account.child.full_name,
                row.account.number,
                row.group,
                row.opening,
                row.charged,
                row.paid,
                row.refunded,
                row.written_off,
                row.closing,
            ],
            4,
        )
    t = report.total
    _money_row(
        ws,
        ["", "Итого", "", "", t.opening, t.charged, t.paid, t.refunded, t.written_off, t.closing],
        4,
        bold=True,
    )
    return workbook_bytes(wb)


def debtors_xlsx(rows, organization, on: dt.date, overpaid: bool = False) -> bytes:
    title = "Переплаты" if overpaid else "Должники"
    wb, ws = _sheet(
        title,
        f"{'Переплата' if overpaid else 'Задолженность'} по родительской плате на "
        f"{on:%d.%m.%Y}, {organization}",
        [
            ("№", 5),
            ("Воспитанник", 34),
            ("Лицевой счёт", 13),
            ("Группа", 16),
            ("Переплата" if overpaid else "Долг", 14),
            ("Месяцев долга", 10),
            ("Долг с", 12),
        ],
    )
    for i, row in enumerate(rows, start=1):
        _money_row(
            ws,
            [
                i,
                row.account.child.full_name,
                row.account.number,
                row.group,
                row.debt,
                str(row.months),
                row.since.strftime("%m.%Y") if row.since else "",
            ],
            4,
        )
    _money_row(ws, ["", "Итого", "", "", sum(r.debt for r in rows), "", ""], 4, bold=True)
    return workbook_bytes(wb)


def summary_xlsx(rows, total, start: dt.date, end: dt.date, title: str) -> bytes:
    wb, ws = _sheet(
        "Сводка",
        f"Родительская плата: сводка по организациям, {title}, {start:%d.%m.%Y}–{end:%d.%m.%Y}",
        [
            ("Организация", 34),
            ("Лицевых счетов", 10),
            ("Начислено", 15),
            ("Оплачено", 15),
            ("Задолженность", 15),
            ("Переплата", 15),
            ("Собираемость, %", 12),
        ],
    )
    for row in [*rows, total]:
        values = [
            str(row.organization) if row.organization else "Итого",
            str(row.children),
            row.charged,
            row.paid,
            row.debt,
            row.prepaid,
            Decimal(str(row.collection)) if row.collection is not None else "",
        ]
        _money_row(ws, values, 2, bold=row is total)
    return workbook_bytes(wb)


def compensation_xlsx(rows, organization, year: int, quarter: int) -> bytes:
    """Quarterly register of compensation for the social protection body."""
    wb, ws = _sheet(
        "Компенсация",
        f"Реестр на выплату компенсации части родительской платы за {quarter} квартал "
        f"{year} г., {organization}",
        [
            ("№", 5),
            ("Получатель (родитель)", 32),
            ("Воспитанник", 32),
            ("Дата рождения", 12),
            ("Лицевой счёт", 13),
            ("Месяц", 9),
            ("Ребёнок в семье по счёту", 10),
            ("Процент", 9),
            ("Средний размер платы", 14),
            ("Оплачено за месяц", 14),
            ("Компенсация", 14),
        ],
    )
    for i, row in enumerate(rows, start=1):
        ws.append(
            [
                i,
                row.payer,
                row.child.full_name,
                row.child.birth_date,
                row.account.number,
                f"{row.period:%m.%Y}",
                row.order,
                row.percent,
                rubles(row.average_fee),
                rubles(row.paid),
                rubles(row.amount),
            ]
        )
        ws.cell(row=ws.max_row, column=4).number_format = "DD.MM.YYYY"
        for col in (9, 10, 11):
            ws.cell(row=ws.max_row, column=col).number_format = MONEY
    ws.append(["", "Итого", "", "", "", "", "", "", "", "", rubles(sum(r.amount for r in rows))])
    ws.cell(row=ws.max_row, column=11).number_format = MONEY
    ws.cell(row=ws.max_row, column=2).font = BOLD
    ws.cell(row=ws.max_row, column=11).font = BOLD
    return workbook_bytes(wb)
