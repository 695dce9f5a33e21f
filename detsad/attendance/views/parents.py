"""A child's month calendar (parents, and staff of the child's group) and parents'
advance notices of absence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from detsad.core.access import get_scoped_or_404, require
from detsad.core.permissions import Area
from detsad.core.views import apply_validation_error
from detsad.people.models import Child

from .. import selectors
from ..forms import AbsenceNoticeForm
from ..models import AbsenceNotice
from ..services import absence_notice_cancel, absence_notice_create
from ..sheet import child_month
from .common import error_messages, parse_month, shift_month


def _child(actor, child_pk) -> Child:
    return get_scoped_or_404(
        actor, Child.objects.select_related("organization"), Area.ATTENDANCE, pk=child_pk
    )


def _may_notify(actor) -> bool:
    return actor.has_extra(Area.ATTENDANCE, "notices") or actor.can(Area.ATTENDANCE, write=True)


@login_required
def child_calendar(request, child_pk):
    actor = request.actor
    child = _child(actor, child_pk)
    month = parse_month(request.GET.get("month"), actor.today)
    data = child_month(child, month, today=actor.today)
    notices = (
        AbsenceNotice.objects.filter(child=child, end__gte=actor.today, cancelled_at__isnull=True)
        .select_related("reason")
        .order_by("start")
    )
    return render(
        request,
        "attendance/child_calendar.html",
        {
            "child": child,
            "data": data,
            "month": month,
            "prev_month": shift_month(month, -1),
            "next_month": shift_month(month, 1),
            "notices": notices,
            "can_notify": _may_notify(actor),
        },
    )


@login_required
def notice_create(request, child_pk):
    actor = request.actor
    child = _child(actor, child_pk)
    if not _may_notify(actor):
        raise PermissionDenied("Недостаточно прав.")
    staff = actor.can(Area.ATTENDANCE, write=True)
    reasons = selectors.reasons_visible(actor).filter(
        municipality_id=child.organization.municipality_id, is_active=True
    )
    if not staff:
        reasons = reasons.filter(for_parents=True)
    form = AbsenceNoticeForm(
        request.POST or None,
        reasons=reasons,
        initial={"start": actor.today, "end": actor.today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            notice = absence_notice_create(actor=actor, child=child, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            days = ", ".join(d.strftime("%d.%m") for d in notice.days)
            messages.success(
                request,
                f"Уведомление принято: отсутствие в рабочие дни {days} "
                f"({len(notice.days)} дн.). Воспитатель увидит его в журнале.",
            )
            return redirect("attendance:child_calendar", child_pk=child.pk)
    return render(request, "attendance/notice_form.html", {"form": form, "child": child})


@login_required
def notice_list(request):
    """Parents: their children and notices; staff: current and coming notices."""
    actor = request.actor
    require(actor, Area.ATTENDANCE)
    children = list(selectors.children_for_parent(actor))
    notices = selectors.notices_visible(actor).filter(
        end__gte=actor.today, cancelled_at__isnull=True
    )
    return render(
        request,
        "attendance/notices.html",
        {"children": children, "notices": notices[:200], "can_notify": _may_notify(actor)},
    )


@login_required
@require_POST
def notice_cancel(request, notice_pk):
    actor = request.actor
    notice = get_scoped_or_404(
        actor, AbsenceNotice.objects.select_related("organization"), Area.ATTENDANCE, pk=notice_pk
    )
    try:
        absence_notice_cancel(actor=actor, notice=notice)
    except ValidationError as exc:
        for m in error_messages(exc):
            messages.error(request, m)
    else:
        messages.success(request, "Уведомление отменено.")
    return redirect("attendance:child_calendar", child_pk=notice.child_id)
