"""The fee columns of the timesheet 0504608 (rate, days to be paid) by the month's rule.

October 2026: 22 working days. Child c1 of «Солнышко»: present 17 days, ill (Б) 3 days,
absent without reason (Н) 2 days.
"""

import datetime as dt

from detsad.attendance.sheet import month_sheet
from detsad.fees.models import Benefit, ChildBenefit

from .helpers import OCT, mark_month, policy, tariff

ABSENCES = {0: "Б", 1: "Б", 2: "Б", 3: "Н", 4: "Н"}


def _row(ow):
    sheet = month_sheet(ow.groups["sun"], OCT, today=dt.date(2026, 11, 29))
    return next(r for r in sheet.rows if r.child == ow.children["c1"])


def test_per_day_rule_pays_days_present(fw):
    tariff(fw, 125)
    mark_month(fw.a, "c1", OCT, ABSENCES)
    row = _row(fw.a)
    assert (row.present, row.absent, row.absent_valid) == (17, 5, 3)
    assert row.rate == "125,00/день"
    assert row.payable == 17


def test_monthly_rule_with_valid_absence_recalc_pays_all_but_valid_absences(fw):
    policy(fw, "monthly_with_valid_absence_recalc")
    tariff(fw, 2750, unit="month")
    mark_month(fw.a, "c1", OCT, ABSENCES)
    row = _row(fw.a)
    assert row.rate == "2750,00/мес."
    assert row.payable == 19  # 22 − 3 days ill


def test_exempt_child_is_present_but_pays_no_day(fw):
    tariff(fw, 125)
    mark_month(fw.a, "c1", OCT)
    ChildBenefit.objects.create(
        organization=fw.a.org,
        child=fw.a.children["c1"],
        benefit=Benefit.objects.get(municipality=fw.municipality, name="Ребёнок-инвалид"),
        document="справка МСЭ № 1",
        valid_from=dt.date(2025, 9, 1),
    )
    row = _row(fw.a)
    assert row.present == 22
    assert row.payable == 0
