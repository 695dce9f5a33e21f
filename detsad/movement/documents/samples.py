"""Sample data an uploaded template is tried with before it is kept (and the list of
keys the guide shows): the same shape `order_context` / `contract_context` return."""

from __future__ import annotations

from .common import head_context, org_context

SAMPLE_ITEM = {
    "n": 1,
    "kind": "enroll",
    "text": "Зачислить Иванова Ивана Ивановича, 05.03.2022 г. р., в младшую группу «Солнышко» "
    "общеразвивающей направленности с 01.09.2025.",
    "basis": "Основание: заявление родителя (законного представителя).",
    "child": "Иванов Иван Иванович",
    "child_acc": "Иванова Ивана Ивановича",
    "child_gen": "Иванова Ивана Ивановича",
    "birth_date": "05.03.2022",
    "group": "младшая группа «Солнышко»",
    "group_acc": "младшую группу «Солнышко»",
    "group_gen": "младшей группы «Солнышко»",
    "from_group": "",
    "from_group_gen": "",
    "on": "01.09.2025",
    "reason": "",
    "destination": "",
    "referral": "",
    "contract": "",
}


def sample_context(organization, kind: str) -> dict:
    """A filled context for `organization` and a DocumentTemplate.Kind value."""
    common = {"org": org_context(organization), "head": head_context(organization)}
    if kind == "contract":
        return {
            **common,
            "contract": {
                "number": "1",
                "date": "01.09.2025",
                "date_text": "«01» сентября 2025 г.",
                "place": "",
                "programme": "Образовательная программа дошкольного образования",
                "form": "очная",
                "study_term": "4 года",
                "regime": "полного дня (10,5–12 ч)",
                "orientation": "общеразвивающая",
                "orientation_gen": "общеразвивающей направленности",
            },
            "guardian": {
                "name": "Иванова Мария Петровна",
                "named": "именуемая",
                "acting": "действующая",
                "authority": "",
                "phone": "+79000000000",
                "email": "",
                "address": "",
                "passport": "",
            },
            "child": {
                "minor": "несовершеннолетнего",
                "living": "проживающего",
                "named": "именуемого",
                "name": "Иванов Иван Иванович",
                "name_gen": "Иванова Ивана Ивановича",
                "birth_date": "05.03.2022",
                "address": "",
            },
        }
    return {
        **common,
        "order": {
            "number": "1-в",
            "date": "01.09.2025",
            "date_text": "«01» сентября 2025 г.",
            "title": "О зачислении воспитанников",
            "kind": "enroll",
            "kind_label": "о зачислении",
            "label": "№ 1-в от 01.09.2025",
        },
        "items": [SAMPLE_ITEM],
        "signed": False,
        "signed_by": "",
        "signed_at": "",
    }
