"""The order registry, an order's page with the head's signature, order and contract
downloads, and registering a child's education contract."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from detsad.core.access import get_scoped_or_404, require, scoped
from detsad.core.documents import DOCX, PDF, download
from detsad.core.permissions import Area
from detsad.core.views import apply_validation_error
from detsad.people.models import Child, ChildGuardian

from .. import selectors, services
from ..documents.contracts import contract_docx, contract_filename, contract_pdf
from ..documents.orders import order_docx, order_filename, order_pdf
from ..forms import ContractForm, OrderFilterForm
from ..models import EducationContract, MovementEvent, Order
from .moves import _writable_groups

PAGE_SIZE = 50


@login_required
def order_list(request):
    actor = request.actor
    require(actor, Area.MOVEMENT)
    form = OrderFilterForm(request.GET or None, today=actor.today)
    data = form.cleaned_data if form.is_valid() else {}
    orders = selectors.orders_list(
        actor,
        year=data.get("year"),
        kind=data.get("kind") or "",
        signed=data.get("signed") or "",
        q=data.get("q") or "",
    )
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "movement/order_list.html",
        {
            "form": form,
            "page_obj": page,
            "orders": page.object_list,
            "many_orgs": actor.organization is None,
            "names_hidden": not selectors.sees_children_names(actor),
        },
    )


def _order(request, order_pk):
    return get_scoped_or_404(
        request.actor,
        Order.objects.select_related("organization__municipality", "signed_by", "author"),
        Area.MOVEMENT,
        pk=order_pk,
    )


@login_required
def order_detail(request, order_pk):
    actor = request.actor
    order = _order(request, order_pk)
    events = list(selectors.order_events(actor, order))
    names = selectors.sees_children_names(actor)
    return render(
        request,
        "movement/order_detail.html",
        {
            "order": order,
            "events": events,
            "names_hidden": not names,
            "children_count": None
            if names
            else MovementEvent.objects.filter(order=order)
            .exclude(kind=MovementEvent.Kind.CANCEL)
            .values("child")
            .distinct()
            .count(),
            "can_sign": actor.has_extra(Area.MOVEMENT, "sign")
            and not order.is_signed
            and not order.is_initial_data
            and bool(events),
        },
    )


@login_required
@require_POST
def order_sign(request, order_pk):
    actor = request.actor
    order = _order(request, order_pk)
    try:
        services.order_sign(actor=actor, order=order)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Приказ {order.label} подписан.")
    return redirect(order)


def _order_events(request, order):
    """The order's events for its document; 404 for an actor who does not see children by
    name (the document lists them: `selectors.sees_children_names`)."""
    if not selectors.sees_children_names(request.actor):
        raise Http404("Не найдено")
    return list(selectors.order_events(request.actor, order))


@login_required
def order_docx_view(request, order_pk):
    order = _order(request, order_pk)
    return download(
        order_docx(order, _order_events(request, order)), order_filename(order, "docx"), DOCX
    )


@login_required
def order_pdf_view(request, order_pk):
    order = _order(request, order_pk)
    return download(
        order_pdf(order, _order_events(request, order)), order_filename(order, "pdf"), PDF
    )


def _contract(request, contract_pk):
    """The contract, when the actor may read it *and* the child's personal file: it holds
    the parent's passport, address and phone (the department officer, who reads the
    movement book of the municipality, sees personal files only as aggregates: 404)."""
    qs = EducationContract.objects.select_related("organization", "guardian").prefetch_related(
        Prefetch("child__guardian_links", queryset=ChildGuardian.objects.all())
    )
    contract = get_scoped_or_404(
        request.actor, qs.select_related("child"), Area.MOVEMENT, pk=contract_pk
    )
    if not scoped(
        request.actor, Child.objects.filter(pk=contract.child_id), Area.CHILDREN
    ).exists():
        raise Http404("Не найдено")
    return contract


@login_required
def contract_docx_view(request, contract_pk):
    contract = _contract(request, contract_pk)
    return download(contract_docx(contract), contract_filename(contract, "docx"), DOCX)


@login_required
def contract_pdf_view(request, contract_pk):
    contract = _contract(request, contract_pk)
    return download(contract_pdf(contract), contract_filename(contract, "pdf"), PDF)


@login_required
def contract_create(request, child_pk):
    actor = request.actor
    child = get_scoped_or_404(
        actor,
        Child.objects.prefetch_related("guardian_links__guardian"),
        Area.MOVEMENT,
        pk=child_pk,
    )
    require(actor, Area.MOVEMENT, write=True, obj=child)
    groups = _writable_groups(actor)
    current = selectors.group_of(child, actor.today)
    form = ContractForm(
        request.POST or None,
        child=child,
        groups=groups,
        initial={"date": actor.today, "group": current},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        guardian_pk = data.pop("guardian")
        guardian = next(
            (
                link.guardian
                for link in child.guardian_links.all()
                if link.guardian_id == guardian_pk
            ),
            None,
        )
        try:
            contract = services.contract_create(actor=actor, child=child, guardian=guardian, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Договор {contract} оформлен.")
            return redirect(child)
    return render(request, "movement/contract_form.html", {"form": form, "child": child})
