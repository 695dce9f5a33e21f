"""Balances and account history: the single source of every fee figure a page shows.

The child card panel, the account page, the parent's cabinet, receipts and the reports
all read balances through `account_states` (one query for any number of accounts), so the
same child shows the same figure everywhere (case C10, C12).

Definitions (DESIGN.md §5, issue 5 §5, §8):
- balance at a date = sum of the account's entries dated on or before it (> 0 debt,
  < 0 prepayment);
- overdue at a date = debits (positive entries) whose due date has passed + every credit
  (negative entry) up to the date; the due date of a debit is the settings' due day of
  the month it was posted in (`FeeSettings.due_date`), the 10th of that month without
  settings;
- months of debt = months with debits not covered by the credits, the oldest covered first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from detsad.core.access import Actor, scoped
from detsad.core.models import Organization
from detsad.core.permissions import Area
from detsad.people.models import Child, PersonalAccount

from ..calculation import SettingsBook
from ..models import ChildBenefit, LedgerEntry

DEFAULT_DUE_DAY = 10


@dataclass
class AccountState:
    """Figures of one account at a date (kopecks)."""

    account_id: int
    on: dt.date
    balance: int = 0
    overdue: int = 0
    months_of_debt: int = 0
    debt_since: dt.date | None = None

    @property
    def debt(self) -> int:
        """The overdue debt (≥ 0): what the debtors list shows."""
        return max(0, self.overdue)

    @property
    def prepaid(self) -> int:
        return max(0, -self.balance)


def _due(settings: SettingsBook | None, month: dt.date) -> dt.date:
    row = settings.for_month(month) if settings else None
    return row.due_date(month) if row else month.replace(day=DEFAULT_DUE_DAY)


def account_states(
    account_ids, on: dt.date, *, organization: Organization | None = None
) -> dict[int, AccountState]:
    """States of many accounts at `on` (one query for the entries, one for the settings).

    `organization` gives the due dates; without it they are read from the first account's
    organization.
    """
    account_ids = list(account_ids)
    states = {a: AccountState(account_id=a, on=on) for a in account_ids}
    if not account_ids:
        return states
    rows = (
        LedgerEntry.objects.filter(account_id__in=account_ids, on__lte=on)
        .annotate(month=TruncMonth("on"))
        .values("account_id", "month")
        .annotate(
            debit=Sum("amount", filter=Q(amount__gt=0)),
            credit=Sum("amount", filter=Q(amount__lt=0)),
        )
    )
    by_account: dict[int, list[tuple[dt.date, int, int]]] = defaultdict(list)
    for row in rows:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        by_account[row["account_id"]].append((month, row["debit"] or 0, row["credit"] or 0))
    if organization is None and by_account:
        organization = (
            PersonalAccount.objects.select_related("organization")
            .get(pk=next(iter(by_account)))
            .organization
        )
    settings = SettingsBook.load(organization) if organization is not None else None
    due_cache: dict[dt.date, dt.date] = {}
    for account_id, months in by_account.items():
        state = states[account_id]
        credits = -sum(c for _m, _d, c in months)
        state.balance = sum(d + c for _m, d, c in months)
        due_debits = []
        for month, debit, _credit in sorted(months):
            if month not in due_cache:
                due_cache[month] = _due(settings, month)
            if debit and due_cache[month] <= on:
                due_debits.append((month, debit))
        state.overdue = sum(d for _m, d in due_debits) - credits
        remaining = credits
        for month, debit in due_debits:
            if remaining >= debit:
                remaining -= debit
                continue
            remaining = 0
            state.months_of_debt += 1
            state.debt_since = state.debt_since or month
    return states


def account_state(account: PersonalAccount | None, on: dt.date) -> AccountState:
    if account is None:
        return AccountState(account_id=0, on=on)
    return account_states([account.pk], on, organization=account.organization)[account.pk]


@dataclass
class HistoryRow:
    entry: LedgerEntry
    balance: int


@dataclass
class AccountView:
    """A child's account as the account page, the panel and the parent's cabinet show it."""

    child: Child
    account: PersonalAccount | None
    state: AccountState
    benefits: list[ChildBenefit] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)


def account_of(child: Child) -> PersonalAccount | None:
    return PersonalAccount.objects.filter(
        child=child, organization_id=child.organization_id
    ).first()


def history(actor: Actor, account: PersonalAccount, *, until: dt.date | None = None):
    """Entries of the account in date order with the running balance after each (case
    C12: refunds and every other kind included, the last row equals the balance)."""
    qs = scoped(
        actor,
        LedgerEntry.objects.filter(account=account).select_related("payment", "reverses", "batch"),
        Area.FEES,
    ).order_by("on", "id")
    if until is not None:
        qs = qs.filter(on__lte=until)
    running, rows = 0, []
    for entry in qs:
        running += entry.amount
        rows.append(HistoryRow(entry=entry, balance=running))
    return rows


def child_benefits(actor: Actor, child: Child) -> QuerySet[ChildBenefit]:
    return (
        scoped(actor, ChildBenefit.objects.filter(child=child), Area.FEES)
        .select_related("benefit")
        .order_by("-valid_from")
    )


def account_view(actor: Actor, child: Child, *, on: dt.date | None = None, with_history=True):
    """Everything about one child's fee account at `on` (default: today)."""
    on = on or actor.today
    account = account_of(child)
    view = AccountView(child=child, account=account, state=account_state(account, on))
    view.benefits = list(child_benefits(actor, child))
    if with_history and account is not None:
        view.history = history(actor, account, until=on)
    return view


def scoped_accounts(actor: Actor) -> QuerySet[PersonalAccount]:
    """Personal accounts of the active organization the actor may see."""
    qs = scoped(actor, PersonalAccount.objects.select_related("child"), Area.FEES)
    if actor.organization is not None:
        qs = qs.filter(organization=actor.organization)
    return qs


def accounts_for_picker(actor: Actor) -> list[PersonalAccount]:
    """Accounts for the «assign a payment» picker: number — child's name."""
    return list(scoped_accounts(actor).filter(child__archived_at__isnull=True).order_by("number"))
