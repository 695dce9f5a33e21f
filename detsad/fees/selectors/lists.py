"""Scoped lists of the fee pages: runs, payments, imports, settings, benefits, months."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from detsad.core.access import Actor, scoped
from detsad.core.models import MonthClosing, Municipality
from detsad.core.permissions import Area

from ..calculation import SettingsBook, add_months
from ..models import (
    Benefit,
    ChildBenefit,
    CompensationSetting,
    FeeRun,
    FeeRunLine,
    FeeSettings,
    Payment,
    PaymentImport,
    Tariff,
)
from ..rights import is_founder


def _own_org(actor: Actor, qs: QuerySet) -> QuerySet:
    qs = scoped(actor, qs, Area.FEES)
    if actor.organization is not None:
        qs = qs.filter(organization=actor.organization)
    return qs


def runs(actor: Actor) -> QuerySet[FeeRun]:
    return _own_org(actor, FeeRun.objects.select_related("created_by", "reversed_by")).order_by(
        "-created_at", "-id"
    )


def run_lines(actor: Actor, run: FeeRun) -> QuerySet[FeeRunLine]:
    return (
        scoped(actor, FeeRunLine.objects.filter(run=run), Area.FEES)
        .select_related("child", "account")
        .order_by("child__last_name", "child__first_name", "child__patronymic", "period")
    )


def latest_done_run(actor: Actor) -> FeeRun | None:
    return runs(actor).filter(status=FeeRun.Status.DONE).first()


def payments(actor: Actor, *, status: str = "", q: str = "") -> QuerySet[Payment]:
    qs = _own_org(actor, Payment.objects.select_related("account__child", "source_import"))
    if status:
        qs = qs.filter(status=status)
    for word in q.split():
        qs = qs.filter(
            Q(payer_name__icontains=word)
            | Q(purpose__icontains=word)
            | Q(account__number=word)
            | Q(doc_number=word)
        )
    return qs.order_by("-paid_on", "-id")


def imports(actor: Actor) -> QuerySet[PaymentImport]:
    return _own_org(actor, PaymentImport.objects.select_related("uploaded_by"))


def _municipality(actor: Actor) -> Municipality | None:
    return actor.municipality


def municipality_rows(actor: Actor, model) -> QuerySet:
    """Reference rows of the actor's municipality: the kindergarten reads them through the
    access layer; the founder (department) reads its own municipality's."""
    if is_founder(actor):
        return model.objects.filter(municipality=actor.municipality)
    return scoped(actor, model.objects.all(), Area.FEES)


def tariffs(actor: Actor) -> QuerySet[Tariff]:
    return municipality_rows(actor, Tariff).order_by("unit", "regime", "age_band", "-valid_from")


def benefit_kinds(actor: Actor, *, active_only: bool = False) -> QuerySet[Benefit]:
    qs = municipality_rows(actor, Benefit)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("kind", "name")


def compensation_settings(actor: Actor) -> QuerySet[CompensationSetting]:
    return municipality_rows(actor, CompensationSetting).order_by("-valid_from")


def fee_settings(actor: Actor) -> QuerySet[FeeSettings]:
    qs = municipality_rows(actor, FeeSettings).select_related("organization")
    if actor.organization is not None and not is_founder(actor):
        qs = qs.filter(Q(organization__isnull=True) | Q(organization=actor.organization))
    return qs.order_by("organization__short_name", "-valid_from")


def current_settings(actor: Actor, month: dt.date) -> FeeSettings | None:
    if actor.organization is None:
        return None
    return SettingsBook.load(actor.organization).for_month(month.replace(day=1))


def granted_benefits(actor: Actor, *, on: dt.date | None = None) -> QuerySet[ChildBenefit]:
    """Children's benefits of the organization (valid on `on` when given)."""
    qs = _own_org(actor, ChildBenefit.objects.select_related("child", "benefit"))
    if on is not None:
        qs = qs.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    return qs.order_by("child__last_name", "child__first_name", "-valid_from")


@dataclass
class MonthStatus:
    month: dt.date
    closing: MonthClosing | None
    runs: list[FeeRun]

    @property
    def is_closed(self) -> bool:
        return bool(self.closing and self.closing.is_closed)

    @property
    def last_run(self) -> FeeRun | None:
        done = [r for r in self.runs if r.status == FeeRun.Status.DONE]
        return done[0] if done else None


def months_status(actor: Actor, around: dt.date, *, back: int = 5, ahead: int = 1):
    """The last months of the organization: closed or open, and their runs (two queries)."""
    first = add_months(around.replace(day=1), -back)
    last = add_months(around.replace(day=1), ahead)
    closings = {
        c.month: c
        for c in scoped(
            actor,
            MonthClosing.objects.filter(
                kind=MonthClosing.Kind.FEES, month__range=(first, last)
            ).select_related("closed_by", "reopened_by"),
            Area.FEES,
        ).filter(organization=actor.organization)
    }
    by_month: dict[dt.date, list[FeeRun]] = {}
    for run in runs(actor).filter(period__range=(first, last)):
        by_month.setdefault(run.period, []).append(run)
    result, month = [], last
    while month >= first:
        result.append(MonthStatus(month, closings.get(month), by_month.get(month, [])))
        month = add_months(month, -1)
    return result
