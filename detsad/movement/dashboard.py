"""Home page widgets of the movement book: groups with occupancy."""

from detsad.core.access import Actor
from detsad.core.permissions import Area, Role
from detsad.core.registry import Widget
from detsad.core.selectors import groups_visible

from .selectors import occupancy


def widgets(actor: Actor) -> list[Widget]:
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
