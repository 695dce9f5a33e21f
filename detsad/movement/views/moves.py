"""Enrollment, transfer and withdrawal of several children at once, with the order.

A form is posted with ``action=save`` to write; any other post (changing the date or the
group filter) only redraws the list of children. A group over capacity shows the warning
and, for the coordinator, the confirmation checkbox (services.events).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render

from detsad.core.access import require, scoped
from detsad.core.models import Group
from detsad.core.permissions import Area
from detsad.core.views import apply_validation_error

from .. import selectors, services
from ..forms import EnrollForm, TransferForm, WithdrawForm, parse_date
from ..models import Order


def _writable_groups(actor):
    return scoped(actor, Group.objects.all(), Area.MOVEMENT, write=True).filter(
        organization=actor.organization, archived_at__isnull=True
    )


def _start(request):
    actor = request.actor
    require(actor, Area.MOVEMENT, write=True)
    if actor.organization is None:
        raise PermissionDenied("Выберите организацию.")
    data = request.POST if request.method == "POST" else request.GET
    on = parse_date(data.get("on"), actor.today)
    preselect = request.GET.get("child", "")
    return actor, on, preselect


def _initial(request, on, preselect) -> dict:
    initial = {"on": on}
    if preselect.isdigit():
        initial["children"] = [int(preselect)]
    return initial


def _page(request, template, form, *, title, capacity_warning=None):
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "capacity_warning": capacity_warning,
            "may_confirm": services.may_confirm_over_capacity(request.actor),
        },
    )


def _run(request, form, write):
    """Call `write()` in one transaction; map errors onto the form. Returns (events, warning)."""
    try:
        with transaction.atomic():
            return write(), None
    except services.CapacityWarning as exc:
        return None, " ".join(exc.messages)
    except services.ClosedMonthError as exc:
        apply_validation_error(form, exc)
        form.closed_month = True  # the template opens the correction fields
        return None, None
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None, None


@login_required
def enroll(request):
    actor, on, preselect = _start(request)
    candidates = list(selectors.enroll_candidates(actor, on))
    form = EnrollForm(
        request.POST or None,
        initial=_initial(request, on, preselect),
        candidates=candidates,
        groups=_writable_groups(actor),
        orders=selectors.open_orders(actor, [Order.Kind.ENROLL]),
    )
    warning = None
    if request.method == "POST" and request.POST.get("action") == "save" and form.is_valid():
        data = form.cleaned_data

        def write():
            order = form.order_or_new(actor=actor)
            children = form.selected_children()
            contracts, referrals = {}, {}
            for child in children:
                referrals[child.pk] = (
                    data.get(f"ref_num_{child.pk}"),
                    data.get(f"ref_date_{child.pk}"),
                )
                if data.get(f"contract_num_{child.pk}"):
                    guardian_pk = data.get(f"guardian_{child.pk}")
                    guardian = next(
                        (
                            link.guardian
                            for link in child.guardian_links.all()
                            if link.guardian_id == guardian_pk
                        ),
                        None,
                    )
                    try:
                        contracts[child.pk] = services.contract_create(
                            actor=actor,
                            child=child,
                            number=data[f"contract_num_{child.pk}"],
                            date=data[f"contract_date_{child.pk}"],
                            guardian=guardian,
                            group=data["group"],
                        )
                    except ValidationError as exc:  # say whose contract it is
                        raise ValidationError(
                            [f"{child.full_name}: {m[:1].lower()}{m[1:]}" for m in exc.messages]
                        ) from exc
            services.children_enroll(
                actor=actor,
                children=children,
                group=data["group"],
                order=order,
                referrals=referrals,
                contracts=contracts,
                confirm_over_capacity=data.get("confirm_over_capacity", False),
                **form.movement_kwargs(),
            )
            return order

        order, warning = _run(request, form, write)
        if order is not None:
            messages.success(
                request,
                f"Зачислено детей: {len(form.selected_children())} ({order}). "
                "Скачайте приказ и передайте на подпись заведующему.",
            )
            return redirect(order)
    return _page(
        request, "movement/enroll.html", form, title="Зачисление", capacity_warning=warning
    )


@login_required
def transfer(request):
    actor, on, preselect = _start(request)
    data = request.POST if request.method == "POST" else request.GET
    from_group = data.get("from_group", "")
    if preselect.isdigit() and not from_group:
        placed = selectors.children_placed_on(actor, on).filter(child_id=int(preselect)).first()
        from_group = str(placed.group_id) if placed else ""
    candidates = list(
        selectors.children_placed_on(
            actor, on, group_id=int(from_group) if from_group.isdigit() else None
        )
    )
    initial = {**_initial(request, on, preselect), "from_group": from_group or None}
    form = TransferForm(
        request.POST or None,
        initial=initial,
        candidates=candidates,
        groups=_writable_groups(actor),
        orders=selectors.open_orders(actor, [Order.Kind.TRANSFER]),
    )
    warning = None
    if request.method == "POST" and request.POST.get("action") == "save" and form.is_valid():

        def write():
            order = form.order_or_new(actor=actor)
            services.children_transfer(
                actor=actor,
                children=form.selected_children(),
                group=form.cleaned_data["group"],
                order=order,
                confirm_over_capacity=form.cleaned_data.get("confirm_over_capacity", False),
                **form.movement_kwargs(),
            )
            return order

        order, warning = _run(request, form, write)
        if order is not None:
            messages.success(
                request,
                f"Переведено детей: {len(form.selected_children())} в группу "
                f"«{form.cleaned_data['group'].name}» ({order}).",
            )
            return redirect(order)
    return _page(request, "movement/transfer.html", form, title="Перевод", capacity_warning=warning)


@login_required
def withdraw(request):
    actor, on, preselect = _start(request)
    data = request.POST if request.method == "POST" else request.GET
    from_group = data.get("from_group", "")
    candidates = list(
        selectors.children_placed_on(
            actor, on, group_id=int(from_group) if from_group.isdigit() else None
        )
    )
    form = WithdrawForm(
        request.POST or None,
        initial={**_initial(request, on, preselect), "from_group": from_group or None},
        candidates=candidates,
        groups=_writable_groups(actor),
        orders=selectors.open_orders(actor, [Order.Kind.WITHDRAW]),
    )
    if request.method == "POST" and request.POST.get("action") == "save" and form.is_valid():

        def write():
            order = form.order_or_new(actor=actor)
            services.children_withdraw(
                actor=actor,
                children=form.selected_children(),
                order=order,
                reason=form.cleaned_data["reason"],
                reason_text=form.cleaned_data.get("reason_text", ""),
                destination=form.cleaned_data.get("destination", ""),
                **form.movement_kwargs(),
            )
            return order

        order, _warning = _run(request, form, write)
        if order is not None:
            messages.success(
                request, f"Отчислено детей: {len(form.selected_children())} ({order})."
            )
            return redirect(order)
    return _page(request, "movement/withdraw.html", form, title="Отчисление")
