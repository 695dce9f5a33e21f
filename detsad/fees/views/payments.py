"""Payments: the list and the queue of unmatched payments, bank file import, one import's
result, assigning an unmatched payment to an account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from detsad.core.access import get_scoped_or_404
from detsad.core.permissions import Area
from detsad.core.text import format_money as money

from .. import selectors, services
from ..forms import AssignForm, ImportForm
from ..models import Payment, PaymentImport
from ..rights import can_fees_org, require_fees_org
from .runs import error_text

PAGE_SIZE = 50


@login_required
def payment_list(request):
    """Payments of the organization; ``?status=unmatched`` is the queue to assign."""
    actor = request.actor
    require_fees_org(actor)
    status = request.GET.get("status", "")
    if status not in Payment.Status.values:
        status = ""
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.payments(actor, status=status, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_write = can_fees_org(actor, write=True)
    return render(
        request,
        "fees/payments.html",
        {
            "page_obj": page,
            "payments": page.object_list,
            "status": status,
            "q": q,
            "statuses": Payment.Status.choices,
            "can_write": can_write,
            "accounts": selectors.accounts_for_picker(actor)
            if can_write and status == Payment.Status.UNMATCHED
            else [],
            "imports": list(selectors.imports(actor)[:5]),
            "unmatched": selectors.payments(actor, status=Payment.Status.UNMATCHED).count(),
        },
    )


@login_required
def payment_import(request):
    """Upload a bank statement (1CClientBankExchange) or a bank's payment registry."""
    actor = request.actor
    require_fees_org(actor, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    faults = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            faults = ["Файл слишком большой."]
        else:
            try:
                result = services.payment_import_file(
                    actor=actor,
                    organization=actor.organization,
                    content=upload.read(),
                    file_name=upload.name,
                )
            except ValidationError as exc:
                faults = exc.messages
            else:
                if result.already is not None:
                    messages.warning(
                        request,
                        f"Этот файл уже загружен {result.already.created_at:%d.%m.%Y}: "
                        "ничего не зачислено повторно.",
                    )
                    return redirect("fees:import_detail", import_pk=result.already.pk)
                messages.success(request, "Файл загружен.")
                return redirect("fees:import_detail", import_pk=result.payment_import.pk)
    return render(request, "fees/payment_import.html", {"form": form, "faults": faults})


@login_required
def import_detail(request, import_pk):
    actor = request.actor
    record = get_scoped_or_404(
        actor, PaymentImport.objects.select_related("uploaded_by"), Area.FEES, pk=import_pk
    )
    require_fees_org(actor)
    payments = list(record.payments.select_related("account__child").order_by("line_no", "pk"))
    return render(
        request,
        "fees/import_detail.html",
        {"record": record, "payments": payments},
    )


@login_required
@require_POST
def payment_assign(request, payment_pk):
    actor = request.actor
    payment = get_scoped_or_404(actor, Payment, Area.FEES, pk=payment_pk)
    require_fees_org(actor, write=True)
    form = AssignForm(request.POST)
    account = None
    if form.is_valid():
        account = (
            selectors.scoped_accounts(actor).filter(number=form.cleaned_data["account"]).first()
        )
    if account is None:
        messages.error(request, "Нет такого лицевого счёта в организации.")
    else:
        try:
            services.payment_assign(actor=actor, payment=payment, account=account)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                f"Платёж {money(payment.amount)} руб. зачислен на л/с {account.number} "
                f"({account.child.full_name}).",
            )
    return redirect(f"{reverse('fees:payments')}?status=unmatched")
