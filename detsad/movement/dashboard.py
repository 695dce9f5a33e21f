"""Home page widgets of the movement book: groups with occupancy; the head's orders to sign;
the department officer's columns of children, places and occupancy per kindergarten."""

import datetime as dt

from detsad.core.access import Actor
from detsad.core.models import Organization
from detsad.core.permissions import Area, Role
from detsad.core.registry import Figure, Widget
from detsad.core.selectors import groups_visible

from .models import Order
from .selectors import occupancy, occupancy_percent, open_orders


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


def organization_figures(
    actor: Actor, organizations: list[Organization], on: dt.date
) -> list[Figure]:
    """Columns of the department officer's table: per kindergarten the children enrolled on
    `on` (counted from placements by `occupancy`, never a stored field), places (the sum of
    the capacities of its non-archived groups), occupancy in whole percent, and the number
    of groups; totals over all the kindergartens. One query for any number of them.
    """
    if not actor.can(Area.MOVEMENT) or not actor.can(Area.ORGANIZATION):
        return []
    ids = [o.pk for o in organizations]
    children = dict.fromkeys(ids, 0)
    places = dict.fromkeys(ids, 0)
    groups = dict.fromkeys(ids, 0)
    for row in occupancy(groups_visible(actor).filter(organization_id__in=ids), on):
        org_id = row.group.organization_id
        children[org_id] += row.count
        places[org_id] += row.group.capacity
        groups[org_id] += 1
    total_children, total_places = sum(children.values()), sum(places.values())
    return [
        Figure("children", "Детей", children, total_children, order=10),
        Figure("places", "Мест", places, total_places, order=20),
        Figure(
            "occupancy",
            "Наполняемость",
            {i: f"{occupancy_percent(children[i], places[i])} %" for i in ids},
            f"{occupancy_percent(total_children, total_places)} %",
            order=30,
        ),
        Figure("groups", "Групп", groups, sum(groups.values()), order=40),
    ]
