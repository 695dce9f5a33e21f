"""Writes to accounts: roles, groups, blocking, sessions, lockouts and passwords.

The sysadmin of an organization manages the accounts of people with a role there (rights
matrix: accounts W for sysadmin, R for head and coordinator; a parent W for their own
account). Every change leaves an audit record with old → new values; issued passwords
leave a `PasswordIssue` row and never their text.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from detsad.core import audit
from detsad.core.access import Actor, require, scoped
from detsad.core.middleware import SESSION_KEY
from detsad.core.models import AuditRecord, Group
from detsad.core.permissions import Area, Role, Scope

from .credentials import temporary_password
from .hashers import hash_temporary
from .models import Membership, PasswordIssue, User

#: Roles a kindergarten's sysadmin may give (the department officer and the superuser are
#: given by the installation's administrator).
ORG_ROLES = [r for r in Role if r != Role.DEPT_OFFICER]


def is_admin(actor: Actor) -> bool:
    """True when the actor manages accounts of the organization (not only their own)."""
    return any(
        r.write and r.scope in (Scope.ORG, Scope.MUNICIPALITY) for r in actor.rights(Area.ACCOUNTS)
    )


def require_admin(actor: Actor, obj=None) -> None:
    """Raise PermissionDenied unless the actor is the accounts administrator (404 off-scope)."""
    require(actor, Area.ACCOUNTS, write=True, obj=obj)
    if not is_admin(actor):
        raise PermissionDenied("Недостаточно прав.")


def _groups_names(groups: Iterable[Group]) -> list[str]:
    return sorted(g.name for g in groups)


def _check_groups(actor: Actor, role: str, groups: list[Group]) -> None:
    if groups and role != Role.EDUCATOR:
        raise ValidationError({"groups": "Группы указываются только для воспитателя."})
    foreign = [g for g in groups if g.organization_id != actor.organization.pk]
    if foreign:
        raise ValidationError({"groups": "Группа другой организации."})


@transaction.atomic
def membership_add(*, actor: Actor, user: User, role: str, groups: Iterable[Group] = ()):
    """Give `user` a role in the actor's organization (reactivates an ended one).

    Raises ValidationError for an unknown role or groups of another organization or for a
    role that is not an educator's; PermissionDenied unless the actor is the sysadmin.
    """
    require_admin(actor)
    if actor.organization is None:
        raise ValidationError("Выберите организацию.")
    if role not in ORG_ROLES:
        raise ValidationError({"role": "Такую роль здесь выдать нельзя."})
    groups = list(groups)
    _check_groups(actor, role, groups)
    membership, created = Membership.objects.get_or_create(
        user=user,
        organization=actor.organization,
        role=role,
        defaults={"municipality": actor.organization.municipality},
    )
    if not created and membership.is_active:
        raise ValidationError({"role": "У пользователя уже есть эта роль."})
    membership.is_active = True
    membership.ended_at = None
    membership.save(update_fields=["is_active", "ended_at"])
    membership.groups.set(groups)
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        membership,
        changes={
            "role": [None, Role(role).label],
            **({"groups": [[], _groups_names(groups)]} if groups else {}),
        },
        note=f"роль выдана: {user}",
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: Actor, membership: Membership) -> Membership:
    """End a role (the row stays, with ``ended_at``, for the history)."""
    require_admin(actor, membership)
    if membership.user_id == actor.user.pk and membership.role == Role.SYSADMIN:
        raise ValidationError("Нельзя снять роль администратора с самого себя.")
    if not membership.is_active:
        raise ValidationError("Эта роль уже снята.")
    membership.is_active = False
    membership.ended_at = timezone.now()
    membership.save(update_fields=["is_active", "ended_at"])
    audit.record(
        actor,
        AuditRecord.Action.DELETE,
        membership,
        changes={"role": [membership.get_role_display(), None]},
        note=f"роль снята: {membership.user}",
    )
    return membership


@transaction.atomic
def membership_set_groups(
    *, actor: Actor, membership: Membership, groups: Iterable[Group]
) -> Membership:
    """Bind an educator to groups (replaces the previous set)."""
    require_admin(actor, membership)
    groups = list(groups)
    if membership.role != Role.EDUCATOR:
        raise ValidationError({"groups": "Группы указываются только для воспитателя."})
    _check_groups(actor, membership.role, groups)
    before = _groups_names(membership.groups.all())
    membership.groups.set(groups)
    after = _groups_names(groups)
    if before != after:
        audit.record(
            actor,
            AuditRecord.Action.UPDATE,
            membership,
            changes={"groups": [before, after]},
            note=f"группы воспитателя: {membership.user}",
        )
    return membership


@transaction.atomic
def user_block(*, actor: Actor, user: User, reason: str = "") -> User:
    """Block a login: the person is logged out at once and cannot log in."""
    require_admin(actor, user)
    if user.pk == actor.user.pk:
        raise ValidationError("Нельзя заблокировать самого себя.")
    if user.blocked_at is not None:
        return user
    user.blocked_at = timezone.now()
    user.session_version += 1
    user.save(update_fields=["blocked_at", "session_version"])
    audit.record(
        actor,
        AuditRecord.Action.UPDATE,
        user,
        kind="accounts.user",
        changes={"blocked": [False, True]},
        note=(reason or "заблокирован")[:500],
    )
    return user


@transaction.atomic
def user_unblock(*, actor: Actor, user: User) -> User:
    """Lift a block (a temporary password is not reissued: issue one if needed)."""
    require_admin(actor, user)
    if user.blocked_at is None:
        return user
    user.blocked_at = None
    user.save(update_fields=["blocked_at"])
    audit.record(
        actor,
        AuditRecord.Action.UPDATE,
        user,
        kind="accounts.user",
        changes={"blocked": [True, False]},
    )
    return user


@transaction.atomic
def user_logout_everywhere(*, actor: Actor, user: User, request=None) -> User:
    """End every session of `user` (their own: every session but the current one).

    Works by bumping ``session_version``, part of the session stamp Django checks.
    """
    if user.pk != getattr(actor.user, "pk", None):
        require_admin(actor, user)
    user.session_version += 1
    user.save(update_fields=["session_version"])
    if request is not None and request.user.pk == user.pk:
        update_session_auth_hash(request, user)
    audit.record(
        actor,
        AuditRecord.Action.ACTION,
        user,
        kind="accounts.user",
        note="выход на всех устройствах",
    )
    return user


def lockouts(actor: Actor):
    """django-axes records of failed logins of people within the actor's accounts scope."""
    from axes.models import AccessAttempt

    users = scoped(actor, User.objects.all(), Area.ACCOUNTS)
    logins = set(users.values_list("username", flat=True)) | {
        e.lower() for e in users.exclude(email="").values_list("email", flat=True)
    }
    return AccessAttempt.objects.filter(username__in=logins).order_by("-attempt_time")


@transaction.atomic
def user_unlock(*, actor: Actor, user: User) -> int:
    """Reset the failed-login counters of `user` (login and e-mail) and of their addresses.

    Returns the number of django-axes records removed.
    """
    from axes.models import AccessAttempt
    from axes.utils import reset

    require_admin(actor, user)
    names = [user.username] + ([user.email] if user.email else [])
    ips = set(AccessAttempt.objects.filter(username__in=names).values_list("ip_address", flat=True))
    removed = sum(reset(username=n) for n in names)
    removed += sum(reset(ip=ip) for ip in ips if ip)
    audit.record(
        actor,
        AuditRecord.Action.ACTION,
        user,
        kind="accounts.user",
        note=f"снята блокировка входа (записей: {removed})",
    )
    return removed


def locked_addresses(actor: Actor) -> list[dict]:
    """Client addresses locked for repeated failed logins on any logins (django-axes).

    Each row: ``{"ip": str, "failures": int, "logins": int, "last": datetime}`` — failures
    summed over every login tried from the address within the cool-off period, ``logins`` the
    number of distinct logins tried (the logins themselves are not shown: they may belong to
    other kindergartens). Only addresses at or over ``LOGIN_ADDRESS_FAILURE_LIMIT``. Sysadmin only.
    """
    from axes.conf import settings as axes_settings
    from axes.models import AccessAttempt
    from django.db.models import Count, Max, Sum

    from .lockout import address_failure_limit

    require_admin(actor)
    attempts = AccessAttempt.objects.exclude(ip_address=None)
    if axes_settings.AXES_COOLOFF_TIME:
        since = timezone.now() - dt.timedelta(hours=float(axes_settings.AXES_COOLOFF_TIME))
        attempts = attempts.filter(attempt_time__gte=since)
    rows = (
        attempts.values("ip_address")
        .annotate(
            failures=Sum("failures_since_start"),
            logins=Count("username", distinct=True),
            last=Max("attempt_time"),
        )
        .filter(failures__gte=address_failure_limit())
        .order_by("-last")
    )
    return [
        {"ip": r["ip_address"], "failures": r["failures"], "logins": r["logins"], "last": r["last"]}
        for r in rows[:200]
    ]


@transaction.atomic
def address_unlock(*, actor: Actor, ip: str) -> int:
    """Reset django-axes failed-login counters of the client address `ip` (every login).

    Returns the number of records removed. Raises ValidationError for a malformed address.
    """
    import ipaddress

    from axes.utils import reset

    require_admin(actor)
    try:
        ip = str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        raise ValidationError({"ip": "IP-адрес: неверный формат."}) from None
    removed = reset(ip=ip)
    audit.record(
        actor,
        AuditRecord.Action.ACTION,
        kind="accounts.address",
        object_id=ip,
        object_repr=ip,
        note=f"снята блокировка входа с адреса {ip} (записей: {removed})",
    )
    return removed


@dataclass(frozen=True)
class Slip:
    """One cut-out slip: printed once, never stored."""

    name: str
    login: str
    password: str
    note: str = ""


def _issue(actor: Actor, user: User, method: str, *, new_account: bool, batch=None):
    """An unsaved PasswordIssue row: who issued what to whom (never the password)."""
    return PasswordIssue(
        organization=actor.organization,
        issued_by=actor.user if getattr(actor.user, "pk", None) else None,
        issued_by_name=actor.name[:200],
        user=user,
        user_name=str(user)[:300],
        username=user.username,
        method=method,
        new_account=new_account,
        batch=batch or uuid.uuid4(),
        ip=actor.ip,
    )


@transaction.atomic
def passwords_issue(
    *,
    actor: Actor,
    users: list[tuple[User, str]],
    method: str = PasswordIssue.Method.SLIP,
    new_user_ids: set[int] | frozenset[int] = frozenset(),
) -> list[Slip]:
    """Give each user a new temporary password; returns the slips (the only copy).

    `users` pairs each user with a note printed on the slip (e.g. the child's name).
    Each user must change the password at the next login; their other sessions end. A
    `PasswordIssue` row and an audit record are written per user.
    """
    require_admin(actor)
    batch = uuid.uuid4()
    slips, issues = [], []
    for user, note in users:
        require_admin(actor, user)
        password = temporary_password()
        user.password = hash_temporary(password)
        user.must_change_password = True
        user.session_version += 1
        user.save(update_fields=["password", "must_change_password", "session_version"])
        issues.append(_issue(actor, user, method, new_account=user.pk in new_user_ids, batch=batch))
        audit.record(
            actor,
            AuditRecord.Action.ACTION,
            user,
            kind="accounts.user",
            note=PasswordIssue.Method(method).label,
        )
        slips.append(Slip(name=str(user), login=user.username, password=password, note=note))
    PasswordIssue.objects.bulk_create(issues)
    return slips


@transaction.atomic
def password_link_send(*, actor: Actor, user: User, new_account: bool = False) -> None:
    """E-mail `user` a one-time link to set a password (Django's token generator).

    The link stops working once used, once the password changes otherwise, or after
    settings.PASSWORD_RESET_TIMEOUT. Raises ValidationError when the user has no e-mail.
    """
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    require_admin(actor, user)
    if not user.email:
        raise ValidationError("У пользователя не указан e-mail.")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(
        "accounts:password_set",
        kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)},
    )
    context = {
        "user": user,
        "url": settings.SITE_URL.rstrip("/") + path,
        "site": settings.SITE_URL,
        "organization": actor.organization,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    body = render_to_string("accounts/email/password_link.txt", context)
    transaction.on_commit(
        lambda: send_mail("Детсад: вход в систему", body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )
    _issue(actor, user, PasswordIssue.Method.EMAIL, new_account=new_account).save()
    audit.record(
        actor,
        AuditRecord.Action.ACTION,
        user,
        kind="accounts.user",
        note=f"ссылка для установки пароля отправлена на {user.email}",
    )


@transaction.atomic
def user_change_password(*, actor, request, user, new_password: str) -> None:
    """Set a new password chosen by the person; clears the temporary-password flag."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    update_session_auth_hash(request, user)
    audit.record(
        actor,
        AuditRecord.Action.ACTION,
        user,
        kind="accounts.user",
        note="Пароль изменён пользователем",
    )


def temporary_password_consume(user: User) -> None:
    """At a login with a temporary password: make it unusable (one use only).

    The person sets their own password on the next page; if they leave without doing it,
    the slip no longer opens the account and a new one must be issued.
    """
    if user.must_change_password and user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])


def context_switch(*, actor, request, key: str) -> bool:
    """Make one of the actor's organizations (or the municipality) active. False if not his."""
    if not any(ctx["key"] == key for ctx in actor.contexts):
        return False
    request.session[SESSION_KEY] = key
    return True
