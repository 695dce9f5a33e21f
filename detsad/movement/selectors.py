"""Derived state of the movement book that every other module reads.

`group_of`, `children_in`, `children_between` and `placements_between` answer who is in
which group on a date from `Placement` (itself derived from the effective events).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from detsad.core.access import Actor, scoped
from detsad.core.models import Group, Organization
from detsad.core.permissions import Area
from detsad.people.models import Child

from .models import MovementEvent, Placement


def _on(day: dt.date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


def _overlapping(start: dt.date, end: dt.date) -> Q:
    return Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=start))


def group_of(child: Child, on: dt.date) -> Group | None:
    """The child's group on `on`, or None when not enrolled that day."""
    p = Placement.objects.filter(_on(on), child=child).select_related("group").first()
    return p.group if p else None


def children_in(group: Group, on: dt.date) -> QuerySet[Child]:
    """Children in `group` on `on` (ordered by full name)."""
    return Child.objects.filter(
        pk__in=Placement.objects.filter(_on(on), group=group).values("child_id")
    ).order_by("last_name", "first_name", "patronymic")


def children_between(group: Group, start: dt.date, end: dt.date) -> QuerySet[Child]:
    """Children in `group` on at least one day of [start, end]."""
    return Child.objects.filter(
        pk__in=Placement.objects.filter(_overlapping(start, end), group=group).values("child_id")
    ).order_by("last_name", "first_name", "patronymic")


def placements_between(
    start: dt.date, end: dt.date, *, groups=None, organization=None
) -> QuerySet[Placement]:
    """Placements overlapping [start, end] of some groups or a whole organization.

    The attendance grid and the fee run use this to know, per child and day, in which
    group the child was (one query, children and groups joined).
    """
    qs = Placement.objects.filter(_overlapping(start, end)).select_related("child", "group")
    if groups is not None:
        qs = qs.filter(group__in=groups)
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.order_by("child__last_name", "child__first_name", "child__patronymic", "start")


@dataclass
class Occupancy:
    group: Group
    count: int

    @property
    def free(self) -> int:
        return self.group.capacity - self.count

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.group.capacity) if self.group.capacity else 0


def occupancy(groups: QuerySet[Group], on: dt.date) -> list[Occupancy]:
    """Children per group on `on` vs capacity (one query)."""
    counted = groups.annotate(
        n=Count(
            "placements",
            filter=Q(placements__start__lte=on)
            & (Q(placements__end__isnull=True) | Q(placements__end__gte=on)),
        )
    )
    return [Occupancy(group=g, count=g.n) for g in counted]


def child_history(actor: Actor, child: Child) -> QuerySet[MovementEvent]:
    """The child's movement events, cancellations included, oldest first."""
    return (
        scoped(actor, MovementEvent.objects.filter(child=child), Area.MOVEMENT)
        .select_related("group", "from_group", "order", "cancels", "contract")
        .order_by("on", "id")
    )


def current_groups_of(children: list[Child], on: dt.date) -> dict[int, Group]:
    """Map child id → group on `on` for many children (one query)."""
    rows = Placement.objects.filter(_on(on), child__in=children).select_related("group")
    return {p.child_id: p.group for p in rows}


def organization_children_on(organization: Organization, on: dt.date) -> QuerySet[Child]:
    return Child.objects.filter(
        pk__in=Placement.objects.filter(_on(on), organization=organization).values("child_id")
    )
