"""The month page of the organization: state of every group, batch timesheets, closing
and reopening (coordinator)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from detsad.core.access import require_rows
from detsad.core.models import MonthClosing
from detsad.core.permissions import Area

from .. import selectors
from ..locks import month_end
from ..services import (
    ClosingWarning,
    attendance_month_close,
    attendance_month_reopen,
    can_manage,
)
from ..sheet import month_title
from .common import STAFF_JOURNAL_ROLES, error_messages, journal_groups, parse_month, shift_month


def _require_staff(actor):
    require_rows(actor, Area.ATTENDANCE)
    if actor.organization is None or not actor.has_role(*STAFF_JOURNAL_ROLES):
        raise PermissionDenied("Недостаточно прав.")


@login_required
def month_overview(request):
    actor = request.actor
    _require_staff(actor)
    month = parse_month(request.GET.get("month"), actor.today)
    groups = list(journal_groups(actor))
    rows = selectors.month_by_group(actor.organization, groups, month, today=actor.today)
    closings = {
        c.month: c
        for c in MonthClosing.objects.filter(
            organization=actor.organization, kind=MonthClosing.Kind.ATTENDANCE
        ).select_related("closed_by", "reopened_by")
    }
    recent = [shift_month(actor.today.replace(day=1), -i) for i in range(0, 6)]
    return render(
        request,
        "attendance/months.html",
        {
            "month": month,
            "title": month_title(month),
            "rows": rows,
            "closing": closings.get(month),
            "recent": [(m, month_title(m), closings.get(m)) for m in recent],
            "can_manage": can_manage(actor),
            "prev_month": shift_month(month, -1),
            "next_month": shift_month(month, 1),
            "started": month <= actor.today,
            "unfinished": month_end(month) > actor.today,
            "warning": request.session.pop("attendance_close_warning", None),
            "unmarked": sum(r.unmarked for r in rows),
        },
    )


def _posted_month(request) -> dt.date | None:
    """The month a close/reopen form names; None (with a message) when it is not a valid
    ``YYYY-MM`` — a closing never falls back to the current month."""
    month = parse_month(request.POST.get("month"), dt.date.min)
    if month == dt.date.min:
        messages.error(request, "Месяц: укажите месяц в виде ГГГГ-ММ — ничего не изменено.")
        return None
    return month


@login_required
@require_POST
def month_close(request):
    actor = request.actor
    _require_staff(actor)
    month = _posted_month(request)
    if month is None:
        return redirect("attendance:months")
    back = f"{reverse('attendance:months')}?month={month:%Y-%m}"
    try:
        attendance_month_close(
            actor=actor,
            organization=actor.organization,
            month=month,
            confirm=bool(request.POST.get("confirm")),
        )
    except ClosingWarning as exc:
        request.session["attendance_close_warning"] = exc.messages[0]
    except ValidationError as exc:
        for m in error_messages(exc):
            messages.error(request, m)
    else:
        messages.success(request, f"Месяц {month_title(month)} закрыт: отметки заблокированы.")
    return redirect(back)


@login_required
@require_POST
def month_reopen(request):
    actor = request.actor
    _require_staff(actor)
    month = _posted_month(request)
    if month is None:
        return redirect("attendance:months")
    try:
        attendance_month_reopen(
            actor=actor,
            organization=actor.organization,
            month=month,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        for m in error_messages(exc):
            messages.error(request, m)
    else:
        messages.success(request, f"Месяц {month_title(month)} открыт повторно.")
    return redirect(f"{reverse('attendance:months')}?month={month:%Y-%m}")
