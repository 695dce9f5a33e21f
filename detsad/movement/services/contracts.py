"""Education contracts (договор об образовании, model form of Minobrnauki order No. 8 of
13.01.2014, FACTS.md §8): number, date, the parent who signs, programme, regime and
orientation of the group, the term of study at signing.

The enrollment order follows the contract (273-FZ art. 53: within 3 working days), so a
contract is created first and the enrollment event points to it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from detsad.core import audit
from detsad.core.access import Actor, require
from detsad.core.models import AuditRecord, Group
from detsad.core.permissions import Area
from detsad.people.models import Child, ChildGuardian, Guardian

from ..documents.declension import years_months_phrase
from ..models import EducationContract
from .orders import has_control_characters


def school_start(birth_date: dt.date) -> dt.date:
    """1 September of the year the child goes to school: the first one on which the child
    is at least 6 years 6 months old (273-FZ art. 67 p. 1: school from 6.5 years)."""
    months = birth_date.month - 1 + 78
    year, month = birth_date.year + months // 12, months % 12 + 1
    day = min(birth_date.day, 28)
    six_and_a_half = dt.date(year, month, day)
    first_sept = dt.date(six_and_a_half.year, 9, 1)
    return first_sept if six_and_a_half <= first_sept else dt.date(first_sept.year + 1, 9, 1)


def study_term_for(child: Child, on: dt.date) -> str:
    """Term of study at signing: from `on` to the child's school start, in whole months
    (at least one). E.g. born 05.03.2022, signed 01.09.2025 → school 01.09.2029 → «4 года»;
    born 24.12.2020, signed 09.01.2026 → school 01.09.2027 → «1 год 7 месяцев»."""
    start = school_start(child.birth_date)
    months = (start.year - on.year) * 12 + (start.month - on.month) - (on.day > start.day)
    return years_months_phrase(max(1, months))


@transaction.atomic
def contract_create(
    *,
    actor: Actor,
    child: Child,
    number: str,
    date: dt.date,
    guardian: Guardian | None = None,
    group: Group | None = None,
    programme: str = "",
    regime: str = "",
    orientation: str = "",
    study_term: str = "",
    place: str = "",
    guardian_authority: str = "",
) -> EducationContract:
    """Register a child's education contract.

    `group` (the group the child enrolls into) fills regime and orientation when they are
    not given. The guardian must be linked to the child. Raises ValidationError (Russian,
    per field) for an empty or duplicate number (unique per organization and year), a date
    before the child's birth, or a guardian of another child.
    """
    require(actor, Area.MOVEMENT, write=True, obj=child)
    number = (number or "").strip()
    errors = {}
    if not number:
        errors["number"] = "Укажите номер договора."
    elif has_control_characters(number):
        errors["number"] = (
            "Номер договора содержит недопустимые символы (переводы строк, табуляцию)."
        )
    if date is None:
        errors["date"] = "Укажите дату договора."
    elif date < child.birth_date:
        errors["date"] = "Дата договора раньше даты рождения ребёнка."
    if (
        guardian is not None
        and not ChildGuardian.objects.filter(child=child, guardian=guardian).exists()
    ):
        errors["guardian"] = f"{guardian.full_name} не указан(а) среди родителей ребёнка."
    if group is not None and group.organization_id != child.organization_id:
        errors["group"] = "Группа другой организации."
    if errors:
        raise ValidationError(errors)
    if EducationContract.objects.filter(
        organization_id=child.organization_id, year=date.year, number=number
    ).exists():
        raise ValidationError({"number": f"Договор № {number} за {date.year} год уже есть."})
    contract = EducationContract(
        organization_id=child.organization_id,
        child=child,
        guardian=guardian,
        number=number,
        date=date,
        programme=(programme or "").strip()
        or EducationContract._meta.get_field("programme").default,
        regime=regime or (group.regime if group else ""),
        orientation=orientation or (group.orientation if group else ""),
        study_term=(study_term or "").strip() or study_term_for(child, date),
        place=(place or "").strip(),
        guardian_authority=(guardian_authority or "").strip(),
        author=actor.user if getattr(actor.user, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError:
        raise ValidationError(
            {"number": f"Договор № {number} за {date.year} год уже есть."}
        ) from None
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        contract,
        changes={
            "child": child.full_name,
            "number": number,
            "date": date,
            "guardian": guardian.full_name if guardian else None,
        },
    )
    return contract
