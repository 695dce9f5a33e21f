"""The monthly fee run: charges of a month for a whole organization (or municipality), as a
background task with visible progress, idempotent and reversible as a batch.

How a run for month M of an organization works (issue 5 §5, §9):

1. It takes M and every earlier month (up to `RECALC_MONTHS` back) that a completed run
   has charged, and for each child with a placement in those months applies the month's
   rule (`calculation.child_month`) to the attendance as it is now.
2. For each child-month it compares the result with what runs already posted for that
   month (charges and adjustments of source «fee_run») and posts only the difference:
   a charge for M's first posting, an adjustment otherwise, dated the 1st of M. So a
   second run of M posts nothing (idempotent), and attendance corrected after a month was
   closed reaches the ledger as an adjustment in the next open month — never silently.
3. The run is one transaction per organization; its entries carry it as their batch, so
   `fee_run_reverse` can undo exactly them while it is the organization's latest run.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from detsad.core import audit
from detsad.core.access import Actor
from detsad.core.models import AuditRecord, Municipality, Organization
from detsad.people.models import PersonalAccount
from detsad.people.services import next_account_number, personal_account_assign

from ..calculation import add_months, load_org_data, month_end
from ..models import FeeRun, FeeRunLine, LedgerEntry
from ..rights import require_fees_org
from ..rules import rubles
from .ledger import author_fields, month_is_closed

logger = logging.getLogger("detsad.fees")

#: How many months back a run recomputes months charged earlier.
RECALC_MONTHS = 12


def _check_can_start(organization: Organization, period: dt.date) -> None:
    if month_is_closed(organization, period):
        raise ValidationError(
            f"{period:%m.%Y} закрыт для родительской платы: расчёт невозможен "
            "(перерасчёт пройдёт в расчёте следующего открытого месяца)."
        )
    if FeeRun.objects.filter(
        organization=organization, status__in=[FeeRun.Status.QUEUED, FeeRun.Status.RUNNING]
    ).exists():
        raise ValidationError(f"{organization}: расчёт уже выполняется, дождитесь окончания.")


def _enqueue(run_ids: list[int]) -> None:
    from ..tasks import fee_run_task

    result = fee_run_task.enqueue(run_ids=run_ids)
    FeeRun.objects.filter(pk__in=run_ids, status=FeeRun.Status.QUEUED).update(
        stage=f"задача {result.id}"[:100]
    )


def fee_run_start(*, actor: Actor, organization: Organization, period: dt.date) -> FeeRun:
    """Queue the run of `period` for `organization` and hand it to the task worker.

    Returns the run (already finished when tasks execute immediately, as in tests).
    Raises ValidationError when the month is closed or a run is in progress.
    """
    require_fees_org(actor, write=True)
    if actor.organization != organization and not actor.is_system:
        raise ValidationError("Расчёт запускается в своей организации.")
    period = period.replace(day=1)
    with transaction.atomic():
        _check_can_start(organization, period)
        run = FeeRun.objects.create(
            organization=organization,
            period=period,
            created_by=actor.user if getattr(actor.user, "pk", None) else None,
        )
        audit.record(
            actor,
            AuditRecord.Action.ACTION,
            run,
            organization=organization,
            note=f"Запущен расчёт за {period:%m.%Y}",
        )
    _enqueue([run.pk])
    run.refresh_from_db()
    return run


def fee_run_start_municipality(
    *, actor: Actor, municipality: Municipality, period: dt.date
) -> tuple[list[FeeRun], list[str]]:
    """Queue the runs of every kindergarten of `municipality` as one task (command
    ``fee_run --municipality``). Returns (runs, skipped organizations with the reason)."""
    if not (actor.is_system or actor.is_superuser):
        raise ValidationError("Расчёт по району запускается командой администратора.")
    period = period.replace(day=1)
    key = uuid.uuid4().hex
    runs, skipped = [], []
    with transaction.atomic():
        for org in Organization.objects.filter(
            municipality=municipality, archived_at__isnull=True
        ).order_by("short_name"):
            try:
                _check_can_start(org, period)
            except ValidationError as exc:
                skipped.append(f"{org}: {' '.join(exc.messages)}")
                continue
            runs.append(
                FeeRun.objects.create(
                    organization=org,
                    period=period,
                    group_key=key,
                    created_by=actor.user if getattr(actor.user, "pk", None) else None,
                )
            )
        audit.record(
            actor,
            AuditRecord.Action.ACTION,
            None,
            kind="fees.feerun",
            object_repr=f"{municipality}: расчёт за {period:%m.%Y}",
            note=f"Запущен расчёт по району ({len(runs)} ДОО)",
        )
    if runs:
        _enqueue([r.pk for r in runs])
    for run in runs:
        run.refresh_from_db()
    return runs, skipped


def fee_run_execute(run: FeeRun) -> FeeRun:
    """Execute a queued run (called by the task). Failures are stored on the run with the
    problems found (e.g. children without a tariff); nothing is posted then."""
    FeeRun.objects.filter(pk=run.pk).update(
        status=FeeRun.Status.RUNNING, started_at=timezone.now(), stage="загрузка данных"
    )
    run.refresh_from_db()
    actor = Actor.system(organization=run.organization, user=run.created_by)
    try:
        with transaction.atomic():
            _post_run(run, actor)
    except ValidationError as exc:
        run.status, run.error = FeeRun.Status.FAILED, "\n".join(exc.messages)
    except Exception as exc:  # a broken run must show as failed, not hang as "running"
        logger.exception("fee run %s failed", run.pk)
        run.status, run.error = FeeRun.Status.FAILED, f"Внутренняя ошибка: {exc}"
    else:
        run.status = FeeRun.Status.DONE
    run.finished_at = timezone.now()
    run.stage = "" if run.status == FeeRun.Status.DONE else "остановлен"
    run.save()
    return run


def _ensure_accounts(actor: Actor, data) -> None:
    """Children without a personal account get the next number of the organization's
    pattern (people.services.personal_account_assign)."""
    for child_id, child in sorted(data.children.items()):
        if child_id not in data.accounts:
            data.accounts[child_id] = personal_account_assign(
                actor=actor, child=child, number=next_account_number(data.organization)
            )


def _post_run(run: FeeRun, actor: Actor) -> None:
    org = Organization.objects.select_for_update().get(pk=run.organization_id)
    run.organization = org
    month = run.period
    if month_is_closed(org, month):
        raise ValidationError(f"{month:%m.%Y} закрыт для родительской платы.")
    window = add_months(month, -RECALC_MONTHS)
    earlier = set(
        FeeRun.objects.filter(
            organization=org,
            status=FeeRun.Status.DONE,
            period__gte=window,
            period__lt=month,
        ).values_list("period", flat=True)
    )
    periods = sorted(earlier | {month})
    posted = LedgerEntry.objects.filter(
        organization=org,
        source=LedgerEntry.Source.FEE_RUN,
        kind__in=[LedgerEntry.Kind.CHARGE, LedgerEntry.Kind.ADJUSTMENT],
        period__in=periods,
    )
    before: dict[tuple[int, dt.date], int] = {
        (row["account_id"], row["period"]): row["total"]
        for row in posted.values("account_id", "period").annotate(total=Sum("amount"))
    }
    data = load_org_data(
        org, periods[0], month_end(month), extra_account_ids={a for a, _p in before}
    )
    _ensure_accounts(actor, data)
    FeeRun.objects.filter(pk=run.pk).update(stage="расчёт", children_total=len(data.children))
    problems: list[str] = []
    lines: list[FeeRunLine] = []
    entries: list[LedgerEntry] = []
    charged = adjusted = 0
    author = author_fields(actor)
    for child_id in sorted(data.children, key=lambda c: data.children[c].full_name):
        account: PersonalAccount = data.accounts[child_id]
        for period in periods:
            result = _child_month_or_zero(data, child_id, period)
            problems.extend(result.problems)
            already = before.get((account.pk, period), 0)
            delta = result.kopecks - already
            shown = period == month and (result.details.get("enrolled") or already)
            if shown or delta:
                lines.append(_line(run, org, child_id, account, period, result, already, delta))
            if not delta:
                continue
            first = period == month and already == 0 and delta > 0
            kind = LedgerEntry.Kind.CHARGE if first else LedgerEntry.Kind.ADJUSTMENT
            entries.append(
                LedgerEntry(
                    organization=org,
                    account=account,
                    kind=kind,
                    period=period,
                    on=month,
                    amount=delta,
                    source=LedgerEntry.Source.FEE_RUN,
                    batch=run,
                    note=(
                        f"{'Начисление' if first else 'Перерасчёт'} за {period:%m.%Y}"
                        + (" (аванс)" if result.details.get("advance") else "")
                    ),
                    **author,
                )
            )
            if period == month:
                charged += delta
            else:
                adjusted += delta
    if problems:
        unique = list(dict.fromkeys(problems))
        more = f" …и ещё {len(unique) - 30}" if len(unique) > 30 else ""
        raise ValidationError([*unique[:30], *([more.strip()] if more else [])])
    FeeRun.objects.filter(pk=run.pk).update(stage="запись проводок")
    LedgerEntry.objects.bulk_create(entries, batch_size=1000)
    FeeRunLine.objects.bulk_create(lines, batch_size=1000)
    run.children_total = len(data.children)
    run.entries_count = len(entries)
    run.charged, run.adjusted = charged, adjusted
    audit.record(
        actor,
        AuditRecord.Action.ACTION,
        run,
        organization=org,
        changes={
            "entries": len(entries),
            "charged": f"{rubles(charged)}",
            "adjusted": f"{rubles(adjusted)}",
            "periods": [f"{p:%m.%Y}" for p in periods],
        },
        note=f"Выполнен расчёт за {month:%m.%Y}",
    )


def _child_month_or_zero(data, child_id, period):
    from ..calculation import ChildMonth, child_month

    if data.placements.get(child_id):
        return child_month(data, child_id, period)
    return ChildMonth(child_id, period, 0, 0, {"enrolled": 0}, [])


def _line(run, org, child_id, account, period, result, already, delta) -> FeeRunLine:
    return FeeRunLine(
        run=run,
        organization=org,
        child_id=child_id,
        account=account,
        period=period,
        target=result.kopecks,
        before=already,
        delta=delta,
        details=result.details,
    )


@transaction.atomic
def fee_run_reverse(*, actor: Actor, run: FeeRun, reason: str) -> FeeRun:
    """Undo a whole run: every entry of its batch gets a reversing entry of the same date.

    Only the organization's latest completed run can be undone (later runs computed their
    differences on top of it) and only while its month is open. Raises ValidationError
    otherwise or without a reason.
    """
    require_fees_org(actor, write=True)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Укажите причину отмены расчёта."})
    run = FeeRun.objects.select_for_update().get(pk=run.pk)
    if run.status != FeeRun.Status.DONE:
        raise ValidationError("Отменить можно только выполненный расчёт.")
    latest = (
        FeeRun.objects.filter(organization=run.organization_id, status=FeeRun.Status.DONE)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest != run:
        raise ValidationError("Отменить можно только последний выполненный расчёт организации.")
    if month_is_closed(run.organization, run.period):
        raise ValidationError(f"{run.period:%m.%Y} закрыт для родительской платы.")
    author = author_fields(actor)
    originals = list(run.entries.filter(reverses__isnull=True))
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                organization_id=e.organization_id,
                account_id=e.account_id,
                kind=e.kind,
                period=e.period,
                on=e.on,
                amount=-e.amount,
                source=e.source,
                batch=run,
                reverses=e,
                note=f"Отмена расчёта: {reason}"[:300],
                **author,
            )
            for e in originals
        ]
    )
    run.status = FeeRun.Status.REVERSED
    run.reversed_at = timezone.now()
    run.reversed_by = author["author"]
    run.reverse_reason = reason[:300]
    run.save(update_fields=["status", "reversed_at", "reversed_by", "reverse_reason"])
    audit.record(
        actor,
        AuditRecord.Action.CANCEL,
        run,
        organization=run.organization,
        changes={"entries": len(originals), "status": ["done", "reversed"]},
        note=reason,
    )
    return run
