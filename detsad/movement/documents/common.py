"""Context pieces shared by the order and the contract templates."""

from __future__ import annotations

import datetime as dt
import unicodedata

from detsad.core.text import MONTHS_GENITIVE

from .declension import decline_name, gender_of


def file_part(text: str) -> str:
    """`text` fit for a downloaded file's name: quotes, slashes and control characters
    become «-» (a quote ends the header's file name, a line break breaks the header)."""
    return "".join(
        "-" if ch in '"/\\' or unicodedata.category(ch).startswith("C") else ch for ch in text
    )


def d(day: dt.date | None) -> str:
    """01.09.2025 (empty for None)."""
    return f"{day:%d.%m.%Y}" if day else ""


def date_text(day: dt.date | None) -> str:
    """«01» сентября 2025 г."""
    if not day:
        return ""
    return f"«{day:%d}» {MONTHS_GENITIVE[day.month]} {day.year} г."


class _Name:
    def __init__(self, full: str):
        parts = (full or "").split()
        self.last_name = parts[0] if parts else ""
        self.first_name = parts[1] if len(parts) > 1 else ""
        self.patronymic = " ".join(parts[2:])
        self.sex = ""


def short_name(full: str) -> str:
    """«Иванова А. П.» from «Иванова Анна Петровна»."""
    n = _Name(full)
    initials = " ".join(f"{p[0]}." for p in (n.first_name, n.patronymic) if p)
    return f"{n.last_name} {initials}".strip()


def head_context(organization) -> dict:
    """The head as orders and contracts write her/him: name, genitive, «действующей»."""
    n = _Name(organization.head_name)
    gender = gender_of(n)
    female = gender.name == "FEMALE"
    return {
        "name": organization.head_name,
        "short": short_name(organization.head_name),
        "name_gen": decline_name(n.last_name, n.first_name, n.patronymic, gender, "gen")
        if organization.head_name
        else "",
        "acting": "действующей" if female else "действующего",
    }


def org_context(organization) -> dict:
    """The organization's details for headers and the contract's requisites."""
    o = organization
    return {
        "full_name": o.full_name,
        "short_name": o.short_name,
        "address": o.address,
        "inn": o.inn,
        "kpp": o.kpp,
        "ogrn": o.ogrn,
        "phone": o.phone,
        "email": o.email,
        "head_name": o.head_name,
        "licence_number": o.licence_number,
        "licence_date": d(o.licence_date),
        "licence_issuer": o.licence_issuer,
        "bank_name": o.bank_name,
        "bik": o.bik,
        "bank_account": o.bank_account,
        "correspondent_account": o.correspondent_account,
        "payee_name": o.payee_name,
    }


TOWN_PREFIXES = ("г. ", "ст. ", "ст-ца ", "пос. ", "п. ", "пгт ", "с. ", "х. ", "аул ")


def town_of(address: str) -> str:
    """The settlement part of an address («ст. Кавказская»), for «место заключения»."""
    for part in (address or "").split(","):
        part = part.strip()
        if part.startswith(TOWN_PREFIXES):
            return part
    return ""
