"""People's accounts and their roles in organizations.

One login per person (username or e-mail). A `Membership` gives a role in one organization
(or, for the department officer, in the municipality); an educator's membership lists the
groups they are bound to. A person may hold several memberships and switches between
organizations in the header (DESIGN.md §4).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from detsad.core.models import Group, Municipality, Organization
from detsad.core.permissions import Role


class User(AbstractUser):
    """A person who logs in. Personal data of staff and guardians live in `people`."""

    patronymic = models.CharField("отчество", max_length=150, blank=True)
    phone = models.CharField("телефон", max_length=20, blank=True)
    must_change_password = models.BooleanField(
        "сменить пароль при входе",
        default=False,
        help_text="Выданный временный пароль нужно сменить при первом входе.",
    )
    blocked_at = models.DateTimeField("заблокирован", null=True, blank=True)
    session_version = models.PositiveIntegerField(
        "версия сеансов",
        default=0,
        editable=False,
        help_text="Увеличивается при «выйти на всех устройствах»: все прежние сеансы завершаются.",
    )

    totp_enabled = models.BooleanField(
        "второй фактор включён",
        default=False,
        editable=False,
        help_text="Есть подтверждённое приложение-аутентификатор (TOTP).",
    )

    objects = UserManager()

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="user_unique_email_ci"
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def get_short_name(self) -> str:
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip() or self.username

    def _get_session_auth_hash(self, secret=None):
        """The session stamp: Django's HMAC of the password hash plus `session_version`.

        AuthenticationMiddleware compares it on every request, so bumping the version (log
        out everywhere, blocking) or changing the password ends every other session.
        """
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "detsad.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_version}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Membership(models.Model):
    """A role of a user in an organization (or in the municipality, for dept_officer)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name="пользователь"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="организация",
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="муниципальное образование",
    )
    role = models.CharField("роль", max_length=20, choices=Role)
    groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="memberships",
        verbose_name="группы",
        help_text="Для воспитателя: группы, к которым он привязан.",
    )
    is_active = models.BooleanField("действует", default=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    ended_at = models.DateTimeField("прекращено", null=True, blank=True)

    class Meta:
        verbose_name = "роль пользователя"
        verbose_name_plural = "роли пользователей"
        ordering = ["user", "organization", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=Q(organization__isnull=False),
                name="membership_unique_user_org_role",
            ),
            models.UniqueConstraint(
                fields=["user", "municipality", "role"],
                condition=Q(organization__isnull=True),
                name="membership_unique_user_municipality_role",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.DEPT_OFFICER, organization__isnull=True)
                | (~Q(role=Role.DEPT_OFFICER) & Q(organization__isnull=False)),
                name="membership_dept_officer_has_no_organization",
            ),
        ]

    def __str__(self) -> str:
        where = self.organization or self.municipality
        return f"{self.user}: {self.get_role_display()} ({where})"


class PasswordIssue(models.Model):
    """Who issued a login or a temporary password (or a set-password link) to whom, when.

    The password itself is never stored: only its fact. One batch of slips shares `batch`.
    """

    class Method(models.TextChoices):
        SLIP = "slip", "листок с временным паролем"
        RESET = "reset", "сброс пароля (листок)"
        EMAIL = "email", "ссылка на e-mail"

    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация",
    )
    issued_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="выдал",
    )
    issued_by_name = models.CharField("выдал (ФИО)", max_length=200, blank=True)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="password_issues",
        verbose_name="кому",
    )
    user_name = models.CharField("кому (ФИО)", max_length=300, blank=True)
    username = models.CharField("логин", max_length=150)
    method = models.CharField("способ", max_length=10, choices=Method)
    new_account = models.BooleanField("новая учётная запись", default=False)
    batch = models.UUIDField("пакет", default=uuid.uuid4, db_index=True)
    ip = models.GenericIPAddressField("IP-адрес", null=True, blank=True)

    class Meta:
        verbose_name = "выдача пароля"
        verbose_name_plural = "журнал выдачи паролей"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.at:%d.%m.%Y %H:%M} {self.issued_by_name} → {self.user_name} ({self.username})"
        )
