"""Pages of personal-data protection: consents of a guardian, a child's data export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from detsad.core.access import get_scoped_or_404, require, scoped
from detsad.core.documents import PDF, download
from detsad.core.permissions import Area
from detsad.core.views import apply_validation_error
from detsad.people.models import Child, Guardian

from . import export, services
from .forms import ConsentForm
from .models import Consent


@login_required
def child_export(request, child_pk, fmt):
    """«Personal data of this child» as JSON or PDF (a subject access request)."""
    actor = request.actor
    child = get_scoped_or_404(
        actor, Child.objects.select_related("organization"), Area.CHILDREN, pk=child_pk
    )
    if not export.can_export(actor):
        raise PermissionDenied("Недостаточно прав.")
    data = export.document(actor, child)
    stem = f"персональные-данные-{child.last_name}-{child.pk}"
    if fmt == "json":
        response = download(export.as_json(data), f"{stem}.json", "application/json")
    else:
        response = download(export.as_pdf(data), f"{stem}.pdf", PDF)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def consent_add(request, guardian_pk):
    actor = request.actor
    guardian = get_scoped_or_404(actor, Guardian, Area.CHILDREN, write=True, pk=guardian_pk)
    require(actor, Area.CHILDREN, write=True, obj=guardian)
    children = scoped(
        actor, Child.objects.filter(guardian_links__guardian=guardian), Area.CHILDREN
    ).order_by("last_name")
    form = ConsentForm(request.POST or None, children=children, initial={"given_on": actor.today})
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=actor, guardian=guardian, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Согласие записано.")
            return redirect(guardian)
    return render(request, "privacy/consent_form.html", {"form": form, "guardian": guardian})


@login_required
@require_POST
def consent_withdraw(request, consent_pk):
    actor = request.actor
    consent = get_scoped_or_404(
        actor, Consent.objects.select_related("guardian"), Area.CHILDREN, write=True, pk=consent_pk
    )
    try:
        services.consent_withdraw(actor=actor, consent=consent)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Отзыв согласия записан.")
    return redirect(consent.guardian)
