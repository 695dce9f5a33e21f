"""The municipality's list of absence reasons: everyone with the journal sees it, the
coordinator edits it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from detsad.core.access import get_scoped_or_404, require
from detsad.core.permissions import Area
from detsad.core.views import apply_validation_error

from ..forms import AbsenceReasonForm
from ..models import AbsenceReason
from ..selectors import reasons_visible
from ..services import absence_reason_create, absence_reason_update, can_manage


@login_required
def reason_list(request):
    actor = request.actor
    require(actor, Area.ATTENDANCE)
    reasons = reasons_visible(actor)
    if actor.municipality is not None:
        reasons = reasons.filter(municipality=actor.municipality)
    return render(
        request,
        "attendance/reasons.html",
        {"reasons": reasons, "can_edit": can_manage(actor) and actor.municipality is not None},
    )


def _require_editor(actor):
    if not can_manage(actor) or actor.municipality is None:
        raise PermissionDenied("Справочник причин отсутствия ведёт координатор.")


@login_required
def reason_create(request):
    actor = request.actor
    _require_editor(actor)
    form = AbsenceReasonForm(request.POST or None, initial={"ordering": 100})
    if request.method == "POST" and form.is_valid():
        try:
            reason = absence_reason_create(
                actor=actor, municipality=actor.municipality, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Причина «{reason}» добавлена.")
            return redirect("attendance:reasons")
    return render(request, "attendance/reason_form.html", {"form": form, "title": "Новая причина"})


@login_required
def reason_edit(request, reason_pk):
    actor = request.actor
    reason = get_scoped_or_404(actor, AbsenceReason, Area.ATTENDANCE, pk=reason_pk)
    _require_editor(actor)
    form = AbsenceReasonForm(request.POST or None, instance=reason)
    if request.method == "POST" and form.is_valid():
        changed = {f: form.cleaned_data[f] for f in form.changed_data}
        reason.refresh_from_db()
        try:
            absence_reason_update(actor=actor, reason=reason, **changed)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Причина сохранена.")
            return redirect("attendance:reasons")
    return render(
        request,
        "attendance/reason_form.html",
        {"form": form, "title": f"Причина «{reason.code}»", "reason": reason},
    )
