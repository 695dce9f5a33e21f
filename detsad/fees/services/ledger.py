"""Writes to the ledger by hand (refund, write-off, adjustment, reversal of a wrong entry)
and month closing for fees.

Rules (DESIGN.md §5, issue 5 §5 and §9): entries are only added; a correction is a new
entry that ``reverses`` the wrong one (at most once); a month closed for fees accepts no
new charge, adjustment, refund or write-off dated in it — a later correction goes to an
open month. Payments are facts of the bank and keep their real date.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from detsad.core import audit
from detsad.core.access import Actor, require
from detsad.core.models import AuditRecord, MonthClosing, Organization
from detsad.core.permissions import Area
from detsad.core.services import month_closing_reopen
from detsad.people.models import PersonalAccount

from ..models import FeeRun, LedgerEntry, Payment
from ..rights import require_fees_org
from ..rules import rubles

MANUAL_KINDS = {
    LedgerEntry.Kind.ADJUSTMENT: "перерасчёт",
    LedgerEntry.Kind.REFUND: "возврат родителю",
    LedgerEntry.Kind.WRITE_OFF: "списание задолженности",
}


def month_is_closed(organization: Organization, day: dt.date) -> bool:
    return MonthClosing.objects.filter(
        organization=organization,
        kind=MonthClosing.Kind.FEES,
        month=day.replace(day=1),
        reopened_at__isnull=True,
    ).exists()


def assert_month_open(organization: Organization, day: dt.date, what: str = "Проводка") -> None:
    """Raise ValidationError when the month of `day` is closed for fees."""
    if month_is_closed(organization, day):
        raise ValidationError(
            {
                "on": f"{what}: {day:%m.%Y} закрыт для родительской платы — "
                "исправление проводится в открытом месяце."
            }
        )


def author_fields(actor: Actor) -> dict:
    user = actor.user if getattr(actor.user, "pk", None) else None
    return {"author": user, "author_name": actor.name[:200]}


@transaction.atomic
def ledger_entry_post(
    *,
    actor: Actor,
    account: PersonalAccount,
    kind: str,
    amount: int,
    on: dt.date,
    note: str,
    period: dt.date | None = None,
) -> LedgerEntry:
    """Post a manual refund, write-off or adjustment of `amount` kopecks.

    `amount` is given as a person says it: refund and write-off positive (the sign is the
    ledger's), adjustment signed (+ more to pay, − less). `period` is the month it is for
    (default: the month of `on`). Raises ValidationError for a zero amount, a missing
    reason or a date in a month closed for fees.
    """
    require_fees_org(actor, write=True)
    require(actor, Area.FEES, write=True, obj=account)
    if kind not in MANUAL_KINDS:
        raise ValidationError({"kind": "Вручную проводятся перерасчёт, возврат и списание."})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Укажите основание."})
    if not amount:
        raise ValidationError({"amount": "Сумма не может быть нулевой."})
    if kind != LedgerEntry.Kind.ADJUSTMENT and amount < 0:
        raise ValidationError({"amount": "Сумма указывается без знака."})
    signed = -abs(amount) if kind == LedgerEntry.Kind.WRITE_OFF else amount
    assert_month_open(account.organization, on)
    entry = LedgerEntry.objects.create(
        organization=account.organization,
        account=account,
        kind=kind,
        period=(period or on).replace(day=1),
        on=on,
        amount=signed,
        source=LedgerEntry.Source.MANUAL,
        note=note[:300],
        **author_fields(actor),
    )
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        entry,
        organization=account.organization,
        object_repr=f"л/с {account.number}: {entry}",
        changes={"kind": entry.get_kind_display(), "amount": f"{rubles(signed)}", "on": on},
        note=note,
    )
    return entry


@transaction.atomic
def ledger_entry_reverse(*, actor: Actor, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """Reverse one wrong manual or bank entry by a new entry of the opposite amount.

    A reversed payment goes back to the queue of unmatched payments (bank) or is
    cancelled (entered by hand). Entries of a fee run are undone only with the whole run
    (`fee_run_reverse`). The reversal is dated like the entry when its month is open,
    otherwise today. Raises ValidationError for a fee-run entry, an entry already reversed
    or itself a reversal, or without a reason.
    """
    require_fees_org(actor, write=True)
    require(actor, Area.FEES, write=True, obj=entry)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Укажите причину сторнирования."})
    if entry.source == LedgerEntry.Source.FEE_RUN:
        raise ValidationError("Начисления расчёта отменяются только всем расчётом.")
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.reverses_id is not None:
        raise ValidationError("Это уже сторнирующая проводка.")
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError("Проводка уже сторнирована.")
    on = entry.on if not month_is_closed(entry.organization, entry.on) else actor.today
    assert_month_open(entry.organization, on)
    reversal = LedgerEntry.objects.create(
        organization=entry.organization,
        account=entry.account,
        kind=entry.kind,
        period=entry.period,
        on=on,
        amount=-entry.amount,
        source=entry.source,
        payment=entry.payment,
        reverses=entry,
        note=f"Сторно: {reason}"[:300],
        **author_fields(actor),
    )
    if entry.payment_id:
        payment = entry.payment
        old = payment.status
        if payment.source == Payment.Source.MANUAL:
            payment.status = Payment.Status.CANCELLED
        else:
            payment.status = Payment.Status.UNMATCHED
            payment.account = None
        payment.assigned_at = None
        payment.assigned_by = None
        payment.save(update_fields=["status", "account", "assigned_at", "assigned_by"])
        audit.record(
            actor,
            AuditRecord.Action.UPDATE,
            payment,
            organization=entry.organization,
            changes={"status": [old, payment.status]},
            note=reason,
        )
    audit.record(
        actor,
        AuditRecord.Action.CANCEL,
        entry,
        organization=entry.organization,
        object_repr=f"л/с {entry.account.number}: {entry}",
        changes={"reversed_by": reversal.pk, "amount": f"{rubles(reversal.amount)}"},
        note=reason,
    )
    return reversal


@transaction.atomic
def fees_month_close(*, actor: Actor, organization: Organization, month: dt.date) -> MonthClosing:
    """Close `month` for fees: its charges are locked; later attendance corrections reach
    the ledger as adjustments of the next open month's run (issue 5 §9).

    Raises ValidationError while a fee run is queued or running.
    """
    require_fees_org(actor, write=True)
    month = month.replace(day=1)
    if FeeRun.objects.filter(
        organization=organization, status__in=[FeeRun.Status.QUEUED, FeeRun.Status.RUNNING]
    ).exists():
        raise ValidationError("Дождитесь окончания расчёта.")
    closing = MonthClosing.objects.filter(
        organization=organization, kind=MonthClosing.Kind.FEES, month=month
    ).first()
    user = actor.user if getattr(actor.user, "pk", None) else None
    if closing is None:
        closing = MonthClosing.objects.create(
            organization=organization,
            kind=MonthClosing.Kind.FEES,
            month=month,
            closed_at=timezone.now(),
            closed_by=user,
        )
    elif closing.is_closed:
        raise ValidationError(f"{month:%m.%Y} уже закрыт.")
    else:
        closing.closed_at, closing.closed_by, closing.reopened_at = timezone.now(), user, None
        closing.save(update_fields=["closed_at", "closed_by", "reopened_at"])
    audit.record(
        actor,
        AuditRecord.Action.ACTION,
        closing,
        organization=organization,
        changes={"closed": [False, True]},
        note=f"Закрыт месяц {month:%m.%Y} (родительская плата)",
    )
    return closing


@transaction.atomic
def fees_month_reopen(
    *, actor: Actor, organization: Organization, month: dt.date, reason: str
) -> MonthClosing:
    """Reopen a month closed for fees, with a reason (kept on the closing row)."""
    require_fees_org(actor, write=True)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Укажите причину повторного открытия."})
    closing = MonthClosing.objects.filter(
        organization=organization,
        kind=MonthClosing.Kind.FEES,
        month=month.replace(day=1),
        reopened_at__isnull=True,
    ).first()
    if closing is None:
        raise ValidationError(f"{month:%m.%Y} не закрыт.")
    month_closing_reopen(
        actor=actor,
        organization=organization,
        closing=closing,
        reason=reason,
        changes={"closed": [True, False]},
        note=f"Открыт повторно {month:%m.%Y}: {reason}",
    )
    return closing
