"""Facts for the charging rules, loaded for a whole organization at once.

`load_org_data` reads everything a fee run needs for a period of months in a fixed number
of queries (work calendar, placements, personal accounts, attendance marks, benefits,
tariffs, settings, closed months), whatever the number of children; `child_month` turns
them into `rules.MonthFacts` and applies the rule of the month.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Q

from detsad.attendance.selectors import ChildDays, child_days
from detsad.core.calendar import WorkCalendar, work_calendar
from detsad.core.models import MonthClosing, Organization
from detsad.movement.models import Placement
from detsad.movement.selectors import placements_between
from detsad.people.models import Child, PersonalAccount

from . import rules
from .models import AgeBand, ChildBenefit, FeeSettings, Policy, Tariff


def add_months(month: dt.date, n: int) -> dt.date:
    """First day of the month `n` months after `month` (n may be negative)."""
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=_calendar.monthrange(month.year, month.month)[1])


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from `start`'s to `end`'s, inclusive."""
    result, month = [], start.replace(day=1)
    while month <= end:
        result.append(month)
        month = add_months(month, 1)
    return result


def closed_months(organization: Organization, start: dt.date, end: dt.date) -> set[dt.date]:
    """Months of `organization` closed for fees in [start, end] (one query)."""
    return set(
        MonthClosing.objects.filter(
            organization=organization,
            kind=MonthClosing.Kind.FEES,
            month__range=(start.replace(day=1), end),
            reopened_at__isnull=True,
        ).values_list("month", flat=True)
    )


class SettingsBook:
    """The charging settings of one organization by month (organization rows win)."""

    def __init__(self, rows: list[FeeSettings], organization_id: int):
        self.own = sorted(
            (r for r in rows if r.organization_id == organization_id), key=lambda r: r.valid_from
        )
        self.common = sorted(
            (r for r in rows if r.organization_id is None), key=lambda r: r.valid_from
        )

    @classmethod
    def load(cls, organization: Organization) -> SettingsBook:
        rows = FeeSettings.objects.filter(
            Q(organization=organization)
            | Q(municipality_id=organization.municipality_id, organization__isnull=True)
        )
        return cls(list(rows), organization.pk)

    def for_month(self, month: dt.date) -> FeeSettings | None:
        for rows in (self.own, self.common):
            valid = [r for r in rows if r.valid_from <= month]
            if valid:
                return valid[-1]
        return None


class TariffBook:
    """Tariffs of a municipality with the "most specific rate of the day" lookup."""

    def __init__(self, tariffs: list[Tariff]):
        self.by_unit: dict[str, list[Tariff]] = defaultdict(list)
        for t in tariffs:
            self.by_unit[t.unit].append(t)
        self._cache: dict[tuple, Tariff | None] = {}

    @classmethod
    def load(cls, municipality_id: int) -> TariffBook:
        return cls(list(Tariff.objects.filter(municipality_id=municipality_id)))

    def rate(self, unit: str, regime: str, band: str, day: dt.date) -> Tariff | None:
        """The tariff of `unit` valid on `day`; an exact regime / age category beats "any"."""
        key = (unit, regime, band, day)
        if key not in self._cache:
            candidates = [
                t
                for t in self.by_unit.get(unit, [])
                if t.covers(day) and t.regime in ("", regime) and t.age_band in (AgeBand.ANY, band)
            ]
            self._cache[key] = max(
                candidates,
                key=lambda t: (t.regime != "", t.age_band != AgeBand.ANY, t.valid_from),
                default=None,
            )
        return self._cache[key]


def age_band(child: Child, day: dt.date) -> str:
    """Tariff age category of the child on `day`: full years under 3, or 3 and older."""
    return AgeBand.UNDER_3 if child.age_on(day) < 3 else AgeBand.FROM_3


@dataclass
class OrgData:
    """Everything the rules need for one organization over [start, end]."""

    organization: Organization
    start: dt.date
    end: dt.date
    calendar: WorkCalendar
    settings: SettingsBook
    tariffs: TariffBook
    closed: set[dt.date]
    placements: dict[int, list[Placement]] = field(default_factory=dict)
    children: dict[int, Child] = field(default_factory=dict)
    accounts: dict[int, PersonalAccount] = field(default_factory=dict)
    marks: dict[int, ChildDays] = field(default_factory=dict)
    benefits: dict[int, list[ChildBenefit]] = field(default_factory=dict)

    def placement_on(self, child_id: int, day: dt.date) -> Placement | None:
        for p in self.placements.get(child_id, ()):
            if p.start <= day and (p.end is None or day <= p.end):
                return p
        return None


def load_org_data(
    organization: Organization,
    start: dt.date,
    end: dt.date,
    *,
    extra_account_ids=(),
    children=None,
) -> OrgData:
    """Load the facts of `organization` for [start, end] (a fixed number of queries).

    `extra_account_ids`: accounts to include although their child has no placement in the
    period (an entry to undo). `children`: limit to these children (ids).
    """
    data = OrgData(
        organization=organization,
        start=start,
        end=end,
        calendar=work_calendar(organization, start, end),
        settings=SettingsBook.load(organization),
        tariffs=TariffBook.load(organization.municipality_id),
        closed=closed_months(organization, start, end),
    )
    placements = placements_between(start, end, organization=organization)
    if children is not None:
        placements = placements.filter(child_id__in=children)
    for p in placements:
        data.placements.setdefault(p.child_id, []).append(p)
        data.children[p.child_id] = p.child
    accounts = PersonalAccount.objects.filter(organization=organization).filter(
        Q(child_id__in=list(data.children)) | Q(pk__in=list(extra_account_ids))
    )
    for account in accounts.select_related("child"):
        data.accounts[account.child_id] = account
        data.children.setdefault(account.child_id, account.child)
    ids = list(data.children)
    data.marks = child_days(organization, start, end, children=ids)
    for benefit in (
        ChildBenefit.objects.filter(
            organization=organization, child_id__in=ids, valid_from__lte=end
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .select_related("benefit")
    ):
        data.benefits.setdefault(benefit.child_id, []).append(benefit)
    return data


@dataclass
class ChildMonth:
    """The result of the rules for one child-month: rounded kopecks and how they came."""

    child_id: int
    period: dt.date
    kopecks: int
    exact: Fraction
    details: dict
    problems: list[str]


def child_month(data: OrgData, child_id: int, period: dt.date) -> ChildMonth:
    """Apply the month's rule to one child (see `rules`). Problems (no settings, no
    tariff for a day) are returned, not raised, so a run reports all of them at once."""
    child = data.children[child_id]
    problems: list[str] = []
    settings = data.settings.for_month(period)
    if settings is None:
        return ChildMonth(
            child_id,
            period,
            0,
            Fraction(0),
            {},
            [f"Не заданы правила начисления на {period:%m.%Y}."],
        )
    unit = rules.rate_unit(settings.policy, settings.advance_base)
    working = data.calendar.month_working_days(period.year, period.month)
    marks = data.marks.get(child_id) or ChildDays()
    grants = data.benefits.get(child_id, [])
    days: list[rules.DayFacts] = []
    rates: set[int] = set()
    benefit_names: set[str] = set()
    benefit_days = 0
    for day in working:
        placement = data.placement_on(child_id, day)
        if placement is None:
            continue
        band = age_band(child, day)
        tariff = data.tariffs.rate(unit, placement.group.regime, band, day)
        if tariff is None:
            problems.append(
                f"{child.full_name}: нет тарифа «{'за день' if unit == 'day' else 'за месяц'}» "
                f"на {day:%d.%m.%Y} ({placement.group.get_regime_display()}, "
                f"{AgeBand(band).label})."
            )
            continue
        active = [g for g in grants if g.covers(day)]
        percent = rules.combined_benefit([g.benefit.percent for g in active], settings.stacking)
        if percent:
            benefit_days += 1
            benefit_names.update(str(g.benefit) for g in active)
        absent = marks.absent.get(day)
        days.append(
            rules.DayFacts(
                on=day,
                present=day in marks.present,
                absent_valid=bool(absent and absent[1]),
                absent_invalid=bool(absent and not absent[1]),
                rate=tariff.amount,
                benefit=percent,
            )
        )
        rates.add(tariff.amount)
    facts = rules.MonthFacts(period=period, working_days=working, days=days)
    closed = period in data.closed
    exact = rules.charge_exact(
        facts, policy=settings.policy, base=settings.advance_base, closed=closed
    )
    kopecks = rules.round_half_up(exact)
    present = sum(1 for d in days if d.present)
    valid = sum(1 for d in days if d.absent_valid)
    invalid = sum(1 for d in days if d.absent_invalid)
    details = {
        "policy": settings.policy,
        "base": settings.advance_base if settings.policy == Policy.ADVANCE_WITH_RECALC else "",
        "advance": settings.policy == Policy.ADVANCE_WITH_RECALC and not closed,
        "unit": unit,
        "working_days": len(working),
        "enrolled": len(days),
        "present": present,
        "absent_valid": valid,
        "absent_invalid": invalid,
        "unmarked": len(days) - present - valid - invalid,
        "rates": [f"{r / 100:.2f}".replace(".", ",") for r in sorted(rates)],
        "benefits": sorted(benefit_names),
        "benefit_days": benefit_days,
        "exact": rules.exact_rubles(exact),
    }
    return ChildMonth(child_id, period, kopecks, exact, details, problems)
