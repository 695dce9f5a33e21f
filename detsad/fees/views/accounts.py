"""Children's personal accounts: the list with balances, one account with its history and
manual operations, reversing an entry, the receipt of a month, the parent's cabinet."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from detsad.core.access import get_scoped_or_404, require_rows, scoped
from detsad.core.documents import PDF, download
from detsad.core.permissions import Area
from detsad.core.selectors import groups_visible
from detsad.people.models import Child, ChildGuardian

from .. import selectors, services
from ..calculation import add_months
from ..forms import EntryForm, ReasonForm, parse_month_value
from ..models import LedgerEntry
from ..receipts import receipt_filename, receipts_for, receipts_pdf
from ..rights import can_fees_org
from ..selectors.compensation import compensation_rows
from .runs import error_text

PAGE_SIZE = 50


def fee_child(actor, child_pk) -> Child:
    """A child within the actor's fee scope (404 outside it: another kindergarten, family
    or group)."""
    return get_scoped_or_404(
        actor, Child.objects.select_related("organization"), Area.FEES, pk=child_pk
    )


@login_required
def account_list(request):
    """Children's accounts with the balance and overdue debt today (filters: name or
    account number, group). Three queries for a page of any length."""
    actor = request.actor
    require_rows(actor, Area.FEES)
    groups = list(groups_visible(actor))
    group = next((g for g in groups if str(g.pk) == request.GET.get("group")), None)
    accounts = selectors.scoped_accounts(actor).order_by(
        "child__last_name", "child__first_name", "number"
    )
    q = request.GET.get("q", "").strip()
    for word in q.split():
        accounts = accounts.filter(
            Q(number=word)
            | Q(child__last_name__icontains=word)
            | Q(child__first_name__icontains=word)
        )
    if group is not None:
        accounts = accounts.filter(
            child_id__in=scoped(actor, Child.objects.all(), Area.FEES)
            .filter(
                Q(placements__end__isnull=True) | Q(placements__end__gte=actor.today),
                placements__group=group,
                placements__start__lte=actor.today,
            )
            .values("pk")
        )
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    states = selectors.account_states(
        [a.pk for a in page.object_list], actor.today, organization=actor.organization
    )
    return render(
        request,
        "fees/accounts.html",
        {
            "page_obj": page,
            "rows": [(a, states[a.pk]) for a in page.object_list],
            "groups": groups,
            "group": group,
            "q": q,
        },
    )


def _receipt_months(actor, view) -> list[dt.date]:
    """Months to offer receipts for: this month and the months with entries (six at most,
    latest first)."""
    if view.account is None:
        return []
    months = {actor.today.replace(day=1)} | {row.entry.on.replace(day=1) for row in view.history}
    return sorted(months, reverse=True)[:6]


@login_required
def account_detail(request, child_pk):
    actor = request.actor
    child = fee_child(actor, child_pk)
    view = selectors.account_view(actor, child)
    can_write = can_fees_org(actor, write=True)
    return render(
        request,
        "fees/account_detail.html",
        {
            "child": child,
            "view": view,
            "history": list(reversed(view.history)),
            "months": _receipt_months(actor, view),
            "can_write": can_write,
            "is_parent": actor.roles == {"parent"},
            "form": EntryForm(today=actor.today) if can_write else None,
            "reverse_form": ReasonForm() if can_write else None,
        },
    )


@login_required
@require_POST
def account_operation(request, child_pk):
    """A manual operation on the account: payment, refund, write-off or adjustment."""
    actor = request.actor
    child = fee_child(actor, child_pk)
    if not can_fees_org(actor, write=True):
        raise PermissionDenied("Недостаточно прав.")
    account = selectors.account_of(child)
    form = EntryForm(request.POST, today=actor.today)
    if account is None:
        messages.error(request, "У ребёнка нет лицевого счёта.")
    elif not form.is_valid():
        messages.error(
            request,
            "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()),
        )
    else:
        data = form.cleaned_data
        try:
            if data["kind"] == "payment":
                services.payment_create_manual(
                    actor=actor,
                    account=account,
                    amount=data["amount"],
                    paid_on=data["on"],
                    payer_name=data["payer_name"],
                    doc_number=data["doc_number"],
                    note=data["note"],
                )
            else:
                services.ledger_entry_post(
                    actor=actor,
                    account=account,
                    kind=data["kind"],
                    amount=data["amount"],
                    on=data["on"],
                    period=data["period"],
                    note=data["note"],
                )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "Операция проведена.")
    return redirect("fees:account_detail", child_pk=child.pk)


@login_required
@require_POST
def entry_reverse(request, entry_pk):
    actor = request.actor
    entry = get_scoped_or_404(
        actor, LedgerEntry.objects.select_related("account", "payment"), Area.FEES, pk=entry_pk
    )
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Укажите причину сторнирования.")
        services.ledger_entry_reverse(actor=actor, entry=entry, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "Проводка сторнирована.")
    return redirect("fees:account_detail", child_pk=entry.account.child_id)


@login_required
def receipt(request, child_pk):
    """The PDF receipt of a month (``?month=YYYY-MM``, default this month; ``?paper=a5``)."""
    actor = request.actor
    child = fee_child(actor, child_pk)
    month = parse_month_value(request.GET.get("month")) or actor.today.replace(day=1)
    account = selectors.account_of(child)
    if account is None:
        messages.error(request, "У ребёнка нет лицевого счёта.")
        return redirect("fees:account_detail", child_pk=child.pk)
    try:
        (item,) = receipts_for(child.organization, [account], month, actor.today)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("fees:account_detail", child_pk=child.pk)
    pdf = receipts_pdf([item], paper=request.GET.get("paper", "a4"))
    return download(pdf, receipt_filename(item), PDF)


@login_required
def my(request):
    """The parent's cabinet: each own child's balance, benefits, payment history, the
    compensation of recent months and receipts to download."""
    actor = request.actor
    require_rows(actor, Area.FEES)
    links = scoped(
        actor,
        Child.objects.filter(
            pk__in=ChildGuardian.objects.filter(guardian__user_id=actor.user.pk).values("child_id")
        ),
        Area.FEES,
    )
    if actor.organization is not None:
        links = links.filter(organization=actor.organization)
    children = list(links.order_by("last_name", "first_name"))
    months = [add_months(actor.today.replace(day=1), -n) for n in range(0, 6)]
    cards = []
    for child in children:
        view = selectors.account_view(actor, child)
        compensation = (
            compensation_rows(
                child.organization,
                list(reversed(months)),
                actor.today,
                account_ids=[view.account.pk],
            )
            if view.account
            else []
        )
        cards.append(
            {
                "child": child,
                "view": view,
                "history": list(reversed(view.history))[:24],
                "compensation": compensation,
                "months": _receipt_months(actor, view),
            }
        )
    return render(request, "fees/my.html", {"cards": cards, "months": months})
