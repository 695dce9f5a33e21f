"""The founder's settings (charging rules, tariffs, benefit kinds, compensation) and the
children's benefits of a kindergarten."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from detsad.core.access import get_scoped_or_404, scoped
from detsad.core.permissions import Area
from detsad.core.selectors import organizations_visible
from detsad.core.views import apply_validation_error
from detsad.people.models import Child

from .. import selectors, services
from ..forms import (
    BenefitEndForm,
    BenefitKindForm,
    ChildBenefitForm,
    CompensationForm,
    FeeSettingsForm,
    TariffForm,
)
from ..models import ChildBenefit
from ..rights import can_fees_org, is_founder, require_fees_org
from .runs import error_text


def _forms(actor, data=None, which=""):
    organizations = organizations_visible(actor).filter(
        municipality=actor.municipality, archived_at__isnull=True
    )
    return {
        "settings_form": FeeSettingsForm(
            data if which == "settings" else None, organizations=organizations, today=actor.today
        ),
        "tariff_form": TariffForm(data if which == "tariff" else None),
        "benefit_form": BenefitKindForm(data if which == "benefit" else None),
        "compensation_form": CompensationForm(data if which == "compensation" else None),
    }


@login_required
def setup(request):
    """Tariffs, rules, benefit kinds and compensation of the municipality: everyone with a
    fee right reads them; the founder (education department) changes them here."""
    actor = request.actor
    if not actor.can(Area.FEES):
        raise PermissionDenied("Недостаточно прав.")
    founder = is_founder(actor)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    forms = _forms(actor, request.POST if which else None, which)
    if which:
        if not founder:
            raise PermissionDenied("Тарифы и льготы устанавливает учредитель.")
        form = forms.get(f"{which}_form")
        if form is not None and form.is_valid():
            try:
                _save(actor, which, form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "Сохранено.")
                return redirect("fees:setup")
    return render(
        request,
        "fees/setup.html",
        {
            "founder": founder,
            "rules": list(selectors.fee_settings(actor)),
            "tariffs": list(selectors.tariffs(actor)),
            "benefits": list(selectors.benefit_kinds(actor)),
            "compensation": list(selectors.compensation_settings(actor)),
            "which": which,
            **forms,
        },
    )


def _save(actor, which: str, data: dict) -> None:
    municipality = actor.municipality
    if which == "settings":
        services.fee_settings_save(
            actor=actor,
            municipality=municipality,
            organization=data["organization"],
            valid_from=data["valid_from"],
            policy=data["policy"],
            advance_base=data["advance_base"],
            stacking=data["stacking"],
            due_day=data["due_day"],
            due_month=data["due_month"],
            basis=data["basis"],
        )
    elif which == "tariff":
        services.tariff_create(actor=actor, municipality=municipality, **data)
    elif which == "benefit":
        services.benefit_create(actor=actor, municipality=municipality, **data)
    elif which == "compensation":
        services.compensation_setting_save(actor=actor, municipality=municipality, **data)


@login_required
def benefits(request):
    """Children's benefits in the kindergarten (valid today, or all with ``?all=1``) and
    the form granting one on a document."""
    actor = request.actor
    require_fees_org(actor)
    show_all = request.GET.get("all") == "1"
    can_write = can_fees_org(actor, write=True)
    form = None
    if can_write:
        children = (
            scoped(actor, Child.objects.all(), Area.FEES)
            .filter(organization=actor.organization, archived_at__isnull=True)
            .order_by("last_name", "first_name", "patronymic")
        )
        initial = {"child": request.GET.get("child"), "valid_from": actor.today}
        form = ChildBenefitForm(
            request.POST or None,
            initial=initial,
            children=children,
            benefits=selectors.benefit_kinds(actor, active_only=True),
        )
        if request.method == "POST" and form.is_valid():
            try:
                grant = services.child_benefit_add(actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request, f"Льгота «{grant.benefit.name}» назначена: {grant.child.full_name}."
                )
                return redirect("fees:benefits")
    elif request.method == "POST":
        raise PermissionDenied("Недостаточно прав.")
    grants = selectors.granted_benefits(actor, on=None if show_all else actor.today)
    return render(
        request,
        "fees/benefits.html",
        {
            "grants": list(grants),
            "form": form,
            "show_all": show_all,
            "end_form": BenefitEndForm(initial={"valid_to": actor.today}),
            "can_write": can_write,
        },
    )


@login_required
@require_POST
def benefit_end(request, grant_pk):
    actor = request.actor
    grant = get_scoped_or_404(
        actor, ChildBenefit.objects.select_related("benefit"), Area.FEES, pk=grant_pk
    )
    form = BenefitEndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Укажите последний день льготы (ДД.ММ.ГГГГ).")
        services.child_benefit_end(
            actor=actor,
            grant=grant,
            valid_to=form.cleaned_data["valid_to"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, f"Льгота «{grant.benefit.name}» действует по {grant.valid_to:%d.%m.%Y}."
        )
    return redirect("fees:benefits")
