"""Closing and reopening a month of the attendance journal (issue 4 item 4, DESIGN.md §5).

The coordinator closes a month when the timesheets are final: its marks are locked (a later
change is a correction with a reason, see `marks`) and the fee module may charge by them.
Before closing, the notices of the month are turned into marks; a month with unmarked
child-days, or one that is not over yet, closes only when the coordinator confirms it.
Reopening needs a reason; both steps leave audit records.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from detsad.core import audit
from detsad.core.access import Actor, require
from detsad.core.models import AuditRecord, MonthClosing, Organization
from detsad.core.permissions import Area
from detsad.core.services import month_closing_reopen

from ..locks import month_end
from ..selectors import unmarked_child_days
from .common import can_manage
from .notices import notices_apply


class ClosingWarning(ValidationError):
    """The month has unmarked child-days or is not over: repeat with ``confirm=True``."""


def _require_manager(actor: Actor, organization: Organization) -> None:
    if not actor.is_authenticated or not can_manage(actor):
        raise PermissionDenied("Закрывает и открывает месяц координатор.")
    require(actor, Area.ATTENDANCE, write=True, obj=organization)


def closing_of(organization: Organization, month: dt.date) -> MonthClosing | None:
    return MonthClosing.objects.filter(
        organization=organization, kind=MonthClosing.Kind.ATTENDANCE, month=month.replace(day=1)
    ).first()


@transaction.atomic
def attendance_month_close(
    *, actor: Actor, organization: Organization, month: dt.date, confirm: bool = False
) -> MonthClosing:
    """Close the attendance month of `organization` (first day of the month in `month`).

    Raises:
        PermissionDenied: not the coordinator of the organization.
        ValidationError: the month has not begun or is closed already.
        ClosingWarning: unmarked child-days or days still ahead and ``confirm`` is False.
    """
    _require_manager(actor, organization)
    month = month.replace(day=1)
    if month > actor.today:
        raise ValidationError({"month": f"Месяц {month:%m.%Y} ещё не начался."})
    existing = closing_of(organization, month)
    if existing is not None and existing.is_closed:
        raise ValidationError({"month": f"Месяц {month:%m.%Y} уже закрыт."})
    last = min(month_end(month), actor.today)
    notices_apply(actor=actor, organization=organization, start=month, upto=last)
    unmarked = unmarked_child_days(organization, month, last)
    warnings = []
    if unmarked:
        warnings.append(f"не отмечено детодней: {unmarked}")
    if month_end(month) > actor.today:
        warnings.append(f"месяц ещё не закончился (последний день — {month_end(month):%d.%m.%Y})")
    if warnings and not confirm:
        raise ClosingWarning(
            f"Месяц {month:%m.%Y}: " + "; ".join(warnings) + ". Подтвердите закрытие."
        )
    now = timezone.now()
    user = actor.user if getattr(actor.user, "pk", None) else None
    if existing is None:
        closing = MonthClosing.objects.create(
            organization=organization,
            kind=MonthClosing.Kind.ATTENDANCE,
            month=month,
            closed_at=now,
            closed_by=user,
        )
    else:
        closing = existing
        closing.closed_at, closing.closed_by = now, user
        closing.reopened_at, closing.reopened_by = None, None
        closing.save(update_fields=["closed_at", "closed_by", "reopened_at", "reopened_by"])
    audit.record(
        actor,
        AuditRecord.Action.ACTION,
        closing,
        organization=organization,
        changes={"state": ["открыт", "закрыт"], "unmarked": unmarked},
        note="; ".join(warnings),
    )
    return closing


@transaction.atomic
def attendance_month_reopen(
    *, actor: Actor, organization: Organization, month: dt.date, reason: str
) -> MonthClosing:
    """Reopen a closed month with a reason (kept on the closing row and in the audit).

    Raises:
        PermissionDenied: not the coordinator; ValidationError: no reason, or not closed.
    """
    _require_manager(actor, organization)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Укажите причину повторного открытия."})
    closing = closing_of(organization, month)
    if closing is None or not closing.is_closed:
        raise ValidationError({"month": f"Месяц {month:%m.%Y} не закрыт."})
    month_closing_reopen(
        actor=actor,
        organization=organization,
        closing=closing,
        reason=reason,
        changes={"state": ["закрыт", "открыт"], "reason": reason},
        note=reason,
    )
    return closing
