"""Payments from parents: imported bank files (1CClientBankExchange statements, bank
registries) and payments entered by hand. A matched payment is credited to the child's
personal account by a ledger entry; an unmatched one waits for a person to assign it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from detsad.core.models import Organization
from detsad.people.models import PersonalAccount


class PaymentImport(models.Model):
    """One imported bank file with its totals. The same file (by SHA-256) is taken once."""

    class Format(models.TextChoices):
        STATEMENT_1C = "1c", "банковская выписка (1CClientBankExchange)"
        REGISTRY = "registry", "реестр платежей банка"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="организация"
    )
    format = models.CharField("формат", max_length=10, choices=Format)
    file_name = models.CharField("файл", max_length=255)
    file_hash = models.CharField("SHA-256 файла", max_length=64)
    period_start = models.DateField("период с", null=True, blank=True)
    period_end = models.DateField("период по", null=True, blank=True)
    documents = models.PositiveIntegerField("платежей в файле", default=0)
    total = models.BigIntegerField("сумма по файлу, коп.", default=0)
    credited_count = models.PositiveIntegerField("зачислено", default=0)
    credited_sum = models.BigIntegerField("зачислено, коп.", default=0)
    unmatched_count = models.PositiveIntegerField("не распознано", default=0)
    unmatched_sum = models.BigIntegerField("не распознано, коп.", default=0)
    duplicate_count = models.PositiveIntegerField("загружены ранее", default=0)
    duplicate_sum = models.BigIntegerField("загружены ранее, коп.", default=0)
    bank_fee_sum = models.BigIntegerField("комиссия банка, коп.", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="загрузил",
    )
    created_at = models.DateTimeField("загружен", auto_now_add=True)

    class Meta:
        verbose_name = "загрузка платежей"
        verbose_name_plural = "загрузки платежей"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "file_hash"], name="payment_import_unique_file"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d.%m.%Y})"


class Payment(models.Model):
    """A payment received for a child's fee (``amount`` > 0, kopecks, what the parent paid).

    ``external_id`` identifies the bank document (number, date, payer, amount), so a file
    imported again or an overlapping statement credits nothing twice.
    """

    class Source(models.TextChoices):
        BANK_STATEMENT = "statement", "банковская выписка"
        BANK_REGISTRY = "registry", "реестр банка"
        MANUAL = "manual", "внесено вручную"

    class Status(models.TextChoices):
        CREDITED = "credited", "зачислен"
        UNMATCHED = "unmatched", "не распознан"
        CANCELLED = "cancelled", "аннулирован"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="организация"
    )
    source_import = models.ForeignKey(
        PaymentImport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name="загрузка",
    )
    source = models.CharField("источник", max_length=20, choices=Source)
    external_id = models.CharField("идентификатор документа банка", max_length=200, blank=True)
    line_no = models.PositiveIntegerField("строка файла", null=True, blank=True)
    doc_number = models.CharField("номер документа", max_length=40, blank=True)
    paid_on = models.DateField("дата оплаты")
    amount = models.BigIntegerField("сумма, коп.")
    bank_fee = models.BigIntegerField("комиссия банка, коп.", default=0)
    payer_name = models.CharField("плательщик", max_length=300, blank=True)
    purpose = models.CharField("назначение платежа", max_length=500, blank=True)
    account_text = models.CharField(
        "лицевой счёт в назначении", max_length=40, blank=True, help_text="Как прочитан из файла."
    )
    period_text = models.CharField("период в файле", max_length=20, blank=True)
    account = models.ForeignKey(
        PersonalAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name="лицевой счёт",
    )
    status = models.CharField("состояние", max_length=20, choices=Status)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="внёс",
    )
    created_at = models.DateTimeField("записан", auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="разнёс",
    )
    assigned_at = models.DateTimeField("разнесён", null=True, blank=True)

    class Meta:
        verbose_name = "платёж"
        verbose_name_plural = "платежи"
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                condition=~Q(external_id=""),
                name="payment_unique_bank_document",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(bank_fee__gte=0), name="payment_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(status="unmatched", account__isnull=True)
                | Q(status="credited", account__isnull=False)
                | Q(status="cancelled"),
                name="payment_credited_has_account",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="payment_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.amount / 100:.2f} руб. от {self.paid_on:%d.%m.%Y} ({self.payer_name})"
