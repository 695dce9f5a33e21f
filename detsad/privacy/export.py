"""«Personal data of this child»: everything the system holds about a child, for a subject
access request (152-FZ art. 14), as JSON and as a PDF.

The document is a list of sections, each a title and rows of (label, value). This module
writes the sections of the personal file, guardians, consents and the movement book; a
later app adds its own (attendance, fees) by defining ``personal_data.py`` with
``sections(actor, child) -> list[Section]`` — found through core.registry, never imported.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.utils import timezone

from detsad.core import audit
from detsad.core.access import Actor, scoped
from detsad.core.documents import render_pdf
from detsad.core.models import AuditRecord
from detsad.core.permissions import Area, Scope
from detsad.core.registry import app_modules

from .models import Consent


def can_export(actor: Actor) -> bool:
    """The operator's staff with the whole organization in scope, and the child's parents."""
    return bool(actor.scope_of(Area.CHILDREN) & {Scope.ORG, Scope.OWN_CHILDREN})


@dataclass
class Section:
    title: str
    rows: list[list[tuple[str, str]]] = field(default_factory=list)  # records of (label, value)


def _value(obj, name: str) -> str:
    f = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value is True or value is False:
        return "да" if value else "нет"
    if value in (None, ""):
        return "—"
    if f.choices:
        value = getattr(obj, f"get_{name}_display")()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _record(obj, names: list[str]) -> list[tuple[str, str]]:
    return [(str(obj._meta.get_field(n).verbose_name), _value(obj, n)) for n in names]


def sections(actor: Actor, child) -> list[Section]:
    """The sections of this app and of every app with ``personal_data.sections``."""
    from detsad.movement.selectors import child_history
    from detsad.people.models import ChildGuardian
    from detsad.people.selectors import guardian_contacts_visible
    from detsad.people.services import CHILD_FIELDS, GUARDIAN_FIELDS

    result = [Section("Личное дело ребёнка", [_record(child, CHILD_FIELDS)])]
    links = scoped(actor, ChildGuardian.objects.filter(child=child), Area.CHILDREN).select_related(
        "guardian"
    )
    result.append(
        Section(
            "Родители (законные представители)",
            [
                [("кем приходится", link.get_relation_display())]
                + (
                    _record(
                        link.guardian, [f for f in GUARDIAN_FIELDS if not f.startswith("consent")]
                    )
                    if guardian_contacts_visible(actor, link.guardian)
                    # a parent's request: the other guardian's own data is theirs to request
                    else [("ФИО", link.guardian.full_name)]
                )
                for link in links
            ],
        )
    )
    consents = Consent.objects.filter(guardian__child_links__child=child).select_related("guardian")
    result.append(
        Section(
            "Согласия на обработку персональных данных",
            [
                [("кто дал", c.guardian.full_name)]
                + _record(c, ["kind", "scope", "given_on", "valid_until", "withdrawn_on"])
                for c in consents.distinct()
                if guardian_contacts_visible(actor, c.guardian)
            ],
        )
    )
    result.append(
        Section(
            "Книга движения",
            [
                [
                    ("дата", e.on.strftime("%d.%m.%Y")),
                    ("запись", e.get_kind_display()),
                    ("группа", str(e.group or "—")),
                    ("основание", str(e.order or "—")),
                ]
                for e in child_history(actor, child)
            ],
        )
    )
    for module in app_modules("personal_data"):
        result.extend(module.sections(actor, child))
    return result


def document(actor: Actor, child) -> dict:
    """The JSON-ready document; records the access in the audit trail."""
    data = {
        "document": "Персональные данные воспитанника",
        "organization": str(child.organization),
        "child": child.full_name,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "generated_by": actor.name,
        "sections": [
            {"title": s.title, "records": [dict(r) for r in s.rows]} for s in sections(actor, child)
        ],
    }
    audit.record(actor, AuditRecord.Action.ACCESS, child, note="выгрузка персональных данных")
    return data


def as_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def as_pdf(data: dict) -> bytes:
    return render_pdf("privacy/personal_data_pdf.html", {"data": data})
