"""Orders (приказы): registration, the head's signature, the «initial data» marker.

Rules: an order number is unique per organization and calendar year (FACTS.md §8, the
issue's item 2; also a database constraint); only the head signs (rights matrix: movement
«W sign»); a signed order takes no more events (services.events); an order with no
events is not signed.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from detsad.core import audit
from detsad.core.access import Actor, require
from detsad.core.models import AuditRecord, Organization
from detsad.core.permissions import Area

from ..models import MovementEvent, Order


def has_control_characters(text: str) -> bool:
    """True when `text` holds a line break, a tab or another control character (Unicode
    category C*): such a number breaks the document's file name in the download header."""
    return any(unicodedata.category(ch).startswith("C") for ch in text)


DEFAULT_TITLES = {
    Order.Kind.ENROLL: "О зачислении воспитанников",
    Order.Kind.TRANSFER: "О переводе воспитанников",
    Order.Kind.WITHDRAW: "Об отчислении воспитанников",
    Order.Kind.CORRECTION: "Об исправлении записей книги движения воспитанников",
    Order.Kind.INITIAL: "Начальные данные при внедрении системы",
}


def _user(actor: Actor):
    return actor.user if getattr(actor.user, "pk", None) else None


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
    """Register an order of `organization`.

    Raises ValidationError ({"number": …}) when the number is empty or already taken in
    that calendar year, ({"kind": …}) for an unknown kind, ({"date": …}) without a date.
    """
    require(actor, Area.MOVEMENT, write=True, obj=organization)
    number = (number or "").strip()
    errors = {}
    if not number:
        errors["number"] = "Укажите номер приказа."
    elif has_control_characters(number):
        errors["number"] = (
            "Номер приказа содержит недопустимые символы (переводы строк, табуляцию)."
        )
    if date is None:
        errors["date"] = "Укажите дату приказа."
    if kind not in Order.Kind.values:
        errors["kind"] = "Выберите вид приказа."
    if errors:
        raise ValidationError(errors)
    if Order.objects.filter(organization=organization, year=date.year, number=number).exists():
        raise ValidationError({"number": f"Приказ № {number} за {date.year} год уже есть."})
    try:
        with transaction.atomic():
            order = Order.objects.create(
                organization=organization,
                number=number,
                date=date,
                kind=kind,
                title=(title or "").strip() or DEFAULT_TITLES.get(kind, ""),
                is_initial_data=is_initial_data,
                author=_user(actor),
            )
    except IntegrityError:
        raise ValidationError(
            {"number": f"Приказ № {number} за {date.year} год уже есть."}
        ) from None
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        order,
        changes={"number": number, "date": date, "kind": order.get_kind_display()},
    )
    return order


@transaction.atomic
def order_sign(*, actor: Actor, order: Order) -> Order:
    """The head signs `order` (signed_by, signed_at); afterwards it takes no more events.

    Raises PermissionDenied for anyone without the «sign» right, ValidationError when the
    order is initial data, already signed, or has no events.
    """
    require(actor, Area.MOVEMENT, write=True, obj=order, extra="sign")
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.is_initial_data:
        raise ValidationError("Начальные данные не подписываются.")
    if order.is_signed:
        raise ValidationError(f"Приказ {order.label} уже подписан.")
    if not MovementEvent.objects.filter(order=order).exists():
        raise ValidationError(f"В приказе {order.label} нет ни одной записи.")
    order.signed_by = _user(actor)
    order.signed_at = timezone.now()
    order.save(update_fields=["signed_by", "signed_at", "updated_at"])
    audit.record(
        actor,
        AuditRecord.Action.ACTION,
        order,
        changes={"signed_at": [None, order.signed_at], "signed_by": [None, actor.name]},
        note="приказ подписан",
    )
    return order


@transaction.atomic
def initial_data_order(
    *, actor: Actor, organization: Organization, on: dt.date | None = None
) -> Order:
    """The «initial data» marker order of an organization (history loaded at introduction).

    One per organization, created on first use (dated `on`, default the actor's today).
    Events resting on it skip the closed-year check: they record the past as it was.
    """
    require(actor, Area.MOVEMENT, write=True, obj=organization)
    order = Order.objects.filter(organization=organization, is_initial_data=True).first()
    if order is None:
        order = Order.objects.create(
            organization=organization,
            number="НД",
            date=on or actor.today,
            kind=Order.Kind.INITIAL,
            title=DEFAULT_TITLES[Order.Kind.INITIAL],
            is_initial_data=True,
            author=_user(actor),
        )
        audit.record(actor, AuditRecord.Action.CREATE, order)
    return order
