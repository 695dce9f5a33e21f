"""The movement book as kindergartens keep it: one line per stay of a child.

Книга учёта движения воспитанников (issue item 4): sequential number, the child's full
name and birth date, address, parents, date and number of the enrollment order, the
group (with transfers), date and number of the withdrawal order, the reason and where
the child went. A *stay* runs from an enrollment to the withdrawal that ends it (or is
still open); transfers inside the kindergarten continue the same stay.

Built from the derived placements (only effective events: cancelled ones are gone), in
a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from detsad.core.access import Actor, scoped
from detsad.core.models import Group
from detsad.core.permissions import Area
from detsad.people.models import Child, ChildGuardian

from .models import MovementEvent, Placement, WithdrawalReason


@dataclass
class BookRow:
    """One stay of a child: enrollment, groups with their first days, withdrawal."""

    child: Child
    enroll: MovementEvent
    groups: list[tuple[Group, dt.date]] = field(default_factory=list)
    withdraw: MovementEvent | None = None
    n: int = 0

    @property
    def start(self) -> dt.date:
        return self.enroll.on

    @property
    def end(self) -> dt.date | None:
        return self.withdraw.on if self.withdraw else None

    @property
    def parents(self) -> str:
        """«Иванова Мария Петровна (мать, +79001234567); …»."""
        parts = []
        for link in self.child.guardian_links.all():
            g = link.guardian
            details = ", ".join(p for p in (link.get_relation_display(), g.phone) if p)
            parts.append(f"{g.full_name} ({details})" if details else g.full_name)
        return "; ".join(parts)

    @property
    def groups_text(self) -> str:
        """«Солнышко; с 15.01.2026 — Радуга» (the first group, then each transfer)."""
        parts = []
        for i, (group, since) in enumerate(self.groups):
            parts.append(group.name if i == 0 else f"с {since:%d.%m.%Y} — {group.name}")
        return "; ".join(parts)

    @property
    def enroll_order(self) -> str:
        return self.enroll.order.label if self.enroll.order_id else ""

    @property
    def withdraw_order(self) -> str:
        return self.withdraw.order.label if self.withdraw and self.withdraw.order_id else ""

    @property
    def reason(self) -> str:
        if not self.withdraw:
            return ""
        return WithdrawalReason.phrase(self.withdraw.reason, self.withdraw.reason_text)


def book_rows(
    actor: Actor,
    start: dt.date,
    end: dt.date,
    *,
    group_id: int | None = None,
    organization=None,
) -> list[BookRow]:
    """Stays overlapping [start, end] in the active organization (or `organization`),
    numbered 1… in the order of enrollment (then name).

    `group_id` keeps the stays with a day in that group within the period. Four queries.
    """
    organization = organization or actor.organization
    visible = scoped(actor, Placement.objects.all(), Area.MOVEMENT).filter(
        organization=organization
    )
    overlapping = visible.filter(Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=start)))
    if group_id:
        overlapping = overlapping.filter(group_id=group_id)
    placements = (
        Placement.objects.filter(
            organization=organization, child_id__in=overlapping.values("child_id")
        )
        .select_related("group", "start_event__order", "end_event__order")
        .order_by("child_id", "start")
    )
    children = {
        c.pk: c
        for c in Child.objects.filter(pk__in=overlapping.values("child_id")).prefetch_related(
            Prefetch(
                "guardian_links",
                queryset=ChildGuardian.objects.select_related("guardian").order_by("pk"),
            )
        )
    }
    stays: list[BookRow] = []
    by_child: dict[int, BookRow] = {}
    in_group: dict[int, bool] = {}
    for p in placements:
        row = by_child.get(p.child_id)
        if row is None or p.start_event.kind == MovementEvent.Kind.ENROLL:
            row = BookRow(child=children[p.child_id], enroll=p.start_event)
            by_child[p.child_id] = row
            stays.append(row)
        row.groups.append((p.group, p.start))
        if p.end_event and p.end_event.kind == MovementEvent.Kind.WITHDRAW:
            row.withdraw = p.end_event
        if (
            group_id
            and p.group_id == group_id
            and p.start <= end
            and (p.end is None or p.end >= start)
        ):
            in_group[id(row)] = True
    rows = [
        r
        for r in stays
        if r.start <= end
        and (r.end is None or r.end >= start)
        and (not group_id or in_group.get(id(r)))
    ]
    rows.sort(key=lambda r: (r.start, r.child.last_name, r.child.first_name, r.child.pk))
    for n, row in enumerate(rows, start=1):
        row.n = n
    return rows
