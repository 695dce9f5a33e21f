"""Home page widgets of the movement book: groups with occupancy; the head's orders to sign."""

from detsad.core.access import Actor
from detsad.core.permissions import Area, Role
from detsad.core.registry import Widget
from detsad.core.selectors import groups_visible

from .models import Order
from .selectors import occupancy, open_orders


def widgets(actor: Actor) -> list[Widget]:
    return _occupancy(actor) + _orders_to_sign(actor)


def _orders_to_sign(actor: Actor) -> list[Widget]:
    """The head's list of orders waiting for the signature (one query)."""
    if actor.organization is None or not actor.has_extra(Area.MOVEMENT, "sign"):
        return []
    if actor.is_system or actor.is_superuser:
        return []
    orders = list(
        open_orders(actor, list(Order.Kind.values)).filter(events__isnull=False).distinct()[:10]
    )
    if not orders:
        return []
    return [Widget("movement/widgets/orders_to_sign.html", {"orders": orders}, order=15)]


def _occupancy(actor: Actor) -> list[Widget]:
    if actor.organization is None or not actor.can(Area.ORGANIZATION):
        return []
    if not actor.has_role(Role.HEAD, Role.COORDINATOR, Role.SYSADMIN, Role.EDUCATOR, Role.HR):
        return []
    own = actor.roles == {Role.EDUCATOR}
    groups = groups_visible(actor)
    if own:
        groups = groups.filter(pk__in=actor.group_ids)
    rows = occupancy(groups, actor.today)
    return [
        Widget(
            "movement/widgets/occupancy.html",
            {
                "rows": rows,
                "title": "Мои группы" if own else "Группы и наполняемость",
                "total": sum(r.count for r in rows),
                "capacity": sum(r.group.capacity for r in rows),
            },
            order=20,
        )
    ]
