"""The education contract (model form of Minobrnauki order No. 8 of 13.01.2014, FACTS.md
§8) as DOCX (the organization's template or ours) and PDF (our layout).

Header: the organization with its licence, «в лице заведующего <genitive>», the parent
(«Заказчик», nominative, «именуемая»/«именуемый» by gender), «в интересах
несовершеннолетнего <child, genitive>», birth date and address. Sections 1–6 as in the
model form; section 1 carries the programme, form of study, term, regime and orientation.
"""

from __future__ import annotations

from detsad.core.models import Orientation, Regime

from ..models import DocumentTemplate, EducationContract
from .common import d, date_text, file_part, head_context, org_context, town_of
from .declension import ORIENTATION_GEN, gender_of, person_in
from .render import render_docx_sandboxed, template_for
from .texts import CONTRACT_PARAGRAPHS, render_paragraphs

TITLE = "Договор об образовании"


def _relation(contract: EducationContract) -> str:
    if not contract.guardian_id:
        return ""
    for link in contract.child.guardian_links.all():
        if link.guardian_id == contract.guardian_id:
            return link.relation
    return ""


def contract_context(contract: EducationContract) -> dict:
    """Context of our contract template and the organization's (keys in the guide)."""
    child = contract.child
    guardian = contract.guardian
    relation = _relation(contract)
    female = guardian is not None and gender_of(guardian, relation).name == "FEMALE"
    girl = child.sex == "F"
    regime = Regime(contract.regime).label if contract.regime else ""
    orientation = Orientation(contract.orientation).label if contract.orientation else ""
    passport = ""
    if guardian and (guardian.passport_series or guardian.passport_number):
        passport = f"паспорт {guardian.passport_series} № {guardian.passport_number}".replace(
            "  ", " "
        )
        if guardian.passport_issued_by:
            passport += f", выдан {guardian.passport_issued_by}"
        if guardian.passport_issued_on:
            passport += f" {d(guardian.passport_issued_on)}"
    return {
        "org": org_context(contract.organization),
        "head": head_context(contract.organization),
        "contract": {
            "number": contract.number,
            "date": d(contract.date),
            "date_text": date_text(contract.date),
            "place": contract.place or town_of(contract.organization.address),
            "programme": contract.programme,
            "form": "очная",
            "study_term": contract.study_term,
            "regime": regime,
            "orientation": orientation,
            "orientation_gen": ORIENTATION_GEN.get(contract.orientation, "")
            or "общеразвивающей направленности",
        },
        "guardian": {
            "name": guardian.full_name if guardian else "",
            "named": "именуемая" if female else "именуемый",
            "acting": "действующая" if female else "действующий",
            "authority": contract.guardian_authority,
            "phone": guardian.phone if guardian else "",
            "email": guardian.email if guardian else "",
            "address": (guardian.address if guardian else "") or child.address,
            "passport": passport,
        },
        "child": {
            "minor": "несовершеннолетней" if girl else "несовершеннолетнего",
            "living": "проживающей" if girl else "проживающего",
            "named": "именуемой" if girl else "именуемого",
            "name": child.full_name,
            "name_gen": person_in(child, "gen"),
            "birth_date": d(child.birth_date),
            "address": child.address,
        },
    }


def contract_docx(contract: EducationContract) -> bytes:
    template, _own = template_for(contract.organization, DocumentTemplate.Kind.CONTRACT)
    return render_docx_sandboxed(template, contract_context(contract))


def contract_pdf(contract: EducationContract) -> bytes:
    from detsad.core.documents import render_pdf

    return render_pdf(
        "movement/docs/paragraphs.html",
        {
            "title": TITLE,
            "paragraphs": render_paragraphs(CONTRACT_PARAGRAPHS, contract_context(contract)),
        },
    )


def contract_filename(contract: EducationContract, ext: str) -> str:
    number = file_part(contract.number)
    return f"Договор № {number} от {contract.date:%d.%m.%Y}.{ext}"
