"""Reference data of the parental fee, set by the founder (municipality) with validity dates:
charging policy (with an organization override), tariffs, benefit kinds, children's
benefits with documents, compensation settings.

Sources: 273-FZ art. 65 (FACTS.md §4): part 2 — the founder sets the fee and may lower it;
part 3 — no fee for disabled children, orphans and children left without parental care,
children with tuberculosis intoxication; part 5 — compensation of 20/50/70 % of the
region's average fee.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from detsad.core.models import Municipality, Organization, Regime, TimeStampedModel
from detsad.core.text import format_money as money
from detsad.people.models import Child


class Policy(models.TextChoices):
    """How a month's charge is computed (the rules are in `fees.rules`)."""

    PER_DAY_ATTENDED = "per_day_attended", "за каждый день посещения"
    MONTHLY_WITH_VALID_ABSENCE_RECALC = (
        "monthly_with_valid_absence_recalc",
        "месячная плата, пропуски по уважительной причине не оплачиваются",
    )
    ADVANCE_WITH_RECALC = (
        "advance_with_recalc",
        "аванс за месяц, перерасчёт после закрытия месяца",
    )
    MONTHLY_BY_ATTENDANCE_SHARE = (
        "monthly_by_attendance_share",
        "месячная плата пропорционально посещённым дням",
    )


class BaseRule(models.TextChoices):
    """The rule `advance_with_recalc` brings a closed month to."""

    PER_DAY_ATTENDED = Policy.PER_DAY_ATTENDED.value, Policy.PER_DAY_ATTENDED.label
    MONTHLY_WITH_VALID_ABSENCE_RECALC = (
        Policy.MONTHLY_WITH_VALID_ABSENCE_RECALC.value,
        Policy.MONTHLY_WITH_VALID_ABSENCE_RECALC.label,
    )
    MONTHLY_BY_ATTENDANCE_SHARE = (
        Policy.MONTHLY_BY_ATTENDANCE_SHARE.value,
        Policy.MONTHLY_BY_ATTENDANCE_SHARE.label,
    )


class Stacking(models.TextChoices):
    """What applies when a child has several benefits on the same day."""

    LARGEST = "largest", "только наибольшая льгота"
    SUM_CAPPED = "sum_capped", "сумма льгот, не более 100 %"


class DueMonth(models.TextChoices):
    """Month whose due day a month's charge must be paid by."""

    CURRENT = "current", "в месяце начисления"
    NEXT = "next", "в следующем месяце"


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


class FeeSettings(TimeStampedModel):
    """The charging rules of a municipality (``organization`` empty) or one organization's
    override, from the month ``valid_from`` until the next row of the same scope.

    For a month the organization's latest row with ``valid_from`` ≤ month wins; without
    one, the municipality's. A month uses the settings valid in it, so changing the rules
    never recomputes earlier months silently.
    """

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="fee_settings",
        verbose_name="муниципальное образование",
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fee_settings",
        verbose_name="организация (если правила особые)",
    )
    valid_from = models.DateField("действует с месяца", help_text="Первое число месяца.")
    policy = models.CharField(
        "правило начисления", max_length=40, choices=Policy, default=Policy.PER_DAY_ATTENDED
    )
    advance_base = models.CharField(
        "перерасчёт аванса по правилу",
        max_length=40,
        choices=BaseRule,
        default=BaseRule.PER_DAY_ATTENDED,
        help_text="Для правила «аванс с перерасчётом»: к чему приводится закрытый месяц.",
    )
    stacking = models.CharField(
        "несколько льгот", max_length=20, choices=Stacking, default=Stacking.LARGEST
    )
    due_day = models.PositiveSmallIntegerField(
        "оплатить до (число месяца)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    due_month = models.CharField(
        "срок оплаты", max_length=10, choices=DueMonth, default=DueMonth.CURRENT
    )
    basis = models.CharField("основание (постановление)", max_length=300, blank=True)

    class Meta:
        verbose_name = "правила начисления родительской платы"
        verbose_name_plural = "правила начисления родительской платы"
        ordering = ["municipality", "organization", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "valid_from"],
                condition=Q(organization__isnull=True),
                name="fee_settings_unique_municipality_month",
            ),
            models.UniqueConstraint(
                fields=["organization", "valid_from"],
                condition=Q(organization__isnull=False),
                name="fee_settings_unique_organization_month",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__day=1), name="fee_settings_from_first_day"
            ),
            models.CheckConstraint(
                condition=Q(due_day__gte=1, due_day__lte=28), name="fee_settings_due_day_range"
            ),
        ]

    def __str__(self) -> str:
        scope = self.organization or self.municipality
        return f"{scope}: {self.get_policy_display()} с {self.valid_from:%m.%Y}"

    def due_date(self, month: dt.date) -> dt.date:
        """The date a debit posted in `month` must be paid by."""
        if self.due_month == DueMonth.NEXT:
            month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return month.replace(day=self.due_day)


class AgeBand(models.TextChoices):
    """Age category of a tariff: the child's full years on the day."""

    ANY = "any", "любой возраст"
    UNDER_3 = "under_3", "до 3 лет"
    FROM_3 = "from_3", "3 года и старше"


class Tariff(TimeStampedModel):
    """A fee rate of the municipality for a regime and age category, with validity dates.

    A change of the rate is a new row from its start date; the previous row is closed the
    day before (history kept). Amounts are integer kopecks.
    """

    class Unit(models.TextChoices):
        DAY = "day", "за день"
        MONTH = "month", "за месяц"

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="tariffs",
        verbose_name="муниципальное образование",
    )
    unit = models.CharField("единица", max_length=10, choices=Unit)
    regime = models.CharField(
        "режим пребывания",
        max_length=20,
        choices=Regime,
        blank=True,
        help_text="Пусто — для всех режимов.",
    )
    age_band = models.CharField(
        "возрастная категория", max_length=10, choices=AgeBand, default=AgeBand.ANY
    )
    amount = models.PositiveIntegerField("размер, коп.")
    valid_from = models.DateField("действует с")
    valid_to = models.DateField("действует по", null=True, blank=True)
    basis = models.CharField("основание (постановление)", max_length=300, blank=True)

    class Meta:
        verbose_name = "тариф"
        verbose_name_plural = "тарифы"
        ordering = ["municipality", "unit", "regime", "age_band", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "unit", "regime", "age_band", "valid_from"],
                name="tariff_unique_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="tariff_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{money(self.amount)} руб. {self.get_unit_display()}, {self.get_age_band_display()}"

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def scope_label(self) -> str:
        regime = self.get_regime_display() if self.regime else "все режимы"
        return f"{regime}; {self.get_age_band_display()}"


class Benefit(TimeStampedModel):
    """A kind of benefit: an exemption by law (100 %) or a municipal discount (a percent)."""

    class Kind(models.TextChoices):
        LAW_EXEMPTION = "law", "освобождение от платы (273-ФЗ, ст. 65, ч. 3)"
        MUNICIPAL = "municipal", "льгота учредителя"

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="benefits",
        verbose_name="муниципальное образование",
    )
    name = models.CharField("наименование", max_length=200)
    kind = models.CharField("вид", max_length=20, choices=Kind)
    percent = models.DecimalField(
        "размер, % платы",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    basis = models.CharField("основание", max_length=300, blank=True)
    is_active = models.BooleanField("используется", default=True)

    class Meta:
        verbose_name = "вид льготы"
        verbose_name_plural = "виды льгот"
        ordering = ["municipality", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="benefit_unique_name"),
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100), name="benefit_percent_range"
            ),
            models.CheckConstraint(
                condition=~Q(kind="law") | Q(percent=100), name="benefit_law_is_full"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.percent.normalize():f} %)"


class ChildBenefit(TimeStampedModel):
    """A benefit granted to a child on a supporting document, for a period.

    A benefit that starts or ends mid-month applies day by day (`fees.rules`).
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="организация"
    )
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="fee_benefits", verbose_name="воспитанник"
    )
    benefit = models.ForeignKey(
        Benefit, on_delete=models.PROTECT, related_name="grants", verbose_name="льгота"
    )
    document = models.CharField(
        "подтверждающий документ",
        max_length=300,
        help_text="Например, «Справка МСЭ серия МСЭ-2023 № 1234567 от 01.09.2026».",
    )
    valid_from = models.DateField("действует с")
    valid_to = models.DateField("действует по", null=True, blank=True)
    note = models.CharField("примечание", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="внёс",
    )

    class Meta:
        verbose_name = "льгота воспитанника"
        verbose_name_plural = "льготы воспитанников"
        ordering = ["child", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="child_benefit_valid_to_after_from",
            ),
        ]
        indexes = [models.Index(fields=["organization", "child"], name="child_benefit_org_child")]

    def __str__(self) -> str:
        end = f"{self.valid_to:%d.%m.%Y}" if self.valid_to else "…"
        return f"{self.benefit.name}: {self.valid_from:%d.%m.%Y}–{end}"

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class CompensationSetting(TimeStampedModel):
    """Compensation of part of the fee (273-FZ art. 65 part 5): percents by the child's order
    among the family's minor children, of the region's average fee, with validity dates."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="compensation_settings",
        verbose_name="муниципальное образование",
    )
    valid_from = models.DateField("действует с")
    valid_to = models.DateField("действует по", null=True, blank=True)
    average_fee = models.PositiveIntegerField("средний размер платы в регионе, коп. в месяц")
    percent_first = models.DecimalField(
        "на первого ребёнка, %", max_digits=5, decimal_places=2, default=Decimal("20")
    )
    percent_second = models.DecimalField(
        "на второго ребёнка, %", max_digits=5, decimal_places=2, default=Decimal("50")
    )
    percent_third = models.DecimalField(
        "на третьего и последующих, %", max_digits=5, decimal_places=2, default=Decimal("70")
    )
    basis = models.CharField("основание", max_length=300, blank=True)

    class Meta:
        verbose_name = "параметры компенсации"
        verbose_name_plural = "параметры компенсации"
        ordering = ["municipality", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "valid_from"], name="compensation_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="compensation_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"Компенсация с {self.valid_from:%d.%m.%Y}: {money(self.average_fee)} руб."

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def percent_for(self, order: int) -> Decimal:
        """Percent for the child's order among the family's minor children (1, 2, 3+)."""
        if order <= 1:
            return self.percent_first
        if order == 2:
            return self.percent_second
        return self.percent_third
