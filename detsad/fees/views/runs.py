"""Pages of the monthly work: the fee home (months, runs), a run with its progress and
lines, reversing a run, closing and reopening months."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from detsad.core.access import get_scoped_or_404
from detsad.core.permissions import Area, Role

from .. import selectors, services
from ..forms import ReasonForm, RunForm, parse_month_value
from ..models import FeeRun, Payment
from ..rights import can_fees_org, is_founder, require_fees_org


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def index(request):
    """The fee home: months with their state and runs, the run form, the queue size."""
    actor = request.actor
    if not can_fees_org(actor):
        if actor.has_role(Role.PARENT) and actor.can_rows(Area.FEES):
            return redirect("fees:my")
        if actor.can_rows(Area.FEES):
            return redirect("fees:accounts")
        if is_founder(actor):
            return redirect("fees:setup")
        raise PermissionDenied("Недостаточно прав.")
    months = selectors.months_status(actor, actor.today)
    settings = selectors.current_settings(actor, actor.today)
    return render(
        request,
        "fees/index.html",
        {
            "months": months,
            "form": RunForm(today=actor.today),
            "settings": settings,
            "runs": list(selectors.runs(actor)[:8]),
            "unmatched": selectors.payments(actor, status=Payment.Status.UNMATCHED).count(),
            "can_write": can_fees_org(actor, write=True),
        },
    )


@login_required
@require_POST
def run_start(request):
    actor = request.actor
    require_fees_org(actor, write=True)
    form = RunForm(request.POST, today=actor.today)
    if not form.is_valid():
        messages.error(request, "Выберите месяц.")
        return redirect("fees:index")
    try:
        run = services.fee_run_start(
            actor=actor, organization=actor.organization, period=form.cleaned_data["month"]
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("fees:index")
    return redirect("fees:run_detail", run_pk=run.pk)


def _run(request, run_pk):
    return get_scoped_or_404(
        request.actor, FeeRun.objects.select_related("created_by"), Area.FEES, pk=run_pk
    )


@login_required
def run_detail(request, run_pk):
    actor = request.actor
    run = _run(request, run_pk)
    require_fees_org(actor)
    lines = list(selectors.run_lines(actor, run)) if not run.is_active else []
    own = [line for line in lines if line.period == run.period]
    return render(
        request,
        "fees/run_detail.html",
        {
            "run": run,
            "lines": own,
            "recalc": [line for line in lines if line.period != run.period],
            "totals": {
                "target": sum(x.target for x in own),
                "before": sum(x.before for x in own),
                "delta": sum(x.delta for x in own),
            },
            "can_reverse": can_fees_org(actor, write=True)
            and run.status == FeeRun.Status.DONE
            and run == selectors.latest_done_run(actor),
            "reverse_form": ReasonForm(),
        },
    )


@login_required
def run_progress(request, run_pk):
    """The progress block, polled by htmx while the run is queued or running; reloads the
    page when the run has finished."""
    run = _run(request, run_pk)
    require_fees_org(request.actor)
    response = render(request, "fees/_run_progress.html", {"run": run})
    if not run.is_active and request.GET.get("was") == "active":
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_reverse(request, run_pk):
    actor = request.actor
    run = _run(request, run_pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Укажите причину отмены.")
        return redirect("fees:run_detail", run_pk=run.pk)
    try:
        services.fee_run_reverse(actor=actor, run=run, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"Расчёт за {run.period:%m.%Y} отменён сторнирующими проводками.")
    return redirect("fees:run_detail", run_pk=run.pk)


@login_required
@require_POST
def month_close(request):
    actor = request.actor
    require_fees_org(actor, write=True)
    month = parse_month_value(request.POST.get("month"))
    if month is None:
        return HttpResponse(status=400)
    try:
        services.fees_month_close(actor=actor, organization=actor.organization, month=month)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            f"{month:%m.%Y} закрыт. Поздние исправления посещаемости попадут в перерасчёт "
            "следующего месяца.",
        )
    return redirect("fees:index")


@login_required
@require_POST
def month_reopen(request):
    actor = request.actor
    require_fees_org(actor, write=True)
    month = parse_month_value(request.POST.get("month"))
    if month is None:
        return HttpResponse(status=400)
    try:
        services.fees_month_reopen(
            actor=actor,
            organization=actor.organization,
            month=month,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"{month:%m.%Y} открыт повторно.")
    return redirect("fees:index")
