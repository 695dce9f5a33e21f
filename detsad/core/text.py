"""Russian text helpers: plural forms of nouns after numbers."""

from __future__ import annotations


def plural(n: int, one: str, few: str, many: str) -> str:
    """The noun form for `n` by Russian rules: 1 место, 2 места, 5 мест, 11 мест, 21 место."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    """«21 место», «3 ребёнка», «25 детей»."""
    return f"{n} {plural(n, one, few, many)}"


#: Month names in the nominative, index 1..12 («сентябрь»).
MONTHS_NOMINATIVE = [
    "",
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]


def month_label(day) -> str:
    """«сентябрь 2026» for any date of the month."""
    return f"{MONTHS_NOMINATIVE[day.month]} {day.year}"
