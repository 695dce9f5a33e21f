"""Home page widgets of the journal: today's groups with their marking state (one click
opens a group's day), the groups not marked yet for the coordinator, and for parents
their children's calendar and the absence notice."""

from __future__ import annotations

import datetime as dt

from detsad.core.access import Actor
from detsad.core.calendar import federal_is_working_day
from detsad.core.models import Organization
from detsad.core.permissions import Area, Role
from detsad.core.registry import Figure, Widget
from detsad.core.selectors import groups_visible

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


def organization_figures(
    actor: Actor, organizations: list[Organization], on: dt.date
) -> list[Figure]:
    """Columns of the department officer's table — how fully each kindergarten keeps the
    journal on `on`: groups marked / all its non-archived groups (a group is marked when
    every child enrolled in it that day has a mark; a group without children has nothing
    to mark and counts as marked) and the children marked present; totals over all the
    kindergartens. Figures only. One query for any number of kindergartens; none on a
    weekend or public holiday of the federal production calendar («выходной»).
    """
    if not actor.can(Area.ATTENDANCE) or not actor.can(Area.ORGANIZATION):
        return []
    ids = [o.pk for o in organizations]
    if not federal_is_working_day(on):
        # A weekend or public holiday (production calendar of the RF): nothing to mark.
        return [
            Figure(
                "marked", "Отмечено групп", dict.fromkeys(ids, "выходной"), "выходной", order=50
            ),
            Figure("present", "Присутствуют", dict.fromkeys(ids, "—"), "—", order=60),
        ]
    marked = dict.fromkeys(ids, 0)
    groups = dict.fromkeys(ids, 0)
    present = dict.fromkeys(ids, 0)
    for row in selectors.groups_today(groups_visible(actor).filter(organization_id__in=ids), on):
        org_id = row.group.organization_id
        groups[org_id] += 1
        marked[org_id] += row.complete
        present[org_id] += row.present
    return [
        Figure(
            "marked",
            "Отмечено групп",
            {i: f"{marked[i]} / {groups[i]}" for i in ids},
            f"{sum(marked.values())} / {sum(groups.values())}",
            order=50,
        ),
        Figure("present", "Присутствуют", present, sum(present.values()), order=60),
    ]
