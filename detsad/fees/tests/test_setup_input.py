"""Bad input to the reference data: overlapping tariffs, negative rates, inverted or
overlapping benefit periods are refused with a Russian message naming the field, and
nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from detsad.fees import services
from detsad.fees.models import Benefit, ChildBenefit, Tariff

from .helpers import tariff

pytestmark = pytest.mark.django_db

D = dt.date


def new_tariff(fw, amount, valid_from, **kw):
    return services.tariff_create(
        actor=fw.dept_actor(),
        municipality=fw.municipality,
        unit=kw.pop("unit", "day"),
        amount=amount,
        valid_from=valid_from,
        **kw,
    )


class TestTariffs:
    def test_a_rate_starting_on_or_before_a_later_one_is_refused(self, fw):
        tariff(fw, 125, valid_from=D(2026, 9, 1))
        new_tariff(fw, 13000, D(2026, 11, 1))  # closes the first on 31.10
        for start in (D(2026, 11, 1), D(2026, 10, 15), D(2026, 9, 15)):
            with pytest.raises(ValidationError) as exc:
                new_tariff(fw, 14000, start)
            assert exc.value.message_dict == {
                "valid_from": ["На эти даты уже действует другой тариф той же категории."]
            }, start
        assert list(
            Tariff.objects.filter(municipality=fw.municipality)
            .order_by("valid_from")
            .values_list("amount", "valid_from", "valid_to")
        ) == [(12500, D(2026, 9, 1), D(2026, 10, 31)), (13000, D(2026, 11, 1), None)]
        new_tariff(fw, 14000, D(2026, 12, 1))  # a later change closes the open rate
        assert Tariff.objects.get(amount=13000).valid_to == D(2026, 11, 30)

    def test_other_category_does_not_overlap(self, fw):
        tariff(fw, 125, valid_from=D(2026, 9, 1))
        month = new_tariff(fw, 275000, D(2026, 9, 1), unit="month")
        under3 = new_tariff(fw, 11000, D(2026, 9, 1), age_band="under_3")
        assert (month.valid_to, under3.valid_to) == (None, None)

    def test_negative_rate_is_refused(self, fw):
        with pytest.raises(ValidationError) as exc:
            new_tariff(fw, -1, D(2026, 9, 1))
        assert exc.value.message_dict == {"amount": ["Размер платы не может быть отрицательным."]}
        assert not Tariff.objects.exists()


class TestChildBenefits:
    @pytest.fixture
    def large(self, fw):
        return Benefit.objects.get(municipality=fw.municipality, name="Многодетная семья")

    def grant(self, fw, benefit, start, end=None, document="удостоверение № 1"):
        return services.child_benefit_add(
            actor=fw.a.actor("coordinator"),
            child=fw.a.children["c1"],
            benefit=benefit,
            document=document,
            valid_from=start,
            valid_to=end,
        )

    def test_inverted_period_and_missing_document(self, fw, large):
        with pytest.raises(ValidationError) as exc:
            self.grant(fw, large, D(2026, 10, 15), D(2026, 10, 1), document=" ")
        assert exc.value.message_dict == {
            "document": ["Укажите подтверждающий документ."],
            "valid_to": ["Дата окончания раньше даты начала."],
        }
        assert not ChildBenefit.objects.exists()

    def test_overlapping_grant_of_the_same_benefit(self, fw, large):
        self.grant(fw, large, D(2026, 9, 1), D(2026, 9, 30))
        with pytest.raises(ValidationError) as exc:
            self.grant(fw, large, D(2026, 9, 30))
        assert exc.value.message_dict == {
            "valid_from": ["Льгота «Многодетная семья» уже действует в эти даты."]
        }
        assert ChildBenefit.objects.count() == 1

    def test_ending_later_may_not_run_into_the_next_grant(self, fw, large):
        """September's grant «ended» on 31.12 would overlap October's open grant: with the
        «sum, capped at 100 %» rule that would be 50 % + 50 % = free, so it is refused."""
        first = self.grant(fw, large, D(2026, 9, 1), D(2026, 9, 30))
        self.grant(fw, large, D(2026, 10, 1))
        with pytest.raises(ValidationError) as exc:
            services.child_benefit_end(
                actor=fw.a.actor("coordinator"), grant=first, valid_to=D(2026, 12, 31)
            )
        assert exc.value.message_dict == {
            "valid_to": ["Льгота «Многодетная семья» уже действует в эти даты."]
        }
        first.refresh_from_db()
        assert first.valid_to == D(2026, 9, 30)
        services.child_benefit_end(
            actor=fw.a.actor("coordinator"), grant=first, valid_to=D(2026, 9, 20)
        )
        first.refresh_from_db()
        assert first.valid_to == D(2026, 9, 20)

    def test_ending_before_the_start_is_refused(self, fw, large):
        first = self.grant(fw, large, D(2026, 9, 10))
        with pytest.raises(ValidationError) as exc:
            services.child_benefit_end(
                actor=fw.a.actor("coordinator"), grant=first, valid_to=D(2026, 9, 9)
            )
        assert exc.value.message_dict == {"valid_to": ["Дата окончания раньше даты начала льготы."]}
