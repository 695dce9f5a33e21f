"""Cases C07, C09, C10, C12 of shared/cases/CASES.md with their expected values."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from detsad.fees import selectors, services
from detsad.fees.models import Benefit
from detsad.movement.models import Order
from detsad.movement.services import child_enroll, order_create
from detsad.people.models import Child, PersonalAccount

from .helpers import APR, MAR, days, mark, net, policy, run, tariff

pytestmark = pytest.mark.django_db


def on_day(monkeypatch, day: dt.date) -> None:
    """Make "today" of every actor `day` (the municipality's date, core.access)."""
    monkeypatch.setattr("detsad.core.access.local_today", lambda municipality=None: day)


def balance_shown(html: str) -> str:
    match = re.search(r'data-testid="fee-balance">([^<]+)<', html)
    return match.group(1).replace("\u00a0", " ").strip() if match else ""


class TestC07PartialFirstMonth:
    """Enrolled 16.03.2026, 3 000.00 a month, March = 21 working days, present all 12
    working days from the 16th: 3 000 × 12 / 21 = 1 714.29; the days before enrollment are
    neither charged nor absences."""

    @pytest.fixture
    def newcomer(self, fw):
        coordinator = fw.a.actor("coordinator")
        child = Child.objects.create(
            organization=fw.a.org,
            last_name="Новикова",
            first_name="Анна",
            birth_date=dt.date(2022, 5, 1),
            sex="F",
        )
        order = order_create(
            actor=coordinator,
            organization=fw.a.org,
            number="15-в",
            date=dt.date(2026, 3, 13),
            kind=Order.Kind.ENROLL,
        )
        child_enroll(
            actor=coordinator,
            child=child,
            group=fw.a.groups["sun"],
            on=dt.date(2026, 3, 16),
            order=order,
        )
        PersonalAccount.objects.create(organization=fw.a.org, child=child, number="240099")
        fw.a.children["new"] = child
        fw.a.accounts["new"] = PersonalAccount.objects.get(child=child)
        return fw

    def test_monthly_by_attendance_share(self, newcomer):
        fw = newcomer
        policy(fw, "monthly_by_attendance_share")
        tariff(fw, 3000, "month")
        march = days(fw.a.org, MAR)
        assert len(march) == 21
        attended = [d for d in march if d >= dt.date(2026, 3, 16)]
        assert len(attended) == 12
        for day in attended:
            mark(fw.a, "new", day, group="sun")
        result = run(fw.a, MAR)
        assert net(fw.a, "new", MAR) == 171429
        line = result.lines.get(child=fw.a.children["new"])
        assert (line.details["enrolled"], line.details["present"]) == (12, 12)
        assert (line.details["absent_valid"], line.details["absent_invalid"]) == (0, 0)

    def test_monthly_with_valid_absence_counts_enrolled_days_only(self, newcomer):
        """No marks at all: billed from the 16th, not from the 1st: 3 000 × 12 / 21."""
        fw = newcomer
        policy(fw, "monthly_with_valid_absence_recalc")
        tariff(fw, 3000, "month")
        run(fw.a, MAR)
        assert net(fw.a, "new", MAR) == 171429


class TestC09ValidAbsenceAcrossMonths:
    """Sanatorium 25.03–03.04.2026, 3 000.00 a month: March credit 3 000 × 5/21 = 714.29,
    April credit 3 000 × 3/22 = 409.09, total 1 123.38 (not 3 000 × 8/21 = 1 142.86)."""

    def test_each_month_prorated_with_its_own_length(self, fw):
        policy(fw, "monthly_with_valid_absence_recalc")
        tariff(fw, 3000, "month")
        absent = [dt.date(2026, 3, d) for d in (25, 26, 27, 30, 31)] + [
            dt.date(2026, 4, d) for d in (1, 2, 3)
        ]
        for day in absent:
            mark(fw.a, "c1", day, "С")
        run(fw.a, MAR)
        run(fw.a, APR)
        assert len(days(fw.a.org, APR)) == 22
        march_credit = 300000 - net(fw.a, "c1", MAR)
        april_credit = 300000 - net(fw.a, "c1", APR)
        assert (march_credit, april_credit) == (71429, 40909)
        assert march_credit + april_credit == 112338


class TestC10BenefitShownEverywhere:
    """March fee 3 000.00 with «многодетная семья» 50 % and «сотрудник ДОУ» 30 % on file,
    1 000.00 paid on 20.03: largest only → charge 1 500.00, debt 500.00 on the child card,
    the debtors list and the parent's cabinet; the sum rule → charge 600.00, overpayment
    400.00 everywhere."""

    @pytest.fixture
    def march(self, fw, monkeypatch):
        policy(fw, "monthly_with_valid_absence_recalc")
        tariff(fw, 3000, "month")
        coordinator = fw.a.actor("coordinator")
        for name in ("Многодетная семья", "Сотрудник ДОУ"):
            services.child_benefit_add(
                actor=coordinator,
                child=fw.a.children["c1"],
                benefit=Benefit.objects.get(municipality=fw.municipality, name=name),
                document=f"документ: {name}",
                valid_from=dt.date(2026, 1, 1),
            )
        run(fw.a, MAR)
        services.payment_create_manual(
            actor=coordinator,
            account=fw.a.accounts["c1"],
            amount=100000,
            paid_on=dt.date(2026, 3, 20),
        )
        on_day(monkeypatch, dt.date(2026, 3, 31))
        return fw

    def shown(self, fw, as_role):
        child = fw.a.children["c1"]
        card = as_role("coordinator").get(reverse("people:child_detail", args=[child.pk]))
        cabinet = as_role("parent").get(reverse("fees:my"))
        account = as_role("coordinator").get(reverse("fees:account_detail", args=[child.pk]))
        return [balance_shown(r.content.decode()) for r in (card, cabinet, account)]

    def test_largest_benefit_only(self, march, as_role):
        fw = march
        assert net(fw.a, "c1", MAR) == 150000
        assert self.shown(fw, as_role) == ["500,00 руб."] * 3
        (row,) = [
            r
            for r in selectors.debtors(fw.a.actor("coordinator"), dt.date(2026, 3, 31))
            if r.account == fw.a.accounts["c1"]
        ]
        assert (row.debt, row.months) == (50000, 1)
        page = as_role("coordinator").get(reverse("fees:debtors"), {"on": "31.03.2026"})
        assert "500,00" in page.content.decode().replace("\u00a0", " ")

    def test_sum_of_benefits(self, march, as_role):
        fw = march
        services.fee_settings_save(
            actor=fw.dept_actor(),
            municipality=fw.municipality,
            valid_from=dt.date(2025, 9, 1),
            policy="monthly_with_valid_absence_recalc",
            stacking="sum_capped",
        )
        rerun = run(fw.a, MAR)
        assert rerun.adjusted == 0 and rerun.charged == -90000
        assert net(fw.a, "c1", MAR) == 60000
        assert self.shown(fw, as_role) == ["400,00 руб."] * 3
        coordinator = fw.a.actor("coordinator")
        debtors = selectors.debtors(coordinator, dt.date(2026, 3, 31))
        assert fw.a.accounts["c1"] not in [r.account for r in debtors]
        overpaid = selectors.debtors(coordinator, dt.date(2026, 3, 31), overpaid=True)
        assert [(r.account, r.debt) for r in overpaid] == [(fw.a.accounts["c1"], 40000)]


class TestC12RefundInRunningBalance:
    """Charge 3 000.00 (01.03), payment 3 500.00 (20.03), refund 500.00 (25.03): running
    balance 3 000.00 → −500.00 → 0.00; on 21.03 the child is in the overpayments list and
    not among debtors, on 26.03 in neither; card, history and cabinet agree at every date."""

    @pytest.fixture
    def march(self, fw):
        policy(fw, "monthly_with_valid_absence_recalc")
        tariff(fw, 3000, "month")
        run(fw.a, MAR)
        coordinator = fw.a.actor("coordinator")
        services.payment_create_manual(
            actor=coordinator,
            account=fw.a.accounts["c1"],
            amount=350000,
            paid_on=dt.date(2026, 3, 20),
        )
        services.ledger_entry_post(
            actor=coordinator,
            account=fw.a.accounts["c1"],
            kind="refund",
            amount=50000,
            on=dt.date(2026, 3, 25),
            note="заявление о возврате",
        )
        return fw

    def test_running_balance(self, march):
        fw = march
        rows = selectors.history(fw.a.actor("coordinator"), fw.a.accounts["c1"])
        assert [(r.entry.on.day, r.balance) for r in rows] == [
            (1, 300000),
            (20, -50000),
            (25, 0),
        ]

    @pytest.mark.parametrize(
        ("day", "overpaid", "debtor", "shown"),
        [
            (dt.date(2026, 3, 21), True, False, "500,00 руб."),
            (dt.date(2026, 3, 26), False, False, "0,00 руб."),
        ],
    )
    def test_lists_and_pages_agree(self, march, as_role, monkeypatch, day, overpaid, debtor, shown):
        fw = march
        on_day(monkeypatch, day)
        coordinator = fw.a.actor("coordinator")
        account = fw.a.accounts["c1"]
        assert (account in [r.account for r in selectors.debtors(coordinator, day)]) is debtor
        listed = [r.account for r in selectors.debtors(coordinator, day, overpaid=True)]
        assert (account in listed) is overpaid
        child = fw.a.children["c1"]
        pages = [
            as_role("coordinator").get(reverse("people:child_detail", args=[child.pk])),
            as_role("coordinator").get(reverse("fees:account_detail", args=[child.pk])),
            as_role("parent").get(reverse("fees:my")),
        ]
        assert [balance_shown(p.content.decode()) for p in pages] == [shown] * 3
        history = selectors.history(coordinator, account, until=day)
        assert history[-1].balance == selectors.account_state(account, day).balance
