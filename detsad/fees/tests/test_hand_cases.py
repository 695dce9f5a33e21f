"""The hand-worked cases of issue 5 through the real fee run (October 2026 = 22 working
days): every amount below is worked out by hand in the test's docstring."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from detsad.attendance.selectors import child_days
from detsad.fees import services
from detsad.fees.models import Benefit, FeeRun, LedgerEntry

from .helpers import MAR, NOV, OCT, close, days, mark, mark_month, net, policy, run, tariff

pytestmark = pytest.mark.django_db

#: 17 present, 3 ill (Б), 2 without reason (Н): working-day indexes of the absences.
ABSENCES = {3: "Б", 4: "Б", 5: "Б", 10: "Н", 11: "Н"}


class TestPolicies:
    def test_october_has_22_working_days(self, fw):
        assert len(days(fw.a.org, OCT)) == 22

    def test_per_day_attended_charges_days_present(self, fw):
        """125.00 × 17 days present = 2 125.00."""
        policy(fw, "per_day_attended")
        tariff(fw, 125)
        mark_month(fw.a, "c1", OCT, ABSENCES)
        result = run(fw.a, OCT)
        assert result.status == FeeRun.Status.DONE, result.error
        entry = LedgerEntry.objects.get(account=fw.a.accounts["c1"], period=OCT)
        assert (entry.kind, entry.amount, entry.on) == ("charge", 212500, OCT)
        line = result.lines.get(child=fw.a.children["c1"])
        assert line.details["present"] == 17
        assert line.details["absent_valid"] == 3
        assert line.details["absent_invalid"] == 2

    def test_monthly_with_valid_absence_recalc(self, fw):
        """2 750.00 × (22 − 3 valid absences) / 22 = 2 375.00; the 2 unexcused days are paid."""
        policy(fw, "monthly_with_valid_absence_recalc")
        tariff(fw, 2750, "month")
        mark_month(fw.a, "c1", OCT, ABSENCES)
        run(fw.a, OCT)
        assert net(fw.a, "c1", OCT) == 237500

    def test_monthly_by_attendance_share(self, fw):
        """2 750.00 × 17 / 22 = 2 125.00."""
        policy(fw, "monthly_by_attendance_share")
        tariff(fw, 2750, "month")
        mark_month(fw.a, "c1", OCT, ABSENCES)
        run(fw.a, OCT)
        assert net(fw.a, "c1", OCT) == 212500

    def test_advance_with_recalc_on_the_per_day_rule(self, fw):
        """1 October: 125 × 22 = 2 750.00 in advance; October closed with 17 days present:
        the November run posts 2 125.00 − 2 750.00 = −625.00 for October; October net
        2 125.00. November itself gets its own advance (20 working days × 125 = 2 500.00)."""
        policy(fw, "advance_with_recalc", base="per_day_attended")
        tariff(fw, 125)
        october = run(fw.a, OCT)
        first = LedgerEntry.objects.get(account=fw.a.accounts["c1"], batch=october)
        assert (first.kind, first.on, first.amount) == ("charge", OCT, 275000)
        mark_month(fw.a, "c1", OCT, ABSENCES)
        close(fw.a, OCT)
        november = run(fw.a, NOV)
        adjustment = LedgerEntry.objects.get(
            account=fw.a.accounts["c1"], batch=november, period=OCT
        )
        assert (adjustment.kind, adjustment.on, adjustment.amount) == ("adjustment", NOV, -62500)
        assert net(fw.a, "c1", OCT) == 212500
        assert len(days(fw.a.org, NOV)) == 20
        assert net(fw.a, "c1", NOV) == 250000

    def test_rounding_once_half_up(self, fw):
        """3 000.00 × 19 / 21 = 2 714.2857… → 2 714.29 (March 2026: 21 working days)."""
        policy(fw, "monthly_with_valid_absence_recalc")
        tariff(fw, 3000, "month")
        assert len(days(fw.a.org, MAR)) == 21
        mark_month(fw.a, "c1", MAR, {0: "Б", 1: "Б"})
        result = run(fw.a, MAR)
        assert net(fw.a, "c1", MAR) == 271429
        assert result.lines.get(child=fw.a.children["c1"]).details["exact"] == "2714.2857"


class TestBenefits:
    def test_large_family_from_mid_month_applies_day_by_day(self, fw, django_user_model):
        """50 % from 15.10.2026, 125.00/day, present every working day:
        10 days × 125 + 12 days × 62.50 = 2 000.00."""
        policy(fw, "per_day_attended")
        tariff(fw, 125)
        mark_month(fw.a, "c1", OCT)
        services.child_benefit_add(
            actor=fw.a.actor("coordinator"),
            child=fw.a.children["c1"],
            benefit=Benefit.objects.get(municipality=fw.municipality, name="Многодетная семья"),
            document="Удостоверение многодетной семьи № 123 от 14.10.2026",
            valid_from=dt.date(2026, 10, 15),
        )
        run(fw.a, OCT)
        assert net(fw.a, "c1", OCT) == 200000

    def test_disabled_child_is_exempt_and_still_counted_in_attendance(self, fw):
        """Exempt by law: charge 0.00, yet 22 days present stay in the journal."""
        policy(fw, "per_day_attended")
        tariff(fw, 125)
        mark_month(fw.a, "c1", OCT)
        services.child_benefit_add(
            actor=fw.a.actor("coordinator"),
            child=fw.a.children["c1"],
            benefit=Benefit.objects.get(municipality=fw.municipality, name="Ребёнок-инвалид"),
            document="Справка МСЭ-2024 № 0000001",
            valid_from=dt.date(2026, 9, 1),
        )
        result = run(fw.a, OCT)
        assert net(fw.a, "c1", OCT) == 0
        line = result.lines.get(child=fw.a.children["c1"])
        assert (line.target, line.details["present"], line.details["benefit_days"]) == (0, 22, 22)
        marks = child_days(fw.a.org, OCT, dt.date(2026, 10, 31))
        assert len(marks[fw.a.children["c1"].pk].present) == 22

    def test_benefit_needs_a_document(self, fw):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as exc:
            services.child_benefit_add(
                actor=fw.a.actor("coordinator"),
                child=fw.a.children["c1"],
                benefit=Benefit.objects.get(municipality=fw.municipality, name="Ребёнок-инвалид"),
                document=" ",
                valid_from=dt.date(2026, 9, 1),
            )
        assert "document" in exc.value.error_dict


class TestRunLifecycle:
    def test_running_twice_charges_once(self, fw):
        policy(fw, "per_day_attended")
        tariff(fw, 125)
        mark_month(fw.a, "c1", OCT, ABSENCES)
        run(fw.a, OCT)
        second = run(fw.a, OCT)
        assert second.status == FeeRun.Status.DONE
        assert second.entries_count == 0
        assert net(fw.a, "c1", OCT) == 212500

    def test_correction_while_open_is_an_adjustment_of_the_rerun(self, fw):
        policy(fw, "per_day_attended")
        tariff(fw, 125)
        mark_month(fw.a, "c1", OCT, ABSENCES)
        run(fw.a, OCT)
        mark(fw.a, "c1", days(fw.a.org, OCT)[10])  # Н → present
        rerun = run(fw.a, OCT)
        entry = LedgerEntry.objects.get(batch=rerun)
        assert (entry.kind, entry.period, entry.amount) == ("adjustment", OCT, 12500)
        assert net(fw.a, "c1", OCT) == 225000

    def test_late_correction_after_closing_goes_to_the_next_open_month(self, fw):
        """October closed at 2 125.00; a day corrected afterwards (Н → present) is not
        changed in October: the November run posts +125.00 for October, dated 01.11."""
        policy(fw, "per_day_attended")
        tariff(fw, 125)
        mark_month(fw.a, "c1", OCT, ABSENCES)
        run(fw.a, OCT)
        close(fw.a, OCT)
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            run(fw.a, OCT)
        mark(fw.a, "c1", days(fw.a.org, OCT)[10])
        november = run(fw.a, NOV)
        entry = LedgerEntry.objects.get(batch=november, period=OCT)
        assert (entry.kind, entry.on, entry.amount) == ("adjustment", NOV, 12500)

    def test_a_run_is_reversed_as_a_whole_and_only_the_latest(self, fw):
        from django.core.exceptions import ValidationError

        policy(fw, "per_day_attended")
        tariff(fw, 125)
        for key in ("c1", "c2", "c3"):
            mark_month(fw.a, key, OCT)
        october = run(fw.a, OCT)
        assert october.entries_count == 3
        november = run(fw.a, NOV)
        coordinator = fw.a.actor("coordinator")
        with pytest.raises(ValidationError):
            services.fee_run_reverse(actor=coordinator, run=october, reason="ошибка")
        services.fee_run_reverse(actor=coordinator, run=november, reason="ошибка")
        services.fee_run_reverse(actor=coordinator, run=october, reason="неверный тариф")
        october.refresh_from_db()
        assert october.status == FeeRun.Status.REVERSED
        assert (
            sum(LedgerEntry.objects.filter(organization=fw.a.org).values_list("amount", flat=True))
            == 0
        )
        assert LedgerEntry.objects.filter(reverses__batch=october).count() == 3

    def test_missing_tariff_fails_the_run_and_posts_nothing(self, fw):
        policy(fw, "per_day_attended")
        result = run(fw.a, OCT)
        assert result.status == FeeRun.Status.FAILED
        assert "нет тарифа" in result.error
        assert not LedgerEntry.objects.filter(organization=fw.a.org).exists()

    def test_tariff_change_mid_month_applies_from_its_date(self, fw):
        """125.00 until 14.10, 130.00 from 15.10, present every day:
        10 × 125 + 12 × 130 = 2 810.00; the old rate keeps its history."""
        from detsad.fees.models import Tariff

        policy(fw, "per_day_attended")
        tariff(fw, 125)
        founder = fw.dept_actor()
        services.tariff_create(
            actor=founder,
            municipality=fw.municipality,
            unit="day",
            amount=13000,
            valid_from=dt.date(2026, 10, 15),
        )
        old = Tariff.objects.get(municipality=fw.municipality, amount=12500)
        assert old.valid_to == dt.date(2026, 10, 14)
        mark_month(fw.a, "c1", OCT)
        run(fw.a, OCT)
        assert net(fw.a, "c1", OCT) == 281000

    def test_amount_as_decimal(self):
        from fractions import Fraction

        from detsad.fees.rules import round_half_up, rubles

        assert rubles(round_half_up(Fraction(3000 * 100 * 19, 21))) == Decimal("2714.29")


def test_a_child_without_an_account_gets_one_by_the_pattern(fw):
    """The run opens the next number of the organization's pattern «24NNNN» (people
    .services.personal_account_assign) for a placed child without an account."""
    from detsad.movement.models import MovementEvent, Placement
    from detsad.people.models import Child, PersonalAccount

    policy(fw, "per_day_attended")
    tariff(fw, 125)
    child = Child.objects.create(
        organization=fw.a.org,
        last_name="Безсчётов",
        first_name="Ян",
        birth_date=dt.date(2021, 1, 1),
        sex="M",
    )
    event = MovementEvent.objects.create(
        organization=fw.a.org,
        child=child,
        kind="enroll",
        on=dt.date(2025, 9, 1),
        group=fw.a.groups["sun"],
        order=fw.a.order,
    )
    Placement.objects.create(
        organization=fw.a.org,
        child=child,
        group=fw.a.groups["sun"],
        start=event.on,
        start_event=event,
    )
    result = run(fw.a, OCT)
    assert result.status == FeeRun.Status.DONE, result.error
    assert PersonalAccount.objects.get(child=child).number == "240004"
