"""Demo movement book: mass enrollment orders with education contracts, enrollment events
and their placements (bulk), then a little history in the main kindergarten made through
the services as a person would (transfers, withdrawals, a cancelled entry), and in the
``finish`` pass the head's signatures on all orders but the latest.

Deterministic for a given seed. Group «Солнышко» is left as it is: other demos and the
parent's login rely on it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from detsad.core.access import Actor
from detsad.core.demo import DemoContext
from detsad.people.models import ChildGuardian

from . import services
from .models import EducationContract, MovementEvent, Order, Placement, WithdrawalReason

UNSIGNED_NUMBER = "124-в"


def _contracts(ctx: DemoContext, events: list[MovementEvent]) -> None:
    """A contract per enrollment of this academic year in the main kindergarten, signed by
    the mother (or the first guardian) five days before the first day."""
    org = ctx.main_org
    mine = [e for e in events if e.organization_id == org.pk and e.on >= ctx.year_start]
    first_guardian: dict[int, int] = {}
    for link in ChildGuardian.objects.filter(child__in=[e.child for e in mine]).order_by(
        "relation", "pk"
    ):
        first_guardian.setdefault(link.child_id, link.guardian_id)
    contracts = [
        EducationContract(
            organization_id=org.pk,
            child=e.child,
            guardian_id=first_guardian.get(e.child.pk),
            number=f"{i}-Д",
            date=e.on - dt.timedelta(days=5),
            year=(e.on - dt.timedelta(days=5)).year,
            regime=e.group.regime,
            orientation=e.group.orientation,
            study_term=services.study_term_for(e.child, e.on - dt.timedelta(days=5)),
            place="ст. Кавказская",
        )
        for i, e in enumerate(sorted(mine, key=lambda e: (e.on, e.child.last_name)), start=1)
    ]
    EducationContract.objects.bulk_create(contracts, batch_size=1000)
    for event, contract in zip(
        sorted(mine, key=lambda e: (e.on, e.child.last_name)), contracts, strict=True
    ):
        event.contract = contract
    MovementEvent.objects.bulk_update(mine, ["contract"], batch_size=1000)


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
    _contracts(ctx, events)
    _history(ctx)


def _history(ctx: DemoContext) -> None:
    """Transfers, withdrawals and a cancelled entry in the main kindergarten (audited)."""
    org = ctx.main_org
    actor = Actor.system(organization=org)
    groups = {g.name: g for g in ctx.groups[org.pk]}
    in_main = [(c, g) for c, g, _e in ctx.data["placements"] if g.organization_id == org.pk]
    stars = [c for c, g in in_main if g.name == "Звёздочки"]
    rainbow = [c for c, g in in_main if g.name == "Радуга"]
    whys = [c for c, g in in_main if g.name == "Почемучки"]

    def order(number, day, kind):
        return services.order_create(
            actor=actor, organization=org, number=number, date=day, kind=kind
        )

    # Two children move up to the senior group by one order.
    services.children_transfer(
        actor=actor,
        children=stars[:2],
        group=groups["Радуга"],
        on=dt.date(2026, 10, 13),
        order=order("112-в", dt.date(2026, 10, 12), Order.Kind.TRANSFER),
        confirm_over_capacity=True,
    )
    # A family moves away; another child goes to a kindergarten nearer home.
    leaver = rainbow[-1]
    services.child_withdraw(
        actor=actor,
        child=leaver,
        on=dt.date(2026, 11, 6),
        order=order("118-в", dt.date(2026, 11, 2), Order.Kind.WITHDRAW),
        reason=WithdrawalReason.MOVED,
        destination="г. Армавир",
    )
    # A withdrawal entered by mistake and cancelled (the parents withdrew their application).
    mistaken = services.child_withdraw(
        actor=actor,
        child=whys[0],
        on=dt.date(2026, 11, 16),
        order=order("120-в", dt.date(2026, 11, 13), Order.Kind.WITHDRAW),
        reason=WithdrawalReason.PARENTS,
    )
    services.movement_event_cancel(
        actor=actor, event=mistaken, reason="родители отозвали заявление об отчислении"
    )
    moved_out = whys[-1]
    services.child_withdraw(
        actor=actor,
        child=moved_out,
        on=dt.date(2026, 11, 27),
        order=order(UNSIGNED_NUMBER, dt.date(2026, 11, 24), Order.Kind.WITHDRAW),
        reason=WithdrawalReason.TRANSFER_OUT,
        destination="МАДОУ д/с № 3",
    )
    ctx.data["withdrawn"] = [leaver, moved_out]


def finish(ctx: DemoContext) -> None:
    """The head has signed every order of the main kindergarten but the latest one."""
    if ctx.scale != "demo":
        return
    from detsad.accounts.models import Membership

    head = (
        Membership.objects.filter(organization=ctx.main_org, role="head")
        .select_related("user")
        .first()
    )
    if head is None:
        return
    signed_at = dt.datetime(2026, 11, 25, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))
    (
        Order.objects.filter(organization=ctx.main_org, is_initial_data=False)
        .exclude(number=UNSIGNED_NUMBER)
        .update(signed_by=head.user, signed_at=signed_at)
    )
