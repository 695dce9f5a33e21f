"""The audit trail pages: who changed what, when, from where (head, coordinator, sysadmin).

Read-only by construction: the pages only list and export; AuditRecord refuses updates
and deletes, and the Django admin shows it read-only. Filters: person, object, period,
kind of object and action. XLSX export takes the same filters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.shortcuts import render
from django.utils import timezone

from .access import Actor, require, scoped
from .documents import XLSX, download, workbook_bytes
from .forms import DateInput
from .models import AuditRecord
from .permissions import Area

PAGE_SIZE = 100
EXPORT_LIMIT = 50_000


class AuditFilterForm(forms.Form):
    who = forms.CharField(label="Кто", required=False)
    user = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="Вид объекта", required=False)
    object_id = forms.CharField(label="№ объекта", required=False, max_length=64)
    q = forms.CharField(label="Объект", required=False)
    action = forms.ChoiceField(
        label="Действие", required=False, choices=[("", "все"), *AuditRecord.Action.choices]
    )
    start = forms.DateField(label="С", required=False, widget=DateInput())
    end = forms.DateField(label="По", required=False, widget=DateInput())

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "все"), *[(k, kind_label(k)) for k in kinds]]


# Kinds of records that are not a model (services pass ``kind=``), in Russian.
KIND_LABELS = {"movement.children_import": "загрузка списка детей"}

# Keys services write into ``changes`` that are not a field of the record's model: a person
# reading the trail sees Russian words, not identifiers («legal», «guardians_created»).
CHANGE_LABELS = {
    "file": "файл",
    "filename": "файл",
    "children": "добавлено детей",
    "existing": "уже были в системе",
    "skipped_with_errors": "строк с ошибками",
    "guardians_created": "родителей добавлено",
    "guardians_linked": "родителей найдено",
    "accounts": "лицевых счетов",
    "enrollments": "зачислений",
    "order": "приказ",
    "initial_data": "начальные данные",
    "legal": "законный представитель",
    "relation": "кем приходится",
    "start": "с",
    "end": "по",
    "reason": "причина",
    "days": "дней",
    "cancelled": "отменено",
    "state": "состояние",
    "unmarked": "не отмечено",
    "kind": "вид",
    "amount": "сумма",
    "on": "дата",
    "status": "состояние",
    "reversed_by": "сторнирующая запись №",
    "closed": "закрыт",
    "valid_to": "действует по",
    "entries": "проводок",
    "account": "лицевой счёт",
    "paid_on": "дата оплаты",
    "signed_at": "подписан",
    "signed_by": "подписал",
    "withdrawn_on": "отозвано",
    "role": "роль",
    "number": "номер",
    "date": "дата",
    "name": "название",
    "percent": "процент",
}


@cache
def kind_label(kind: str) -> str:
    """«воспитанник» for ``people.child``; a Russian name (KIND_LABELS) or the kind itself
    when it is not a model."""
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    try:
        return str(apps.get_model(kind)._meta.verbose_name)
    except (LookupError, ValueError):
        if kind.startswith("url."):
            return "страница"
        return kind


def _model_field(kind: str, name: str):
    try:
        return apps.get_model(kind)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):  # not a model, or not its field
        return None


@cache
def field_label(kind: str, name: str) -> str:
    """The verbose name of the model's field, else CHANGE_LABELS, else the key itself."""
    field = _model_field(kind, name)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return CHANGE_LABELS.get(name, name)


def _choice_text(kind: str, name: str, value):
    """A stored choice key («M») shown as its label («мужской»); other values unchanged."""
    field = _model_field(kind, name)
    if field is None or not getattr(field, "choices", None) or isinstance(value, (list, dict)):
        return value
    try:
        return dict(field.flatchoices).get(value, value)
    except TypeError:  # an unhashable value
        return value


@dataclass
class Change:
    field: str
    old: object = None
    new: object = None
    is_pair: bool = True


def changes_of(record: AuditRecord) -> list[Change]:
    """The record's changes as labelled rows: [old, new] pairs, or plain values."""
    rows = []
    for name, value in (record.changes or {}).items():
        label = field_label(record.kind, name)
        if isinstance(value, list) and len(value) == 2:
            old, new = (_choice_text(record.kind, name, v) for v in value)
            rows.append(Change(label, _text(old), _text(new)))
        else:
            rows.append(
                Change(label, new=_text(_choice_text(record.kind, name, value)), is_pair=False)
            )
    return rows


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "да"
    if value is False:
        return "нет"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "—"
    return str(value)


def audit_records(actor: Actor, filters: dict) -> QuerySet[AuditRecord]:
    """Records the actor may read, filtered (see AuditFilterForm), newest first."""
    qs = scoped(actor, AuditRecord.objects.all(), Area.AUDIT)
    if filters.get("user"):
        uid = filters["user"]
        qs = qs.filter(Q(actor_id=uid) | Q(kind="accounts.user", object_id=str(uid)))
    if filters.get("who"):
        qs = qs.filter(actor_name__icontains=filters["who"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("object_id"):
        qs = qs.filter(object_id=filters["object_id"])
    if filters.get("q"):
        qs = qs.filter(object_repr__icontains=filters["q"])
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    tz = timezone.get_current_timezone()
    if filters.get("start"):
        qs = qs.filter(at__gte=dt.datetime.combine(filters["start"], dt.time.min, tzinfo=tz))
    if filters.get("end"):
        qs = qs.filter(
            at__lt=dt.datetime.combine(
                filters["end"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz
            )
        )
    return qs.order_by("-at", "-id")


def _form(request, actor: Actor) -> tuple[AuditFilterForm, dict]:
    kinds = (
        scoped(actor, AuditRecord.objects.all(), Area.AUDIT)
        .order_by("kind")
        .values_list("kind", flat=True)
        .distinct()
    )
    form = AuditFilterForm(
        request.GET or None, kinds=[k for k in kinds if not k.startswith("url.")]
    )
    return form, (form.cleaned_data if form.is_valid() else {})


@login_required
def audit_list(request):
    actor = request.actor
    require(actor, Area.AUDIT)
    form, filters = _form(request, actor)
    page = Paginator(audit_records(actor, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(r, kind_label(r.kind), changes_of(r)) for r in page.object_list]
    return render(
        request,
        "core/audit_list.html",
        {"form": form, "page_obj": page, "rows": rows, "query": request.GET.urlencode()},
    )


@login_required
def audit_export(request):
    """The filtered records as XLSX (at most EXPORT_LIMIT rows)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    actor = request.actor
    require(actor, Area.AUDIT)
    _, filters = _form(request, actor)
    wb = Workbook()
    ws = wb.active
    ws.title = "Журнал изменений"
    header = [
        "Когда",
        "Кто",
        "IP-адрес",
        "Действие",
        "Вид объекта",
        "Объект",
        "№",
        "Изменения",
        "Примечание",
    ]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    tz = timezone.get_current_timezone()
    for r in audit_records(actor, filters)[:EXPORT_LIMIT].iterator(chunk_size=2000):
        changes = "\n".join(
            f"{c.field}: {c.old} → {c.new}" if c.is_pair else f"{c.field}: {c.new}"
            for c in changes_of(r)
        )
        ws.append(
            [
                r.at.astimezone(tz).replace(tzinfo=None),
                r.actor_name,
                r.ip or "",
                r.get_action_display(),
                kind_label(r.kind),
                r.object_repr,
                r.object_id,
                changes,
                r.note,
            ]
        )
    for col, width in zip("ABCDEFGHI", (18, 28, 15, 14, 22, 36, 8, 60, 30), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        row[0].number_format = "DD.MM.YYYY HH:MM"
        row[7].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    return download(workbook_bytes(wb), f"журнал-изменений-{actor.today:%Y-%m-%d}.xlsx", XLSX)
