"""Panels the movement book adds to other pages: children of a group, a child's history."""

from detsad.core.access import Actor
from detsad.core.permissions import Area
from detsad.core.registry import Widget

from .selectors import child_history, children_in, group_of


def group_panels(actor: Actor, group) -> list[Widget]:
    if not actor.can_rows(Area.CHILDREN):
        return []
    from detsad.core.access import scoped

    children = scoped(actor, children_in(group, actor.today), Area.CHILDREN)
    return [
        Widget(
            "movement/widgets/group_children.html", {"children": children, "group": group}, order=10
        )
    ]


def child_panels(actor: Actor, child) -> list[Widget]:
    if not actor.can(Area.MOVEMENT) and not actor.can_rows(Area.CHILDREN):
        return []
    history = list(child_history(actor, child)) if actor.can(Area.MOVEMENT) else []
    return [
        Widget(
            "movement/widgets/child_history.html",
            {
                "history": history,
                "group": group_of(child, actor.today),
                "child": child,
            },
            order=10,
        )
    ]
