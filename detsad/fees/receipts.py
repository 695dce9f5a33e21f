"""Payment receipts (квитанции) with the GOST R 56042-2014 QR code.

A receipt of month M for a child shows the organization's bank details, the child, group
and account number, the balance carried from before M (debt or prepayment), the charge
and adjustments posted in M, the payments received in M so far, the amount due, the
amount in words and a QR code a banking app reads (FACTS.md §5):

``ST00012|Name=…|PersonalAcc=…|BankName=…|BIC=…|CorrespAcc=…|PayeeINN=…|KPP=…|Sum=<kopecks>|
Purpose=…|PersAcc=…|ChildFio=…|TechCode=08|PaymPeriod=MMYYYY[|CBC=…][|OKTMO=…]``

``ST0001`` + ``2`` = UTF-8; the separator is «|» unless a value contains it (then the
first character of §5.2.1's list that no value contains). Batches (a group, the whole
organization) are one PDF, a page per child (A4 with two copies, or A5).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import segno
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from num2words import num2words

from detsad.core.documents import render_pdf
from detsad.core.models import Organization
from detsad.core.text import MONTHS_NOMINATIVE
from detsad.movement.selectors import placements_between
from detsad.people.models import PersonalAccount

from .calculation import SettingsBook, month_end
from .models import LedgerEntry
from .rules import rubles

K = LedgerEntry.Kind
SEPARATORS = "|#;:^_~{}!$%&()*+,/@"
ACCOUNT20 = re.compile(r"^\d{5}[0-9ABCEHKMPTX]\d{14}$")  # treasury accounts start with 0


def month_title(month: dt.date) -> str:
    return f"{MONTHS_NOMINATIVE[month.month]} {month.year}"


def amount_in_words(kopecks: int) -> str:
    """«Две тысячи сто двадцать пять рублей, ноль копеек» (num2words with a Decimal of
    rubles: an int would be read as kopecks, STACK.md)."""
    text = num2words(rubles(kopecks), lang="ru", to="currency", currency="RUB")
    return text[:1].upper() + text[1:]


def bank_details_problems(org: Organization) -> list[str]:
    """What is missing for the QR's mandatory block (GOST R 56042-2014 §5.2)."""
    problems = []
    if not (org.payee_name or org.full_name):
        problems.append("получатель платежа")
    if not ACCOUNT20.match(org.bank_account or ""):
        problems.append("расчётный счёт (20 знаков)")
    if not org.bank_name:
        problems.append("банк получателя")
    if not re.match(r"^\d{9}$", org.bik or ""):
        problems.append("БИК (9 цифр)")
    if not ACCOUNT20.match(org.correspondent_account or ""):
        problems.append("корреспондентский счёт (20 знаков)")
    return problems


def qr_payload(fields: list[tuple[str, str]]) -> str:
    """Join ``Key=Value`` pairs after the UTF-8 header with a separator no value contains."""
    values = "".join(v for _k, v in fields)
    sep = next(c for c in SEPARATORS if c not in values)
    return sep.join(["ST00012", *(f"{k}={v}" for k, v in fields)])


def qr_svg(payload: str) -> str:
    """The QR code as an SVG data URI (segno, UTF-8 — without `encoding` Cyrillic would be
    written in Shift_JIS, STACK.md)."""
    return segno.make(payload, encoding="utf-8", error="m").svg_data_uri(scale=4, border=2)


@dataclass
class Receipt:
    organization: Organization
    account: PersonalAccount
    group: str
    month: dt.date
    until: dt.date
    opening: int
    charged: int
    adjusted: int
    paid: int
    other: int
    due_date: dt.date | None

    @property
    def child(self):
        return self.account.child

    @property
    def total(self) -> int:
        return self.opening + self.charged + self.adjusted - self.paid + self.other

    @property
    def opening_abs(self) -> int:
        return abs(self.opening)

    @property
    def due(self) -> int:
        return max(0, self.total)

    @property
    def prepaid(self) -> int:
        return max(0, -self.total)

    @property
    def purpose(self) -> str:
        return f"Родительская плата за {self.month:%m.%Y}, л/с {self.account.number}"[:160]

    @property
    def qr_fields(self) -> list[tuple[str, str]]:
        org = self.organization
        fields = [
            ("Name", (org.payee_name or org.full_name)[:160].strip()),
            ("PersonalAcc", org.bank_account),
            ("BankName", org.bank_name[:45].strip()),  # GOST: at most 45
            ("BIC", org.bik),
            ("CorrespAcc", org.correspondent_account),
            ("PayeeINN", org.inn),
        ]
        if org.kpp:
            fields.append(("KPP", org.kpp))
        fields += [
            ("Sum", str(self.due)),
            ("Purpose", self.purpose),
            ("PersAcc", self.account.number),
            ("ChildFio", self.child.full_name),
            ("TechCode", "08"),
            ("PaymPeriod", f"{self.month:%m%Y}"),
        ]
        if org.kbk:
            fields.append(("CBC", org.kbk))
        if org.oktmo:
            fields.append(("OKTMO", org.oktmo))
        return fields

    @property
    def qr_payload(self) -> str:
        return qr_payload(self.qr_fields)

    @property
    def qr_svg(self) -> str:
        return qr_svg(self.qr_payload)

    @property
    def due_words(self) -> str:
        return amount_in_words(self.due)

    @property
    def month_title(self) -> str:
        return month_title(self.month)


def receipts_for(
    organization: Organization, accounts: list[PersonalAccount], month: dt.date, until: dt.date
) -> list[Receipt]:
    """Receipts of `month` for `accounts` (a fixed number of queries for any number).

    `until` bounds the payments counted (the day of printing, at most the month's end).
    Raises ValidationError when the organization's bank details are incomplete.
    """
    problems = bank_details_problems(organization)
    if problems:
        raise ValidationError(
            "Заполните реквизиты организации для квитанций: " + ", ".join(problems) + "."
        )
    month = month.replace(day=1)
    until = min(max(until, month), month_end(month))
    ids = [a.pk for a in accounts]
    in_month = Q(on__gte=month, on__lte=until)
    sums = {
        row["account_id"]: row
        for row in LedgerEntry.objects.filter(account_id__in=ids, on__lte=until)
        .values("account_id")
        .annotate(
            opening=Sum("amount", filter=Q(on__lt=month)),
            charged=Sum("amount", filter=in_month & Q(kind=K.CHARGE)),
            adjusted=Sum("amount", filter=in_month & Q(kind=K.ADJUSTMENT)),
            paid=Sum("amount", filter=in_month & Q(kind=K.PAYMENT)),
            other=Sum("amount", filter=in_month & Q(kind__in=[K.REFUND, K.WRITE_OFF])),
        )
    }
    groups = {
        p.child_id: p.group.name
        for p in placements_between(month, month_end(month), organization=organization)
    }
    settings = SettingsBook.load(organization).for_month(month)
    due_date = settings.due_date(month) if settings else None
    receipts = []
    for account in accounts:
        row = sums.get(account.pk, {})
        receipts.append(
            Receipt(
                organization=organization,
                account=account,
                group=groups.get(account.child_id, ""),
                month=month,
                until=until,
                opening=row.get("opening") or 0,
                charged=row.get("charged") or 0,
                adjusted=row.get("adjusted") or 0,
                paid=-(row.get("paid") or 0),
                other=row.get("other") or 0,
                due_date=due_date,
            )
        )
    return receipts


def receipts_pdf(receipts: list[Receipt], *, paper: str = "a4") -> bytes:
    """One PDF: a page per receipt — A4 with two copies (notice and receipt) or A5."""
    return render_pdf(
        "fees/receipt_pdf.html",
        {"receipts": receipts, "paper": "a5" if paper == "a5" else "a4"},
    )


def receipt_filename(receipt: Receipt) -> str:
    return f"Квитанция {receipt.account.number} {receipt.month:%m.%Y}.pdf"


__all__ = [
    "Receipt",
    "amount_in_words",
    "bank_details_problems",
    "qr_payload",
    "receipt_filename",
    "receipts_for",
    "receipts_pdf",
]
