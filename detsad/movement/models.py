"""The movement book (книга учёта движения воспитанников).

A child's place in a kindergarten is a history of events (enroll, transfer, withdraw),
each resting on the head's order. `Placement` rows (child in group from `start` to `end`)
are *derived* from the effective events by `services.placements_rebuild` in the same
transaction as every event change; nothing else writes them, so they cannot drift from the
book. Every other module reads group membership through `selectors.group_of`,
`children_in` and `children_between`.

Date semantics: an enrollment or transfer date is the first day in the (new) group; a
withdrawal date is the last day the child belongs to the kindergarten.

Database rules: an order number is unique per organization and calendar year; a CANCEL
event points to the event it cancels, at most once; placements of one child never
overlap (an exclusion constraint on PostgreSQL and triggers on SQLite, added by migration
0003; the service check in `services.events` is the rule that gives the Russian message).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from detsad.core.models import Group, Organization, Orientation, Regime, TimeStampedModel
from detsad.people.models import Child, Guardian


class Order(TimeStampedModel):
    """The head's order (приказ) that movement events rest on; one order, many children."""

    class Kind(models.TextChoices):
        ENROLL = "enroll", "о зачислении"
        TRANSFER = "transfer", "о переводе"
        WITHDRAW = "withdraw", "об отчислении"
        INITIAL = "initial", "начальные данные"
        CORRECTION = "correction", "об исправлении"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="orders", verbose_name="организация"
    )
    number = models.CharField("номер", max_length=30)
    date = models.DateField("дата")
    year = models.PositiveSmallIntegerField("год", editable=False)
    kind = models.CharField("вид", max_length=20, choices=Kind)
    title = models.CharField("заголовок", max_length=300, blank=True)
    is_initial_data = models.BooleanField(
        "начальные данные",
        default=False,
        help_text="История, загруженная при внедрении системы (без приказа в системе).",
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="подписал",
    )
    signed_at = models.DateTimeField("подписан", null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="подготовил",
    )

    class Meta:
        verbose_name = "приказ"
        verbose_name_plural = "приказы"
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "number"], name="order_unique_number_per_org_year"
            ),
        ]

    def __str__(self) -> str:
        if self.is_initial_data:
            return f"начальные данные от {self.date:%d.%m.%Y}"
        return f"приказ № {self.number} от {self.date:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        self.year = self.date.year
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("movement:order_detail", args=[self.pk])

    @property
    def is_signed(self) -> bool:
        """Signed by the head (initial-data markers need no signature)."""
        return self.signed_at is not None

    @property
    def label(self) -> str:
        """«№ 12-в от 01.09.2025» (or «начальные данные») for tables and the book."""
        if self.is_initial_data:
            return "начальные данные"
        return f"№ {self.number} от {self.date:%d.%m.%Y}"


class WithdrawalReason(models.TextChoices):
    """Reasons of withdrawal (отчисление), FACTS.md §8 and FACTS-2.md §4; the labels are
    written so that the order and the book can use them as they are."""

    SCHOOL = "school", "в связи с завершением обучения (в школу)"
    MOVED = "moved", "в связи с переменой места жительства"
    TRANSFER_OUT = "transfer_out", "в связи с переводом в другую образовательную организацию"
    PARENTS = "parents", "по заявлению родителей (законных представителей)"
    HEALTH = "health", "по состоянию здоровья"
    OTHER = "other", "иное"

    @classmethod
    def phrase(cls, reason: str, text: str = "") -> str:
        """The reason as the order and the book write it («в связи с …»)."""
        if reason == cls.OTHER or not reason:
            return text
        return cls(reason).label


class EducationContract(TimeStampedModel):
    """The education contract (договор об образовании, model form of Minobrnauki order No. 8
    of 13.01.2014) signed by a parent at enrollment."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="contracts", verbose_name="организация"
    )
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="contracts", verbose_name="воспитанник"
    )
    guardian = models.ForeignKey(
        Guardian,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="заказчик (родитель)",
    )
    number = models.CharField("номер", max_length=30)
    date = models.DateField("дата")
    year = models.PositiveSmallIntegerField("год", editable=False)
    place = models.CharField("место заключения", max_length=200, blank=True)
    programme = models.CharField(
        "образовательная программа",
        max_length=300,
        blank=True,
        default="Образовательная программа дошкольного образования",
    )
    regime = models.CharField("режим пребывания", max_length=20, choices=Regime, blank=True)
    orientation = models.CharField(
        "направленность группы", max_length=20, choices=Orientation, blank=True
    )
    study_term = models.CharField(
        "срок освоения программы",
        max_length=50,
        blank=True,
        help_text="На момент подписания договора, например «4 года».",
    )
    guardian_authority = models.CharField(
        "документ, подтверждающий полномочия заказчика",
        max_length=300,
        blank=True,
        help_text="Например, «свидетельство о рождении ребёнка I-АГ № 123456».",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="оформил",
    )

    class Meta:
        verbose_name = "договор об образовании"
        verbose_name_plural = "договоры об образовании"
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "number"],
                name="contract_unique_number_per_org_year",
            ),
        ]

    def __str__(self) -> str:
        return f"договор № {self.number} от {self.date:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        self.year = self.date.year
        super().save(*args, **kwargs)


class MovementEvent(models.Model):
    """One line of the movement book. Never edited: a correction is a CANCEL event."""

    class Kind(models.TextChoices):
        ENROLL = "enroll", "зачисление"
        TRANSFER = "transfer", "перевод"
        WITHDRAW = "withdraw", "отчисление"
        CANCEL = "cancel", "отмена записи"

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="movement_events",
        verbose_name="организация",
    )
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="movement_events", verbose_name="воспитанник"
    )
    kind = models.CharField("вид", max_length=10, choices=Kind)
    on = models.DateField("дата")
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="группа",
        help_text="Зачисление/перевод: в какую группу; отчисление: из какой.",
    )
    from_group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="из группы",
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="приказ",
    )
    referral_number = models.CharField("направление: номер", max_length=50, blank=True)
    referral_date = models.DateField("направление: дата", null=True, blank=True)
    contract = models.ForeignKey(
        EducationContract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="договор",
    )
    reason = models.CharField(
        "причина отчисления", max_length=20, choices=WithdrawalReason, blank=True
    )
    reason_text = models.CharField("причина (текст)", max_length=300, blank=True)
    destination = models.CharField("куда выбыл", max_length=300, blank=True)
    cancels = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cancelled_by",
        verbose_name="отменяет запись",
    )
    over_capacity_confirmed = models.BooleanField(
        "превышение наполняемости подтверждено", default=False
    )
    correction_reason = models.CharField(
        "исправление в закрытом учебном году: причина",
        max_length=300,
        blank=True,
        help_text="Заполняется, когда запись внесена в закрытый учебный год как исправление.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="внёс",
    )
    created_at = models.DateTimeField("внесено", auto_now_add=True)

    class Meta:
        verbose_name = "запись книги движения"
        verbose_name_plural = "книга движения"
        ordering = ["on", "id"]
        indexes = [
            models.Index(fields=["child", "on"], name="movement_child_on"),
            models.Index(fields=["organization", "on"], name="movement_org_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="cancel", cancels__isnull=False)
                | (~Q(kind="cancel") & Q(cancels__isnull=True)),
                name="movement_cancel_points_to_event",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["cancel"]) | Q(group__isnull=False),
                name="movement_event_has_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.child} {self.on:%d.%m.%Y}"


class Placement(models.Model):
    """Derived: the child is in `group` from `start` to `end` inclusive (end null = open).

    Written only by `services.placements_rebuild`. Intervals of one child in one
    organization never overlap (checked there, inside the event's transaction).
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="placements")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    start_event = models.ForeignKey(MovementEvent, on_delete=models.CASCADE, related_name="+")
    end_event = models.ForeignKey(
        MovementEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "пребывание в группе"
        verbose_name_plural = "пребывание в группах"
        ordering = ["child", "start"]
        indexes = [
            models.Index(fields=["group", "start", "end"], name="placement_group_dates"),
            models.Index(fields=["child", "start"], name="placement_child_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="placement_end_after_start",
            ),
            models.UniqueConstraint(fields=["child", "start"], name="placement_unique_child_start"),
        ]

    def __str__(self) -> str:
        end = f"{self.end:%d.%m.%Y}" if self.end else "…"
        return f"{self.child} в {self.group}: {self.start:%d.%m.%Y}–{end}"


class DocumentTemplate(TimeStampedModel):
    """An organization's own DOCX template for an order kind or the education contract.

    Replaces our template in ``detsad/movement/doc_templates/`` for that organization. The
    file is kept in the database (small, and shared by every web process); its Jinja tags
    are rendered in a sandbox (``documents.render.render_docx_sandboxed``).
    """

    class Kind(models.TextChoices):
        ORDER_ENROLL = "order_enroll", "приказ о зачислении"
        ORDER_TRANSFER = "order_transfer", "приказ о переводе"
        ORDER_WITHDRAW = "order_withdraw", "приказ об отчислении"
        ORDER_OTHER = "order_other", "приказ (прочие виды)"
        CONTRACT = "contract", "договор об образовании"

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="document_templates",
        verbose_name="организация",
    )
    kind = models.CharField("вид документа", max_length=20, choices=Kind)
    filename = models.CharField("имя файла", max_length=200)
    content = models.BinaryField("файл DOCX")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="загрузил",
    )

    class Meta:
        verbose_name = "шаблон документа"
        verbose_name_plural = "шаблоны документов"
        ordering = ["organization", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind"], name="document_template_one_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"
