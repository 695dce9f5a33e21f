"""The daily journal («группа сегодня», built for a phone) and the month grid (табель)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from detsad.core.access import get_scoped_or_404, require
from detsad.core.permissions import Area, Role
from detsad.people.models import Child

from .. import selectors
from ..services import attendance_mark_group_day, attendance_mark_set, can_manage
from ..sheet import month_sheet
from .common import (
    STAFF_JOURNAL_ROLES,
    can_write_group,
    error_messages,
    group_for,
    journal_groups,
    parse_day,
    shift_month,
)


def _local_now(actor):
    """Now in the municipality's time zone (the time shown after saving, case C01)."""
    name = getattr(actor.municipality, "time_zone", None)
    return timezone.localtime(timezone=zoneinfo.ZoneInfo(name)) if name else timezone.localtime()


@login_required
def today(request):
    """Entry point of the journal: the groups of the day (an educator of one group goes
    straight to it); parents go to their children, the department to the reports."""
    actor = request.actor
    require(actor, Area.ATTENDANCE)
    if not actor.has_role(*STAFF_JOURNAL_ROLES):
        if actor.has_role(Role.PARENT):
            return redirect("attendance:notices")
        return redirect("attendance:reports")
    groups = journal_groups(actor)
    if actor.roles == {Role.EDUCATOR} and len(groups) == 1:
        return redirect("attendance:group_today", group_pk=groups[0].pk)
    day = parse_day(request.GET.get("day")) or actor.today
    rows = selectors.groups_today(groups, day)
    working = (
        actor.organization is not None
        and selectors.last_working_day(actor.organization, day) == day
    )
    return render(
        request,
        "attendance/today.html",
        {
            "rows": rows,
            "day": day,
            "working": working,
            "not_marked": [r for r in rows if r.enrolled and not r.complete],
        },
    )


@login_required
def group_today(request, group_pk):
    """Open the group's journal for today (or the date asked with ?day=)."""
    actor = request.actor
    group = group_for(actor, group_pk)
    day = parse_day(request.GET.get("day")) or actor.today
    return redirect("attendance:group_day", group_pk=group.pk, day=day)


def _posted_marks(post) -> dict[int, tuple[bool, str | None]]:
    """``m_<child id>`` = present/absent, ``r_<child id>`` = reason code → service input."""
    marks = {}
    for key, state in post.items():
        if not key.startswith("m_") or not key[2:].isdigit():
            continue
        child_id = int(key[2:])
        if state == "present":
            marks[child_id] = (True, None)
        elif state == "absent":
            marks[child_id] = (False, post.get(f"r_{child_id}") or None)
    return marks


@login_required
def group_day(request, group_pk, day: dt.date):
    """Marks of one group on one day: GET shows, POST saves the whole day in one request."""
    actor = request.actor
    group = group_for(actor, group_pk)
    writable = can_write_group(actor, group)
    errors: list[str] = []
    saved = None
    posted = None
    if request.method == "POST":
        if not writable:
            raise PermissionDenied("Недостаточно прав.")
        posted = _posted_marks(request.POST)
        try:
            saved = attendance_mark_group_day(
                actor=actor,
                group=group,
                day=day,
                marks=posted,
                all_present=bool(request.POST.get("all_present")),
                correction_reason=request.POST.get("correction_reason", ""),
            )
        except ValidationError as exc:
            errors = error_messages(exc)
        else:
            posted = None
            if not request.htmx:
                messages.success(request, f"Сохранено отметок: {saved.changed}.")
                return redirect("attendance:group_day", group_pk=group.pk, day=day)
    roster = selectors.day_roster(group, day, today=actor.today)
    if posted:  # show what the person entered next to the error
        for row in roster.rows:
            if row.child_id in posted:
                present, code = posted[row.child_id]
                row.present, row.code = present, (code or "") if not present else ""
    prev_day, next_day, last_working = selectors.day_navigation(
        group.organization, day, actor.today
    )
    context = {
        "group": group,
        "roster": roster,
        "day": day,
        "writable": writable and roster.editable and (not roster.lock.locked or can_manage(actor)),
        "needs_correction": roster.lock.locked,
        "errors": errors,
        "saved": saved,
        "saved_at": _local_now(actor).strftime("%H:%M"),
        "prev_day": prev_day,
        "next_day": next_day if next_day and next_day <= actor.today else None,
        "last_working": last_working,
        "correction_reason": request.POST.get("correction_reason", "") if errors else "",
    }
    template = "attendance/_day_form.html" if request.htmx else "attendance/group_day.html"
    return render(request, template, context)


def _month_context(actor, group, month: dt.date) -> dict:
    sheet = month_sheet(group, month, today=actor.today)
    writable = can_write_group(actor, group)
    manager = can_manage(actor)
    return {
        "group": group,
        "sheet": sheet,
        "month": month,
        "prev_month": shift_month(month, -1),
        "next_month": shift_month(month, 1),
        "editable": writable and (not sheet.closed or manager),
        "needs_correction": sheet.closed,
        "can_manage": manager,
    }


@login_required
def group_month(request, group_pk, month: dt.date):
    """The month grid of a group: children × days, codes, totals; cells open an editor."""
    actor = request.actor
    group = group_for(actor, group_pk)
    return render(request, "attendance/group_month.html", _month_context(actor, group, month))


@login_required
def month_cell(request, group_pk, month: dt.date):
    """The one-cell editor of the month grid (htmx): GET shows it, POST saves the mark and
    sends back the child's row and the per-day totals."""
    actor = request.actor
    group = group_for(actor, group_pk)
    if not can_write_group(actor, group):
        raise PermissionDenied("Недостаточно прав.")
    source = request.POST if request.method == "POST" else request.GET
    day = parse_day(source.get("day"))
    if day is None or (day.year, day.month) != (month.year, month.month):
        raise Http404("Не найдено")
    child = get_scoped_or_404(actor, Child, Area.ATTENDANCE, pk=source.get("child"))
    errors: list[str] = []
    saved = False
    if request.method == "POST":
        state = source.get("state")
        try:
            if state not in ("present", "absent"):
                raise ValidationError(
                    {"state": "Отметка: выберите «был» или «отсутствовал» — отметка не сохранена."}
                )
            attendance_mark_set(
                actor=actor,
                group=group,
                child=child,
                day=day,
                present=state == "present",
                reason=source.get("reason") or None,
                correction_reason=source.get("correction_reason", ""),
            )
        except ValidationError as exc:
            errors = error_messages(exc)
        else:
            saved = True
    context = _month_context(actor, group, month)
    row = next((r for r in context["sheet"].rows if r.child.pk == child.pk), None)
    if row is None:
        raise Http404("Не найдено")
    cell = row.cells[day.day - 1]
    context.update(
        {
            "row": row,
            "cell": cell,
            "day": day,
            "child": child,
            "errors": errors,
            "saved": saved,
            "reasons": selectors.reasons_of(group.organization.municipality_id),
        }
    )
    return render(request, "attendance/_cell_editor.html", context)
