"""The charging rules: what a child owes for a month, from facts of each working day.

Pure functions, no database. The caller (`fees.calculation`) gives a `MonthFacts`: the
month's working days (work calendar of the organization) and, for each working day the
child was enrolled (movement book), whether the child was present, absent for a valid
reason, the rate of the day (tariff by regime and age) and the benefit percent of the day.

Arithmetic is exact: every day's share is a `fractions.Fraction` of kopecks, and the sum
is rounded half-up to the kopeck **once per child-month** (`round_half_up`), then shown
as a `Decimal` of rubles (issue 5, CASES.md "rounded half-up once on the final amount").

Days before enrollment or after withdrawal are not in ``days`` at all: they are neither
charged nor counted as absences (case C07). A benefit that starts or ends mid-month
changes the share of the days it covers only (issue 5, "day by day").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .models.setup import Policy


@dataclass(frozen=True)
class DayFacts:
    """One working day the child was enrolled.

    ``rate``: kopecks per day (daily rules) or per month (monthly rules) valid that day;
    ``benefit``: percent of the fee waived that day (0–100, after the stacking rule).
    """

    on: dt.date
    present: bool = False
    absent_valid: bool = False
    absent_invalid: bool = False
    rate: int = 0
    benefit: Fraction = Fraction(0)

    @property
    def pay_share(self) -> Fraction:
        """The part of the day's fee the family pays: (100 − benefit) / 100."""
        return (100 - self.benefit) / Fraction(100)


@dataclass
class MonthFacts:
    """The facts of one child-month: ``working_days`` of the organization (all of them, the
    divisor of monthly rules) and ``days`` — the enrolled working days, in date order."""

    period: dt.date
    working_days: list[dt.date]
    days: list[DayFacts] = field(default_factory=list)

    @property
    def w(self) -> int:
        return len(self.working_days)


# --- the rules ------------------------------------------------------------------------------


def per_day_attended(month: MonthFacts) -> Fraction:
    """Rule ``per_day_attended``: charge = daily rate × days present (attendance journal).

    Each present day costs the daily rate of that day times the share the family pays
    (benefits). Absences of any kind and unmarked days cost nothing.
    Example (issue 5): 125.00/day, 17 days present, 3 ill (Б), 2 without reason (Н) →
    2 125.00.
    """
    return sum((d.rate * d.pay_share for d in month.days if d.present), Fraction(0))


def monthly_with_valid_absence_recalc(month: MonthFacts) -> Fraction:
    """Rule ``monthly_with_valid_absence_recalc``:
    charge = monthly rate × (working days − days missed for a valid reason) / working days.

    Only days the child was enrolled count (a partial first month is charged from the
    enrollment date, case C07); an unmarked or an unexcused day is charged. Each counted
    day costs monthly rate / working days of the month, times the share the family pays.
    Examples (issue 5): 2 750.00, 22 working days, 3 valid absences → 2 375.00;
    3 000.00, 21 working days, 2 valid absences → 2 714.2857… → 2 714.29.
    """
    if not month.w:
        return Fraction(0)
    return sum(
        (Fraction(d.rate, month.w) * d.pay_share for d in month.days if not d.absent_valid),
        Fraction(0),
    )


def monthly_by_attendance_share(month: MonthFacts) -> Fraction:
    """Rule ``monthly_by_attendance_share``: charge = monthly rate × days present / working
    days of the month.

    Example (case C07): 3 000.00, March 2026 = 21 working days, enrolled 16.03 and present
    all 12 working days → 3 000 × 12 / 21 = 1 714.29.
    """
    if not month.w:
        return Fraction(0)
    return sum(
        (Fraction(d.rate, month.w) * d.pay_share for d in month.days if d.present),
        Fraction(0),
    )


def planned(month: MonthFacts, base: str) -> Fraction:
    """The advance of ``advance_with_recalc``: the base rule as if the child attended every
    enrolled working day (per-day base: daily rate × working days).

    Example (issue 5): 125.00/day, October 2026 = 22 working days → 2 750.00 on 1 October.
    """
    full = MonthFacts(
        period=month.period,
        working_days=month.working_days,
        days=[DayFacts(on=d.on, present=True, rate=d.rate, benefit=d.benefit) for d in month.days],
    )
    return BASE_RULES[base](full)


def advance_with_recalc(month: MonthFacts, *, base: str, closed: bool) -> Fraction:
    """Rule ``advance_with_recalc``: while the month is open the planned amount is charged
    in advance (`planned`); once the month is closed for fees it is brought to what the
    base rule gives, by an adjustment posted in the next open month's run.

    Example (issue 5): per-day base, 125.00/day: 1 October charge 2 750.00; after October
    is closed (17 days present), the November run posts −625.00; October net 2 125.00.
    """
    if closed:
        return BASE_RULES[base](month)
    return planned(month, base)


BASE_RULES: dict[str, Callable[[MonthFacts], Fraction]] = {
    Policy.PER_DAY_ATTENDED: per_day_attended,
    Policy.MONTHLY_WITH_VALID_ABSENCE_RECALC: monthly_with_valid_absence_recalc,
    Policy.MONTHLY_BY_ATTENDANCE_SHARE: monthly_by_attendance_share,
}

#: Rules whose rate is per day (the others use a monthly rate).
DAILY_RULES = {Policy.PER_DAY_ATTENDED}


def rate_unit(policy: str, base: str) -> str:
    """``"day"`` or ``"month"``: the tariff unit the rule multiplies."""
    rule = base if policy == Policy.ADVANCE_WITH_RECALC else policy
    return "day" if rule in DAILY_RULES else "month"


def charge_exact(month: MonthFacts, *, policy: str, base: str, closed: bool) -> Fraction:
    """The exact (unrounded) charge of a child-month in kopecks under `policy`."""
    if policy == Policy.ADVANCE_WITH_RECALC:
        return advance_with_recalc(month, base=base, closed=closed)
    return BASE_RULES[policy](month)


# --- benefits and rounding --------------------------------------------------------------------


def combined_benefit(percents: list[Decimal], stacking: str) -> Fraction:
    """Benefit percent of a day from the child's benefits valid that day.

    ``largest`` (default, CASES.md): only the largest applies; ``sum_capped``: their sum,
    at most 100. Case C10: 50 % and 30 % → 50 % (largest) or 80 % (sum).
    """
    if not percents:
        return Fraction(0)
    values = [Fraction(p) for p in percents]
    if stacking == "sum_capped":
        return min(Fraction(100), sum(values, Fraction(0)))
    return max(values)


def round_half_up(value: Fraction) -> int:
    """Round exact kopecks to whole kopecks, halves away from zero (ROUND_HALF_UP)."""
    sign = -1 if value < 0 else 1
    value = abs(value)
    return sign * ((2 * value.numerator + value.denominator) // (2 * value.denominator))


def rubles(kopecks: int) -> Decimal:
    """Integer kopecks as a Decimal of rubles with two places."""
    return (Decimal(kopecks) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def exact_rubles(value: Fraction, places: int = 4) -> str:
    """An exact kopeck amount shown in rubles with `places` decimals (for the run's lines)."""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(value.numerator) / Decimal(value.denominator) / 100
    return str(number.quantize(quantum, rounding=ROUND_HALF_UP))
