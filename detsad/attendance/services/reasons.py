"""The municipality's list of absence reasons, edited by a coordinator (issue 4 item 2).

Codes appear in the timesheet 0504608 (FACTS.md §2): the standard set is Б (illness),
О (parents' vacation), К (quarantine), Р (kindergarten closed / repair), С (sanatorium),
У (other valid reason) — all «засчитываемые» (valid, not billed) — and Н (no valid
reason). «В» is reserved: the timesheet prints it on weekends and holidays.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from detsad.core import audit
from detsad.core.access import Actor
from detsad.core.models import AuditRecord, Municipality

from ..models import AbsenceReason, AttendanceMark
from .common import can_manage

REASON_FIELDS = ["code", "name", "is_valid", "is_illness", "for_parents", "ordering", "is_active"]
RESERVED_CODES = {"В"}
CODE_RE = re.compile(r"^[А-ЯЁA-Z]{1,3}$")

#: The standard list seeded for a new municipality: code, name, valid, illness, parents.
STANDARD_REASONS = [
    ("Б", "Болезнь ребёнка", True, True, True),
    ("О", "Отпуск или отгул родителей", True, False, True),
    ("К", "Карантин", True, False, False),
    ("Р", "Детский сад закрыт (ремонт, аварийные работы)", True, False, False),
    ("С", "Санаторно-курортное лечение", True, False, True),
    ("У", "Другая уважительная причина", True, False, True),
    ("Н", "Без уважительной причины", False, False, False),
]


def _require(actor: Actor, municipality_id: int) -> None:
    if not can_manage(actor) or actor.municipality is None:
        raise PermissionDenied("Справочник причин отсутствия ведёт координатор.")
    if actor.municipality.pk != municipality_id:
        raise PermissionDenied("Недостаточно прав.")


def _clean(data: dict, municipality_id: int, exclude_pk: int | None = None) -> dict:
    data = dict(data)
    if "code" in data:
        code = (data["code"] or "").strip().upper()
        if not CODE_RE.match(code):
            raise ValidationError({"code": "Код: одна–три заглавные буквы, например «Б»."})
        if code in RESERVED_CODES:
            raise ValidationError({"code": "Код «В» занят: так в табеле отмечаются выходные."})
        taken = AbsenceReason.objects.filter(municipality_id=municipality_id, code=code)
        if exclude_pk:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            raise ValidationError({"code": f"Причина с кодом «{code}» уже есть."})
        data["code"] = code
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
        if not data["name"]:
            raise ValidationError({"name": "Укажите наименование причины."})
    return data


@transaction.atomic
def absence_reason_create(*, actor: Actor, municipality: Municipality, **fields) -> AbsenceReason:
    """Add a reason to the municipality's list. Raises ValidationError / PermissionDenied."""
    _require(actor, municipality.pk)
    data = _clean({k: v for k, v in fields.items() if k in REASON_FIELDS}, municipality.pk)
    reason = AbsenceReason.objects.create(municipality=municipality, **data)
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        reason,
        organization=actor.organization,
        changes=audit.snapshot(reason, REASON_FIELDS),
    )
    return reason


@transaction.atomic
def absence_reason_update(*, actor: Actor, reason: AbsenceReason, **fields) -> AbsenceReason:
    """Change a reason. Its code is fixed once marks use it (printed timesheets keep it);
    retire a reason with ``is_active=False`` instead of deleting it."""
    _require(actor, reason.municipality_id)
    data = {k: v for k, v in fields.items() if k in REASON_FIELDS}
    if "code" in data and (data["code"] or "").strip().upper() == reason.code:
        data.pop("code")
    if "code" in data and AttendanceMark.objects.filter(reason=reason).exists():
        raise ValidationError({"code": "Код уже используется в отметках: его нельзя изменить."})
    data = _clean(data, reason.municipality_id, exclude_pk=reason.pk)
    before = audit.snapshot(reason, REASON_FIELDS)
    for name, value in data.items():
        setattr(reason, name, value)
    reason.save()
    changes = audit.diff(before, audit.snapshot(reason, REASON_FIELDS))
    if changes:
        audit.record(
            actor,
            AuditRecord.Action.UPDATE,
            reason,
            organization=actor.organization,
            changes=changes,
        )
    return reason


def absence_reasons_seed(municipality: Municipality) -> list[AbsenceReason]:
    """Create the standard list for a municipality that has none (setup and demo data;
    no actor: reference data, not a person's change). Idempotent."""
    existing = set(
        AbsenceReason.objects.filter(municipality=municipality).values_list("code", flat=True)
    )
    rows = [
        AbsenceReason(
            municipality=municipality,
            code=code,
            name=name,
            is_valid=valid,
            is_illness=illness,
            for_parents=parents,
            ordering=(i + 1) * 10,
        )
        for i, (code, name, valid, illness, parents) in enumerate(STANDARD_REASONS)
        if code not in existing
    ]
    AbsenceReason.objects.bulk_create(rows)
    return list(AbsenceReason.objects.filter(municipality=municipality))
