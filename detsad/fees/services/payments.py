"""Payments: import of bank files, assignment of unmatched payments, manual entry.

A credited payment is a ledger entry of kind «payment» (negative amount: what the parent
paid) dated the day the money came; the bank's fee is kept on the payment and is not
charged to the parent (samples/README.md, bank_registry.txt).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from detsad.core import audit
from detsad.core.access import Actor, require
from detsad.core.models import AuditRecord, Organization
from detsad.core.permissions import Area
from detsad.people.models import PersonalAccount

from ..models import LedgerEntry, Payment, PaymentImport
from ..parsers import FORMAT_1C, ParsedPayment, accounts_in_purpose, parse_bank_file
from ..rights import require_fees_org
from ..rules import rubles
from .ledger import author_fields


@dataclass
class ImportResult:
    """What an import did; ``already`` is the earlier import of the very same file."""

    payment_import: PaymentImport | None = None
    already: PaymentImport | None = None
    credited: list[Payment] = field(default_factory=list)
    unmatched: list[Payment] = field(default_factory=list)
    duplicates: list[ParsedPayment] = field(default_factory=list)
    total: int = 0

    @property
    def credited_sum(self) -> int:
        return sum(p.amount for p in self.credited)

    @property
    def unmatched_sum(self) -> int:
        return sum(p.amount for p in self.unmatched)

    @property
    def duplicate_sum(self) -> int:
        return sum(p.amount for p in self.duplicates)


def _payment_entry(actor: Actor, payment: Payment, account: PersonalAccount, note: str):
    return LedgerEntry(
        organization_id=payment.organization_id,
        account=account,
        kind=LedgerEntry.Kind.PAYMENT,
        period=payment.paid_on.replace(day=1),
        on=payment.paid_on,
        amount=-payment.amount,
        source=(
            LedgerEntry.Source.MANUAL
            if payment.source == Payment.Source.MANUAL
            else LedgerEntry.Source.BANK
        ),
        payment=payment,
        note=note[:300],
        **author_fields(actor),
    )


def payment_import_file(
    *, actor: Actor, organization: Organization, content: bytes, file_name: str
) -> ImportResult:
    """Import a 1C statement or a bank registry into `organization`.

    Each payment is matched to a personal account by the number in the registry's field
    or in the purpose (`parsers.accounts_in_purpose`); one existing account → credited,
    none or several → left in the queue of unmatched payments. A payment already imported
    (same bank document, e.g. from an overlapping statement) is skipped; the very same
    file is recognized by its SHA-256 and nothing is written. Raises ValidationError with
    the file's faults by line (nothing written then).
    """
    require_fees_org(actor, write=True)
    digest = hashlib.sha256(content).hexdigest()
    earlier = PaymentImport.objects.filter(organization=organization, file_hash=digest).first()
    if earlier is not None:
        return ImportResult(already=earlier, total=earlier.total)
    parsed = parse_bank_file(content, own_account=organization.bank_account)
    try:
        return _import_parsed(actor, organization, parsed, digest, file_name)
    except IntegrityError:
        # The same file (or an overlapping one) committed by a concurrent upload between
        # our check and our write: report it as loaded before instead of a server error.
        earlier = PaymentImport.objects.filter(organization=organization, file_hash=digest).first()
        if earlier is not None:
            return ImportResult(already=earlier, total=earlier.total)
        raise ValidationError(
            "Этот файл или его платежи сейчас загружает другой пользователь. "
            "Обновите страницу и проверьте список загрузок."
        ) from None


def _import_parsed(actor, organization, parsed, digest: str, file_name: str) -> ImportResult:
    """Write one parsed bank file (see `payment_import_file`); imports of one organization
    are serialized by a row lock on it, so concurrent uploads see each other's payments."""
    pattern = organization.account_number_pattern
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        earlier = PaymentImport.objects.filter(organization=organization, file_hash=digest).first()
        if earlier is not None:
            return ImportResult(already=earlier, total=earlier.total)
        known = set(
            Payment.objects.filter(
                organization=organization, external_id__in=[p.external_id for p in parsed.payments]
            ).values_list("external_id", flat=True)
        )
        wanted: dict[int, list[str]] = {}
        for i, p in enumerate(parsed.payments):
            wanted[i] = (
                [p.account_text]
                if p.account_text
                else accounts_in_purpose(p.purpose, pattern=pattern)
            )
        numbers = {n for ns in wanted.values() for n in ns}
        accounts = {
            a.number: a
            for a in PersonalAccount.objects.filter(organization=organization, number__in=numbers)
        }
        result = ImportResult(total=parsed.total)
        record = PaymentImport.objects.create(
            organization=organization,
            format=parsed.format,
            file_name=file_name[:255],
            file_hash=digest,
            period_start=parsed.period_start,
            period_end=parsed.period_end,
            documents=len(parsed.payments),
            total=parsed.total,
            uploaded_by=actor.user if getattr(actor.user, "pk", None) else None,
        )
        result.payment_import = record
        source = (
            Payment.Source.BANK_STATEMENT
            if parsed.format == FORMAT_1C
            else Payment.Source.BANK_REGISTRY
        )
        payments, targets = [], []
        for i, p in enumerate(parsed.payments):
            if p.external_id in known:
                result.duplicates.append(p)
                continue
            known.add(p.external_id)
            matches = [accounts[n] for n in wanted[i] if n in accounts]
            account = matches[0] if len(wanted[i]) == 1 and len(matches) == 1 else None
            payments.append(
                Payment(
                    organization=organization,
                    source_import=record,
                    source=source,
                    external_id=p.external_id,
                    line_no=p.line_no,
                    doc_number=p.doc_number[:40],
                    paid_on=p.paid_on,
                    amount=p.amount,
                    bank_fee=p.bank_fee,
                    payer_name=p.payer_name[:300],
                    purpose=p.purpose[:500],
                    account_text=", ".join(wanted[i])[:40],
                    period_text=p.period_text[:20],
                    account=account,
                    status=Payment.Status.CREDITED if account else Payment.Status.UNMATCHED,
                    created_by=record.uploaded_by,
                    assigned_at=timezone.now() if account else None,
                )
            )
            targets.append(account)
        Payment.objects.bulk_create(payments)
        entries = []
        for payment, account in zip(payments, targets, strict=True):
            if account is None:
                result.unmatched.append(payment)
                continue
            result.credited.append(payment)
            label = "выписка" if parsed.format == FORMAT_1C else "реестр банка"
            entries.append(
                _payment_entry(actor, payment, account, f"Оплата ({label}, № {payment.doc_number})")
            )
        LedgerEntry.objects.bulk_create(entries)
        record.credited_count, record.credited_sum = len(result.credited), result.credited_sum
        record.unmatched_count, record.unmatched_sum = len(result.unmatched), result.unmatched_sum
        record.duplicate_count, record.duplicate_sum = len(result.duplicates), result.duplicate_sum
        record.bank_fee_sum = sum(p.bank_fee for p in payments)
        record.save()
        audit.record(
            actor,
            AuditRecord.Action.CREATE,
            record,
            organization=organization,
            changes={
                "credited": [record.credited_count, f"{rubles(record.credited_sum)}"],
                "unmatched": [record.unmatched_count, f"{rubles(record.unmatched_sum)}"],
                "duplicates": record.duplicate_count,
                "total": f"{rubles(record.total)}",
            },
            note=f"Загружен файл {file_name}",
        )
    return result


@transaction.atomic
def payment_assign(
    *, actor: Actor, payment: Payment, account: PersonalAccount, note: str = ""
) -> LedgerEntry:
    """Credit an unmatched payment to `account` (the accountant's decision).

    Raises ValidationError when the payment is not waiting or the account belongs to
    another organization.
    """
    require_fees_org(actor, write=True)
    require(actor, Area.FEES, write=True, obj=payment)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != Payment.Status.UNMATCHED:
        raise ValidationError("Платёж уже разнесён.")
    if account.organization_id != payment.organization_id:
        raise ValidationError({"account": "Лицевой счёт другой организации."})
    payment.account = account
    payment.status = Payment.Status.CREDITED
    payment.assigned_by = actor.user if getattr(actor.user, "pk", None) else None
    payment.assigned_at = timezone.now()
    payment.save(update_fields=["account", "status", "assigned_by", "assigned_at"])
    entry = _payment_entry(
        actor, payment, account, note or f"Оплата разнесена вручную (№ {payment.doc_number})"
    )
    entry.save()
    audit.record(
        actor,
        AuditRecord.Action.UPDATE,
        payment,
        organization=payment.organization,
        changes={"account": [None, account.number], "status": ["unmatched", "credited"]},
        note=note,
    )
    return entry


@transaction.atomic
def payment_create_manual(
    *,
    actor: Actor,
    account: PersonalAccount,
    amount: int,
    paid_on: dt.date,
    payer_name: str = "",
    doc_number: str = "",
    note: str = "",
) -> Payment:
    """Record a payment received outside the bank files (cash desk, a paper slip) and
    credit it. Raises ValidationError for a non-positive amount or a future date."""
    require_fees_org(actor, write=True)
    require(actor, Area.FEES, write=True, obj=account)
    if not amount or amount <= 0:
        raise ValidationError({"amount": "Сумма оплаты должна быть больше нуля."})
    if paid_on > actor.today:
        raise ValidationError({"paid_on": "Дата оплаты в будущем."})
    user = actor.user if getattr(actor.user, "pk", None) else None
    payment = Payment.objects.create(
        organization=account.organization,
        source=Payment.Source.MANUAL,
        doc_number=doc_number[:40],
        paid_on=paid_on,
        amount=amount,
        payer_name=payer_name[:300],
        purpose=note[:500],
        account=account,
        status=Payment.Status.CREDITED,
        created_by=user,
        assigned_by=user,
        assigned_at=timezone.now(),
    )
    _payment_entry(actor, payment, account, note or "Оплата (внесена вручную)").save()
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        payment,
        organization=account.organization,
        changes={"account": account.number, "amount": f"{rubles(amount)}", "paid_on": paid_on},
        note=note,
    )
    return payment
