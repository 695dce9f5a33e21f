"""Movement reports: the movement summary for a period and occupancy on a date.

Movement summary (issue item 6), per group of an organization or per organization of the
municipality, counted from the derived placements (cancelled events are not there):

- «состояло на начало» — children whose stay began before the period and had not ended
  by an event before it;
- «прибыло» — placements beginning in the period: enrolled, or transferred in;
- «выбыло» — placements ended by an event dated in the period: transferred out, or
  withdrawn (by reason);
- «состоит на конец» — after all movement of the period.

So for every row: at_end = at_start + arrived − left (a property test checks it). A child
withdrawn on the period's last day is counted as left, not at the end. A transfer date is
the first day in the new group; a withdrawal date the last day in the kindergarten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from detsad.core.access import Actor, scoped
from detsad.core.models import Group, Organization
from detsad.core.permissions import Area

from .models import MovementEvent, Placement, WithdrawalReason

REASONS = list(WithdrawalReason)
#: Column titles of the withdrawal reasons in the reports (the full wording is long).
REASON_TITLES = {
    WithdrawalReason.SCHOOL: "в школу",
    WithdrawalReason.MOVED: "смена места жительства",
    WithdrawalReason.TRANSFER_OUT: "в другую ДОО",
    WithdrawalReason.PARENTS: "по заявлению родителей",
    WithdrawalReason.HEALTH: "по состоянию здоровья",
    WithdrawalReason.OTHER: "иное",
}
ENROLL, TRANSFER, WITHDRAW = (
    MovementEvent.Kind.ENROLL,
    MovementEvent.Kind.TRANSFER,
    MovementEvent.Kind.WITHDRAW,
)


@dataclass
class SummaryRow:
    """Counts of one group (or organization) over a period."""

    label: str
    key: int | None = None
    at_start: int = 0
    enrolled: int = 0
    transferred_in: int = 0
    transferred_out: int = 0
    withdrawn: dict[str, int] = field(default_factory=dict)
    at_end: int = 0

    @property
    def withdrawn_total(self) -> int:
        return sum(self.withdrawn.values())

    @property
    def arrived(self) -> int:
        return self.enrolled + self.transferred_in

    @property
    def left(self) -> int:
        return self.transferred_out + self.withdrawn_total

    @property
    def withdrawn_list(self) -> list[int]:
        return [self.withdrawn.get(r.value, 0) for r in REASONS]

    def add(self, other: SummaryRow) -> None:
        for name in ("at_start", "enrolled", "transferred_in", "transferred_out", "at_end"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for reason, n in other.withdrawn.items():
            self.withdrawn[reason] = self.withdrawn.get(reason, 0) + n


def _counts(start: dt.date, end: dt.date) -> dict:
    in_period = Q(start__gte=start, start__lte=end)
    left_in_period = Q(end_event__on__gte=start, end_event__on__lte=end)
    counts = {
        "at_start": Count(
            "id",
            filter=Q(start__lt=start) & (Q(end_event__isnull=True) | Q(end_event__on__gte=start)),
        ),
        "at_end": Count(
            "id", filter=Q(start__lte=end) & (Q(end_event__isnull=True) | Q(end_event__on__gt=end))
        ),
        "enrolled": Count("id", filter=in_period & Q(start_event__kind=ENROLL)),
        "transferred_in": Count("id", filter=in_period & Q(start_event__kind=TRANSFER)),
        "transferred_out": Count("id", filter=left_in_period & Q(end_event__kind=TRANSFER)),
    }
    for reason in REASONS:
        counts[f"w_{reason.value}"] = Count(
            "id",
            filter=left_in_period & Q(end_event__kind=WITHDRAW, end_event__reason=reason.value),
        )
    return counts


def _row(label: str, key, values: dict | None) -> SummaryRow:
    values = values or {}
    return SummaryRow(
        label=label,
        key=key,
        at_start=values.get("at_start", 0),
        enrolled=values.get("enrolled", 0),
        transferred_in=values.get("transferred_in", 0),
        transferred_out=values.get("transferred_out", 0),
        withdrawn={r.value: values.get(f"w_{r.value}", 0) for r in REASONS},
        at_end=values.get("at_end", 0),
    )


def movement_summary(
    actor: Actor,
    start: dt.date,
    end: dt.date,
    *,
    organization: Organization | None = None,
    by_organization: bool = False,
) -> tuple[list[SummaryRow], SummaryRow]:
    """(rows, total) of the movement summary for [start, end].

    Per group of `organization` (default: the active one); with ``by_organization=True``
    per organization the actor sees (the department officer's view). Two queries.
    """
    placements = scoped(actor, Placement.objects.all(), Area.MOVEMENT).filter(start__lte=end)
    # A stay ended by a transfer dated `start` ends the day before: keep it (at start, left).
    day_before = start - dt.timedelta(days=1) if start > dt.date.min else start
    placements = placements.filter(Q(end__isnull=True) | Q(end__gte=day_before))
    if by_organization:
        from detsad.core.selectors import organizations_visible

        units = [
            (o.pk, o.short_name, o.archived_at is None)
            for o in organizations_visible(actor).order_by("short_name")
        ]
        key = "organization_id"
    else:
        organization = organization or actor.organization
        placements = placements.filter(organization=organization)
        units = [
            (g.pk, g.name, g.archived_at is None)
            for g in scoped(actor, Group.objects.all(), Area.MOVEMENT)
            .filter(organization=organization)
            .order_by("name")
        ]
        key = "group_id"
    values = {
        row[key]: row for row in placements.values(key).annotate(**_counts(start, end)).order_by()
    }
    # Archived groups (closed kindergartens) appear only when they had children in the period.
    rows = [
        _row(label, pk, values.get(pk)) for pk, label, active in units if active or pk in values
    ]
    total = SummaryRow(label="Всего")
    for r in rows:
        total.add(r)
    return rows, total


@dataclass
class OccupancyRow:
    """Children vs places of a group or of a whole organization on a date."""

    label: str
    key: int
    capacity: int
    count: int
    groups: int = 1
    group: Group | None = None

    @property
    def free(self) -> int:
        return self.capacity - self.count

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.capacity) if self.capacity else 0


def occupancy_report(
    actor: Actor,
    on: dt.date,
    *,
    organization: Organization | None = None,
    by_organization: bool = False,
) -> tuple[list[OccupancyRow], OccupancyRow]:
    """(rows, total): per active group of `organization` on `on`, or per organization
    (``by_organization=True``). Two queries."""
    placements = scoped(actor, Placement.objects.all(), Area.MOVEMENT).filter(
        Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))
    )
    groups = scoped(actor, Group.objects.all(), Area.MOVEMENT).filter(archived_at__isnull=True)
    if by_organization:
        from detsad.core.selectors import organizations_visible

        orgs = organizations_visible(actor).filter(archived_at__isnull=True)
        capacity = {
            r["organization_id"]: r
            for r in groups.filter(organization__in=orgs)
            .values("organization_id")
            .annotate(capacity=Sum("capacity"), n=Count("id"))
            .order_by()
        }
        counts = dict(
            placements.values("organization_id")
            .annotate(n=Count("child_id", distinct=True))
            .values_list("organization_id", "n")
            .order_by()
        )
        rows = [
            OccupancyRow(
                label=o.short_name,
                key=o.pk,
                capacity=capacity.get(o.pk, {}).get("capacity") or 0,
                groups=capacity.get(o.pk, {}).get("n") or 0,
                count=counts.get(o.pk, 0),
            )
            for o in orgs.order_by("short_name")
        ]
    else:
        organization = organization or actor.organization
        counts = dict(
            placements.filter(organization=organization)
            .values("group_id")
            .annotate(n=Count("id"))
            .values_list("group_id", "n")
            .order_by()
        )
        rows = [
            OccupancyRow(
                label=g.name, key=g.pk, capacity=g.capacity, count=counts.get(g.pk, 0), group=g
            )
            for g in groups.filter(organization=organization).order_by("name")
        ]
    total = OccupancyRow(
        label="Всего",
        key=0,
        capacity=sum(r.capacity for r in rows),
        count=sum(r.count for r in rows),
        groups=sum(r.groups for r in rows),
    )
    return rows, total
