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

from .models import MovementEvent, Order, Placement


def _on(day: dt.date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


def _overlapping(start: dt.date, end: dt.date) -> Q:
    return Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=start))


def group_of(child: Child, on: dt.date) -> Group | None:
    """The child's group on `on`, or None when not enrolled that day."""
    p = Placement.objects.filter(_on(on), child=child).select_related("group").first()
    return p.group if p else None


def next_placement(child: Child, after: dt.date) -> Placement | None:
    """The child's first placement starting after `after` (an enrollment ahead), or None."""
    return (
        Placement.objects.filter(child=child, start__gt=after)
        .select_related("group")
        .order_by("start")
        .first()
    )


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
        return occupancy_percent(self.count, self.group.capacity)


def occupancy_percent(count: int, capacity: int) -> int:
    """Children as a whole percentage of places (0 when there are no places)."""
    return round(100 * count / capacity) if capacity else 0


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
        .select_related(
            "group",
            "from_group",
            "order",
            "cancels__group",
            "cancels__child",
            "contract",
            "cancelled_by",
        )
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


def organization_children_between(organization: Organization, start: dt.date, end: dt.date):
    """Children of `organization` on at least one day of [start, end], each once (C17:
    a child transferred mid-month is counted once in the organization's headcount)."""
    return Child.objects.filter(
        pk__in=Placement.objects.filter(_overlapping(start, end), organization=organization).values(
            "child_id"
        )
    )


def name_q(word: str, prefix: str = "") -> Q:
    """A word of a person's name (case-insensitive, Cyrillic too: core.sqlite on SQLite)."""
    return (
        Q(**{f"{prefix}last_name__icontains": word})
        | Q(**{f"{prefix}first_name__icontains": word})
        | Q(**{f"{prefix}patronymic__icontains": word})
    )


def _in_organization(actor: Actor, qs: QuerySet) -> QuerySet:
    """Rows of the active organization (department officers: all their municipality's)."""
    if actor.organization is not None:
        qs = qs.filter(organization=actor.organization)
    return qs


def book_events(
    actor: Actor,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    group_id: int | None = None,
    kind: str = "",
    q: str = "",
) -> QuerySet[MovementEvent]:
    """The register of the movement book: events (cancellations included), newest first.

    Filters: date range [start, end]; `group_id` — events into or out of that group (and
    cancellations of those); `kind` — a MovementEvent.Kind value; `q` — words of the
    child's name. A constant number of queries for any number of rows. Empty for an actor
    who does not see children by name (`sees_children_names`).
    """
    if not sees_children_names(actor):
        return MovementEvent.objects.none()
    qs = _in_organization(actor, scoped(actor, MovementEvent.objects.all(), Area.MOVEMENT))
    if start:
        qs = qs.filter(on__gte=start)
    if end:
        qs = qs.filter(on__lte=end)
    if group_id:
        qs = qs.filter(
            Q(group_id=group_id)
            | Q(from_group_id=group_id)
            | Q(cancels__group_id=group_id)
            | Q(cancels__from_group_id=group_id)
        )
    if kind:
        qs = qs.filter(kind=kind)
    for word in q.split():
        qs = qs.filter(name_q(word, "child__"))
    return qs.select_related(
        "child",
        "group",
        "from_group",
        "order",
        "cancels__group",
        "cancels__from_group",
        "cancels__child",
        "cancelled_by",
        "organization",
    ).order_by("-on", "-id")


def orders_list(
    actor: Actor, *, year: int | None = None, kind: str = "", signed: str = "", q: str = ""
) -> QuerySet[Order]:
    """The order registry with the number of children in each order (one query).

    `signed`: "yes" / "no" / "" (all); `q` — a fragment of the number or the title.
    """
    qs = _in_organization(actor, scoped(actor, Order.objects.all(), Area.MOVEMENT))
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if signed == "yes":
        qs = qs.filter(signed_at__isnull=False)
    elif signed == "no":
        qs = qs.filter(signed_at__isnull=True, is_initial_data=False)
    for word in q.split():
        qs = qs.filter(Q(number__icontains=word) | Q(title__icontains=word))
    return (
        qs.select_related("signed_by", "organization")
        .annotate(
            children_count=Count(
                "events__child", filter=~Q(events__kind=MovementEvent.Kind.CANCEL), distinct=True
            )
        )
        .order_by("-date", "-id")
    )


def sees_children_names(actor: Actor) -> bool:
    """Whether the actor sees children in the movement book and in orders by name.

    DESIGN.md §4 gives the department officer read access to the movement book and orders
    of the municipality, but personal files only as aggregates. The book's lines and the
    orders carry children's names, birth dates, addresses and parents; the department
    needs counts (152-FZ: data minimisation). So only roles that read children's personal
    files row by row see names; the officer gets the summaries (movement by reason,
    occupancy) and the order registry with the number of children per order.
    """
    return actor.can_rows(Area.CHILDREN)


def order_events(actor: Actor, order: Order) -> QuerySet[MovementEvent]:
    """Events of one order in the order's item order (kind, group, child); none for an
    actor who does not see children by name (`sees_children_names`)."""
    if not sees_children_names(actor):
        return MovementEvent.objects.none()
    return (
        scoped(actor, MovementEvent.objects.filter(order=order), Area.MOVEMENT)
        .select_related(
            "child", "group", "from_group", "contract", "cancels__child", "cancels__group"
        )
        .order_by("kind", "group__name", "child__last_name", "child__first_name", "id")
    )


def open_orders(actor: Actor, kinds: list[str]) -> QuerySet[Order]:
    """Unsigned orders of the active organization of these kinds (for the forms)."""
    return (
        scoped(actor, Order.objects.all(), Area.MOVEMENT, write=True)
        .filter(
            organization=actor.organization,
            kind__in=kinds,
            signed_at__isnull=True,
            is_initial_data=False,
        )
        .order_by("-date", "-id")
    )


def enroll_candidates(actor: Actor, on: dt.date) -> QuerySet[Child]:
    """Children of the active organization with no placement on or after `on`: new
    files and children withdrawn earlier (active files only)."""
    busy = Placement.objects.filter(organization=actor.organization).filter(
        Q(end__isnull=True) | Q(end__gte=on)
    )
    return (
        scoped(actor, Child.objects.all(), Area.MOVEMENT, write=True)
        .filter(organization=actor.organization, archived_at__isnull=True)
        .exclude(pk__in=busy.values("child_id"))
        .prefetch_related("guardian_links__guardian")
        .order_by("last_name", "first_name", "patronymic", "pk")
    )


def children_placed_on(actor: Actor, on: dt.date, *, group_id: int | None = None):
    """Children of the active organization in a group on `on` (optionally one group), with
    that group as ``group_name`` (for the transfer and withdrawal forms)."""
    placements = scoped(actor, Placement.objects.all(), Area.MOVEMENT, write=True).filter(
        _on(on), organization=actor.organization
    )
    if group_id:
        placements = placements.filter(group_id=group_id)
    return placements.select_related("child", "group").order_by(
        "group__name", "child__last_name", "child__first_name", "child__patronymic", "pk"
    )


def child_contracts(actor: Actor, child: Child):
    """The child's education contracts, newest first."""
    from .models import EducationContract

    return (
        scoped(actor, EducationContract.objects.filter(child=child), Area.MOVEMENT)
        .select_related("guardian")
        .order_by("-date", "-id")
    )
