"""Form 0504608 «Табель учета посещаемости детей» as PDF (A4 landscape) and XLSX.

Layout ([unverified] for the 52н edition, FACTS-2.md §1.2; the marking rules are from the
173н description, FACTS.md §2): header — ТАБЕЛЬ № за <month>, the «КОДЫ» box (форма по
ОКУД 0504608, дата, по ОКПО), учреждение, структурное подразделение, группа, вид расчета,
режим работы; one row per child — № п/п, фамилия и имя, номер счета, плата по ставке, one
column per day of the month (attended days blank, absences «Н» or the reason's code,
weekends and holidays «В», days the child was not in the group «—», unmarked «?»),
пропущено дней всего / в т.ч. засчитываемых, причины непосещения, дни посещения,
подлежащие оплате; totals per day «Отсутствует детей» / «Присутствует детей»; signatures
of the head and of the responsible educator. Version tag: ``TIMESHEET_VERSION``.

The figures come from `sheet.MonthSheet`, the same object the screen grid shows.
"""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from detsad.core.documents import render_pdf, workbook_bytes
from detsad.core.models import Group
from detsad.people.models import Staff

from .locks import month_end
from .sheet import MONTHS_NOMINATIVE, MonthSheet, month_title

OKUD = "0504608"
TIMESHEET_VERSION = "0504608 (приказ Минфина России от 30.03.2015 № 52н), редакция Детсада 1"
KIND_OF_CALCULATION = "родительская плата за присмотр и уход"


def educators_of(groups: list[Group]) -> dict[int, list[str]]:
    """Group id → names of the educators bound to it (one query), for the signature."""
    result: dict[int, list[str]] = {}
    rows = (
        Staff.objects.filter(
            user__memberships__role="educator",
            user__memberships__groups__in=groups,
            user__memberships__is_active=True,
            dismissal_date__isnull=True,
        )
        .values_list("user__memberships__groups", "last_name", "first_name", "patronymic")
        .distinct()
        .order_by("last_name", "first_name")
    )
    for group_id, last, first, middle in rows:
        initials = "".join(f"{p[0]}." for p in (first, middle) if p)
        result.setdefault(group_id, []).append(f"{last} {initials}".strip())
    return result


def _head_short(name: str) -> str:
    parts = (name or "").split()
    if len(parts) < 2:
        return name or ""
    return f"{parts[0]} " + "".join(f"{p[0]}." for p in parts[1:3])


def header(sheet: MonthSheet, educators: list[str]) -> dict:
    """Header and signature fields of one timesheet."""
    org = sheet.group.organization

    return {
        "okud": OKUD,
        "version": TIMESHEET_VERSION,
        "date": month_end(sheet.month),
        "okpo": org.okpo,
        "organization": org.full_name,
        "organization_short": org.short_name,
        "division": "",
        "group": sheet.group.full_name,
        "kind": KIND_OF_CALCULATION,
        "regime": f"{sheet.group.get_regime_display()}, пятидневная рабочая неделя",
        "month_title": f"{MONTHS_NOMINATIVE[sheet.month.month]} {sheet.month.year} г.",
        "head": _head_short(org.head_name),
        "educators": ", ".join(educators),
        "norm": sheet.working_days,
    }


def safe_name(text: str) -> str:
    """A file name without path separators and characters Windows refuses («д/с» → «д-с»)."""
    return "".join("-" if ch in '/\\:*?"<>|' else ch for ch in text).strip()


def filename(sheet_or_group, month, ext: str) -> str:
    group = sheet_or_group.group if isinstance(sheet_or_group, MonthSheet) else sheet_or_group
    return safe_name(f"Табель 0504608 {group.name} {month:%Y-%m}.{ext}")


def batch_filename(organization, month, ext: str) -> str:
    return safe_name(f"Табели 0504608 {organization.short_name} {month:%Y-%m}.{ext}")


# --- PDF ----------------------------------------------------------------------------------


def timesheets_pdf(sheets: list[MonthSheet]) -> bytes:
    """One PDF with a landscape A4 page (or more) per group."""
    educators = educators_of([s.group for s in sheets])
    pages = [{"sheet": s, "h": header(s, educators.get(s.group.pk, []))} for s in sheets]
    return render_pdf("attendance/timesheet_pdf.html", {"pages": pages})


# --- XLSX ---------------------------------------------------------------------------------

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GREY = PatternFill("solid", fgColor="E9ECEF")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _write_sheet(ws, sheet: MonthSheet, educators: list[str]) -> None:
    h = header(sheet, educators)
    n = len(sheet.days)
    first_day_col = 5
    c_missed = first_day_col + n
    c_valid, c_reasons, c_payable = c_missed + 1, c_missed + 2, c_missed + 3
    last_col = c_payable
    small = Font(name="Arial", size=8)
    bold = Font(name="Arial", size=9, bold=True)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.column_dimensions["A"].width = 4
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 9
    for i in range(n):
        ws.column_dimensions[get_column_letter(first_day_col + i)].width = 3.4
    ws.column_dimensions[get_column_letter(c_missed)].width = 7
    ws.column_dimensions[get_column_letter(c_valid)].width = 9
    ws.column_dimensions[get_column_letter(c_reasons)].width = 14
    ws.column_dimensions[get_column_letter(c_payable)].width = 9

    codes_col = last_col - 1
    ws.cell(1, 2, "ТАБЕЛЬ № ____").font = bold
    ws.cell(2, 2, "учета посещаемости детей").font = bold
    ws.cell(3, 2, f"за {h['month_title']}").font = bold
    ws.cell(1, codes_col + 1, "КОДЫ").font = bold
    labels = [
        ("Форма по ОКУД", h["okud"]),
        ("Дата", h["date"].strftime("%d.%m.%Y")),
        ("по ОКПО", h["okpo"]),
    ]
    for i, (label, value) in enumerate(labels, start=2):
        ws.cell(i, codes_col, label).alignment = Alignment(horizontal="right")
        cell = ws.cell(i, codes_col + 1, value)
        cell.border, cell.alignment = BORDER, CENTER
    fields = [
        ("Учреждение", h["organization"]),
        ("Структурное подразделение", h["division"]),
        ("Группа", h["group"]),
        ("Вид расчета", h["kind"]),
        ("Режим работы", h["regime"]),
    ]
    for i, (label, value) in enumerate(fields, start=5):
        ws.cell(i, 1, label).font = small
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=2)
        ws.cell(i, 3, value).font = Font(name="Arial", size=9, underline="single")
    top = 11
    heads = [
        (1, "№ п/п"),
        (2, "Фамилия, имя"),
        (3, "Номер счета"),
        (4, "Плата по ставке"),
        (c_reasons, "Причины непосещения (основание)"),
        (c_payable, "Дни посещения, подлежащие оплате"),
    ]
    for col, text in heads:
        ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
        ws.cell(top, col, text)
    ws.merge_cells(
        start_row=top, start_column=first_day_col, end_row=top, end_column=first_day_col + n - 1
    )
    ws.cell(top, first_day_col, "Дни посещения")
    ws.merge_cells(start_row=top, start_column=c_missed, end_row=top, end_column=c_valid)
    ws.cell(top, c_missed, "Пропущено дней")
    ws.cell(top + 1, c_missed, "всего")
    ws.cell(top + 1, c_valid, "в т.ч. засчиты­ваемых")
    for i, day in enumerate(sheet.days):
        cell = ws.cell(top + 1, first_day_col + i, day.date.day)
        if not day.working:
            cell.fill = GREY
    numbers_row = top + 2
    for col in range(1, last_col + 1):
        ws.cell(numbers_row, col, col)
    for row_i in range(top, numbers_row + 1):
        for col in range(1, last_col + 1):
            cell = ws.cell(row_i, col)
            cell.border, cell.alignment, cell.font = BORDER, CENTER, small
    r = numbers_row + 1
    for no, row in enumerate(sheet.rows, start=1):
        values = [no, f"{row.child.last_name} {row.child.first_name}", row.account, row.rate]
        values += [c.timesheet_text for c in row.cells]
        values += [row.absent, row.absent_valid, row.reasons_text, row.payable]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(r, col, value if value != "" else None)
            cell.border, cell.font = BORDER, small
            cell.alignment = LEFT if col in (2, c_reasons) else CENTER
            if first_day_col <= col < c_missed and not sheet.days[col - first_day_col].working:
                cell.fill = GREY
        r += 1
    for label, counts, total in (
        ("Отсутствует детей", sheet.absent_by_day, sheet.totals["absent"]),
        ("Присутствует детей", sheet.present_by_day, sheet.totals["present"]),
    ):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        ws.cell(r, 1, label)
        for i, day in enumerate(sheet.days):
            value = counts[i] if day.working and day.date <= sheet.today else None
            ws.cell(r, first_day_col + i, value)
        ws.cell(r, c_missed, total if label.startswith("Отсутствует") else None)
        if label.startswith("Отсутствует"):
            ws.cell(r, c_valid, sheet.totals["absent_valid"])
        else:
            ws.cell(r, c_payable, sheet.totals["payable"])
        for col in range(1, last_col + 1):
            cell = ws.cell(r, col)
            cell.border, cell.font = BORDER, Font(name="Arial", size=8, bold=True)
            cell.alignment = LEFT if col == 1 else CENTER
        r += 1
    r += 1
    ws.cell(r, 1, f"Рабочих дней в месяце: {h['norm']}").font = small
    r += 2
    ws.cell(r, 1, "Руководитель учреждения").font = small
    ws.cell(r, 4, "__________").font = small
    ws.cell(r, first_day_col + 2, h["head"]).font = small
    ws.cell(r + 1, 4, "(подпись)").font = Font(name="Arial", size=6)
    ws.cell(r + 1, first_day_col + 2, "(расшифровка подписи)").font = Font(name="Arial", size=6)
    r += 3
    ws.cell(r, 1, "Ответственный исполнитель").font = small
    ws.cell(r, 3, "воспитатель").font = small
    ws.cell(r, 4, "__________").font = small
    ws.cell(r, first_day_col + 2, h["educators"]).font = small
    ws.cell(r + 1, 3, "(должность)").font = Font(name="Arial", size=6)
    ws.cell(r + 1, 4, "(подпись)").font = Font(name="Arial", size=6)
    ws.cell(r + 1, first_day_col + 2, "(расшифровка подписи)").font = Font(name="Arial", size=6)
    r += 3
    ws.cell(r, 1, "«___» ____________ 20___ г.").font = small
    ws.cell(r + 1, 1, f"Форма: {h['version']}").font = Font(name="Arial", size=6, italic=True)
    ws.print_title_rows = f"{top}:{numbers_row}"


def timesheet_workbook(sheets: list[MonthSheet]) -> Workbook:
    """A workbook with one worksheet per group."""
    educators = educators_of([s.group for s in sheets])
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for s in sheets:
        title = "".join(ch for ch in s.group.name if ch not in "[]:*?/\\")[:28] or "Группа"
        base, k = title, 2
        while title in used:
            title = f"{base[:25]} {k}"
            k += 1
        used.add(title)
        _write_sheet(wb.create_sheet(title), s, educators.get(s.group.pk, []))
    return wb


def timesheet_xlsx(sheet: MonthSheet) -> bytes:
    return workbook_bytes(timesheet_workbook([sheet]))


def timesheets_zip(sheets: list[MonthSheet]) -> bytes:
    """A ZIP with one XLSX per group."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for s in sheets:
            zf.writestr(filename(s, s.month, "xlsx"), timesheet_xlsx(s))
    return buffer.getvalue()


__all__ = [
    "OKUD",
    "batch_filename",
    "filename",
    "safe_name",
    "month_title",
    "timesheet_workbook",
    "timesheet_xlsx",
    "timesheets_pdf",
    "timesheets_zip",
]
