"""Fee reports on screen and in XLSX (``?format=xlsx``): turnover statement, debtors and
overpayments, summary per organization, the quarterly compensation register; and the
batch printing of receipts."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render

from detsad.core.access import require_rows, scoped
from detsad.core.documents import PDF, XLSX, download
from detsad.core.permissions import Area
from detsad.core.selectors import groups_visible
from detsad.movement.selectors import placements_between
from detsad.people.models import PersonalAccount

from .. import exports, selectors
from ..calculation import month_end
from ..forms import DebtorsForm, PeriodForm, ReceiptsForm
from ..receipts import receipts_for, receipts_pdf
from ..rights import can_fees_org, can_see_aggregates, is_founder, require_fees_org
from ..selectors.compensation import compensation_rows, quarter_months, quarter_of
from .runs import error_text


def _xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


@login_required
def turnover(request):
    actor = request.actor
    require_rows(actor, Area.FEES)
    if actor.organization is None:
        raise PermissionDenied("Выберите организацию.")
    groups = groups_visible(actor)
    today = actor.today
    form = PeriodForm(
        request.GET or None,
        groups=groups,
        initial={"start": today.replace(day=1), "end": month_end(today)},
    )
    start, end, group = today.replace(day=1), month_end(today), None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        group = form.cleaned_data.get("group")
    if end < start:
        start, end = end, start
    report = selectors.turnover(actor, start, end, group=group)
    if _xlsx(request):
        name = f"Оборотная ведомость {start:%d.%m.%Y}-{end:%d.%m.%Y}.xlsx"
        return download(exports.turnover_xlsx(report, actor.organization, group), name, XLSX)
    return render(
        request, "fees/reports/turnover.html", {"form": form, "report": report, "group": group}
    )


@login_required
def debtors(request):
    actor = request.actor
    require_rows(actor, Area.FEES)
    if actor.organization is None:
        raise PermissionDenied("Выберите организацию.")
    groups = groups_visible(actor)
    form = DebtorsForm(request.GET or None, groups=groups, initial={"on": actor.today})
    data = form.cleaned_data if form.is_valid() else {}
    on = data.get("on") or actor.today
    overpaid = request.GET.get("kind") == "overpaid"
    rows = selectors.debtors(
        actor,
        on,
        group=data.get("group"),
        min_amount=data.get("min_amount") or 0,
        min_months=data.get("min_months") or 0,
        overpaid=overpaid,
    )
    if _xlsx(request):
        name = f"{'Переплаты' if overpaid else 'Должники'} на {on:%d.%m.%Y}.xlsx"
        return download(exports.debtors_xlsx(rows, actor.organization, on, overpaid), name, XLSX)
    return render(
        request,
        "fees/reports/debtors.html",
        {
            "form": form,
            "rows": rows,
            "on": on,
            "overpaid": overpaid,
            "total": sum(r.debt for r in rows),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def summary(request):
    """Charged, paid, debt and collection per organization (aggregates only)."""
    actor = request.actor
    if not can_see_aggregates(actor) or not (can_fees_org(actor) or is_founder(actor)):
        raise PermissionDenied("Недостаточно прав.")
    today = actor.today
    year_start = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    form = PeriodForm(request.GET or None, initial={"start": year_start, "end": today})
    start, end = year_start, today
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    rows, total = selectors.summary(actor, start, end)
    if _xlsx(request):
        title = str(actor.organization or actor.municipality)
        return download(
            exports.summary_xlsx(rows, total, start, end, title),
            f"Сводка по родительской плате {start:%d.%m.%Y}-{end:%d.%m.%Y}.xlsx",
            XLSX,
        )
    return render(
        request, "fees/reports/summary.html", {"form": form, "rows": rows, "total": total}
    )


@login_required
def compensation(request):
    """The quarterly register of compensation (``?quarter=2026-4``)."""
    actor = request.actor
    require_fees_org(actor)
    year, quarter = quarter_of(actor.today)
    try:
        y, q = (int(p) for p in request.GET.get("quarter", "").split("-"))
        if 1 <= q <= 4 and 2000 < y < 2100:
            year, quarter = y, q
    except ValueError:
        pass
    months = quarter_months(year, quarter)
    accounts = selectors.scoped_accounts(actor).values_list("pk", flat=True)
    rows = compensation_rows(actor.organization, months, actor.today, account_ids=list(accounts))
    if _xlsx(request):
        return download(
            exports.compensation_xlsx(rows, actor.organization, year, quarter),
            f"Реестр компенсации {quarter} кв {year}.xlsx",
            XLSX,
        )
    quarters = []
    y, q = quarter_of(actor.today)
    for _ in range(6):
        quarters.append((f"{y}-{q}", f"{q} квартал {y}"))
        y, q = (y, q - 1) if q > 1 else (y - 1, 4)
    return render(
        request,
        "fees/reports/compensation.html",
        {
            "rows": rows,
            "year": year,
            "quarter": quarter,
            "quarters": quarters,
            "selected": f"{year}-{quarter}",
            "total": sum(r.amount for r in rows),
        },
    )


@login_required
def receipts_batch(request):
    """Receipts of a month for a group or the whole organization, one PDF."""
    actor = request.actor
    require_rows(actor, Area.FEES)
    if actor.organization is None:
        raise PermissionDenied("Выберите организацию.")
    groups = groups_visible(actor)
    form = ReceiptsForm(request.GET or None, groups=groups, today=actor.today)
    if form.is_bound and form.is_valid():
        month = form.cleaned_data["month"]
        group = form.cleaned_data["group"]
        if group is None and not can_fees_org(actor):
            raise PermissionDenied("Квитанции всей организации печатает координатор.")
        placements = placements_between(month, month_end(month), organization=actor.organization)
        if group is not None:
            placements = placements.filter(group=group)
        child_ids = {p.child_id for p in placements}
        accounts = list(
            scoped(
                actor,
                PersonalAccount.objects.filter(
                    organization=actor.organization, child_id__in=child_ids
                ).select_related("child"),
                Area.FEES,
            ).order_by("child__last_name", "child__first_name", "child__patronymic")
        )
        if not accounts:
            messages.warning(request, "В этом месяце в группе нет детей с лицевыми счетами.")
        else:
            try:
                items = receipts_for(actor.organization, accounts, month, actor.today)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                pdf = receipts_pdf(items, paper=form.cleaned_data["paper"])
                scope = group.name if group else actor.organization.short_name
                return download(pdf, f"Квитанции {scope} {month:%m.%Y}.pdf", PDF)
    return render(request, "fees/receipts.html", {"form": form})
