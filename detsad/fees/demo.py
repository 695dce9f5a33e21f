"""Demo parental fees of «Кавказский район» (runs after the attendance demo).

Choice (documented in docs/guide-fees.md): the Krasnodar practice — 125.00 RUB per day of
stay for children of 3 and older, 110.00 under 3 (short-stay groups half of it), charged
in advance for the month (``advance_with_recalc``) and brought to the days actually
attended (``per_day_attended``) once the month is closed; payment by the 10th of the
month; the largest benefit only.

Built here: the rules, tariffs, benefit kinds (three exemptions by law, three municipal
discounts), compensation settings (average fee 2 900.00; 20/50/70 %), a few children's
benefits in «МБДОУ д/с № 24», the fee runs of September–November 2026 of every
kindergarten on the attendance marks that exist (September is closed for fees where it
has marks, so October's run carries September's recalculation), and payments from most
families — some pay late or not at all, so the debtors list is not empty. Deterministic
for a seed; rows are bulk-written fixture data (no audit records), the runs go through
the real calculation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from detsad.attendance.models import AttendanceMark
from detsad.core.demo import DemoContext
from detsad.core.models import MonthClosing, Regime

from .calculation import add_months
from .models import (
    Benefit,
    ChildBenefit,
    CompensationSetting,
    FeeRun,
    FeeSettings,
    LedgerEntry,
    Payment,
    Tariff,
)
from .services.runs import fee_run_execute

RULES_FROM = dt.date(2025, 9, 1)
BASIS = "постановление администрации МО Кавказский район от 25.08.2025 № 1234 (демо)"
MONTHS = [dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)]
#: Scales with fee runs and payments; the region gets the reference data only (its 1,500
#: kindergartens have no attendance marks to charge on).
RUN_SCALES = {"demo", "district"}
LAW = [
    "Ребёнок-инвалид",
    "Ребёнок-сирота, ребёнок, оставшийся без попечения родителей",
    "Ребёнок с туберкулёзной интоксикацией",
]
MUNICIPAL = [
    ("Многодетная семья", Decimal("50")),
    ("Семья участника СВО", Decimal("100")),
    ("Сотрудник ДОУ", Decimal("30")),
]


def _reference(ctx: DemoContext) -> dict[str, Benefit]:
    m = ctx.municipality
    FeeSettings.objects.create(
        municipality=m,
        valid_from=RULES_FROM,
        policy="advance_with_recalc",
        advance_base="per_day_attended",
        stacking="largest",
        due_day=10,
        due_month="current",
        basis=BASIS,
    )
    Tariff.objects.bulk_create(
        [
            Tariff(
                municipality=m,
                unit="day",
                regime=regime,
                age_band=band,
                amount=amount,
                valid_from=RULES_FROM,
                basis=BASIS,
            )
            for regime, band, amount in (
                ("", "from_3", 12500),
                ("", "under_3", 11000),
                (Regime.SHORT, "from_3", 6250),
                (Regime.SHORT, "under_3", 5500),
            )
        ]
    )
    benefits = [
        Benefit(
            municipality=m,
            name=name,
            kind="law",
            percent=Decimal(100),
            basis="273-ФЗ, ст. 65, ч. 3",
        )
        for name in LAW
    ] + [
        Benefit(municipality=m, name=name, kind="municipal", percent=p, basis=BASIS)
        for name, p in MUNICIPAL
    ]
    Benefit.objects.bulk_create(benefits)
    CompensationSetting.objects.create(
        municipality=m,
        valid_from=dt.date(2023, 9, 1),
        average_fee=290000,
        basis="постановление главы администрации (губернатора) Краснодарского края № 306 (демо)",
    )
    return {b.name: b for b in Benefit.objects.filter(municipality=m)}


def _children_benefits(ctx: DemoContext, benefits: dict[str, Benefit]) -> None:
    org = ctx.main_org
    in_main = [c for c, g, _e in ctx.data["placements"] if g.organization_id == org.pk]
    picks = [
        (in_main[3], "Ребёнок-инвалид", dt.date(2026, 9, 1), "Справка МСЭ-2024 № 1234567"),
        (in_main[11], "Многодетная семья", dt.date(2026, 9, 1), "Удостоверение № 23-0457"),
        (in_main[19], "Многодетная семья", dt.date(2026, 10, 15), "Удостоверение № 23-0612"),
        (in_main[19], "Сотрудник ДОУ", dt.date(2026, 9, 1), "Приказ о приёме № 54-к"),
        (in_main[27], "Семья участника СВО", dt.date(2026, 11, 1), "Справка военкомата № 88"),
    ]
    ChildBenefit.objects.bulk_create(
        [
            ChildBenefit(
                organization=org,
                child=child,
                benefit=benefits[name],
                document=document,
                valid_from=start,
            )
            for child, name, start, document in picks
            if len(in_main) > 27
        ]
    )


def _runs(ctx: DemoContext) -> None:
    for org in ctx.organizations:
        for month in MONTHS:
            run = FeeRun.objects.create(organization=org, period=month)
            run = fee_run_execute(run)
            if run.status != FeeRun.Status.DONE:
                ctx.log(f"  {org}: расчёт за {month:%m.%Y} не выполнен: {run.error[:200]}")
            if (
                month == MONTHS[0]
                and AttendanceMark.objects.filter(
                    organization=org, on__range=(month, add_months(month, 1) - dt.timedelta(days=1))
                ).exists()
            ):
                MonthClosing.objects.create(
                    organization=org, kind="fees", month=month, closed_at=timezone.now()
                )


def _payments(ctx: DemoContext) -> None:
    ctx.reseed("fees", "payments")  # no-op at demo scale (core/demo.py)
    rng = ctx.rng
    bills: dict[tuple[int, dt.date], int] = {}
    accounts = {}
    for entry in LedgerEntry.objects.filter(
        organization__in=ctx.organizations, kind__in=["charge", "adjustment"]
    ).select_related("account"):
        key = (entry.account_id, entry.on.replace(day=1))
        bills[key] = bills.get(key, 0) + entry.amount
        accounts[entry.account_id] = entry.account
    payments = []
    habits = {}
    for (account_id, month), amount in sorted(bills.items()):
        habit = habits.setdefault(account_id, rng.random())
        if amount <= 0 or habit < 0.1:  # a tenth of the families do not pay
            continue
        paid = amount if habit > 0.2 else amount // 2  # some pay half
        day = month + dt.timedelta(days=rng.randint(2, 9))
        if day > ctx.today:
            continue
        account = accounts[account_id]
        payments.append(
            Payment(
                organization_id=account.organization_id,
                source=Payment.Source.BANK_STATEMENT,
                external_id=f"demo|{account.number}|{month:%Y%m}",
                doc_number=str(100 + len(payments)),
                paid_on=day,
                amount=paid,
                payer_name="Родитель (демо)",
                purpose=f"Родительская плата ЛС {account.number} за {month:%m.%Y}",
                account_text=account.number,
                account=account,
                status=Payment.Status.CREDITED,
            )
        )
    Payment.objects.bulk_create(payments, batch_size=1000)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                organization_id=p.organization_id,
                account=p.account,
                kind="payment",
                period=p.paid_on.replace(day=1),
                on=p.paid_on,
                amount=-p.amount,
                source="bank",
                payment=p,
                note="Оплата (выписка, демо)",
                author_name="система",
            )
            for p in payments
        ],
        batch_size=1000,
    )
    ctx.detail(f"Родительская плата: {len(payments)} оплат")


def begin(ctx: DemoContext) -> None:
    """The municipality's fee rules, tariffs and benefit kinds (once per build)."""
    _reference(ctx)


def build(ctx: DemoContext) -> None:
    """Per batch of organizations (core/demo.py): benefits in the main kindergarten, the
    batch's fee runs and payments."""
    if ctx.main_org is not None and ctx.main_org in ctx.organizations:
        benefits = {b.name: b for b in Benefit.objects.filter(municipality=ctx.municipality)}
        _children_benefits(ctx, benefits)
    if ctx.scale not in RUN_SCALES:
        return
    _runs(ctx)
    _payments(ctx)
    done = FeeRun.objects.filter(organization__in=ctx.organizations, status="done").count()
    ctx.detail(f"Родительская плата: тарифы, льготы, {done} расчётов (09–11.2026)")
