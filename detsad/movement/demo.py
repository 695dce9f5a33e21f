"""Demo movement book: mass enrollment orders, enrollment events and their placements,
plus a transfer and a withdrawal in the main kindergarten made through the services."""

from __future__ import annotations

import datetime as dt

from detsad.core.access import Actor
from detsad.core.demo import DemoContext

from . import services
from .models import MovementEvent, Order, Placement, WithdrawalReason


def build(ctx: DemoContext) -> None:
    orders: dict[tuple[int, dt.date], Order] = {}
    counter: dict[tuple[int, int], int] = {}
    for _child, group, enroll in ctx.data["placements"]:
        key = (group.organization_id, enroll)
        if key not in orders:
            n = counter[(group.organization_id, enroll.year)] = (
                counter.get((group.organization_id, enroll.year), 40) + 1
            )
            orders[key] = Order(
                organization_id=group.organization_id,
                number=f"{n}-в",
                date=enroll - dt.timedelta(days=3),
                year=enroll.year,
                kind=Order.Kind.ENROLL,
                title="О зачислении воспитанников",
            )
    Order.objects.bulk_create(orders.values())
    events = [
        MovementEvent(
            organization_id=group.organization_id,
            child=child,
            kind=MovementEvent.Kind.ENROLL,
            on=enroll,
            group=group,
            order=orders[(group.organization_id, enroll)],
            referral_number=f"Н-{child.pk:05d}",
            referral_date=enroll - dt.timedelta(days=30),
        )
        for child, group, enroll in ctx.data["placements"]
    ]
    MovementEvent.objects.bulk_create(events, batch_size=2000)
    Placement.objects.bulk_create(
        [
            Placement(
                organization_id=e.organization_id,
                child=e.child,
                group=e.group,
                start=e.on,
                start_event=e,
            )
            for e in events
        ],
        batch_size=2000,
    )
    ctx.count("movement events", len(events))
    ctx.detail(f"Книга движения: {len(events)} зачислений по {len(orders)} приказам")
    if ctx.scale != "demo":
        return
    # A little history in the main kindergarten, made as a person would (with audit records).
    org = ctx.main_org
    actor = Actor.system(organization=org)
    groups = {g.name: g for g in ctx.groups[org.pk]}
    in_main = [(c, g) for c, g, _e in ctx.data["placements"] if g.organization_id == org.pk]
    mover = next(c for c, g in in_main if g.name == "Звёздочки")
    leaver = next(c for c, g in reversed(in_main) if g.name == "Радуга")
    order = services.order_create(
        actor=actor,
        organization=org,
        number="112-в",
        date=dt.date(2026, 10, 12),
        kind=Order.Kind.TRANSFER,
        title="О переводе воспитанников",
    )
    services.child_transfer(
        actor=actor,
        child=mover,
        group=groups["Радуга"],
        on=dt.date(2026, 10, 13),
        order=order,
        confirm_over_capacity=True,
    )
    order = services.order_create(
        actor=actor,
        organization=org,
        number="118-в",
        date=dt.date(2026, 11, 2),
        kind=Order.Kind.WITHDRAW,
        title="Об отчислении воспитанников",
    )
    services.child_withdraw(
        actor=actor,
        child=leaver,
        on=dt.date(2026, 11, 6),
        order=order,
        reason=WithdrawalReason.MOVED,
        destination="г. Армавир",
    )
    ctx.data["withdrawn"] = [leaver]
