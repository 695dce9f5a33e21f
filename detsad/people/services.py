"""Writes to personal files: children, guardians and their links, staff, personal accounts.

Every function checks the right through the access layer, normalizes and validates the
data (Russian messages naming the field), writes inside one transaction and leaves an
audit record with old → new values (152-FZ).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from detsad.core import audit
from detsad.core.access import Actor, require
from detsad.core.models import AuditRecord, Organization
from detsad.core.permissions import Area

from .models import Child, ChildGuardian, Guardian, PersonalAccount, Relation, Staff, StaffCourse
from .validators import (
    normalize_phone,
    normalize_snils,
    validate_child_birth_date,
    validate_not_future,
)

CHILD_FIELDS = [
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
    "sex",
    "birth_certificate_series",
    "birth_certificate_number",
    "snils",
    "citizenship",
    "address",
    "health_group",
    "is_disabled",
    "has_special_needs",
    "allergies",
    "notes",
]
GUARDIAN_FIELDS = [
    "last_name",
    "first_name",
    "patronymic",
    "phone",
    "phone_extra",
    "email",
    "workplace",
    "position",
    "address",
    "passport_series",
    "passport_number",
    "passport_issued_by",
    "passport_issued_on",
    "consent_pd",
    "consent_pd_date",
]
STAFF_FIELDS = [
    "last_name",
    "first_name",
    "patronymic",
    "position",
    "is_pedagogical",
    "birth_date",
    "sex",
    "hire_date",
    "dismissal_date",
    "education",
    "qualification_category",
    "last_attestation_date",
    "snils",
    "phone",
    "email",
]
COURSE_FIELDS = ["title", "provider", "start", "end", "hours", "certificate"]


def _clean_name(value: str) -> str:
    """Trim and collapse spaces; capitalize the first letter of each part of a name."""
    value = re.sub(r"\s+", " ", (value or "").strip())
    return "-".join(p[:1].upper() + p[1:] for p in value.split("-")) if value else value


def _normalize(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    errors: dict[str, list] = {}
    for name in ("last_name", "first_name", "patronymic"):
        if name in data and isinstance(data[name], str):
            data[name] = _clean_name(data[name])
    for name in ("phone", "phone_extra"):
        if data.get(name):
            try:
                data[name] = normalize_phone(data[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if data.get("snils"):
        try:
            data["snils"] = normalize_snils(data["snils"])
        except ValidationError as exc:
            errors["snils"] = exc.messages
    if "email" in data and isinstance(data["email"], str):
        data["email"] = data["email"].strip().lower()
    for name in ("birth_certificate_series", "birth_certificate_number"):
        if isinstance(data.get(name), str):
            data[name] = data[name].strip().upper().replace(" ", "")
    if errors:
        raise ValidationError(errors)
    return data


def _apply(obj, data: dict[str, Any], allowed: list[str]) -> dict[str, list]:
    fields = [f for f in allowed if f in data]
    before = audit.stored_snapshot(obj, fields)
    for name in fields:
        setattr(obj, name, data[name])
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    obj.full_clean(validate_constraints=False)
    return audit.diff(before, audit.snapshot(obj, fields))


def _check_child_dates(child: Child, today: dt.date) -> None:
    errors = {}
    if child.birth_date:
        try:
            validate_child_birth_date(child.birth_date, today)
        except ValidationError as exc:
            errors["birth_date"] = exc.messages
    if errors:
        raise ValidationError(errors)


def _check_duplicate_child(child: Child) -> None:
    if child.birth_certificate_number:
        dup = (
            Child.objects.filter(
                organization_id=child.organization_id,
                birth_certificate_series=child.birth_certificate_series,
                birth_certificate_number=child.birth_certificate_number,
            )
            .exclude(pk=child.pk)
            .first()
        )
        if dup:
            raise ValidationError(
                {
                    "birth_certificate_number": (
                        f"Ребёнок с этим свидетельством о рождении уже есть: {dup.full_name}, "
                        f"{dup.birth_date:%d.%m.%Y}."
                    )
                }
            )


@transaction.atomic
def child_create(*, actor: Actor, organization: Organization, **data) -> Child:
    """Create a child's personal file. Raises ValidationError (Russian, per field)."""
    require(actor, Area.CHILDREN, write=True, obj=organization)
    data = _normalize(data)
    child = Child(organization=organization)
    _apply(child, data, CHILD_FIELDS)
    _check_child_dates(child, actor.today)
    _check_duplicate_child(child)
    child.save()
    audit.record(
        actor, AuditRecord.Action.CREATE, child, changes=audit.snapshot(child, CHILD_FIELDS)
    )
    return child


@transaction.atomic
def child_update(*, actor: Actor, child: Child, **data) -> Child:
    """Change a child's personal file; the audit record keeps old → new values."""
    require(actor, Area.CHILDREN, write=True, obj=child)
    data = _normalize(data)
    changes = _apply(child, data, CHILD_FIELDS)
    if "birth_date" in data:
        _check_child_dates(child, actor.today)
    _check_duplicate_child(child)
    child.save()
    if changes:
        audit.record(actor, AuditRecord.Action.UPDATE, child, changes=changes)
    return child


@transaction.atomic
def child_archive(*, actor: Actor, child: Child, restore: bool = False) -> Child:
    """Move a child's file to the archive (or back). Files are never deleted.

    A child enrolled today or later (an open or future stay in the movement book) cannot be
    archived: the movement book would still count the child in a group. Withdraw first.
    Raises ValidationError.
    """
    require(actor, Area.CHILDREN, write=True, obj=child)
    if (
        not restore
        and child.placements.filter(Q(end__isnull=True) | Q(end__gte=actor.today)).exists()
    ):
        raise ValidationError(
            "Ребёнок числится в группе по книге движения: сначала оформите отчисление, "
            "затем перенесите личное дело в архив."
        )
    child.archived_at = None if restore else timezone.now()
    child.save(update_fields=["archived_at", "updated_at"])
    audit.record(
        actor, AuditRecord.Action.ARCHIVE, child, note="восстановлен из архива" if restore else ""
    )
    return child


def _future_date_errors(obj, today: dt.date, fields: dict[str, str]) -> dict[str, list]:
    """Errors, keyed by field, of the dates of `obj` (field → label) that lie after `today`."""
    errors: dict[str, list] = {}
    for name, label in fields.items():
        value = getattr(obj, name)
        if value:
            try:
                validate_not_future(value, today, label)
            except ValidationError as exc:
                errors[name] = exc.messages
    return errors


def _check_guardian_dates(guardian: Guardian, today: dt.date) -> None:
    """The consent and the passport cannot be dated in the future (issue 2 item 5);
    errors are keyed by field so forms show them next to it."""
    errors = _future_date_errors(
        guardian,
        today,
        {"consent_pd_date": "Дата согласия", "passport_issued_on": "Дата выдачи паспорта"},
    )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def guardian_create(
    *,
    actor: Actor,
    organization: Organization,
    child: Child | None = None,
    relation: str = Relation.OTHER,
    is_legal_representative: bool = True,
    **data,
) -> Guardian:
    """Create a guardian's file, optionally linked to `child` at once."""
    require(actor, Area.CHILDREN, write=True, obj=organization)
    data = _normalize(data)
    guardian = Guardian(organization=organization)
    _apply(guardian, data, GUARDIAN_FIELDS)
    _check_guardian_dates(guardian, actor.today)
    guardian.save()
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        guardian,
        changes=audit.snapshot(guardian, GUARDIAN_FIELDS),
    )
    if child is not None:
        guardian_link(
            actor=actor,
            child=child,
            guardian=guardian,
            relation=relation,
            is_legal_representative=is_legal_representative,
        )
    return guardian


@transaction.atomic
def guardian_update(*, actor: Actor, guardian: Guardian, **data) -> Guardian:
    require(actor, Area.CHILDREN, write=True, obj=guardian)
    data = _normalize(data)
    changes = _apply(guardian, data, GUARDIAN_FIELDS)
    _check_guardian_dates(guardian, actor.today)
    guardian.save()
    if changes:
        audit.record(actor, AuditRecord.Action.UPDATE, guardian, changes=changes)
    return guardian


@transaction.atomic
def guardian_link(
    *,
    actor: Actor,
    child: Child,
    guardian: Guardian,
    relation: str,
    is_legal_representative: bool = True,
) -> ChildGuardian:
    """Link a guardian to a child (or change the relation of an existing link)."""
    require(actor, Area.CHILDREN, write=True, obj=child)
    if guardian.organization_id != child.organization_id:
        raise ValidationError("Родитель и ребёнок должны быть из одной организации.")
    if relation not in Relation.values:
        raise ValidationError({"relation": "Укажите, кем приходится ребёнку."})
    link, created = ChildGuardian.objects.update_or_create(
        child=child,
        guardian=guardian,
        defaults={"relation": relation, "is_legal_representative": is_legal_representative},
    )
    audit.record(
        actor,
        AuditRecord.Action.CREATE if created else AuditRecord.Action.UPDATE,
        link,
        organization=child.organization,
        changes={"relation": link.get_relation_display(), "legal": is_legal_representative},
    )
    return link


@transaction.atomic
def guardian_unlink(*, actor: Actor, link: ChildGuardian) -> None:
    """Remove a child–guardian link; a child keeps at least one guardian."""
    require(actor, Area.CHILDREN, write=True, obj=link.child)
    if ChildGuardian.objects.filter(child=link.child).count() <= 1:
        raise ValidationError(
            "У ребёнка должен остаться хотя бы один родитель (законный представитель)."
        )
    audit.record(
        actor,
        AuditRecord.Action.DELETE,
        link,
        organization=link.child.organization,
        changes={"guardian": str(link.guardian), "child": str(link.child)},
    )
    link.delete()


@transaction.atomic
def guardian_archive(*, actor: Actor, guardian: Guardian) -> Guardian:
    require(actor, Area.CHILDREN, write=True, obj=guardian)
    guardian.archived_at = timezone.now()
    guardian.save(update_fields=["archived_at", "updated_at"])
    audit.record(actor, AuditRecord.Action.ARCHIVE, guardian)
    return guardian


#: Employment age bounds: 14 (Labour Code art. 63, with consent) to 100 (a typo guard).
STAFF_MIN_AGE, STAFF_MAX_AGE = 14, 100


def _check_staff_dates(staff: Staff, today: dt.date) -> None:
    errors = _future_date_errors(
        staff,
        today,
        {
            "hire_date": "Дата приёма",
            "last_attestation_date": "Дата аттестации",
            "birth_date": "Дата рождения",
        },
    )
    if staff.dismissal_date and staff.hire_date and staff.dismissal_date < staff.hire_date:
        errors["dismissal_date"] = ["Дата увольнения раньше даты приёма."]
    if staff.birth_date and "birth_date" not in errors:
        born = staff.birth_date
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if not STAFF_MIN_AGE <= age <= STAFF_MAX_AGE:
            errors["birth_date"] = [
                f"Дата рождения: возраст сотрудника {age} лет, допустимо от {STAFF_MIN_AGE} до {STAFF_MAX_AGE}."
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def staff_create(*, actor: Actor, organization: Organization, **data) -> Staff:
    """Create an employee's personal file (HR)."""
    require(actor, Area.STAFF, write=True, obj=organization)
    data = _normalize(data)
    staff = Staff(organization=organization)
    _apply(staff, data, STAFF_FIELDS)
    _check_staff_dates(staff, actor.today)
    staff.save()
    audit.record(
        actor, AuditRecord.Action.CREATE, staff, changes=audit.snapshot(staff, STAFF_FIELDS)
    )
    return staff


@transaction.atomic
def staff_update(*, actor: Actor, staff: Staff, **data) -> Staff:
    require(actor, Area.STAFF, write=True, obj=staff)
    data = _normalize(data)
    changes = _apply(staff, data, STAFF_FIELDS)
    _check_staff_dates(staff, actor.today)
    staff.save()
    if changes:
        audit.record(actor, AuditRecord.Action.UPDATE, staff, changes=changes)
    return staff


@transaction.atomic
def staff_archive(*, actor: Actor, staff: Staff) -> Staff:
    require(actor, Area.STAFF, write=True, obj=staff)
    staff.archived_at = timezone.now()
    staff.save(update_fields=["archived_at", "updated_at"])
    audit.record(actor, AuditRecord.Action.ARCHIVE, staff)
    return staff


@transaction.atomic
def staff_course_add(*, actor: Actor, staff: Staff, **data) -> StaffCourse:
    """Record a professional development course of an employee."""
    require(actor, Area.STAFF, write=True, obj=staff)
    course = StaffCourse(staff=staff)
    _apply(course, data, COURSE_FIELDS)
    if course.end and course.start and course.end < course.start:
        raise ValidationError({"end": "Окончание курсов раньше начала."})
    course.save()
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        course,
        organization=staff.organization,
        changes=audit.snapshot(course, COURSE_FIELDS),
    )
    return course


ACCOUNT_RE = re.compile(r"^[0-9A-Za-zА-Яа-я-]{1,20}$")


@transaction.atomic
def personal_account_assign(
    *, actor: Actor, child: Child, number: str, opened_on: dt.date | None = None
) -> PersonalAccount:
    """Give the child a personal account number (unique in the organization).

    An existing different number is not overwritten: raises ValidationError instead.
    """
    require(actor, Area.CHILDREN, write=True, obj=child)
    number = (number or "").strip()
    if not ACCOUNT_RE.match(number):
        raise ValidationError(
            {"number": f"Лицевой счёт «{number}»: допустимы цифры и буквы, до 20 знаков."}
        )
    existing = PersonalAccount.objects.filter(
        organization_id=child.organization_id, child=child
    ).first()
    if existing:
        if existing.number == number:
            return existing
        raise ValidationError({"number": f"У ребёнка уже есть лицевой счёт {existing.number}."})
    taken = PersonalAccount.objects.filter(
        organization_id=child.organization_id, number=number
    ).first()
    if taken:
        raise ValidationError({"number": f"Лицевой счёт {number} уже принадлежит другому ребёнку."})
    account = PersonalAccount.objects.create(
        organization_id=child.organization_id,
        child=child,
        number=number,
        opened_on=opened_on or actor.today,
    )
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        account,
        organization=child.organization,
        changes={"number": number, "child": child.full_name},
    )
    return account


def next_account_number(organization: Organization) -> str:
    """The next free number by the organization's pattern, e.g. «24NNNN» → 240041."""
    pattern = organization.account_number_pattern or "NNNNNN"
    width = pattern.count("N")
    prefix = pattern.replace("N", "")
    numbers = PersonalAccount.objects.filter(
        organization=organization, number__startswith=prefix
    ).values_list("number", flat=True)
    used = [
        int(n[len(prefix) :])
        for n in numbers
        if n[len(prefix) :].isdigit() and len(n) == len(pattern)
    ]
    return f"{prefix}{(max(used, default=0) + 1):0{width}d}"
