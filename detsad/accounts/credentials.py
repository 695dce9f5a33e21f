"""Logins and temporary passwords for issued accounts.

Logins are Latin transliterations of the person's name (the passport-style table of
MVD order No. 889 of 2017, as on Russian passports): «Иванова Мария Сергеевна» →
``ivanova.ms``; a taken login gets the next free number (``ivanova.ms2``).

Temporary passwords are 12 random characters from an alphabet without look-alikes
(no 0/o, 1/l/i), in three groups of four for typing from paper: ``k7mp-2xr9-tq4h``
(≈ 62 bits). They are shown once, on the slip, and only their hash is stored.
"""

from __future__ import annotations

import re
import secrets

from django.db.models import Q

TRANSLIT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def translit(text: str) -> str:
    """Lower-case Latin letters and digits only: «Пётр-Иван» → ``petrivan``."""
    out = "".join(TRANSLIT.get(ch, ch) for ch in (text or "").lower())
    return re.sub(r"[^a-z0-9]", "", out)


def login_base(last_name: str, first_name: str = "", patronymic: str = "") -> str:
    """``ivanova.ms`` from «Иванова», «Мария», «Сергеевна» (``user`` when nothing is left)."""
    base = translit(last_name)[:20] or "user"
    initials = "".join(translit(p)[:1] for p in (first_name, patronymic) if p)
    return f"{base}.{initials}" if initials else base


def unique_login(base: str, taken: set[str] | None = None) -> str:
    """`base`, or `base` with the smallest number ≥ 2 that no user (or `taken`) has."""
    from .models import User

    taken = {t.lower() for t in (taken or set())}
    existing = {
        u.lower()
        for u in User.objects.filter(
            Q(username__iexact=base) | Q(username__istartswith=base)
        ).values_list("username", flat=True)
    } | taken
    if base.lower() not in existing:
        return base
    n = 2
    while f"{base}{n}".lower() in existing:
        n += 1
    return f"{base}{n}"


def temporary_password() -> str:
    """Three groups of four random characters, e.g. ``k7mp-2xr9-tq4h``."""
    chars = [secrets.choice(PASSWORD_ALPHABET) for _ in range(12)]
    return "-".join("".join(chars[i : i + 4]) for i in (0, 4, 8))
