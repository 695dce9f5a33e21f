"""Accounts for people of the personal files: guardians and staff, and their slips.

A guardian's or an employee's account is created from their file (the login is made from
the name, the file is linked to the account, the role is given in the file's
organization). Slips for a selection — the parents of a group's children, the staff
without a login — are printed as one PDF (`slips_pdf`) in the response that issues them;
people with an e-mail may get a set-password link instead.

This module reads the personal files and the movement book (people, movement), which
accounts otherwise does not import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from detsad.core import audit
from detsad.core.access import Actor, require, scoped
from detsad.core.documents import render_pdf
from detsad.core.models import AuditRecord, Group
from detsad.core.permissions import Area, Role

from .credentials import login_base, unique_login
from .models import Membership, PasswordIssue, User
from .services import Slip, password_link_send, passwords_issue, require_admin

SLIP = "slip"
EMAIL = "email"


@dataclass
class Issued:
    """What one issuing produced: slips to print, links sent, people skipped (with why)."""

    slips: list[Slip] = field(default_factory=list)
    emailed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _free_email(email: str) -> str:
    """The e-mail if no other account uses it (logins by e-mail must stay unique)."""
    if email and not User.objects.filter(email__iexact=email).exists():
        return email.lower()
    return ""


def _account_for(actor: Actor, person, role: str, groups=()) -> User:
    """Create the account of a person file (Guardian or Staff) with `role`; link the file."""
    user = User(
        username=unique_login(login_base(person.last_name, person.first_name, person.patronymic)),
        last_name=person.last_name,
        first_name=person.first_name,
        patronymic=person.patronymic,
        email=_free_email(getattr(person, "email", "")),
    )
    user.set_unusable_password()
    user.save()
    membership = Membership.objects.create(
        user=user,
        organization=person.organization,
        municipality=person.organization.municipality,
        role=role,
    )
    if groups:
        membership.groups.set(groups)
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        user,
        kind="accounts.user",
        organization=person.organization,
        changes={"username": [None, user.username], "role": [None, Role(role).label]},
        note=f"учётная запись создана из личного дела: {person._meta.verbose_name}",
    )
    audit.record(
        actor,
        AuditRecord.Action.UPDATE,
        person,
        changes={"user": [None, user.username]},
    )
    return user


@transaction.atomic
def guardian_account_create(*, actor: Actor, guardian) -> tuple[User, bool]:
    """The guardian's account (created with the parent role if missing).

    Returns (user, created). An existing account gets its parent role back if it was
    ended. Raises PermissionDenied / Http404 outside the sysadmin's organization.
    """
    require_admin(actor)
    require(actor, Area.CHILDREN, obj=guardian)
    if guardian.archived_at is not None:
        raise ValidationError("Личное дело родителя в архиве.")
    if guardian.user_id:
        user = guardian.user
        if not Membership.objects.filter(
            user=user, organization=guardian.organization, role=Role.PARENT, is_active=True
        ).exists():
            from .services import membership_add

            membership_add(actor=actor, user=user, role=Role.PARENT)
        return user, False
    return _account_for(actor, guardian, Role.PARENT), True


@transaction.atomic
def staff_account_create(*, actor: Actor, staff, role: str, groups=()) -> tuple[User, bool]:
    """The employee's account with `role` (educators may be bound to groups at once)."""
    require_admin(actor)
    require(actor, Area.STAFF, obj=staff)
    if staff.user_id:
        return staff.user, False
    if staff.archived_at is not None or (
        staff.dismissal_date and staff.dismissal_date <= actor.today
    ):
        raise ValidationError(f"{staff.full_name}: сотрудник уволен.")
    if role not in (Role.HEAD, Role.COORDINATOR, Role.SYSADMIN, Role.EDUCATOR, Role.HR):
        raise ValidationError({"role": "Выберите роль сотрудника."})
    return _account_for(actor, staff, role, groups if role == Role.EDUCATOR else ()), True


def group_parents(actor: Actor, group: Group):
    """Legal representatives of the children in `group` today, with their children.

    Returns a list of (guardian, [child names]) in name order; two queries.
    """
    from detsad.movement.selectors import children_in
    from detsad.people.models import ChildGuardian

    links = (
        scoped(
            actor,
            ChildGuardian.objects.filter(
                child__in=children_in(group, actor.today),
                is_legal_representative=True,
                guardian__archived_at__isnull=True,
            ),
            Area.CHILDREN,
        )
        .select_related("guardian__user", "child")
        .order_by("guardian__last_name", "guardian__first_name", "guardian_id")
    )
    result: dict[int, tuple] = {}
    for link in links:
        result.setdefault(link.guardian_id, (link.guardian, []))[1].append(link.child.full_name)
    return list(result.values())


def staff_without_login(actor: Actor):
    """Current employees of the organization without an account (name order)."""
    from detsad.people.models import Staff

    return (
        scoped(actor, Staff.objects.all(), Area.STAFF)
        .filter(organization=actor.organization, user__isnull=True, archived_at__isnull=True)
        .exclude(dismissal_date__lte=actor.today)
        .order_by("last_name", "first_name", "pk")
    )


def _deliver(
    actor: Actor,
    people: list[tuple[User, str, bool]],
    delivery: str,
    method: str = PasswordIssue.Method.SLIP,
) -> Issued:
    issued = Issued()
    to_print, new_ids = [], set()
    for user, note, created in people:
        if delivery == EMAIL and user.email:
            password_link_send(actor=actor, user=user, new_account=created)
            issued.emailed.append(f"{user} ({user.email})")
            continue
        to_print.append((user, note))
        if created:
            new_ids.add(user.pk)
    if to_print:
        issued.slips = passwords_issue(
            actor=actor, users=to_print, method=method, new_user_ids=new_ids
        )
    return issued


@transaction.atomic
def issue_group_parents(*, actor: Actor, group: Group, delivery: str = SLIP) -> Issued:
    """Logins and temporary passwords for the parents of a group's children.

    Parents without an account get one; parents whose account was never used get a new
    temporary password; parents already using their account and blocked accounts are
    skipped (reset one person's password on their page).
    """
    require_admin(actor)
    require(actor, Area.ORGANIZATION, obj=group)
    people, skipped = [], []
    for guardian, children in group_parents(actor, group):
        note = f"родитель: {', '.join(children)} («{group.name}»)"
        user = guardian.user
        if user is not None and user.blocked_at is not None:
            skipped.append(f"{guardian.full_name}: учётная запись заблокирована")
            continue
        if user is not None and user.last_login is not None:
            skipped.append(f"{guardian.full_name}: уже входит в систему")
            continue
        user, created = guardian_account_create(actor=actor, guardian=guardian)
        people.append((user, note, created))
    issued = _deliver(actor, people, delivery)
    issued.skipped = skipped
    return issued


@transaction.atomic
def issue_staff(*, actor: Actor, staff: list, role: str, delivery: str = SLIP) -> Issued:
    """Accounts with `role` and temporary passwords for employees without a login."""
    require_admin(actor)
    people = []
    for person in staff:
        user, created = staff_account_create(actor=actor, staff=person, role=role)
        people.append((user, person.position, created))
    return _deliver(actor, people, delivery)


@transaction.atomic
def reset_password(*, actor: Actor, user: User, delivery: str = SLIP) -> Issued:
    """A new temporary password (slip) or a set-password link (e-mail) for one person."""
    require_admin(actor, user)
    if user.blocked_at is not None:
        raise ValidationError("Учётная запись заблокирована: сначала разблокируйте её.")
    return _deliver(actor, [(user, "сброс пароля", False)], delivery, PasswordIssue.Method.RESET)


def slips_pdf(actor: Actor, slips: list[Slip]) -> bytes:
    """The printable A4 sheet of cut-out slips (name, login, password, address, steps)."""
    return render_pdf(
        "accounts/slips_pdf.html",
        {
            "slips": slips,
            "organization": actor.organization,
            "site_url": settings.SITE_URL,
            "min_length": _min_password_length(),
            "issued_on": actor.today,
        },
    )


def _min_password_length() -> int:
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        if validator["NAME"].endswith("MinimumLengthValidator"):
            return validator.get("OPTIONS", {}).get("min_length", 8)
    return 8
