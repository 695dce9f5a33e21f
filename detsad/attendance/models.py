"""The attendance journal: one mark per child per working day (DESIGN.md §5).

A mark exists only for a day the child was enrolled (movement book) and the organization
worked (work calendar). No mark on such a day means "not yet marked"; days before
enrollment or after withdrawal have no marks at all and are never counted as absences
(case C07).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from detsad.core.models import Group, Municipality, Organization
from detsad.people.models import Child


class AbsenceReason(models.Model):
    """A reason of absence with its timesheet code (FACTS.md §2, FACTS-2.md §1).

    ``is_valid`` (засчитываемый): a day missed for this reason is excused and not billed.
    The list belongs to the municipality and is edited by the coordinator.
    """

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="absence_reasons",
        verbose_name="муниципальное образование",
    )
    code = models.CharField("код", max_length=3)
    name = models.CharField("наименование", max_length=200)
    is_valid = models.BooleanField("уважительная (засчитываемая)", default=True)
    is_illness = models.BooleanField(
        "по болезни", default=False, help_text="Для отчёта 85-К и заболеваемости."
    )
    for_parents = models.BooleanField(
        "родители могут указать",
        default=True,
        help_text="Причина доступна родителю в уведомлении об отсутствии.",
    )
    ordering = models.PositiveSmallIntegerField("порядок", default=100)
    is_active = models.BooleanField("используется", default=True)

    class Meta:
        verbose_name = "причина отсутствия"
        verbose_name_plural = "причины отсутствия"
        ordering = ["municipality", "ordering", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="absence_reason_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class AbsenceNotice(models.Model):
    """A parent's advance notice: the child will be absent from `start` to `end` (inclusive).

    It pre-fills absent marks with its reason on the working days of the period while the
    child is enrolled (case C06: weekends and holidays are skipped). Days up to today are
    written when the notice is made; later days when they come (the group-day save, month
    closing, ``manage.py attendance_apply_notices``). The educator may override any day.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name="организация"
    )
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="absence_notices", verbose_name="воспитанник"
    )
    start = models.DateField("с")
    end = models.DateField("по")
    reason = models.ForeignKey(
        AbsenceReason, on_delete=models.PROTECT, related_name="+", verbose_name="причина"
    )
    comment = models.CharField("комментарий", max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="сообщил",
    )
    created_at = models.DateTimeField("сообщено", auto_now_add=True)
    cancelled_at = models.DateTimeField("отменено", null=True, blank=True)

    class Meta:
        verbose_name = "уведомление об отсутствии"
        verbose_name_plural = "уведомления об отсутствии"
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="absence_notice_end_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "start", "end"], name="absence_notice_org_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.child}: {self.start:%d.%m.%Y}–{self.end:%d.%m.%Y} ({self.reason.code})"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


class AttendanceMark(models.Model):
    """Whether a child was present on a date; an absence carries a reason."""

    class Source(models.TextChoices):
        JOURNAL = "journal", "журнал"
        NOTICE = "notice", "уведомление родителя"
        CORRECTION = "correction", "исправление"
        IMPORT = "import", "загрузка"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name="организация"
    )
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="attendance_marks", verbose_name="воспитанник"
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="attendance_marks", verbose_name="группа"
    )
    on = models.DateField("дата")
    present = models.BooleanField("присутствовал")
    reason = models.ForeignKey(
        AbsenceReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="причина отсутствия",
    )
    source = models.CharField("источник", max_length=20, choices=Source, default=Source.JOURNAL)
    notice = models.ForeignKey(
        AbsenceNotice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="marks",
        verbose_name="по уведомлению",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="отметил",
    )
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "отметка посещаемости"
        verbose_name_plural = "отметки посещаемости"
        constraints = [
            models.UniqueConstraint(
                fields=["child", "on"], name="attendance_one_mark_per_child_day"
            ),
            models.CheckConstraint(
                condition=Q(present=True, reason__isnull=True) | Q(present=False),
                name="attendance_present_has_no_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "on"], name="attendance_group_on"),
            # (organization, on) plus the counted columns: the reports' counts by
            # organization and period read the index alone (covering), not the table
            models.Index(
                fields=["organization", "on", "present", "reason"], name="attendance_org_on_state"
            ),
        ]

    def __str__(self) -> str:
        state = (
            "был" if self.present else f"отсутствовал ({self.reason.code if self.reason else '?'})"
        )
        return f"{self.child} {self.on:%d.%m.%Y}: {state}"
