"""Helpers of the fee tests: tariffs, settings, attendance marks, runs, dates.

October 2026 has 22 working days (1–2, 5–9, 12–16, 19–23, 26–30), March 2026 has 21 and
April 2026 22 (CASES.md assumptions; the work calendar gives them).
"""

from __future__ import annotations

import datetime as dt

from detsad.attendance.models import AbsenceReason, AttendanceMark
from detsad.core.access import Actor
from detsad.core.calendar import working_days
from detsad.fees import services
from detsad.fees.models import FeeSettings, LedgerEntry, Tariff
from detsad.fees.selectors import account_state

OCT = dt.date(2026, 10, 1)
NOV = dt.date(2026, 11, 1)
MAR = dt.date(2026, 3, 1)
APR = dt.date(2026, 4, 1)


def tariff(world, amount_rub, unit="day", *, valid_from=dt.date(2025, 9, 1), **kw) -> Tariff:
    """A rate in rubles (converted to kopecks) of the world's municipality."""
    return Tariff.objects.create(
        municipality=world.municipality,
        unit=unit,
        amount=round(amount_rub * 100),
        valid_from=valid_from,
        **kw,
    )


def policy(world, name, *, stacking="largest", base="per_day_attended", **kw) -> FeeSettings:
    row = FeeSettings.objects.get(
        municipality=world.municipality, organization=None, valid_from=dt.date(2025, 9, 1)
    )
    FeeSettings.objects.filter(pk=row.pk).update(
        policy=name, stacking=stacking, advance_base=base, **kw
    )
    row.refresh_from_db()
    return row


def days(org, month: dt.date) -> list[dt.date]:
    return working_days(org, month.year, month.month)


def mark(ow, child_key: str, on: dt.date, code: str | None = None, group: str | None = None):
    """Present (code None) or absent with the reason `code` (Б, О, С, Н)."""
    child = ow.children[child_key]
    group_obj = ow.groups[group or ("rainbow" if child_key == "c3" else "sun")]
    reason = (
        AbsenceReason.objects.get(municipality=ow.org.municipality, code=code) if code else None
    )
    AttendanceMark.objects.update_or_create(
        child=child,
        on=on,
        defaults={
            "organization": ow.org,
            "group": group_obj,
            "present": code is None,
            "reason": reason,
        },
    )


def mark_month(ow, child_key: str, month: dt.date, absences: dict[int, str] | None = None):
    """Mark every working day of `month`: present, except the day indexes in `absences`
    (index in the list of working days → reason code)."""
    absences = absences or {}
    for i, day in enumerate(days(ow.org, month)):
        mark(ow, child_key, day, absences.get(i))


def run(ow, month: dt.date, actor: Actor | None = None):
    return services.fee_run_start(
        actor=actor or ow.actor("coordinator"), organization=ow.org, period=month
    )


def close(ow, month: dt.date):
    return services.fees_month_close(
        actor=ow.actor("coordinator"), organization=ow.org, month=month
    )


def net(ow, child_key: str, period: dt.date) -> int:
    """Kopecks charged for `period` (charges and adjustments of every run)."""
    return sum(
        LedgerEntry.objects.filter(
            account=ow.accounts[child_key],
            period=period,
            kind__in=[LedgerEntry.Kind.CHARGE, LedgerEntry.Kind.ADJUSTMENT],
        ).values_list("amount", flat=True)
    )


def balance(ow, child_key: str, on: dt.date) -> int:
    return account_state(ow.accounts[child_key], on).balance
