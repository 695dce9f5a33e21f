"""Small builders for attendance tests: enroll, transfer, withdraw through the movement
book's services, and a fixed "today" for actors."""

from __future__ import annotations

import datetime as dt
import itertools

from detsad.core.access import Actor
from detsad.movement import services as movement
from detsad.movement.models import Order
from detsad.people.models import Child, Sex

_numbers = itertools.count(500)


def at_today(actor: Actor, today: dt.date) -> Actor:
    """The same actor on another date (Actor.today is a cached property)."""
    actor.__dict__["today"] = today
    return actor


def order(ow, kind=Order.Kind.ENROLL, on=dt.date(2026, 1, 12)):
    return movement.order_create(
        actor=Actor.system(organization=ow.org),
        organization=ow.org,
        number=f"{next(_numbers)}-т",
        date=on,
        kind=kind,
    )


def new_child(ow, last="Новиков", first="Олег", birth=dt.date(2022, 1, 10)) -> Child:
    return Child.objects.create(
        organization=ow.org,
        last_name=last,
        first_name=first,
        patronymic="",
        sex=Sex.MALE,
        birth_date=birth,
    )


def enroll(ow, child, group, on):
    movement.child_enroll(
        actor=Actor.system(organization=ow.org),
        child=child,
        group=group,
        on=on,
        order=order(ow, on=on),
        confirm_over_capacity=True,
    )
    return child


def transfer(ow, child, group, on):
    movement.child_transfer(
        actor=Actor.system(organization=ow.org),
        child=child,
        group=group,
        on=on,
        order=order(ow, Order.Kind.TRANSFER, on=on),
        confirm_over_capacity=True,
    )


def withdraw(ow, child, on):
    movement.child_withdraw(
        actor=Actor.system(organization=ow.org),
        child=child,
        on=on,
        order=order(ow, Order.Kind.WITHDRAW, on=on),
        reason="moved",
    )
