"""Home page widgets of the journal: today's groups with their marking state (one click
opens a group's day), the groups not marked yet for the coordinator, and for parents
their children's calendar and the absence notice."""

from __future__ import annotations

from detsad.core.access import Actor
from detsad.core.permissions import Area, Role
from detsad.core.registry import Widget

from . import selectors
from .views.common import STAFF_JOURNAL_ROLES, journal_groups


def widgets(actor: Actor) -> list[Widget]:
    if actor.organization is None or not actor.can_rows(Area.ATTENDANCE):
        return []
    result = []
    if actor.has_role(*STAFF_JOURNAL_ROLES):
        day = actor.today
        rows = selectors.groups_today(journal_groups(actor), day)
        working = selectors.last_working_day(actor.organization, day) == day
        own = not actor.has_role(Role.HEAD, Role.COORDINATOR, Role.SYSADMIN)
        result.append(
            Widget(
                "attendance/widgets/today.html",
                {
                    "rows": rows,
                    "day": day,
                    "working": working,
                    "own": own,
                    "not_marked": [r for r in rows if r.enrolled and not r.complete],
                },
                order=5,
            )
        )
    if actor.has_role(Role.PARENT) and not actor.is_superuser:
        children = list(selectors.children_for_parent(actor))
        if children:
            result.append(
                Widget(
                    "attendance/widgets/parent.html",
                    {
                        "children": children,
                        "can_notify": actor.has_extra(Area.ATTENDANCE, "notices"),
                    },
                    order=11,
                )
            )
    return result
