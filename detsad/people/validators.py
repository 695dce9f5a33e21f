"""Validators of personal data with Russian messages.

- SNILS check digits: Pension Fund rule (Постановление Правления ПФР от 31.07.2006 № 192п,
  instruction on filling the insurance certificate): the first nine digits are multiplied by
  weights 9…1 and summed; a sum below 100 is the check number, 100 and 101 give 00, above 101
  the remainder of division by 101 (and 100 → 00). Numbers up to 001-001-998 are not checked.
- Phones are normalized to +7XXXXXXXXXX (Russian numbering plan, 10 digits after +7/8).
- A child's age at enrollment is between 0 and 8 full years (preschool education, 273-FZ
  art. 64; the upper bound leaves room for deferred school entry).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

SNILS_RE = re.compile(r"^\s*(\d{3})[- ]?(\d{3})[- ]?(\d{3})[- ]?(\d{2})\s*$")
MIN_CHILD_AGE, MAX_CHILD_AGE = 0, 8


def snils_check_digits(first9: str) -> int:
    """Return the check number (0..99) for the nine SNILS digits."""
    total = sum(int(d) * w for d, w in zip(first9, range(9, 0, -1), strict=True))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    rest = total % 101
    return 0 if rest == 100 else rest


def normalize_snils(value: str) -> str:
    """Return SNILS as «123-456-789 01» or raise ValidationError (Russian)."""
    m = SNILS_RE.match(value or "")
    if not m:
        raise ValidationError(
            "СНИЛС должен состоять из 11 цифр: 123-456-789 01.", code="snils_format"
        )
    first9 = "".join(m.groups()[:3])
    check = int(m.group(4))
    if int(first9) > 1001998 and snils_check_digits(first9) != check:
        raise ValidationError(
            "СНИЛС: неверные контрольные цифры (должны быть %(right)02d).",
            code="snils_checksum",
            params={"right": snils_check_digits(first9)},
        )
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)} {m.group(4)}"


def validate_snils(value: str) -> None:
    if value:
        normalize_snils(value)


def normalize_phone(value: str) -> str:
    """Return a Russian phone as +7XXXXXXXXXX or raise ValidationError.

    Accepts «+7 997 193-29-46», «8 (997) 878-42-88», «9971932946», «7 997 …». A number
    written with «+» must be +7 and exactly ten more digits (so «+7 918 123 45 6», a digit
    short, is refused rather than read as +77918123456).
    """
    digits = re.sub(r"\D", "", value or "")
    international = (value or "").strip().startswith("+")
    if international:
        # «+…» is already the full international number: only +7 and ten digits after it;
        # «+7 918 123 45 6» (a digit missing) must not become +77918123456.
        digits = digits[1:] if len(digits) == 11 and digits[0] == "7" else ""
    elif len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10:
        raise ValidationError(
            "Телефон «%(value)s» не похож на номер: нужно 10 цифр после +7.",
            code="phone",
            params={"value": value},
        )
    return f"+7{digits}"


def validate_phone(value: str) -> None:
    if value and not re.fullmatch(r"\+7\d{10}", value):
        normalize_phone(value)


def validate_not_future(value: dt.date, today: dt.date, field_label: str = "Дата") -> None:
    if value and value > today:
        raise ValidationError(
            "%(label)s не может быть в будущем (%(value)s).",
            code="future",
            params={"label": field_label, "value": value.strftime("%d.%m.%Y")},
        )


def validate_child_birth_date(value: dt.date, today: dt.date) -> None:
    """A child's birth date: not in the future, age 0–8 full years on `today`."""
    validate_not_future(value, today, "Дата рождения")
    years = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if not (MIN_CHILD_AGE <= years <= MAX_CHILD_AGE):
        raise ValidationError(
            "Возраст ребёнка %(years)s лет: допустимо от 0 до 8 лет.",
            code="child_age",
            params={"years": years},
        )
