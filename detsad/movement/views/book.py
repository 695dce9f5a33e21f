"""The movement book: the register of events with filters, its PDF/XLSX, cancelling an
event with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from detsad.core.access import get_scoped_or_404, require, scoped
from detsad.core.documents import PDF, XLSX, download
from detsad.core.models import Group
from detsad.core.permissions import Area
from detsad.core.views import apply_validation_error

from .. import selectors, services
from ..book import book_rows
from ..documents.tables import book_pdf, book_xlsx
from ..forms import BookFilterForm, CancelForm, academic_year_bounds
from ..models import MovementEvent

PAGE_SIZE = 50


def _groups(actor):
    qs = scoped(actor, Group.objects.all(), Area.MOVEMENT)
    if actor.organization is not None:
        qs = qs.filter(organization=actor.organization)
    return qs.select_related("organization").order_by("archived_at", "name")


def _filters(request):
    actor = request.actor
    require(actor, Area.MOVEMENT)
    start, end = academic_year_bounds(actor.today)
    form = BookFilterForm(
        request.GET or None, groups=_groups(actor), initial={"start": start, "end": end}
    )
    data = form.cleaned_data if form.is_valid() else {}
    if request.GET and form.is_valid():
        start, end = data.get("start") or start, data.get("end") or end
    group = data.get("group")
    return actor, form, start, end, group, data


@login_required
def book(request):
    if not selectors.sees_children_names(request.actor):
        require(request.actor, Area.MOVEMENT)
        messages.info(
            request,
            "Книга движения содержит персональные данные детей (ФИО, даты рождения, адреса, "
            "родители). Управлению образованием она показывается в цифрах: движение "
            "воспитанников и наполняемость групп по всем детским садам.",
        )
        return redirect("movement:report_movement")
    actor, form, start, end, group, data = _filters(request)
    events = selectors.book_events(
        actor,
        start=start,
        end=end,
        group_id=group.pk if group else None,
        kind=data.get("kind") or "",
        q=data.get("q") or "",
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "movement/book.html",
        {
            "form": form,
            "page_obj": page,
            "events": page.object_list,
            "start": start,
            "end": end,
            "query": query.urlencode(),
            "can_write": actor.can(Area.MOVEMENT, write=True) and actor.organization is not None,
            "can_download": actor.organization is not None,
        },
    )


def _book_download(request, fmt: str):
    actor, _form, start, end, group, _data = _filters(request)
    if not selectors.sees_children_names(actor):
        raise PermissionDenied(
            "Книга движения с именами детей недоступна: смотрите сводные отчёты."
        )
    if actor.organization is None:
        raise PermissionDenied("Книга движения ведётся в организации: выберите её.")
    rows = book_rows(actor, start, end, group_id=group.pk if group else None)
    name = f"Книга движения {start:%d.%m.%Y}–{end:%d.%m.%Y}"
    if fmt == "pdf":
        return download(book_pdf(actor.organization, rows, start, end), f"{name}.pdf", PDF)
    return download(book_xlsx(actor.organization, rows, start, end), f"{name}.xlsx", XLSX)


@login_required
def book_pdf_view(request):
    return _book_download(request, "pdf")


@login_required
def book_xlsx_view(request):
    return _book_download(request, "xlsx")


@login_required
def event_cancel(request, event_pk):
    actor = request.actor
    event = get_scoped_or_404(
        actor,
        MovementEvent.objects.select_related("child", "group", "from_group", "order"),
        Area.MOVEMENT,
        pk=event_pk,
    )
    require(actor, Area.MOVEMENT, write=True, obj=event)
    already = MovementEvent.objects.filter(cancels=event).exists()
    form = CancelForm(request.POST or None)
    warning, closed_month = None, False
    if request.method == "POST" and not already and form.is_valid():
        try:
            services.movement_event_cancel(
                actor=actor,
                event=event,
                reason=form.cleaned_data["reason"],
                correction=form.cleaned_data["correction"],
                # the checkbox comes with the capacity warning (the template)
                confirm_over_capacity=request.POST.get("confirm_over_capacity") == "on",
            )
        except services.CapacityWarning as exc:
            warning = " ".join(exc.messages)
        except services.ClosedMonthError as exc:
            apply_validation_error(form, exc)
            closed_month = True
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Запись «{event}» отменена.")
            return redirect(event.child)
    return render(
        request,
        "movement/event_cancel.html",
        {
            "event": event,
            "form": form,
            "closed_year": services.closed_year(event.organization, event.on),
            "closed_month": closed_month,
            "already": already,
            "capacity_warning": warning,
            "may_confirm": services.may_confirm_over_capacity(actor),
        },
    )
