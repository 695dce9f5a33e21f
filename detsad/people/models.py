"""Personal files: children (воспитанники), guardians (законные представители), staff.

Personal files are archived, never deleted (152-FZ: retention, then anonymization). A child's
group is *not* stored here: it is derived from the movement book (DESIGN.md §5).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from detsad.core.models import Organization, TimeStampedModel

from .validators import validate_phone, validate_snils


class Sex(models.TextChoices):
    MALE = "M", "мужской"
    FEMALE = "F", "женский"


class HealthGroup(models.TextChoices):
    I = "1", "I"  # noqa: E741
    II = "2", "II"
    III = "3", "III"
    IV = "4", "IV"
    V = "5", "V"


class PersonName(models.Model):
    """Abstract full name in Russian order: surname, name, patronymic."""

    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    patronymic = models.CharField("отчество", max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        """«Иванов И. И.»"""
        initials = " ".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip()


class Child(PersonName, TimeStampedModel):
    """A child's personal file in the organization that keeps it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="children", verbose_name="организация"
    )
    birth_date = models.DateField("дата рождения")
    sex = models.CharField("пол", max_length=1, choices=Sex)
    birth_certificate_series = models.CharField(
        "свидетельство о рождении: серия", max_length=20, blank=True
    )
    birth_certificate_number = models.CharField(
        "свидетельство о рождении: номер", max_length=20, blank=True
    )
    snils = models.CharField(
        "СНИЛС",
        max_length=14,
        blank=True,
        validators=[validate_snils],
        help_text="Формат 123-456-789 01",
    )
    citizenship = models.CharField(
        "гражданство", max_length=100, blank=True, default="Российская Федерация"
    )
    address = models.CharField("адрес проживания", max_length=500, blank=True)
    health_group = models.CharField(
        "группа здоровья", max_length=1, choices=HealthGroup, blank=True
    )
    is_disabled = models.BooleanField("ребёнок-инвалид", default=False)
    has_special_needs = models.BooleanField("ОВЗ (адаптированная программа)", default=False)
    allergies = models.TextField("аллергии", blank=True)
    notes = models.TextField("примечания", blank=True)
    archived_at = models.DateTimeField("в архиве с", null=True, blank=True)
    anonymized_at = models.DateTimeField("обезличен", null=True, blank=True)

    class Meta:
        verbose_name = "воспитанник"
        verbose_name_plural = "воспитанники"
        ordering = ["last_name", "first_name", "patronymic"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "birth_certificate_series", "birth_certificate_number"],
                condition=~Q(birth_certificate_number=""),
                name="child_unique_birth_certificate_per_organization",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "last_name"], name="child_org_last_name"),
        ]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("people:child_detail", args=[self.pk])

    @property
    def birth_certificate(self) -> str:
        return " ".join(
            p for p in (self.birth_certificate_series, self.birth_certificate_number) if p
        )

    def age_on(self, day: dt.date) -> int:
        """Full years on `day`."""
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class Guardian(PersonName, TimeStampedModel):
    """A parent or other legal representative; may have an account to log in."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="guardians", verbose_name="организация"
    )
    phone = models.CharField(
        "телефон",
        max_length=12,
        blank=True,
        validators=[validate_phone],
        help_text="Сохраняется как +7XXXXXXXXXX",
    )
    phone_extra = models.CharField(
        "доп. телефон", max_length=12, blank=True, validators=[validate_phone]
    )
    email = models.EmailField("e-mail", blank=True)
    workplace = models.CharField("место работы", max_length=300, blank=True)
    position = models.CharField("должность", max_length=200, blank=True)
    address = models.CharField("адрес", max_length=500, blank=True)
    passport_series = models.CharField("паспорт: серия", max_length=10, blank=True)
    passport_number = models.CharField("паспорт: номер", max_length=20, blank=True)
    passport_issued_by = models.CharField("паспорт: кем выдан", max_length=300, blank=True)
    passport_issued_on = models.DateField("паспорт: дата выдачи", null=True, blank=True)
    consent_pd = models.BooleanField("согласие на обработку персональных данных", default=False)
    consent_pd_date = models.DateField("дата согласия", null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardian",
        verbose_name="учётная запись",
    )
    archived_at = models.DateTimeField("в архиве с", null=True, blank=True)
    anonymized_at = models.DateTimeField("обезличен", null=True, blank=True)

    class Meta:
        verbose_name = "родитель (законный представитель)"
        verbose_name_plural = "родители (законные представители)"
        ordering = ["last_name", "first_name", "patronymic"]
        indexes = [
            models.Index(fields=["organization", "last_name"], name="guardian_org_last_name")
        ]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("people:guardian_detail", args=[self.pk])


class Relation(models.TextChoices):
    MOTHER = "mother", "мать"
    FATHER = "father", "отец"
    GRANDMOTHER = "grandmother", "бабушка"
    GRANDFATHER = "grandfather", "дедушка"
    GUARDIAN = "guardian", "опекун"
    TRUSTEE = "trustee", "попечитель"
    FOSTER = "foster", "приёмный родитель"
    OTHER = "other", "другое"


class ChildGuardian(models.Model):
    """The link between a child and a guardian (a child has 1..n, a guardian 1..n)."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="guardian_links", verbose_name="воспитанник"
    )
    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, related_name="child_links", verbose_name="родитель"
    )
    relation = models.CharField("кем приходится", max_length=20, choices=Relation)
    is_legal_representative = models.BooleanField("законный представитель", default=True)

    class Meta:
        verbose_name = "связь ребёнка и родителя"
        verbose_name_plural = "связи детей и родителей"
        constraints = [
            models.UniqueConstraint(fields=["child", "guardian"], name="child_guardian_unique")
        ]

    def __str__(self) -> str:
        return f"{self.guardian} — {self.get_relation_display()} ({self.child})"


class PersonalAccount(models.Model):
    """The child's personal account number (лицевой счёт) in the organization.

    Kept with the personal file because the children import records it; the fee ledger
    (`fees`) builds on it. Unique per organization.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="personal_accounts",
        verbose_name="организация",
    )
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="accounts", verbose_name="воспитанник"
    )
    number = models.CharField("лицевой счёт", max_length=20)
    opened_on = models.DateField("открыт", null=True, blank=True)

    class Meta:
        verbose_name = "лицевой счёт"
        verbose_name_plural = "лицевые счета"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="account_unique_number"
            ),
            models.UniqueConstraint(fields=["organization", "child"], name="account_one_per_child"),
        ]

    def __str__(self) -> str:
        return self.number


class QualificationCategory(models.TextChoices):
    NONE = "none", "без категории"
    COMPLIANCE = "compliance", "соответствие занимаемой должности"
    FIRST = "first", "первая"
    HIGHEST = "highest", "высшая"


class Staff(PersonName, TimeStampedModel):
    """An employee's personal file."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="staff", verbose_name="организация"
    )
    position = models.CharField("должность", max_length=200)
    is_pedagogical = models.BooleanField("педагогический работник", default=True)
    birth_date = models.DateField("дата рождения", null=True, blank=True)
    sex = models.CharField("пол", max_length=1, choices=Sex, blank=True)
    hire_date = models.DateField("дата приёма")
    dismissal_date = models.DateField("дата увольнения", null=True, blank=True)
    education = models.CharField("образование", max_length=300, blank=True)
    qualification_category = models.CharField(
        "квалификационная категория",
        max_length=20,
        choices=QualificationCategory,
        default=QualificationCategory.NONE,
    )
    last_attestation_date = models.DateField("дата последней аттестации", null=True, blank=True)
    snils = models.CharField("СНИЛС", max_length=14, blank=True, validators=[validate_snils])
    phone = models.CharField("телефон", max_length=12, blank=True, validators=[validate_phone])
    email = models.EmailField("e-mail", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_file",
        verbose_name="учётная запись",
    )
    archived_at = models.DateTimeField("в архиве с", null=True, blank=True)

    class Meta:
        verbose_name = "сотрудник"
        verbose_name_plural = "сотрудники"
        ordering = ["last_name", "first_name", "patronymic"]
        indexes = [models.Index(fields=["organization", "last_name"], name="staff_org_last_name")]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("people:staff_detail", args=[self.pk])


class StaffCourse(models.Model):
    """A professional development course (курсы повышения квалификации)."""

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="courses", verbose_name="сотрудник"
    )
    title = models.CharField("название курса", max_length=300)
    provider = models.CharField("организация, проводившая курсы", max_length=300, blank=True)
    start = models.DateField("начало")
    end = models.DateField("окончание")
    hours = models.PositiveSmallIntegerField("часов", null=True, blank=True)
    certificate = models.CharField("документ (удостоверение №)", max_length=100, blank=True)

    class Meta:
        verbose_name = "курсы повышения квалификации"
        verbose_name_plural = "курсы повышения квалификации"
        ordering = ["-end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="course_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start:%d.%m.%Y}–{self.end:%d.%m.%Y})"
