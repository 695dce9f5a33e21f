"""Validators of personal data, with values worked out by hand (people/validators.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from detsad.people.validators import (
    normalize_phone,
    normalize_snils,
    snils_check_digits,
    validate_child_birth_date,
    validate_not_future,
    validate_phone,
    validate_snils,
)

TODAY = dt.date(2026, 11, 29)


class TestSnils:
    # 1·9 + 1·8 + 2·7 + 2·6 + 3·5 + 3·4 + 4·3 + 4·2 + 5·1 = 95 (below 100: the check number)
    def test_sum_below_100_is_the_check_number(self):
        assert snils_check_digits("112233445") == 95
        assert normalize_snils("112-233-445 95") == "112-233-445 95"

    def test_wrong_check_digits_name_the_right_ones(self):
        with pytest.raises(ValidationError) as exc:
            normalize_snils("112-233-445 96")
        assert exc.value.messages == ["СНИЛС: неверные контрольные цифры (должны быть 95)."]

    @pytest.mark.parametrize(
        ("first9", "check"),
        [
            ("920000003", 0),  # 9·9 + 2·8 + 3·1 = 100 → 00
            ("920000004", 0),  # 101 → 00
            ("920000005", 1),  # 102 → 102 mod 101 = 1
            ("996000006", 0),  # 9·9 + 9·8 + 6·7 + 6·1 = 201 → 201 mod 101 = 100 → 00
        ],
    )
    def test_sums_of_100_and_above(self, first9, check):
        assert snils_check_digits(first9) == check

    @pytest.mark.parametrize("written", ["11223344595", "112 233 445 95", " 112-233-44595 "])
    def test_written_forms_are_normalized(self, written):
        assert normalize_snils(written) == "112-233-445 95"

    def test_numbers_up_to_001_001_998_are_not_checked(self):
        assert normalize_snils("001-001-998 55") == "001-001-998 55"

    @pytest.mark.parametrize("value", ["123", "112-233-445", "112-233-445 9a", "СНИЛС"])
    def test_bad_format(self, value):
        with pytest.raises(ValidationError) as exc:
            normalize_snils(value)
        assert exc.value.messages == ["СНИЛС должен состоять из 11 цифр: 123-456-789 01."]

    def test_empty_is_allowed_by_the_field_validator(self):
        validate_snils("")

    @given(st.integers(1_002_000, 999_999_999))
    def test_only_the_computed_check_number_passes(self, number):
        first9 = f"{number:09d}"
        check = snils_check_digits(first9)
        assert normalize_snils(f"{first9}{check:02d}")
        with pytest.raises(ValidationError):
            normalize_snils(f"{first9}{(check + 1) % 100:02d}")


class TestPhone:
    @pytest.mark.parametrize(
        ("written", "stored"),
        [
            ("8 (997) 878-42-88", "+79978784288"),
            ("+7 997 193-29-46", "+79971932946"),
            ("9971932946", "+79971932946"),
            ("7 997 193 29 46", "+79971932946"),
        ],
    )
    def test_normalized_to_plus_seven(self, written, stored):
        assert normalize_phone(written) == stored

    @pytest.mark.parametrize(
        "value",
        [
            "12-34",
            "+1 555 123 4567",
            "8 997 878 42",
            "",
            "+7 918 123 45 6",  # a digit short: not +77918123456
            "+8 918 123 45 67",
            "+79181234567 8",
        ],
    )
    def test_not_a_phone(self, value):
        with pytest.raises(ValidationError) as exc:
            normalize_phone(value)
        assert exc.value.messages == [
            f"Телефон «{value}» не похож на номер: нужно 10 цифр после +7."
        ]

    def test_field_validator(self):
        validate_phone("+79971932946")
        validate_phone("")
        with pytest.raises(ValidationError):
            validate_phone("12-34")

    @given(st.from_regex(r"9\d{9}", fullmatch=True), st.sampled_from(["+7 ", "8 ", "8(", ""]))
    def test_any_formatting_of_ten_digits(self, digits, prefix):
        written = f"{prefix}{digits[:3]} {digits[3:6]}-{digits[6:8]}-{digits[8:]}"
        assert normalize_phone(written) == f"+7{digits}"


class TestChildAge:
    @pytest.mark.parametrize(
        "birth",
        [
            dt.date(2026, 11, 29),  # born today: 0 years
            dt.date(2018, 11, 29),  # 8 years today
            dt.date(2017, 11, 30),  # 8 years, 9 tomorrow
        ],
    )
    def test_ages_from_0_to_8_are_allowed(self, birth):
        validate_child_birth_date(birth, TODAY)

    def test_nine_years_is_too_old(self):
        with pytest.raises(ValidationError) as exc:
            validate_child_birth_date(dt.date(2017, 11, 29), TODAY)
        assert exc.value.messages == ["Возраст ребёнка 9 лет: допустимо от 0 до 8 лет."]

    def test_a_birth_date_in_the_future(self):
        with pytest.raises(ValidationError) as exc:
            validate_child_birth_date(dt.date(2026, 11, 30), TODAY)
        assert exc.value.messages == ["Дата рождения не может быть в будущем (30.11.2026)."]

    def test_any_date_not_in_the_future(self):
        validate_not_future(TODAY, TODAY, "Дата приёма")
        with pytest.raises(ValidationError) as exc:
            validate_not_future(dt.date(2027, 1, 1), TODAY, "Дата приёма")
        assert exc.value.messages == ["Дата приёма не может быть в будущем (01.01.2027)."]
