"""Downloads of the timesheet 0504608: one group (PDF, XLSX) or every group of the month
(one PDF, or a ZIP of XLSX files)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from detsad.core.access import require_rows
from detsad.core.documents import PDF, XLSX, ZIP, download
from detsad.core.permissions import Area

from .. import timesheet as form
from ..sheet import month_sheet
from .common import STAFF_JOURNAL_ROLES, group_for, journal_groups, parse_month


@login_required
def timesheet_pdf(request, group_pk, month: dt.date):
    actor = request.actor
    group = group_for(actor, group_pk)
    sheet = month_sheet(group, month, today=actor.today)
    return download(form.timesheets_pdf([sheet]), form.filename(sheet, month, "pdf"), PDF)


@login_required
def timesheet_xlsx(request, group_pk, month: dt.date):
    actor = request.actor
    group = group_for(actor, group_pk)
    sheet = month_sheet(group, month, today=actor.today)
    return download(form.timesheet_xlsx(sheet), form.filename(sheet, month, "xlsx"), XLSX)


@login_required
def timesheets_batch(request):
    """All groups the actor sees, one month: ``?month=YYYY-MM&format=pdf|xlsx``."""
    actor = request.actor
    require_rows(actor, Area.ATTENDANCE)
    if actor.organization is None or not actor.has_role(*STAFF_JOURNAL_ROLES):
        raise PermissionDenied("Выберите детский сад.")
    month = parse_month(request.GET.get("month"), actor.today)
    groups = list(journal_groups(actor).select_related("organization"))
    sheets = [month_sheet(g, month, today=actor.today) for g in groups]
    short = actor.organization.short_name
    if request.GET.get("format") == "xlsx":
        return download(
            form.timesheets_zip(sheets), f"Табели 0504608 {short} {month:%Y-%m}.zip", ZIP
        )
    return download(form.timesheets_pdf(sheets), f"Табели 0504608 {short} {month:%Y-%m}.pdf", PDF)
