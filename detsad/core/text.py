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


#: Month names in the genitive, index 1..12 («5 сентября»; dates in documents and messages).
MONTHS_GENITIVE = [
    "",
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]


def month_label(day) -> str:
    """«сентябрь 2026» for any date of the month."""
    return f"{MONTHS_NOMINATIVE[day.month]} {day.year}"


def format_money(kopecks, space: str = "\u00a0") -> str:
    """Integer kopecks as rubles for people: 123456 → «1 234,56», −500 → «−5,00».

    Thousands are grouped with `space` (a no-break space on pages, a plain one in console
    output); the decimal comma and two kopeck digits follow Russian usage. Computed from the
    integer, never through float. None or "" → "".
    """
    if kopecks is None or kopecks == "":
        return ""
    value = int(kopecks)
    sign = "−" if value < 0 else ""
    rubles, kop = divmod(abs(value), 100)
    whole = f"{rubles:,}".replace(",", space)
    return f"{sign}{whole},{kop:02d}"
