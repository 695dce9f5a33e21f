"""Writes to the movement book: orders, enrollment, transfer, withdrawal, cancellation.

Invariants (issue «Movement book», DESIGN.md §5), enforced here inside one transaction per
call and re-checked by rebuilding the child's placements from the effective events:

- a child is in at most one group of an organization on any date;
- a transfer or withdrawal needs an enrollment before it;
- no event before the child's birth;
- no event in a closed academic year unless it is an explicit correction (or initial data
  loaded when the system is introduced);
- a group over capacity only with ``confirm_over_capacity=True`` (the coordinator confirms
  the warning);
- an order number is unique per organization and calendar year.

Errors are `ValidationError` with Russian messages naming the child; nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from detsad.core import audit
from detsad.core.access import Actor, require
from detsad.core.models import AcademicYear, AuditRecord, Group, Organization
from detsad.core.permissions import Area
from detsad.people.models import Child

from .models import MovementEvent, Order, Placement, WithdrawalReason


class CapacityWarning(ValidationError):
    """The group would exceed its capacity; repeat with ``confirm_over_capacity=True``."""


@dataclass
class _Interval:
    group_id: int
    start: dt.date
    end: dt.date | None
    start_event: MovementEvent
    end_event: MovementEvent | None = None


def _effective(events: Iterable[MovementEvent]) -> list[MovementEvent]:
    events = list(events)
    cancelled = {e.cancels_id for e in events if e.kind == MovementEvent.Kind.CANCEL}
    return sorted(
        (e for e in events if e.kind != MovementEvent.Kind.CANCEL and e.pk not in cancelled),
        key=lambda e: (e.on, e.pk or 10**18),
    )


def _simulate(child: Child, events: Iterable[MovementEvent]) -> list[_Interval]:
    """Replay a child's effective events into intervals; raise ValidationError on conflict."""
    who = child.full_name
    intervals: list[_Interval] = []
    current: _Interval | None = None
    for e in _effective(events):
        day = e.on.strftime("%d.%m.%Y")
        if e.on < child.birth_date:
            raise ValidationError(f"{who}: дата {day} раньше даты рождения ребёнка.")
        if e.kind == MovementEvent.Kind.ENROLL:
            if current is not None:
                raise ValidationError(
                    f"{who}: на {day} ребёнок уже зачислен (с {current.start:%d.%m.%Y}); "
                    "повторное зачисление невозможно — оформите перевод или отчисление."
                )
            if intervals and intervals[-1].end is not None and e.on <= intervals[-1].end:
                raise ValidationError(
                    f"{who}: зачисление {day} пересекается с прежним пребыванием "
                    f"(до {intervals[-1].end:%d.%m.%Y})."
                )
            current = _Interval(e.group_id, e.on, None, e)
            intervals.append(current)
        elif e.kind == MovementEvent.Kind.TRANSFER:
            if current is None:
                raise ValidationError(
                    f"{who}: перевод {day} невозможен — ребёнок не зачислен на эту дату."
                )
            if e.on <= current.start:
                raise ValidationError(
                    f"{who}: перевод {day} должен быть позже зачисления в группу "
                    f"({current.start:%d.%m.%Y})."
                )
            if e.group_id == current.group_id:
                raise ValidationError(f"{who}: ребёнок уже в этой группе.")
            current.end = e.on - dt.timedelta(days=1)
            current.end_event = e
            current = _Interval(e.group_id, e.on, None, e)
            intervals.append(current)
        elif e.kind == MovementEvent.Kind.WITHDRAW:
            if current is None:
                raise ValidationError(
                    f"{who}: отчисление {day} невозможно — ребёнок не зачислен на эту дату."
                )
            if e.on < current.start:
                raise ValidationError(f"{who}: отчисление {day} раньше зачисления в группу.")
            current.end = e.on
            current.end_event = e
            current = None
    return intervals


def placements_rebuild(child: Child) -> list[Placement]:
    """Re-derive the child's Placement rows from the movement book (inside a transaction)."""
    events = list(MovementEvent.objects.filter(child=child))
    intervals = _simulate(child, events)
    Placement.objects.filter(child=child).delete()
    rows = [
        Placement(
            organization_id=child.organization_id,
            child=child,
            group_id=i.group_id,
            start=i.start,
            end=i.end,
            start_event=i.start_event,
            end_event=i.end_event,
        )
        for i in intervals
    ]
    Placement.objects.bulk_create(rows)
    return rows


def _check_year_open(
    organization: Organization, day: dt.date, *, correction: bool, order: Order | None
) -> None:
    if correction or (order is not None and order.is_initial_data):
        return
    closed = AcademicYear.objects.filter(
        organization=organization, start__lte=day, end__gte=day, state=AcademicYear.State.CLOSED
    ).exists()
    if closed:
        raise ValidationError(
            f"Дата {day:%d.%m.%Y} относится к закрытому учебному году; "
            "внесите запись как исправление с указанием причины."
        )


def _check_capacity(group: Group, on: dt.date, adding: int, confirmed: bool) -> None:
    if confirmed:
        return
    present = Placement.objects.filter(group=group, start__lte=on).exclude(end__lt=on).count()
    if present + adding > group.capacity:
        raise CapacityWarning(
            f"В группе «{group.name}» на {on:%d.%m.%Y} будет {present + adding} детей при "
            f"наполняемости {group.capacity}. Подтвердите превышение."
        )


def _check_order(order: Order | None, organization: Organization) -> None:
    if order is not None and order.organization_id != organization.pk:
        raise ValidationError("Приказ принадлежит другой организации.")


@transaction.atomic
def order_create(
    *,
    actor: Actor,
    organization: Organization,
    number: str,
    date: dt.date,
    kind: str,
    title: str = "",
    is_initial_data: bool = False,
) -> Order:
    """Register an order. Raises ValidationError when the number is taken in that year."""
    require(actor, Area.MOVEMENT, write=True, obj=organization)
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": "Укажите номер приказа."})
    if Order.objects.filter(organization=organization, year=date.year, number=number).exists():
        raise ValidationError({"number": f"Приказ № {number} за {date.year} год уже есть."})
    order = Order.objects.create(
        organization=organization,
        number=number,
        date=date,
        kind=kind,
        title=title,
        is_initial_data=is_initial_data,
        author=actor.user if getattr(actor.user, "pk", None) else None,
    )
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        order,
        changes={"number": number, "date": date, "kind": kind},
    )
    return order


def _new_event(actor: Actor, child: Child, **fields) -> MovementEvent:
    return MovementEvent(
        organization_id=child.organization_id,
        child=child,
        author=actor.user if getattr(actor.user, "pk", None) else None,
        **fields,
    )


def _save_events(actor: Actor, pairs: list[tuple[Child, MovementEvent]]) -> list[MovementEvent]:
    saved = []
    for child, event in pairs:
        _simulate(child, [*MovementEvent.objects.filter(child=child), event])  # validate first
    for child, event in pairs:
        event.save()
        placements_rebuild(child)
        audit.record(
            actor,
            AuditRecord.Action.CREATE,
            event,
            organization=child.organization,
            changes={
                "kind": event.get_kind_display(),
                "on": event.on,
                "group": str(event.group) if event.group_id else None,
                "order": str(event.order) if event.order_id else None,
            },
        )
        saved.append(event)
    return saved


@transaction.atomic
def children_enroll(
    *,
    actor: Actor,
    children: list[Child],
    group: Group,
    on: dt.date,
    order: Order | None,
    referral_number: str = "",
    referral_date: dt.date | None = None,
    contracts: dict[int, object] | None = None,
    confirm_over_capacity: bool = False,
    correction: bool = False,
) -> list[MovementEvent]:
    """Enroll several children into `group` from `on` by one order (e.g. on 1 September).

    Raises ValidationError (nothing written) or CapacityWarning when unconfirmed.
    """
    require(actor, Area.MOVEMENT, write=True, obj=group)
    _check_order(order, group.organization)
    _check_year_open(group.organization, on, correction=correction, order=order)
    _check_capacity(group, on, len(children), confirm_over_capacity)
    pairs = []
    for child in children:
        if child.organization_id != group.organization_id:
            raise ValidationError(f"{child.full_name}: ребёнок из другой организации.")
        pairs.append(
            (
                child,
                _new_event(
                    actor,
                    child,
                    kind=MovementEvent.Kind.ENROLL,
                    on=on,
                    group=group,
                    order=order,
                    referral_number=referral_number,
                    referral_date=referral_date,
                    contract=(contracts or {}).get(child.pk),
                    over_capacity_confirmed=confirm_over_capacity,
                ),
            )
        )
    return _save_events(actor, pairs)


def child_enroll(
    *, actor: Actor, child: Child, group: Group, on: dt.date, order: Order | None, **kwargs
) -> MovementEvent:
    """Enroll one child (see `children_enroll`)."""
    return children_enroll(
        actor=actor, children=[child], group=group, on=on, order=order, **kwargs
    )[0]


@transaction.atomic
def children_transfer(
    *,
    actor: Actor,
    children: list[Child],
    group: Group,
    on: dt.date,
    order: Order | None,
    confirm_over_capacity: bool = False,
    correction: bool = False,
) -> list[MovementEvent]:
    """Transfer children to `group` from `on` (their first day in the new group)."""
    from .selectors import group_of

    require(actor, Area.MOVEMENT, write=True, obj=group)
    _check_order(order, group.organization)
    _check_year_open(group.organization, on, correction=correction, order=order)
    _check_capacity(group, on, len(children), confirm_over_capacity)
    pairs = []
    for child in children:
        previous = group_of(child, on)
        pairs.append(
            (
                child,
                _new_event(
                    actor,
                    child,
                    kind=MovementEvent.Kind.TRANSFER,
                    on=on,
                    group=group,
                    from_group=previous,
                    order=order,
                    over_capacity_confirmed=confirm_over_capacity,
                ),
            )
        )
    return _save_events(actor, pairs)


def child_transfer(
    *, actor: Actor, child: Child, group: Group, on: dt.date, order: Order | None, **kwargs
) -> MovementEvent:
    return children_transfer(
        actor=actor, children=[child], group=group, on=on, order=order, **kwargs
    )[0]


@transaction.atomic
def children_withdraw(
    *,
    actor: Actor,
    children: list[Child],
    on: dt.date,
    order: Order | None,
    reason: str,
    reason_text: str = "",
    destination: str = "",
    correction: bool = False,
) -> list[MovementEvent]:
    """Withdraw children; `on` is their last day in the kindergarten."""
    from .selectors import group_of

    require(actor, Area.MOVEMENT, write=True)
    if reason not in WithdrawalReason.values:
        raise ValidationError({"reason": "Выберите причину отчисления."})
    if reason == WithdrawalReason.OTHER and not reason_text.strip():
        raise ValidationError({"reason_text": "Укажите причину отчисления текстом."})
    pairs = []
    for child in children:
        require(actor, Area.MOVEMENT, write=True, obj=child)
        _check_order(order, child.organization)
        _check_year_open(child.organization, on, correction=correction, order=order)
        current = group_of(child, on)
        if current is None:
            raise ValidationError(
                f"{child.full_name}: отчисление {on:%d.%m.%Y} невозможно — "
                "ребёнок не зачислен на эту дату."
            )
        pairs.append(
            (
                child,
                _new_event(
                    actor,
                    child,
                    kind=MovementEvent.Kind.WITHDRAW,
                    on=on,
                    group=current,
                    from_group=current,
                    order=order,
                    reason=reason,
                    reason_text=reason_text.strip(),
                    destination=destination.strip(),
                ),
            )
        )
    return _save_events(actor, pairs)


def child_withdraw(
    *, actor: Actor, child: Child, on: dt.date, order: Order | None, reason: str, **kwargs
) -> MovementEvent:
    return children_withdraw(
        actor=actor, children=[child], on=on, order=order, reason=reason, **kwargs
    )[0]


@transaction.atomic
def movement_event_cancel(*, actor: Actor, event: MovementEvent, reason: str) -> MovementEvent:
    """Cancel an earlier event by a new CANCEL event (never an edit in place)."""
    require(actor, Area.MOVEMENT, write=True)
    if event.kind == MovementEvent.Kind.CANCEL:
        raise ValidationError("Отмену нельзя отменить; внесите новую запись.")
    if MovementEvent.objects.filter(cancels=event).exists():
        raise ValidationError("Эта запись уже отменена.")
    if not reason.strip():
        raise ValidationError({"reason": "Укажите причину отмены."})
    child = event.child
    cancel = _new_event(
        actor,
        child,
        kind=MovementEvent.Kind.CANCEL,
        on=event.on,
        cancels=event,
        reason_text=reason.strip(),
    )
    # Validate the remaining history (e.g. cancelling an enrollment with a later transfer).
    others = [e for e in MovementEvent.objects.filter(child=child) if e.pk != event.pk]
    _simulate(child, others + [cancel])
    cancel.save()
    placements_rebuild(child)
    audit.record(
        actor,
        AuditRecord.Action.CANCEL,
        event,
        organization=child.organization,
        note=reason.strip(),
        changes={"cancelled": str(event)},
    )
    return cancel


def initial_data_order(
    *, actor: Actor, organization: Organization, on: dt.date | None = None
) -> Order:
    """The «initial data» marker order of an organization (history loaded at introduction)."""
    today = on or timezone.localdate()
    order = Order.objects.filter(organization=organization, is_initial_data=True).first()
    if order is None:
        order = Order.objects.create(
            organization=organization,
            number="НД",
            date=today,
            kind=Order.Kind.INITIAL,
            title="Начальные данные при внедрении системы",
            is_initial_data=True,
        )
        audit.record(actor, AuditRecord.Action.CREATE, order)
    return order
