"""Fee reports: turnover statement, debtors and overpayments, summary per organization.

Each report is a fixed number of queries whatever the number of children (conditional
aggregates grouped by account), and reads balances the same way as the child's card
(`ledger.account_states`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum

from detsad.core.access import Actor
from detsad.core.models import AcademicYear, Group
from detsad.core.selectors import organizations_visible
from detsad.movement.selectors import placements_between
from detsad.people.models import PersonalAccount

from ..models import LedgerEntry
from ..rights import is_founder
from .ledger import account_states, scoped_accounts

K = LedgerEntry.Kind


@dataclass
class TurnoverRow:
    account: PersonalAccount
    group: str = ""
    opening: int = 0
    charged: int = 0
    paid: int = 0
    refunded: int = 0
    written_off: int = 0

    @property
    def closing(self) -> int:
        return self.opening + self.charged - self.paid + self.refunded - self.written_off


@dataclass
class Turnover:
    start: dt.date
    end: dt.date
    rows: list[TurnoverRow] = field(default_factory=list)
    total: TurnoverRow | None = None


def _groups_of(actor: Actor, start: dt.date, end: dt.date) -> dict[int, tuple[str, set[int]]]:
    """child id → (name of the last group in the period, ids of all its groups then)."""
    result: dict[int, tuple[str, set[int]]] = {}
    for p in placements_between(start, end, organization=actor.organization):
        name, ids = result.get(p.child_id, ("", set()))
        ids.add(p.group_id)
        result[p.child_id] = (p.group.name, ids)
    return result


def turnover(actor: Actor, start: dt.date, end: dt.date, *, group: Group | None = None) -> Turnover:
    """Turnover statement (оборотная ведомость) for [start, end]: per child the opening
    balance, charged (charges and adjustments), paid, refunded, written off, closing
    balance; and totals. Children of `group` (placed in it during the period) or of the
    whole organization (placed during the period or with any entry up to its end)."""
    groups = _groups_of(actor, start, end)
    accounts = scoped_accounts(actor)
    if group is not None:
        accounts = accounts.filter(
            child_id__in=[c for c, (_n, ids) in groups.items() if group.pk in ids]
        )
    else:
        accounts = accounts.filter(
            Q(child_id__in=list(groups)) | Q(entries__on__lte=end)
        ).distinct()
    accounts = {a.pk: a for a in accounts}
    sums = (
        LedgerEntry.objects.filter(account_id__in=list(accounts), on__lte=end)
        .values("account_id")
        .annotate(
            opening=Sum("amount", filter=Q(on__lt=start)),
            charged=Sum("amount", filter=Q(on__gte=start, kind__in=[K.CHARGE, K.ADJUSTMENT])),
            paid=Sum("amount", filter=Q(on__gte=start, kind=K.PAYMENT)),
            refunded=Sum("amount", filter=Q(on__gte=start, kind=K.REFUND)),
            written_off=Sum("amount", filter=Q(on__gte=start, kind=K.WRITE_OFF)),
        )
    )
    by_account = {row["account_id"]: row for row in sums}
    result = Turnover(start=start, end=end)
    total = TurnoverRow(account=None)
    for account in sorted(accounts.values(), key=lambda a: (a.child.full_name, a.number)):
        row = by_account.get(account.pk, {})
        line = TurnoverRow(
            account=account,
            group=groups.get(account.child_id, ("", set()))[0],
            opening=row.get("opening") or 0,
            charged=row.get("charged") or 0,
            paid=-(row.get("paid") or 0),
            refunded=row.get("refunded") or 0,
            written_off=-(row.get("written_off") or 0),
        )
        result.rows.append(line)
        for name in ("opening", "charged", "paid", "refunded", "written_off"):
            setattr(total, name, getattr(total, name) + getattr(line, name))
    result.total = total
    return result


@dataclass
class DebtorRow:
    account: PersonalAccount
    group: str
    debt: int
    balance: int
    months: int
    since: dt.date | None


def debtors(
    actor: Actor,
    on: dt.date,
    *,
    group: Group | None = None,
    min_amount: int = 0,
    min_months: int = 0,
    overpaid: bool = False,
) -> list[DebtorRow]:
    """Children whose overdue debt at `on` is > 0 (after the due day), with the amount and
    months of debt, largest first; filters by group, minimal amount (kopecks) and months.
    ``overpaid=True`` lists prepayments instead (balance < 0)."""
    groups = _groups_of(actor, AcademicYear.bounds_for(on)[0], on)
    accounts = {a.pk: a for a in scoped_accounts(actor)}
    states = account_states(accounts, on, organization=actor.organization)
    rows = []
    for account_id, state in states.items():
        account = accounts[account_id]
        name, ids = groups.get(account.child_id, ("", set()))
        if group is not None and group.pk not in ids:
            continue
        if overpaid:
            if state.balance >= 0:
                continue
        elif state.debt <= 0 or state.debt < min_amount or state.months_of_debt < min_months:
            continue
        rows.append(
            DebtorRow(
                account=account,
                group=name,
                debt=state.debt if not overpaid else state.prepaid,
                balance=state.balance,
                months=state.months_of_debt,
                since=state.debt_since,
            )
        )
    rows.sort(key=lambda r: (-r.debt, r.account.child.full_name))
    return rows


@dataclass
class SummaryRow:
    organization: object
    children: int = 0
    charged: int = 0
    paid: int = 0
    debt: int = 0
    prepaid: int = 0

    @property
    def collection(self) -> float | None:
        """Collection percent: paid / charged × 100 (None when nothing was charged)."""
        return round(self.paid * 100 / self.charged, 1) if self.charged else None


def summary(actor: Actor, start: dt.date, end: dt.date) -> tuple[list[SummaryRow], SummaryRow]:
    """Per organization (all of the municipality for its department, the own one for a
    kindergarten): charged and paid in [start, end], debt and prepayments at `end`
    (sums of positive / negative balances), collection percent. Aggregates only."""
    orgs = list(organizations_visible(actor).filter(archived_at__isnull=True))
    if actor.organization is not None and not is_founder(actor):
        orgs = [o for o in orgs if o.pk == actor.organization.pk]
    rows = {o.pk: SummaryRow(organization=o) for o in orgs}
    per_account = (
        LedgerEntry.objects.filter(organization_id__in=list(rows), on__lte=end)
        .values("organization_id", "account_id")
        .annotate(
            balance=Sum("amount"),
            charged=Sum("amount", filter=Q(on__gte=start, kind__in=[K.CHARGE, K.ADJUSTMENT])),
            paid=Sum("amount", filter=Q(on__gte=start, kind=K.PAYMENT)),
        )
    )
    counted = defaultdict(int)
    for row in per_account:
        target = rows[row["organization_id"]]
        counted[row["organization_id"]] += 1
        target.charged += row["charged"] or 0
        target.paid -= row["paid"] or 0
        balance = row["balance"] or 0
        target.debt += max(0, balance)
        target.prepaid += max(0, -balance)
    for pk, n in counted.items():
        rows[pk].children = n
    total = SummaryRow(organization=None)
    for row in rows.values():
        for name in ("children", "charged", "paid", "debt", "prepaid"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    ordered = sorted(rows.values(), key=lambda r: r.organization.short_name)
    return ordered, total
