"""Writes to the organization structure: organization card, academic years, groups,
calendar overrides. Each function checks the right, validates, writes in one transaction
and leaves an audit record."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import audit
from .access import Actor, require
from .models import AcademicYear, AuditRecord, CalendarOverride, Group, Organization
from .permissions import Area

ORGANIZATION_FIELDS = [
    "full_name",
    "short_name",
    "number",
    "inn",
    "kpp",
    "ogrn",
    "okpo",
    "oktmo",
    "address",
    "head_name",
    "phone",
    "email",
    "website",
    "licence_number",
    "licence_date",
    "licence_issuer",
    "payee_name",
    "bank_name",
    "bik",
    "bank_account",
    "correspondent_account",
    "kbk",
    "account_number_pattern",
]
GROUP_FIELDS = ["name", "age_category", "orientation", "regime", "capacity", "room"]


def _apply(obj, data: dict, allowed: list[str]) -> dict:
    before = audit.stored_snapshot(obj, [f for f in allowed if f in data])
    for name, value in data.items():
        if name not in allowed:
            raise ValueError(f"field {name} is not editable here")
        setattr(obj, name, value)
    obj.full_clean()
    return audit.diff(before, audit.snapshot(obj, [f for f in allowed if f in data]))


@transaction.atomic
def organization_update(*, actor: Actor, organization: Organization, data: dict) -> Organization:
    """Change the organization card (coordinator, sysadmin). Raises ValidationError."""
    require(actor, Area.ORGANIZATION, write=True, obj=organization)
    changes = _apply(organization, data, ORGANIZATION_FIELDS)
    organization.save()
    if changes:
        audit.record(actor, AuditRecord.Action.UPDATE, organization, changes=changes)
    return organization


@transaction.atomic
def group_create(*, actor: Actor, organization: Organization, **fields) -> Group:
    """Create a group in `organization`. Raises ValidationError (Russian) on bad data."""
    require(actor, Area.ORGANIZATION, write=True, obj=organization)
    group = Group(organization=organization)
    _apply(group, fields, GROUP_FIELDS)
    if Group.objects.filter(
        organization=organization, name__iexact=group.name, archived_at__isnull=True
    ).exists():
        raise ValidationError({"name": "Группа с таким названием уже есть."})
    group.save()
    audit.record(
        actor, AuditRecord.Action.CREATE, group, changes=audit.snapshot(group, GROUP_FIELDS)
    )
    return group


@transaction.atomic
def group_update(*, actor: Actor, group: Group, **fields) -> Group:
    """Change a group's name, category, orientation, regime, capacity or room."""
    require(actor, Area.ORGANIZATION, write=True, obj=group)
    changes = _apply(group, fields, GROUP_FIELDS)
    if (
        "name" in fields
        and Group.objects.filter(
            organization=group.organization, name__iexact=group.name, archived_at__isnull=True
        )
        .exclude(pk=group.pk)
        .exists()
    ):
        raise ValidationError({"name": "Группа с таким названием уже есть."})
    group.save()
    if changes:
        audit.record(actor, AuditRecord.Action.UPDATE, group, changes=changes)
    return group


@transaction.atomic
def group_archive(*, actor: Actor, group: Group) -> Group:
    """Archive a group (its history stays; it leaves lists and selection)."""
    require(actor, Area.ORGANIZATION, write=True, obj=group)
    group.archived_at = timezone.now()
    group.save(update_fields=["archived_at", "updated_at"])
    audit.record(actor, AuditRecord.Action.ARCHIVE, group)
    return group


def academic_year_for(organization: Organization, day: dt.date) -> AcademicYear | None:
    """The academic year of `organization` that contains `day`, if it exists."""
    return AcademicYear.objects.filter(
        organization=organization, start__lte=day, end__gte=day
    ).first()


@transaction.atomic
def academic_year_open(
    *, actor: Actor, organization: Organization, start_year: int, make_current: bool = False
) -> AcademicYear:
    """Create the academic year 1 September `start_year` – 31 August next year (idempotent)."""
    require(actor, Area.ORGANIZATION, write=True, obj=organization)
    start, end = dt.date(start_year, 9, 1), dt.date(start_year + 1, 8, 31)
    year, created = AcademicYear.objects.get_or_create(
        organization=organization, start=start, defaults={"end": end}
    )
    if make_current and not year.is_current:
        AcademicYear.objects.filter(organization=organization, is_current=True).update(
            is_current=False
        )
        year.is_current = True
        year.save(update_fields=["is_current", "updated_at"])
    if created:
        audit.record(actor, AuditRecord.Action.CREATE, year, object_repr=year.title)
    return year


@transaction.atomic
def calendar_override_set(
    *, actor: Actor, organization: Organization, date: dt.date, kind: str, reason: str
) -> CalendarOverride:
    """Mark a date of one organization as working / non-working (closure) / shortened."""
    require(actor, Area.ORGANIZATION, write=True, obj=organization)
    if not reason.strip():
        raise ValidationError({"reason": "Укажите причину (например, карантин, ремонт)."})
    if kind not in CalendarOverride.Kind.values:
        raise ValidationError({"kind": "Неизвестный вид дня."})
    from .calendar import federal_is_working_day

    if kind == CalendarOverride.Kind.SHORTENED and not federal_is_working_day(date):
        raise ValidationError(
            {
                "kind": (
                    f"{date:%d.%m.%Y} — выходной или праздничный день; сокращённым может быть только рабочий "
                    "день. Чтобы сделать его рабочим, выберите «рабочий день»."
                )
            }
        )
    try:
        override, created = CalendarOverride.objects.update_or_create(
            organization=organization, date=date, defaults={"kind": kind, "reason": reason.strip()}
        )
    except IntegrityError as exc:  # pragma: no cover - constraint guard
        raise ValidationError("Не удалось сохранить день календаря.") from exc
    audit.record(
        actor,
        AuditRecord.Action.CREATE if created else AuditRecord.Action.UPDATE,
        override,
        changes={"date": date, "kind": override.get_kind_display(), "reason": reason},
    )
    return override


@transaction.atomic
def calendar_override_delete(*, actor: Actor, override: CalendarOverride) -> None:
    """Remove an organization's calendar override (the federal calendar applies again)."""
    require(actor, Area.ORGANIZATION, write=True, obj=override)
    audit.record(
        actor,
        AuditRecord.Action.DELETE,
        override,
        changes={"date": override.date, "kind": override.get_kind_display()},
    )
    override.delete()


def month_closing_reopen(
    *, actor: Actor, organization: Organization, closing, reason: str, changes: dict, note: str
) -> None:
    """Mark a closed month (`MonthClosing` of any kind: attendance, fees) reopened.

    The caller checks its own right and that the month is closed; this writes who, when and
    why on the closing row and one audit record (`changes`, `note`). A reopened month accepts
    edits again until it is closed anew. `reason` is stored up to 500 characters.
    """
    closing.reopened_at = timezone.now()
    closing.reopened_by = actor.user if getattr(actor.user, "pk", None) else None
    closing.reopen_reason = reason[:500]
    closing.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    audit.record(
        actor,
        AuditRecord.Action.ACTION,
        closing,
        organization=organization,
        changes=changes,
        note=note,
    )
