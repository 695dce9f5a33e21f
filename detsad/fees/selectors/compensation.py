"""Compensation of part of the parental fee (273-FZ art. 65 part 5; Krasnodar Krai:
20 / 50 / 70 % of the region's average fee, accrued quarterly for months actually paid;
FACTS.md §4).

Rule: compensation(child, month) = percent(order) × min(paid for the month, average fee),
rounded half-up to the kopeck, where

- order = the child's place among the family's minor children by birth date (oldest
  first): the family is every child linked to any of the child's guardians; a child is
  minor while under 18 on the last day of the month;
- percent(order) and the average fee come from the municipality's `CompensationSetting`
  valid on the first day of the month;
- paid for the month = the parent's net payments (payments − refunds up to the date of
  the register) allocated to the months' net charges oldest first.

Issue 5 examples: 2nd child, average 2 900.00, paid 2 125.00 → 50 % × 2 125.00 =
1 062.50; 3rd child, paid 3 100.00 → 70 % × 2 900.00 = 2 030.00.

Compensation is paid to the parent by the social protection body: it is shown on the
parent's statement and in the quarterly register, never posted to the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Sum

from detsad.core.models import Organization
from detsad.people.models import Child, ChildGuardian, PersonalAccount

from ..calculation import month_end
from ..models import CompensationSetting, LedgerEntry
from ..rules import round_half_up

K = LedgerEntry.Kind


@dataclass
class CompensationRow:
    child: Child
    account: PersonalAccount
    period: dt.date
    order: int
    percent: Decimal
    average_fee: int
    paid: int
    amount: int
    payer: str = ""


def allocate_paid(dues: dict[dt.date, int], paid: int) -> dict[dt.date, int]:
    """Spread `paid` kopecks over the months' dues, oldest month first (FIFO)."""
    result = {}
    for period in sorted(dues):
        due = dues[period]
        if due <= 0:
            continue
        share = min(due, max(0, paid))
        result[period] = share
        paid -= share
    return result


def _age(child: Child, day: dt.date) -> int:
    return child.age_on(day)


def family_order(child: Child, family: list[Child], on: dt.date) -> int:
    """Place (1-based) of `child` among the minor children of `family` on `on`."""
    minors = sorted(
        (c for c in family if _age(c, on) < 18 or c.pk == child.pk),
        key=lambda c: (c.birth_date, c.pk),
    )
    return next(i for i, c in enumerate(minors, start=1) if c.pk == child.pk)


def compensation_rows(
    organization: Organization,
    months: list[dt.date],
    on: dt.date,
    *,
    account_ids=None,
) -> list[CompensationRow]:
    """Compensation per child and month of `months` (first days) as of `on` (a fixed number
    of queries). Children with nothing paid for a month get no row for it."""
    settings = list(
        CompensationSetting.objects.filter(municipality_id=organization.municipality_id)
    )
    accounts_qs = PersonalAccount.objects.filter(organization=organization).select_related("child")
    if account_ids is not None:
        accounts_qs = accounts_qs.filter(pk__in=list(account_ids))
    accounts = {a.pk: a for a in accounts_qs}
    sums = (
        LedgerEntry.objects.filter(account_id__in=list(accounts), on__lte=on)
        .values("account_id", "period", "kind")
        .annotate(total=Sum("amount"))
    )
    dues: dict[int, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    paid: dict[int, int] = defaultdict(int)
    for row in sums:
        if row["kind"] in (K.CHARGE, K.ADJUSTMENT, K.WRITE_OFF):
            dues[row["account_id"]][row["period"]] += row["total"]
        else:  # payments (negative) and refunds (positive)
            paid[row["account_id"]] -= row["total"]
    child_ids = [a.child_id for a in accounts.values()]
    links = ChildGuardian.objects.filter(child_id__in=child_ids).select_related("guardian")
    guardians_of: dict[int, list] = defaultdict(list)
    for link in links:
        guardians_of[link.child_id].append(link)
    family_links = ChildGuardian.objects.filter(
        guardian_id__in={link.guardian_id for link in links}
    ).select_related("child")
    children_of_guardian: dict[int, dict[int, Child]] = defaultdict(dict)
    for link in family_links:
        children_of_guardian[link.guardian_id][link.child_id] = link.child
    rows = []
    for account in accounts.values():
        allocation = allocate_paid(dues.get(account.pk, {}), paid.get(account.pk, 0))
        child = account.child
        family = {child.pk: child}
        for link in guardians_of.get(child.pk, []):
            family.update(children_of_guardian.get(link.guardian_id, {}))
        payer = next(
            (
                link.guardian.full_name
                for link in sorted(guardians_of.get(child.pk, []), key=lambda x: x.pk)
                if link.is_legal_representative
            ),
            "",
        )
        for month in months:
            amount_paid = allocation.get(month, 0)
            setting = next((s for s in settings if s.covers(month)), None)
            if amount_paid <= 0 or setting is None:
                continue
            order = family_order(child, list(family.values()), month_end(month))
            percent = setting.percent_for(order)
            base = min(amount_paid, setting.average_fee)
            amount = round_half_up(Fraction(percent) * base / 100)
            rows.append(
                CompensationRow(
                    child=child,
                    account=account,
                    period=month,
                    order=order,
                    percent=percent,
                    average_fee=setting.average_fee,
                    paid=amount_paid,
                    amount=amount,
                    payer=payer,
                )
            )
    rows.sort(key=lambda r: (r.child.full_name, r.period))
    return rows


def quarter_months(year: int, quarter: int) -> list[dt.date]:
    first = 3 * (quarter - 1) + 1
    return [dt.date(year, m, 1) for m in range(first, first + 3)]


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


__all__ = [
    "CompensationRow",
    "allocate_paid",
    "compensation_rows",
    "family_order",
    "quarter_months",
    "quarter_of",
]
