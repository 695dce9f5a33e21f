"""URL converters: a day as ``YYYY-MM-DD`` and a month as ``YYYY-MM`` (both → date).

Only years 1900–2999 match: the pages step a day or a month back and forth and the reports
a year, which would overflow ``datetime.date`` at 0001 or 9999 (a 500 instead of a 404).
"""

from __future__ import annotations

import datetime as dt

#: Years a journal URL or query parameter may name (inclusive).
MIN_YEAR, MAX_YEAR = 1900, 2999


def check_year(value: dt.date) -> dt.date:
    """Return `value`, or raise ValueError when its year is outside MIN_YEAR..MAX_YEAR."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"year {value.year} is out of range")
    return value


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        return check_year(dt.date.fromisoformat(value))  # ValueError → no match (404)

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value)


class MonthConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        year, month = (int(p) for p in value.split("-"))
        return check_year(dt.date(year, month, 1))

    def to_url(self, value) -> str:
        return value.strftime("%Y-%m") if isinstance(value, dt.date) else str(value)
