"""The order document (приказ): its text with declined names, as DOCX and PDF.

Item texts (FACTS.md §8: number, date, basis, child's name and birth date, group with
orientation, date; withdrawal adds the reason):

- «Зачислить Иванова Ивана Ивановича, 05.03.2022 г. р., в младшую группу «Солнышко»
  общеразвивающей направленности с 01.09.2025.» + the basis (application, contract,
  referral);
- «Перевести Иванова Ивана Ивановича, 05.03.2022 г. р., из младшей группы «Солнышко» в
  старшую группу «Радуга» с 15.01.2026.»;
- «Отчислить Петрову Марию Сергеевну, 14.07.2022 г. р., из младшей группы «Солнышко» в
  связи с переменой места жительства; последний день пребывания — 31.05.2026.»;
- «Отменить запись книги движения «…» (причина: …).» for cancellations.

The DOCX comes from the organization's template of the order's kind when uploaded, else
ours (``doc_templates/order.docx``); the PDF always from our HTML layout.
"""

from __future__ import annotations

import zoneinfo

from django.utils import timezone

from ..models import DocumentTemplate, MovementEvent, Order, WithdrawalReason
from .common import d, date_text, file_part, head_context, org_context
from .declension import group_in, person_in
from .render import render_docx_sandboxed, template_for
from .texts import ORDER_PARAGRAPHS, render_paragraphs

TEMPLATE_KIND = {
    Order.Kind.ENROLL: DocumentTemplate.Kind.ORDER_ENROLL,
    Order.Kind.TRANSFER: DocumentTemplate.Kind.ORDER_TRANSFER,
    Order.Kind.WITHDRAW: DocumentTemplate.Kind.ORDER_WITHDRAW,
}


TITLE = "Приказ"


def _basis(e: MovementEvent) -> str:
    if e.kind != MovementEvent.Kind.ENROLL:
        return ""
    parts = ["заявление родителя (законного представителя)"]
    if e.contract_id:
        parts.append(f"договор об образовании № {e.contract.number} от {d(e.contract.date)}")
    if e.referral_number:
        referral = f"направление № {e.referral_number}"
        if e.referral_date:
            referral += f" от {d(e.referral_date)}"
        parts.append(referral)
    return "Основание: " + ", ".join(parts) + "."


def item_text(e: MovementEvent) -> str:
    """The sentence of one order item (see the module docstring)."""
    child = e.child
    who = f"{person_in(child, 'acc')}, {d(child.birth_date)} г. р.,"
    if e.kind == MovementEvent.Kind.ENROLL:
        return f"Зачислить {who} в {group_in(e.group, 'acc', orientation=True)} с {d(e.on)}."
    if e.kind == MovementEvent.Kind.TRANSFER:
        source = f"из {group_in(e.from_group, 'gen')} " if e.from_group_id else ""
        return f"Перевести {who} {source}в {group_in(e.group, 'acc')} с {d(e.on)}."
    if e.kind == MovementEvent.Kind.WITHDRAW:
        reason = WithdrawalReason.phrase(e.reason, e.reason_text)
        text = f"Отчислить {who} из {group_in(e.group, 'gen')}"
        if reason:
            text += f" {reason}" if reason.startswith(("в связи", "по ")) else f" ({reason})"
        text += f"; последний день пребывания — {d(e.on)}."
        if e.destination:
            went = {"M": "Выбыл", "F": "Выбыла"}.get(child.sex, "Выбыл(а)")
            text += f" {went}: {e.destination}."
        return text
    cancelled = e.cancels
    return f"Отменить запись книги движения «{cancelled}» (причина: {e.reason_text})."


def item_context(n: int, e: MovementEvent) -> dict:
    """One item for templates: the sentence and its parts."""
    child = e.child
    return {
        "n": n,
        "kind": e.kind,
        "text": item_text(e),
        "basis": _basis(e),
        "child": child.full_name,
        "child_acc": person_in(child, "acc"),
        "child_gen": person_in(child, "gen"),
        "birth_date": d(child.birth_date),
        "group": group_in(e.group, "nom") if e.group_id else "",
        "group_acc": group_in(e.group, "acc") if e.group_id else "",
        "group_gen": group_in(e.group, "gen") if e.group_id else "",
        "from_group": group_in(e.from_group, "nom") if e.from_group_id else "",
        "from_group_gen": group_in(e.from_group, "gen") if e.from_group_id else "",
        "on": d(e.on),
        "reason": WithdrawalReason.phrase(e.reason, e.reason_text) if e.reason else "",
        "destination": e.destination,
        "referral": e.referral_number,
        "contract": str(e.contract) if e.contract_id else "",
    }


def _local_date(moment, organization):
    """The date of a stored moment (UTC) in the municipality's time zone, or None."""
    if moment is None:
        return None
    tz_name = organization.municipality.time_zone if organization.municipality_id else ""
    tz = zoneinfo.ZoneInfo(tz_name) if tz_name else timezone.get_current_timezone()
    return timezone.localtime(moment, tz).date()


def order_context(order: Order, events: list[MovementEvent]) -> dict:
    """The context our templates and the organization's get (keys listed in the guide)."""
    organization = order.organization
    signer = ""
    if order.signed_by_id:
        signer = order.signed_by.get_full_name() or order.signed_by.get_username()
    return {
        "org": org_context(organization),
        "head": head_context(organization),
        "order": {
            "number": order.number,
            "date": d(order.date),
            "date_text": date_text(order.date),
            "title": order.title,
            "kind": order.kind,
            "kind_label": order.get_kind_display(),
            "label": order.label,
        },
        "items": [item_context(n, e) for n, e in enumerate(events, start=1)],
        "signed": order.is_signed,
        "signed_by": signer,
        "signed_at": d(_local_date(order.signed_at, organization)),
    }


def order_docx(order: Order, events: list[MovementEvent]) -> bytes:
    """The order as DOCX from the organization's template of its kind (or ours)."""
    kind = TEMPLATE_KIND.get(order.kind, DocumentTemplate.Kind.ORDER_OTHER)
    template, _own = template_for(order.organization, kind)
    return render_docx_sandboxed(template, order_context(order, events))


def order_pdf(order: Order, events: list[MovementEvent]) -> bytes:
    """The order as PDF (our layout, A4)."""
    from detsad.core.documents import render_pdf

    return render_pdf(
        "movement/docs/paragraphs.html",
        {
            "title": TITLE,
            "paragraphs": render_paragraphs(ORDER_PARAGRAPHS, order_context(order, events)),
        },
    )


def order_filename(order: Order, ext: str) -> str:
    number = file_part(order.number)
    return f"Приказ № {number} от {order.date:%d.%m.%Y}.{ext}"
