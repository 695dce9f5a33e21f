"""Writes to the movement book: enrollment, transfer, withdrawal, cancellation.

Invariants (issue «Movement book» item 2, DESIGN.md §5), enforced here inside one
transaction per call and re-checked by replaying the child's effective events:

- a child is in at most one group of an organization on any date (placements never
  overlap; the database rejects an overlap too, migration 0003);
- a transfer or withdrawal needs an enrollment before it, and the group it records as
  left is the child's group that day (no event slipped in before, or cancelled from
  under, a later one);
- no event before the child's birth;
- no event in a closed academic year unless it is an explicit correction with a reason
  (or initial data loaded when the system is introduced);
- no change to a child's group on a day of a closed attendance or fees month
  (``MonthClosing`` not reopened) unless it is an explicit correction with a reason: the
  closed timesheet and the month's charges were built on the book as it stood (DESIGN.md
  §5). What counts is the days whose group the entry changes, not only its date: an
  enrollment on 01.09 with October closed changes October too; a withdrawal on 31.10 (the
  last day) changes nothing before 01.11. Initial data is no exception here;
- a group over capacity only with ``confirm_over_capacity=True``, which only the
  coordinator (or the head) may give: the HR specialist gets the warning;
- events are never edited: a correction is a CANCEL event pointing to the earlier one;
- an order signed by the head takes no more events.

Errors are `ValidationError` with Russian messages naming the child; nothing is written.
Every written event leaves an audit record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from detsad.core import audit
from detsad.core.access import Actor, require
from detsad.core.models import AcademicYear, AuditRecord, Group, MonthClosing, Organization
from detsad.core.permissions import Area, Role
from detsad.core.text import count, month_label
from detsad.people.models import Child

from ..models import EducationContract, MovementEvent, Order, Placement, WithdrawalReason


class CapacityWarning(ValidationError):
    """The group would exceed its capacity; repeat with ``confirm_over_capacity=True``."""


class ClosedMonthError(ValidationError):
    """The entry changes a child's group on a day of a closed attendance or fees month;
    repeat as a correction (``correction=True`` with ``correction_reason``)."""


@dataclass
class _Interval:
    group_id: int
    start: dt.date
    end: dt.date | None
    start_event: MovementEvent
    end_event: MovementEvent | None = None


def _effective(events: Iterable[MovementEvent]) -> list[MovementEvent]:
    """Events not cancelled and not cancellations, in book order (date, then entry)."""
    events = list(events)
    cancelled = {e.cancels_id for e in events if e.kind == MovementEvent.Kind.CANCEL}
    return sorted(
        (e for e in events if e.kind != MovementEvent.Kind.CANCEL and e.pk not in cancelled),
        key=lambda e: (e.on, e.pk or 10**18),
    )


def _check_recorded_group(who: str, e: MovementEvent, recorded: int | None, actual: int) -> None:
    """A transfer records the group it leaves and a withdrawal the group it ends: both
    must be the child's group on that day in the replayed history. They differ when an
    event is slipped in before, or cancelled before, a later one; the book would then
    name the wrong group, so such a change is refused."""
    if recorded is None or recorded == actual:
        return
    names = dict(Group.objects.filter(pk__in=[recorded, actual]).values_list("pk", "name"))
    kind = "перевод" if e.kind == MovementEvent.Kind.TRANSFER else "отчисление"
    raise ValidationError(
        f"{who}: {kind} {e.on:%d.%m.%Y} записан{'о' if kind == 'отчисление' else ''} из группы "
        f"«{names.get(recorded, '')}», а ребёнок на эту дату был бы в группе "
        f"«{names.get(actual, '')}»: запись не сходится с более поздними записями книги."
    )


def _simulate(child: Child, events: Iterable[MovementEvent]) -> list[_Interval]:
    """Replay a child's effective events into group intervals.

    Returns the intervals (group, first day, last day or None) in order. Raises
    ValidationError naming the child and the date when the history breaks an invariant.
    """
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
                raise ValidationError(f"{who}: на {day} ребёнок уже в этой группе.")
            _check_recorded_group(who, e, e.from_group_id, current.group_id)
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
            _check_recorded_group(who, e, e.group_id, current.group_id)
            current.end = e.on
            current.end_event = e
            current = None
    return intervals


def placements_rebuild(child: Child) -> list[Placement]:
    """Re-derive the child's Placement rows from the movement book (inside a transaction).

    Raises ValidationError when the book's effective events break an invariant.
    """
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


def closed_year(organization: Organization, day: dt.date) -> AcademicYear | None:
    return AcademicYear.objects.filter(
        organization=organization, start__lte=day, end__gte=day, state=AcademicYear.State.CLOSED
    ).first()


def _group_on(intervals: list[_Interval], day: dt.date) -> int | None:
    for i in intervals:
        if i.start <= day and (i.end is None or i.end >= day):
            return i.group_id
    return None


def changed_spans(old: list[_Interval], new: list[_Interval]) -> list[tuple]:
    """The stretches of days (first, last or None = open-ended) on which the child's group
    differs between two replayed histories (`_simulate` results). Membership is constant
    between consecutive interval boundaries, so comparing at each boundary is enough."""
    one = dt.timedelta(days=1)
    points = sorted(
        {i.start for i in old + new} | {i.end + one for i in old + new if i.end is not None}
    )
    spans: list[list] = []
    for index, day in enumerate(points):
        last = points[index + 1] - one if index + 1 < len(points) else None
        if _group_on(old, day) == _group_on(new, day):
            continue
        if spans and spans[-1][1] is not None and spans[-1][1] + one == day:
            spans[-1][1] = last
        else:
            spans.append([day, last])
    return [tuple(s) for s in spans]


def closed_months_in(organization_id: int, spans: list[tuple]) -> list[MonthClosing]:
    """Closed (not reopened) attendance and fees months of the organization that meet any
    of `spans` (first, last or None), in month order (one query; none when no spans)."""
    if not spans:
        return []
    cover = Q()
    for first, last in spans:
        q = Q(month__gte=first.replace(day=1))
        if last is not None:
            q &= Q(month__lte=last)
        cover |= q
    return list(
        MonthClosing.objects.filter(
            cover, organization_id=organization_id, reopened_at__isnull=True
        ).order_by("month", "kind")
    )


def _closed_months_text(closings: list[MonthClosing]) -> str:
    """«сентябрь 2026 (посещаемость, родительская плата), октябрь 2026 (посещаемость)»."""
    by_month: dict[dt.date, list[str]] = {}
    for c in closings:
        by_month.setdefault(c.month, []).append(c.get_kind_display())
    return ", ".join(f"{month_label(m)} ({', '.join(k)})" for m, k in by_month.items())


def _check_months_open(
    child: Child, old: list[_Interval], new: list[_Interval], *, correction: bool, what: str
) -> None:
    """Raise ClosedMonthError unless the change from `old` to `new` keeps away from closed
    months, or this is an explicit correction (see the module docstring)."""
    if correction:
        return
    closings = closed_months_in(child.organization_id, changed_spans(old, new))
    if closings:
        months = _closed_months_text(closings)
        error = ClosedMonthError(
            f"{child.full_name}: {what} меняет состав группы в закрытом месяце — "
            f"{months}. Табель и начисления этого месяца уже построены по книге; внесите "
            "запись как исправление с указанием причины (или сначала откройте месяц заново)."
        )
        error.months = months
        raise error


def _correction_reason(correction: bool, correction_reason: str) -> str:
    reason = (correction_reason or "").strip()
    if correction and not reason:
        raise ValidationError({"correction_reason": "Укажите причину исправления."})
    return reason if correction else ""


def _check_year_open(
    organization: Organization, day: dt.date, *, correction: bool, order: Order | None
) -> None:
    """Raise unless `day` is in an open academic year, or this is a correction/initial data."""
    if correction or (order is not None and order.is_initial_data):
        return
    year = closed_year(organization, day)
    if year is not None:
        raise ValidationError(
            f"Дата {day:%d.%m.%Y} относится к закрытому учебному году {year}; "
            "внесите запись как исправление с указанием причины."
        )


def may_confirm_over_capacity(actor: Actor) -> bool:
    """The coordinator (or the head) confirms a group over capacity (issue item 2)."""
    return actor.has_role(Role.COORDINATOR, Role.HEAD)


def _check_capacity(
    actor: Actor,
    group: Group,
    on: dt.date,
    children: list[Child],
    confirmed: bool,
    until: dt.date | None = None,
) -> bool:
    """Check the group's peak occupancy from `on` (to `until`, default open-ended) with
    `children` added.

    Returns True when the group will be over capacity (and it was confirmed). Raises
    CapacityWarning when not confirmed, ValidationError when the actor may not confirm.
    """
    existing = Placement.objects.filter(group=group).exclude(end__lt=on).exclude(child__in=children)
    if until is not None:
        existing = existing.filter(start__lte=until)
    existing = list(existing.values_list("start", "end"))
    days = {on} | {start for start, _end in existing if start > on}
    peak, peak_day = 0, on
    for day in sorted(days):
        n = sum(1 for s, e in existing if s <= day and (e is None or e >= day)) + len(children)
        if n > peak:
            peak, peak_day = n, day
    if peak <= group.capacity:
        return False
    message = (
        f"В группе «{group.name}» на {peak_day:%d.%m.%Y} будет "
        f"{count(peak, 'ребёнок', 'ребёнка', 'детей')} при "
        f"наполняемости {group.capacity}."
    )
    if not confirmed:
        raise CapacityWarning(f"{message} Подтвердите превышение.")
    if not may_confirm_over_capacity(actor):
        raise ValidationError(f"{message} Подтвердить превышение может только координатор.")
    return True


def _check_order(order: Order | None, organization: Organization) -> None:
    if order is None:
        return
    if order.organization_id != organization.pk:
        raise ValidationError("Приказ принадлежит другой организации.")
    # Read the signature from the database: the caller's instance may be older than it.
    signed = Order.objects.filter(pk=order.pk, signed_at__isnull=False).exists()
    if signed and not order.is_initial_data:
        raise ValidationError(
            f"Приказ {order.label} уже подписан заведующим: добавить в него записи нельзя. "
            "Оформите новый приказ."
        )


def _check_group(group: Group, children: list[Child]) -> None:
    if group.archived_at is not None:
        raise ValidationError(f"Группа «{group.name}» в архиве.")
    for child in children:
        if child.organization_id != group.organization_id:
            raise ValidationError(f"{child.full_name}: ребёнок из другой организации.")


def _lock_group(group: Group) -> None:
    """Lock the group's row until the transaction ends: two people filling the group's
    last place at once wait for each other, so the second capacity check counts the
    first one's child (PostgreSQL; SQLite serializes writers anyway). The group is locked
    before the children, always in this order."""
    list(Group.objects.select_for_update().filter(pk=group.pk).values_list("pk", flat=True))


def _unique_children(children: list[Child]) -> list[Child]:
    if not children:
        raise ValidationError({"children": "Выберите хотя бы одного ребёнка."})
    seen: set[int] = set()
    for child in children:
        if child.pk in seen:
            raise ValidationError(f"{child.full_name}: ребёнок указан дважды.")
        seen.add(child.pk)
    # Lock the children's rows: two people moving the same child wait for each other.
    list(Child.objects.select_for_update().filter(pk__in=seen).values_list("pk", flat=True))
    return children


def _into_group(
    actor: Actor,
    *,
    group: Group,
    children: list[Child],
    on: dt.date,
    order: Order | None,
    correction: bool,
    correction_reason: str,
    confirm_over_capacity: bool,
) -> tuple[list[Child], str, bool]:
    """Checks shared by enrollment and transfer into `group`.

    Returns (children, correction reason, over capacity) or raises (see the module)."""
    require(actor, Area.MOVEMENT, write=True, obj=group)
    _lock_group(group)
    children = _unique_children(list(children))
    reason = _correction_reason(correction, correction_reason)
    _check_group(group, children)
    _check_order(order, group.organization)
    _check_year_open(group.organization, on, correction=correction, order=order)
    over = _check_capacity(actor, group, on, children, confirm_over_capacity)
    return children, reason, over


def _new_event(actor: Actor, child: Child, **fields) -> MovementEvent:
    return MovementEvent(
        organization_id=child.organization_id,
        child=child,
        author=actor.user if getattr(actor.user, "pk", None) else None,
        **fields,
    )


def _save_events(actor: Actor, events: list[MovementEvent]) -> list[MovementEvent]:
    """Validate every child's new history first, then write events, placements, audit."""
    for event in events:
        history = list(MovementEvent.objects.filter(child=event.child))
        new = _simulate(event.child, [*history, event])
        _check_months_open(
            event.child,
            _simulate(event.child, history),
            new,
            correction=bool(event.correction_reason),
            what=f"{event.get_kind_display()} {event.on:%d.%m.%Y}",
        )
    saved = []
    for event in events:
        child = event.child
        event.save()
        placements_rebuild(child)
        changes = {
            "kind": event.get_kind_display(),
            "on": event.on,
            "group": str(event.group) if event.group_id else None,
            "from_group": str(event.from_group) if event.from_group_id else None,
            "order": str(event.order) if event.order_id else None,
        }
        if event.reason:
            changes["reason"] = WithdrawalReason.phrase(event.reason, event.reason_text)
        if event.over_capacity_confirmed:
            changes["over_capacity_confirmed"] = True
        audit.record(
            actor,
            AuditRecord.Action.CREATE,
            event,
            organization=child.organization,
            changes=changes,
            note=event.correction_reason and f"исправление: {event.correction_reason}",
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
    referrals: dict[int, tuple[str, dt.date | None]] | None = None,
    contracts: dict[int, EducationContract] | None = None,
    confirm_over_capacity: bool = False,
    correction: bool = False,
    correction_reason: str = "",
) -> list[MovementEvent]:
    """Enroll several children into `group` from `on` (their first day) by one order.

    `referrals` maps child id → (referral number, date) and overrides the common
    `referral_number`/`referral_date`; `contracts` maps child id → that child's
    EducationContract. Raises ValidationError (nothing written) or CapacityWarning.
    """
    children, reason, over = _into_group(
        actor,
        group=group,
        children=children,
        on=on,
        order=order,
        correction=correction,
        correction_reason=correction_reason,
        confirm_over_capacity=confirm_over_capacity,
    )
    events = []
    for child in children:
        contract = (contracts or {}).get(child.pk)
        if contract is not None and contract.child_id != child.pk:
            raise ValidationError(f"{child.full_name}: договор {contract} другого ребёнка.")
        number, date = (referrals or {}).get(child.pk, (referral_number, referral_date))
        events.append(
            _new_event(
                actor,
                child,
                kind=MovementEvent.Kind.ENROLL,
                on=on,
                group=group,
                order=order,
                referral_number=(number or "").strip(),
                referral_date=date,
                contract=contract,
                over_capacity_confirmed=over,
                correction_reason=reason,
            )
        )
    return _save_events(actor, events)


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
    correction_reason: str = "",
) -> list[MovementEvent]:
    """Transfer children to `group` from `on` (their first day in the new group).

    The group they leave is the one they are in on `on` (recorded as ``from_group``).
    Raises ValidationError (nothing written) or CapacityWarning.
    """
    from ..selectors import current_groups_of

    children, reason, over = _into_group(
        actor,
        group=group,
        children=children,
        on=on,
        order=order,
        correction=correction,
        correction_reason=correction_reason,
        confirm_over_capacity=confirm_over_capacity,
    )
    previous = current_groups_of(children, on)
    events = []
    for child in children:
        if child.pk not in previous:
            raise ValidationError(
                f"{child.full_name}: перевод {on:%d.%m.%Y} невозможен — "
                "ребёнок не зачислен на эту дату."
            )
        events.append(
            _new_event(
                actor,
                child,
                kind=MovementEvent.Kind.TRANSFER,
                on=on,
                group=group,
                from_group=previous[child.pk],
                order=order,
                over_capacity_confirmed=over,
                correction_reason=reason,
            )
        )
    return _save_events(actor, events)


def child_transfer(
    *, actor: Actor, child: Child, group: Group, on: dt.date, order: Order | None, **kwargs
) -> MovementEvent:
    """Transfer one child (see `children_transfer`)."""
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
    correction_reason: str = "",
) -> list[MovementEvent]:
    """Withdraw children; `on` is their last day in the kindergarten.

    `reason` is a WithdrawalReason value; OTHER needs `reason_text`. `destination` is
    where the child went (school, town, another kindergarten) for the book.
    """
    from ..selectors import current_groups_of

    require(actor, Area.MOVEMENT, write=True)
    if reason not in WithdrawalReason.values:
        raise ValidationError({"reason": "Выберите причину отчисления."})
    if reason == WithdrawalReason.OTHER and not (reason_text or "").strip():
        raise ValidationError({"reason_text": "Укажите причину отчисления текстом."})
    children = _unique_children(list(children))
    fix_reason = _correction_reason(correction, correction_reason)
    current = current_groups_of(children, on)
    events = []
    for child in children:
        require(actor, Area.MOVEMENT, write=True, obj=child)
        _check_order(order, child.organization)
        _check_year_open(child.organization, on, correction=correction, order=order)
        group = current.get(child.pk)
        if group is None:
            raise ValidationError(
                f"{child.full_name}: отчисление {on:%d.%m.%Y} невозможно — "
                "ребёнок не зачислен на эту дату."
            )
        events.append(
            _new_event(
                actor,
                child,
                kind=MovementEvent.Kind.WITHDRAW,
                on=on,
                group=group,
                from_group=group,
                order=order,
                reason=reason,
                reason_text=(reason_text or "").strip(),
                destination=(destination or "").strip(),
                correction_reason=fix_reason,
            )
        )
    return _save_events(actor, events)


def child_withdraw(
    *, actor: Actor, child: Child, on: dt.date, order: Order | None, reason: str, **kwargs
) -> MovementEvent:
    """Withdraw one child (see `children_withdraw`)."""
    return children_withdraw(
        actor=actor, children=[child], on=on, order=order, reason=reason, **kwargs
    )[0]


def _new_presence(old: list[_Interval], new: list[_Interval]) -> list[tuple]:
    """(group id, first day, last day or None) of each stretch where the new history puts
    the child in a group the old one did not (e.g. a cancelled withdrawal: from the day
    after the old last day on)."""
    found = []
    for interval in new:
        day = interval.start
        for before in sorted(
            (o for o in old if o.group_id == interval.group_id), key=lambda o: o.start
        ):
            if before.start <= day and (before.end is None or before.end >= day):
                if before.end is None or before.end == dt.date.max:
                    day = None
                    break
                day = before.end + dt.timedelta(days=1)
        if day is not None and (interval.end is None or day <= interval.end):
            found.append((interval.group_id, day, interval.end))
    return found


@transaction.atomic
def movement_event_cancel(
    *,
    actor: Actor,
    event: MovementEvent,
    reason: str,
    correction: bool = False,
    order: Order | None = None,
    confirm_over_capacity: bool = False,
) -> MovementEvent:
    """Cancel an earlier event by a new CANCEL event (never an edit in place).

    `reason` is required. An event dated in a closed academic year is cancelled only with
    ``correction=True`` (the reason is then the correction's reason). Cancelling an event
    that later events rest on (an enrollment with a transfer after it) is refused: cancel
    the later ones first. A cancellation that puts the child back into a group (a
    cancelled withdrawal or transfer) checks that group's capacity like an enrollment:
    CapacityWarning unless ``confirm_over_capacity`` (the coordinator's).
    """
    require(actor, Area.MOVEMENT, write=True, obj=event)
    reason = (reason or "").strip()
    if event.kind == MovementEvent.Kind.CANCEL:
        raise ValidationError("Отмену нельзя отменить; внесите новую запись.")
    if MovementEvent.objects.filter(cancels=event).exists():
        raise ValidationError("Эта запись уже отменена.")
    if not reason:
        raise ValidationError({"reason": "Укажите причину отмены."})
    # The groups the child may return to first, then the child (the order enrollments use).
    for group_id in sorted({event.group_id, event.from_group_id} - {None}):
        _lock_group(Group(pk=group_id))
    child = Child.objects.select_for_update().get(pk=event.child_id)
    _check_order(order, child.organization)
    if not correction:
        _check_year_open(child.organization, event.on, correction=False, order=event.order)
    # cancels_id, not cancels=event: assigning the instance would fill event.cancelled_by
    # before anything is saved, and a refused cancellation would look done to the caller.
    cancel = _new_event(
        actor,
        child,
        kind=MovementEvent.Kind.CANCEL,
        on=event.on,
        cancels_id=event.pk,
        order=order,
        reason_text=reason,
        correction_reason=reason if correction else "",
    )
    history = list(MovementEvent.objects.filter(child=child))
    others = [e for e in history if e.pk != event.pk]
    try:
        intervals = _simulate(child, [*others, cancel])
    except ValidationError as exc:
        raise ValidationError(
            f"Запись «{event}» нельзя отменить: {' '.join(exc.messages)} "
            "Сначала отмените более поздние записи."
        ) from exc
    before = _simulate(child, history)
    _check_months_open(
        child, before, intervals, correction=correction, what=f"отмена записи «{event}»"
    )
    over = False
    for group_id, first, last in _new_presence(before, intervals):
        group = Group.objects.get(pk=group_id)
        _lock_group(group)
        over |= _check_capacity(actor, group, first, [child], confirm_over_capacity, until=last)
    cancel.over_capacity_confirmed = over
    cancel.save()
    placements_rebuild(child)
    audit.record(
        actor,
        AuditRecord.Action.CANCEL,
        event,
        organization=child.organization,
        note=reason,
        changes={
            "cancelled": [str(event), None],
            "cancel_event": cancel.pk,
            **({"over_capacity_confirmed": True} if over else {}),
        },
    )
    return cancel
