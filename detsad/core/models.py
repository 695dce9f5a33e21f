"""Tenancy and organization structure: municipality, kindergartens, academic years, groups,
calendar overrides, and the append-only audit trail.

Every tenant-owned row in Detsad reaches an `Organization` (directly or through a parent row);
`Municipality` sits above organizations (DESIGN.md §4).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q


class TimeStampedModel(models.Model):
    """Abstract base with creation and last-change timestamps."""

    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        abstract = True


inn_validator = RegexValidator(r"^\d{10}(\d{2})?$", "ИНН: 10 цифр (организация) или 12 цифр.")
kpp_validator = RegexValidator(r"^\d{9}$", "КПП: 9 цифр.")
ogrn_validator = RegexValidator(r"^\d{13}$", "ОГРН: 13 цифр.")
bik_validator = RegexValidator(r"^\d{9}$", "БИК: 9 цифр.")
account20_validator = RegexValidator(
    r"^\d{20}$", "Номер счёта: 20 цифр (ГОСТ Р 56042-2014, поле PersonalAcc/CorrespAcc)."
)


class Municipality(TimeStampedModel):
    """A municipal district served by one installation, with its education department."""

    name = models.CharField("наименование", max_length=200, unique=True)
    department_name = models.CharField("орган управления образованием", max_length=300, blank=True)
    region = models.CharField("субъект РФ", max_length=200, blank=True)
    time_zone = models.CharField(
        "часовой пояс",
        max_length=64,
        default="Europe/Moscow",
        help_text="Определяет «сегодня» для журналов (например, Asia/Vladivostok).",
    )

    class Meta:
        verbose_name = "муниципальное образование"
        verbose_name_plural = "муниципальные образования"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organization(TimeStampedModel):
    """A kindergarten (ДОО) with the requisites printed on orders, contracts and receipts."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name="муниципальное образование",
    )
    full_name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200)
    number = models.CharField(
        "номер ДОО", max_length=20, blank=True, help_text="Например, 24 для «д/с № 24»."
    )
    inn = models.CharField("ИНН", max_length=12, validators=[inn_validator])
    kpp = models.CharField("КПП", max_length=9, blank=True, validators=[kpp_validator])
    ogrn = models.CharField("ОГРН", max_length=13, blank=True, validators=[ogrn_validator])
    okpo = models.CharField("ОКПО", max_length=10, blank=True)
    oktmo = models.CharField("ОКТМО", max_length=11, blank=True)
    address = models.CharField("адрес", max_length=500, blank=True)
    head_name = models.CharField("заведующий (ФИО)", max_length=200, blank=True)
    phone = models.CharField("телефоны", max_length=100, blank=True)
    email = models.EmailField("e-mail", blank=True)
    website = models.URLField("сайт", blank=True)
    licence_number = models.CharField("номер лицензии", max_length=100, blank=True)
    licence_date = models.DateField("дата лицензии", null=True, blank=True)
    licence_issuer = models.CharField("кем выдана лицензия", max_length=300, blank=True)
    # Bank details for receipts (GOST R 56042-2014 mandatory block).
    payee_name = models.CharField(
        "получатель платежа",
        max_length=160,
        blank=True,
        help_text="Как в платёжном документе, например «УФК по Краснодарскому краю (МБДОУ д/с № 24)».",
    )
    bank_name = models.CharField("банк получателя", max_length=45, blank=True)
    bik = models.CharField("БИК", max_length=9, blank=True, validators=[bik_validator])
    bank_account = models.CharField(
        "расчётный (казначейский) счёт", max_length=20, blank=True, validators=[account20_validator]
    )
    correspondent_account = models.CharField(
        "корреспондентский счёт (ЕКС)", max_length=20, blank=True, validators=[account20_validator]
    )
    kbk = models.CharField("КБК", max_length=20, blank=True)
    account_number_pattern = models.CharField(
        "шаблон лицевого счёта",
        max_length=20,
        default="NNNNNN",
        help_text="N — цифра; например «24NNNN» даёт номера 240001, 240002…",
    )
    archived_at = models.DateTimeField("в архиве с", null=True, blank=True)

    class Meta:
        verbose_name = "организация (ДОО)"
        verbose_name_plural = "организации (ДОО)"
        ordering = ["short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "inn"], name="organization_unique_inn_in_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.short_name


class AcademicYear(TimeStampedModel):
    """A school year of one organization, 1 September – 31 August; exactly one is current."""

    class State(models.TextChoices):
        OPEN = "open", "открыт"
        CLOSED = "closed", "закрыт"

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="academic_years",
        verbose_name="организация",
    )
    start = models.DateField("начало")
    end = models.DateField("окончание")
    is_current = models.BooleanField("текущий", default=False)
    state = models.CharField("состояние", max_length=10, choices=State, default=State.OPEN)
    closed_at = models.DateTimeField("закрыт", null=True, blank=True)

    class Meta:
        verbose_name = "учебный год"
        verbose_name_plural = "учебные годы"
        ordering = ["organization", "-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(is_current=True),
                name="academic_year_one_current_per_organization",
            ),
            models.UniqueConstraint(
                fields=["organization", "start"], name="academic_year_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="academic_year_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start.year}/{self.end.year}"

    @property
    def title(self) -> str:
        return f"{self.start.year}/{str(self.end.year)[-2:]} учебный год"

    @staticmethod
    def bounds_for(day: dt.date) -> tuple[dt.date, dt.date]:
        """Return (1 September, 31 August) of the academic year containing `day`."""
        first_year = day.year if day.month >= 9 else day.year - 1
        return dt.date(first_year, 9, 1), dt.date(first_year + 1, 8, 31)

    def clean(self):
        if self.start and self.end and (self.start.month, self.start.day) != (9, 1):
            raise ValidationError({"start": "Учебный год начинается 1 сентября."})
        if self.start and self.end and self.end != dt.date(self.start.year + 1, 8, 31):
            raise ValidationError({"end": "Учебный год заканчивается 31 августа."})


class AgeCategory(models.TextChoices):
    """Age category of a group (FACTS.md §7)."""

    EARLY = "early", "ранний возраст"
    JUNIOR = "junior", "младшая"
    MIDDLE = "middle", "средняя"
    SENIOR = "senior", "старшая"
    PREPARATORY = "preparatory", "подготовительная"
    MIXED = "mixed", "разновозрастная"


AGE_CATEGORY_FULL_TITLE = {
    AgeCategory.EARLY: "Группа раннего возраста",
    AgeCategory.JUNIOR: "Младшая группа",
    AgeCategory.MIDDLE: "Средняя группа",
    AgeCategory.SENIOR: "Старшая группа",
    AgeCategory.PREPARATORY: "Подготовительная группа",
    AgeCategory.MIXED: "Разновозрастная группа",
}


class Orientation(models.TextChoices):
    """Group orientation (направленность), FACTS.md §7 and 85-K section 4."""

    GENERAL = "general", "общеразвивающая"
    COMPENSATING = "compensating", "компенсирующая"
    COMBINED = "combined", "комбинированная"
    HEALTH = "health", "оздоровительная"
    CARE = "care", "присмотр и уход"


class Regime(models.TextChoices):
    """Stay regime (режим пребывания) with its length (FACTS.md §7)."""

    SHORT = "short", "кратковременного пребывания (до 5 ч)"
    SHORTENED = "shortened", "сокращённого дня (8–10,5 ч)"
    FULL = "full", "полного дня (10,5–12 ч)"
    EXTENDED = "extended", "продлённого дня (13–14 ч)"
    ROUND = "round", "круглосуточного пребывания (24 ч)"


class Group(TimeStampedModel):
    """A group of children. Who is in it on a date is derived from the movement book."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="groups", verbose_name="организация"
    )
    name = models.CharField("название", max_length=100, help_text="Например, «Капелька».")
    age_category = models.CharField(
        "возрастная категория", max_length=20, choices=AgeCategory, default=AgeCategory.JUNIOR
    )
    orientation = models.CharField(
        "направленность", max_length=20, choices=Orientation, default=Orientation.GENERAL
    )
    regime = models.CharField(
        "режим пребывания", max_length=20, choices=Regime, default=Regime.FULL
    )
    capacity = models.PositiveSmallIntegerField(
        "наполняемость (мест)", default=20, validators=[MinValueValidator(1)]
    )
    room = models.CharField("помещение", max_length=100, blank=True)
    archived_at = models.DateTimeField("в архиве с", null=True, blank=True)

    class Meta:
        verbose_name = "группа"
        verbose_name_plural = "группы"
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                condition=Q(archived_at__isnull=True),
                name="group_unique_active_name_per_organization",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        """Name as written in lists and orders, e.g. «Младшая группа «Солнышко»»."""
        return f"{AGE_CATEGORY_FULL_TITLE[self.age_category]} «{self.name}»"


class CalendarOverride(TimeStampedModel):
    """A change to the federal work calendar for a municipality or one organization.

    Covers late government decrees, regional holidays and closures of a kindergarten
    (quarantine, repairs) entered by the coordinator (FACTS.md §9). Exactly one of
    `municipality` / `organization` is set.
    """

    class Kind(models.TextChoices):
        WORKING = "working", "рабочий день"
        NON_WORKING = "non_working", "нерабочий день"
        SHORTENED = "shortened", "сокращённый день"

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        verbose_name="муниципальное образование",
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        verbose_name="организация",
    )
    date = models.DateField("дата")
    kind = models.CharField("вид", max_length=20, choices=Kind)
    reason = models.CharField("причина", max_length=300)

    class Meta:
        verbose_name = "изменение календаря"
        verbose_name_plural = "изменения календаря"
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(municipality__isnull=False, organization__isnull=True)
                    | Q(municipality__isnull=True, organization__isnull=False)
                ),
                name="calendar_override_one_scope",
            ),
            models.UniqueConstraint(
                fields=["organization", "date"],
                condition=Q(organization__isnull=False),
                name="calendar_override_unique_org_date",
            ),
            models.UniqueConstraint(
                fields=["municipality", "date"],
                condition=Q(municipality__isnull=False),
                name="calendar_override_unique_municipality_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}: {self.get_kind_display()}"


class MonthClosing(models.Model):
    """A closed month of one organization for attendance or fees (DESIGN.md §5).

    While a row exists with ``reopened_at`` empty, the month's data is locked; a later
    change is an explicit correction (attendance) or an adjustment in the next open month
    (fees). Reopening keeps the row with the reason; closing again clears ``reopened_at``.
    """

    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", "посещаемость"
        FEES = "fees", "родительская плата"

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="month_closings",
        verbose_name="организация",
    )
    kind = models.CharField("вид", max_length=20, choices=Kind)
    month = models.DateField("месяц", help_text="Первое число месяца.")
    closed_at = models.DateTimeField("закрыт")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="закрыл",
    )
    reopened_at = models.DateTimeField("открыт повторно", null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="открыл повторно",
    )
    reopen_reason = models.CharField("причина повторного открытия", max_length=500, blank=True)

    class Meta:
        verbose_name = "закрытие месяца"
        verbose_name_plural = "закрытие месяцев"
        ordering = ["organization", "kind", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "month"], name="month_closing_unique"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="month_closing_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%m.%Y}"

    @property
    def is_closed(self) -> bool:
        return self.reopened_at is None


class AuditRecord(models.Model):
    """One change made through a service: who, when, from where, what, old → new.

    Append-only: written by `core.audit.record`, never edited or deleted from the UI
    (152-FZ: changes to personal data, attendance and the ledger must be traceable).
    """

    class Action(models.TextChoices):
        CREATE = "create", "создание"
        UPDATE = "update", "изменение"
        DELETE = "delete", "удаление"
        ARCHIVE = "archive", "архивирование"
        CANCEL = "cancel", "отмена"
        ACTION = "action", "действие"
        ACCESS = "access", "доступ"
        DENIED = "denied", "отказ в доступе"

    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто",
    )
    actor_name = models.CharField("кто (на момент записи)", max_length=200, blank=True)
    ip = models.GenericIPAddressField("IP-адрес", null=True, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация",
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="муниципальное образование",
    )
    action = models.CharField("действие", max_length=20, choices=Action)
    kind = models.CharField("вид", max_length=100, help_text="Например, people.child")
    object_id = models.CharField("объект", max_length=64, blank=True)
    object_repr = models.CharField("объект (название)", max_length=300, blank=True)
    changes = models.JSONField("изменения", default=dict, blank=True)
    note = models.CharField("примечание", max_length=500, blank=True)

    class Meta:
        verbose_name = "запись журнала изменений"
        verbose_name_plural = "журнал изменений"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-at"], name="audit_org_at"),
            models.Index(fields=["kind", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor_name}: {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Записи журнала изменений не изменяются.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Записи журнала изменений не удаляются.")
