"""The ledger of parental fees and the monthly fee runs that post to it.

DESIGN.md §5: money in integer kopecks; a ledger entry is never updated or deleted; a
correction is a new entry that ``reverses`` the wrong one; the balance at a date is the sum
of entries up to it.

Sign convention of ``LedgerEntry.amount``: positive — the parent owes more (charge, refund
of money to the parent, positive adjustment); negative — the parent owes less (payment,
write-off, negative adjustment). Balance > 0 is a debt, < 0 a prepayment.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from detsad.core.models import Organization
from detsad.core.text import format_money as money
from detsad.people.models import Child, PersonalAccount


class FeeRun(models.Model):
    """One fee run of an organization for a month: a batch of ledger entries.

    Runs execute as a background task (`fees.tasks`); ``status`` and the counters show
    progress. A run posts only differences against what earlier runs posted, so running a
    month twice charges once; ``reversed`` runs have every entry reversed.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "в очереди"
        RUNNING = "running", "выполняется"
        DONE = "done", "выполнен"
        FAILED = "failed", "ошибка"
        REVERSED = "reversed", "отменён"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="организация"
    )
    period = models.DateField("месяц", help_text="Первое число месяца.")
    status = models.CharField("состояние", max_length=10, choices=Status, default=Status.QUEUED)
    group_key = models.CharField(
        "общий запуск", max_length=40, blank=True, help_text="Один запуск по всему району."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="запустил",
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)
    started_at = models.DateTimeField("начат", null=True, blank=True)
    finished_at = models.DateTimeField("закончен", null=True, blank=True)
    stage = models.CharField("этап", max_length=100, blank=True)
    children_total = models.PositiveIntegerField("детей", default=0)
    entries_count = models.PositiveIntegerField("проводок", default=0)
    charged = models.BigIntegerField("начислено за месяц, коп.", default=0)
    adjusted = models.BigIntegerField("перерасчёт, коп.", default=0)
    error = models.TextField("ошибка", blank=True)
    reversed_at = models.DateTimeField("отменён", null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="отменил",
    )
    reverse_reason = models.CharField("причина отмены", max_length=300, blank=True)

    class Meta:
        verbose_name = "расчёт родительской платы"
        verbose_name_plural = "расчёты родительской платы"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period__day=1), name="fee_run_period_first_day"),
        ]
        indexes = [models.Index(fields=["organization", "period"], name="fee_run_org_period")]

    def __str__(self) -> str:
        return f"Расчёт за {self.period:%m.%Y} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def progress_percent(self) -> int:
        return {
            self.Status.QUEUED: 0,
            self.Status.RUNNING: 50,
        }.get(self.status, 100)


class FeeRunLine(models.Model):
    """The calculation of one child-month in a run: target, already posted, difference.

    ``details`` keeps the figures the amount comes from (working days, days present,
    valid absences, rates, benefit percents, the exact value before rounding).
    """

    run = models.ForeignKey(FeeRun, on_delete=models.CASCADE, related_name="lines")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(PersonalAccount, on_delete=models.PROTECT, related_name="+")
    period = models.DateField("месяц")
    target = models.BigIntegerField("причитается, коп.")
    before = models.BigIntegerField("начислено ранее, коп.")
    delta = models.BigIntegerField("проведено, коп.")
    details = models.JSONField("расчёт", default=dict)

    class Meta:
        verbose_name = "строка расчёта"
        verbose_name_plural = "строки расчёта"
        ordering = ["run", "child__last_name", "child__first_name", "period"]

    def __str__(self) -> str:
        return f"{self.child} {self.period:%m.%Y}: {money(self.target)}"


class LedgerQuerySet(models.QuerySet):
    """Ledger rows cannot be changed or removed in bulk either."""

    def update(self, **kwargs):
        raise ValidationError("Проводки не изменяются: исправление — новая сторнирующая проводка.")

    def delete(self):
        raise ValidationError("Проводки не удаляются: исправление — новая сторнирующая проводка.")


class LedgerEntry(models.Model):
    """One append-only movement on a child's personal account, in kopecks (see module doc)."""

    class Kind(models.TextChoices):
        CHARGE = "charge", "начисление"
        ADJUSTMENT = "adjustment", "перерасчёт"
        PAYMENT = "payment", "оплата"
        REFUND = "refund", "возврат"
        WRITE_OFF = "write_off", "списание"

    class Source(models.TextChoices):
        FEE_RUN = "fee_run", "расчёт за месяц (посещаемость)"
        BANK = "bank", "банковский файл"
        MANUAL = "manual", "вручную"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="организация"
    )
    account = models.ForeignKey(
        PersonalAccount,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name="лицевой счёт",
    )
    kind = models.CharField("вид", max_length=20, choices=Kind)
    period = models.DateField("за месяц", help_text="Первое число месяца.")
    on = models.DateField("дата")
    amount = models.BigIntegerField("сумма, коп.")
    source = models.CharField("источник", max_length=20, choices=Source)
    batch = models.ForeignKey(
        FeeRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name="расчёт",
    )
    payment = models.ForeignKey(
        "fees.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name="платёж",
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name="сторнирует",
    )
    note = models.CharField("основание", max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="автор",
    )
    author_name = models.CharField("автор (на момент записи)", max_length=200, blank=True)
    created_at = models.DateTimeField("записано", auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = "проводка"
        verbose_name_plural = "проводки"
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(period__day=1), name="ledger_period_first_day"),
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=False)
                | Q(kind="charge", amount__gt=0)
                | Q(kind="adjustment")
                | Q(kind="payment", amount__lt=0)
                | Q(kind="refund", amount__gt=0)
                | Q(kind="write_off", amount__lt=0),
                name="ledger_sign_by_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "on"], name="ledger_account_on"),
            models.Index(fields=["organization", "on"], name="ledger_org_on"),
            models.Index(fields=["organization", "period"], name="ledger_org_period"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {money(self.amount)} ({self.on:%d.%m.%Y})"

    def save(self, *args, **kwargs):
        if not self._state.adding or self.pk is not None:
            raise ValidationError(
                "Проводки не изменяются: исправление — новая сторнирующая проводка."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Проводки не удаляются: исправление — новая сторнирующая проводка.")

    @property
    def is_debit(self) -> bool:
        return self.amount > 0
