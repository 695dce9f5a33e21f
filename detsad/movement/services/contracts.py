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

from ..documents.declension import years_phrase
from ..models import EducationContract

SCHOOL_AGE = 7


def study_term_for(child: Child, on: dt.date) -> str:
    """Term of study at signing: whole years from `on` to the 1 September after the child
    turns 7 (the usual school start), at least one year. E.g. born 05.03.2022, signed
    01.09.2025 → school on 01.09.2029 → «4 года»."""
    school_year = child.birth_date.year + SCHOOL_AGE
    if (child.birth_date.month, child.birth_date.day) > (9, 1):
        school_year += 1
    school_start = dt.date(school_year, 9, 1)
    years = school_start.year - on.year - ((on.month, on.day) > (9, 1))
    return years_phrase(max(1, years))


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
