"""Movement reports on screen and as XLSX: the movement summary for a period and
occupancy per group on a date. Per organization; the department officer sees every
organization of the municipality and may open one of them (``?organization=<id>``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from detsad.core.access import get_scoped_or_404, require
from detsad.core.documents import XLSX, download
from detsad.core.models import Organization
from detsad.core.permissions import Area

from ..documents.tables import occupancy_xlsx, summary_xlsx
from ..forms import PeriodForm, academic_year_bounds, parse_date
from ..summaries import REASON_TITLES, REASONS, movement_summary, occupancy_report


def _scope(request):
    """(organization or None for «all organizations», title)."""
    actor = request.actor
    require(actor, Area.MOVEMENT)
    if actor.organization is not None:
        return actor.organization, actor.organization.full_name
    pk = request.GET.get("organization", "")
    if pk:
        organization = get_scoped_or_404(actor, Organization, Area.MOVEMENT, pk=pk)
        return organization, organization.full_name
    return None, actor.municipality.name if actor.municipality else "Все организации"


@login_required
def movement_report(request):
    actor = request.actor
    organization, title = _scope(request)
    start, end = academic_year_bounds(actor.today)
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    by_org = organization is None
    rows, total = movement_summary(
        actor, start, end, organization=organization, by_organization=by_org
    )
    unit = "Организация" if by_org else "Группа"
    if request.GET.get("format") == "xlsx":
        return download(
            summary_xlsx(title, unit, rows, total, start, end),
            f"Движение воспитанников {start:%d.%m.%Y}–{end:%d.%m.%Y}.xlsx",
            XLSX,
        )
    return render(
        request,
        "movement/report_movement.html",
        {
            "form": form,
            "rows": rows,
            "total": total,
            "reasons": [REASON_TITLES[r] for r in REASONS],
            "unit": unit,
            "title": title,
            "by_org": by_org,
            "organization": organization,
            "start": start,
            "end": end,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def occupancy(request):
    actor = request.actor
    organization, title = _scope(request)
    on = parse_date(request.GET.get("on"), actor.today)
    by_org = organization is None
    rows, total = occupancy_report(actor, on, organization=organization, by_organization=by_org)
    unit = "Организация" if by_org else "Группа"
    if request.GET.get("format") == "xlsx":
        return download(
            occupancy_xlsx(title, unit, rows, total, on),
            f"Наполняемость на {on:%d.%m.%Y}.xlsx",
            XLSX,
        )
    return render(
        request,
        "movement/report_occupancy.html",
        {
            "rows": rows,
            "total": total,
            "on": on,
            "unit": unit,
            "title": title,
            "by_org": by_org,
            "organization": organization,
            "query": request.GET.urlencode(),
        },
    )
