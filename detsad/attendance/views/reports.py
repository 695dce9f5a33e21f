"""Report pages of the journal (menu «Отчёты»): each shows a table and offers XLSX."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from detsad.core.documents import XLSX, download

from .. import reports
from ..converters import MAX_YEAR, MIN_YEAR
from .common import parse_day


def _period(request, actor, default_days: int | None = None) -> tuple[dt.date, dt.date]:
    today = actor.today
    end = parse_day(request.GET.get("end")) or today
    if default_days is None:
        default_start = end.replace(day=1)
    else:
        default_start = end - dt.timedelta(days=default_days)
    start = parse_day(request.GET.get("start")) or default_start
    if start > end:
        start, end = end, start
    if (end - start).days > 400:
        start = end - dt.timedelta(days=400)
    return start, end


def _subtitle(actor, start, end) -> str:
    where = actor.organization.short_name if actor.organization else actor.municipality.name
    return f"{where}, {start:%d.%m.%Y}–{end:%d.%m.%Y}"


@login_required
def index(request):
    actor = request.actor
    reports.report_marks(actor)  # PermissionDenied without a right
    return render(
        request, "attendance/reports/index.html", {"rows_allowed": actor.organization is not None}
    )


@login_required
def summary(request):
    actor = request.actor
    start, end = _period(request, actor)
    data = reports.attendance_summary(actor, start, end)
    if request.GET.get("format") == "xlsx":
        unit = "Группа" if data.level == "group" else "Детский сад"
        headers = [
            unit,
            "Детодней присутствия",
            "Детодней пропущено",
            *[f"в т.ч. «{c}»" for c in data.codes],
            "Рабочих дней",
            "Средняя посещаемость в день",
            "Посещаемость, %",
        ]
        rows = [
            [
                r.label,
                r.present,
                r.absent,
                *[r.reason(c) for c in data.codes],
                r.working_days,
                r.average_daily,
                r.attendance_pct,
            ]
            for r in [*data.rows, data.total]
        ]
        return download(
            reports.table_xlsx("Посещаемость", _subtitle(actor, start, end), headers, rows),
            f"Посещаемость {start:%Y-%m-%d}_{end:%Y-%m-%d}.xlsx",
            XLSX,
        )
    return render(
        request, "attendance/reports/summary.html", {"data": data, "start": start, "end": end}
    )


@login_required
def illness(request):
    actor = request.actor
    start, end = _period(request, actor)
    lines = reports.illness_by_child(actor, start, end)
    if request.GET.get("format") == "xlsx":
        rows = [[x.child.full_name, x.group, x.days, x.cases, x.first, x.last] for x in lines]
        return download(
            reports.table_xlsx(
                "Пропуски по болезни",
                _subtitle(actor, start, end),
                [
                    "Воспитанник",
                    "Группа",
                    "Дней по болезни",
                    "Случаев",
                    "Первый день",
                    "Последний день",
                ],
                rows,
            ),
            f"Пропуски по болезни {start:%Y-%m-%d}_{end:%Y-%m-%d}.xlsx",
            XLSX,
        )
    return render(
        request,
        "attendance/reports/illness.html",
        {"lines": lines, "start": start, "end": end, "total": sum(x.days for x in lines)},
    )


@login_required
def streaks(request):
    actor = request.actor
    start, end = _period(request, actor, default_days=30)
    try:
        min_days = max(1, min(60, int(request.GET.get("n", 3))))
    except ValueError:
        min_days = 3
    lines = reports.absence_streaks(actor, start, end, min_days)
    if request.GET.get("format") == "xlsx":
        rows = [
            [x.child.full_name, x.group, x.days, x.first, x.last, "да" if x.ongoing else ""]
            for x in lines
        ]
        return download(
            reports.table_xlsx(
                f"Отсутствуют {min_days}+ дней без причины",
                _subtitle(actor, start, end),
                ["Воспитанник", "Группа", "Рабочих дней подряд", "С", "По", "Продолжается"],
                rows,
            ),
            f"Отсутствие без причины {start:%Y-%m-%d}_{end:%Y-%m-%d}.xlsx",
            XLSX,
        )
    return render(
        request,
        "attendance/reports/streaks.html",
        {"lines": lines, "start": start, "end": end, "n": min_days},
    )


@login_required
def form_85k(request):
    actor = request.actor
    try:
        year = int(request.GET.get("year", actor.today.year))
    except ValueError:
        year = actor.today.year
    if not MIN_YEAR <= year <= MAX_YEAR:
        year = actor.today.year
    rows, total = reports.form_85k_attendance(actor, year)
    shown = rows if len(rows) == 1 else [*rows, total]
    if request.GET.get("format") == "xlsx":
        table = []
        for row in shown:
            for code, title, all_, older in row.lines():
                table.append(
                    [row.label, code, title.strip(), all_, "X" if older is None else older]
                )
        return download(
            reports.table_xlsx(
                "85-К: посещаемость",
                f"{year} год",
                ["Организация", "Строка", "Показатель", "Всего", "из них детей 3 лет и старше"],
                table,
            ),
            f"85-К посещаемость {year}.xlsx",
            XLSX,
        )
    return render(request, "attendance/reports/form_85k.html", {"rows": shown, "year": year})
