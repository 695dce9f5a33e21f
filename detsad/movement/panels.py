"""Panels the movement book adds to other pages: children of a group, a child's history
with contracts and the enroll/transfer/withdraw buttons."""

from detsad.core.access import Actor, scoped
from detsad.core.permissions import Area
from detsad.core.registry import Widget

from .selectors import child_contracts, child_history, children_in, group_of, next_placement


def group_panels(actor: Actor, group) -> list[Widget]:
    if not actor.can_rows(Area.CHILDREN):
        return []
    children = scoped(actor, children_in(group, actor.today), Area.CHILDREN)
    return [
        Widget(
            "movement/widgets/group_children.html", {"children": children, "group": group}, order=10
        )
    ]


def child_panels(actor: Actor, child) -> list[Widget]:
    if not actor.can(Area.MOVEMENT) and not actor.can_rows(Area.CHILDREN):
        return []
    readable = actor.can(Area.MOVEMENT)
    today = actor.today
    group = group_of(child, today)
    upcoming = None if group else next_placement(child, today)
    return [
        Widget(
            "movement/widgets/child_history.html",
            {
                "history": list(child_history(actor, child)) if readable else [],
                "contracts": list(child_contracts(actor, child)) if readable else [],
                "group": group,
                "upcoming": upcoming,
                "child": child,
                "can_write": actor.can(Area.MOVEMENT, write=True)
                and actor.organization is not None
                and actor.organization.pk == child.organization_id,
            },
            order=10,
        )
    ]
