"""Pages of the children import: upload → preview (a dry run) → confirm → result.

The coordinator and the HR specialist (write rights on personal files *and* the movement
book) upload an XLSX/CSV list with the order details and the «only valid rows» choice.
The preview is a full dry run of the import (`children_import(dry_run=True)`); the file
waits as a temporary file with a random name (`detsad.core.pending_uploads`, bound to the
user and the organization) and the session keeps only its one-time token. When the user
confirms, the import runs again for real, so nothing stale is written; the file is removed
after the commit, when the user leaves the preview for the upload form (cancel), when a new
file is uploaded, or after a day.
"""

from __future__ import annotations

import datetime as dt
import secrets

import openpyxl
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from detsad.core.access import require
from detsad.core.documents import XLSX, download, workbook_bytes
from detsad.core.forms import DateInput
from detsad.core.pending_uploads import pending_discard, pending_load, pending_save
from detsad.core.permissions import Area
from detsad.people.importing import MAX_BYTES, check_upload

from .children_import import ImportOptions, ImportReport, children_import

SESSION_KEY = "movement_children_import"
RESULT_KEY = "movement_children_import_done"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Список детей (.xlsx или .csv)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=f"Не больше {MAX_BYTES // 1024 // 1024} МБ.",
    )
    basis = forms.ChoiceField(
        label="Основание зачисления",
        choices=[
            ("order", "приказ о зачислении"),
            ("initial", "начальные данные (история до внедрения системы)"),
        ],
        initial="order",
        widget=forms.RadioSelect,
    )
    order_number = forms.CharField(label="Номер приказа", required=False, max_length=30)
    order_date = forms.DateField(label="Дата приказа", required=False, widget=DateInput())
    valid_only = forms.BooleanField(
        label="Если в файле будут ошибки — загрузить только строки без ошибок",
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload.name, upload.size)
        return upload

    def clean(self):
        data = super().clean()
        if data.get("basis") == "order":
            if not (data.get("order_number") or "").strip():
                self.add_error("order_number", "Укажите номер приказа о зачислении.")
            if not data.get("order_date") and "order_date" not in self.errors:
                self.add_error("order_date", "Укажите дату приказа.")
        return data

    def options(self) -> ImportOptions:
        data = self.cleaned_data
        initial = data["basis"] == "initial"
        return ImportOptions(
            order_number="" if initial else data["order_number"].strip(),
            order_date=None if initial else data["order_date"],
            initial_data=initial,
            valid_only=data["valid_only"],
        )


def _require(actor) -> None:
    require(actor, Area.CHILDREN, write=True)
    require(actor, Area.MOVEMENT, write=True)
    if actor.organization is None:
        raise PermissionDenied("Выберите детский сад.")


def _discard_pending(request) -> None:
    token = request.session.pop(SESSION_KEY, None)
    if isinstance(token, str):
        pending_discard(token)


def _store(request, content: bytes, name: str, options: ImportOptions) -> str:
    """Keep the uploaded file until the confirmation; the session gets only the token."""
    _discard_pending(request)
    token = pending_save(
        content,
        {
            "user": request.user.pk,
            "organization": request.actor.organization.pk,
            "name": name,
            "options": {
                "order_number": options.order_number,
                "order_date": options.order_date.isoformat() if options.order_date else "",
                "initial_data": options.initial_data,
                "valid_only": options.valid_only,
            },
        },
    )
    request.session[SESSION_KEY] = token
    return token


def _pending(request) -> tuple[bytes, dict] | None:
    """The waiting file of this user's preview when the posted token is the session's one
    and the file belongs to this user and the active organization."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str) or not secrets.compare_digest(
        token, request.POST.get("token", "")
    ):
        return None
    found = pending_load(token)
    if found is None:
        return None
    content, meta = found
    if meta.get("user") != request.user.pk or (
        meta.get("organization") != request.actor.organization.pk
    ):
        return None
    return content, meta | {"token": token}


def _preview(request, report: ImportReport, token: str, status: int = 200):
    return render(
        request,
        "movement/import_preview.html",
        {"report": report, "counts": report.counts, "token": token},
        status=status,
    )


@login_required
def children_import_page(request):
    """Upload form (GET), preview of an uploaded file (POST), confirmation (POST step=confirm)."""
    actor = request.actor
    _require(actor)
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request)
    if request.method == "GET":
        _discard_pending(request)  # back to the form from a preview = cancel
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(MAX_BYTES + 1)
        options = form.options()
        try:
            report = children_import(
                actor=actor,
                organization=actor.organization,
                content=content,
                filename=upload.name,
                options=options,
                dry_run=True,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else "file", errors)
            else:
                form.add_error("file", exc.messages)
        else:
            return _preview(request, report, _store(request, content, upload.name, options))
    return render(request, "movement/import_upload.html", {"form": form})


def _confirm(request):
    actor = request.actor
    found = _pending(request)
    if found is None:
        messages.error(
            request,
            "Предпросмотр устарел или список уже загружен. Выберите файл и загрузите его снова.",
        )
        return redirect("movement:children_import")
    content, pending = found
    saved = pending["options"]
    options = ImportOptions(
        order_number=saved["order_number"],
        order_date=dt.date.fromisoformat(saved["order_date"]) if saved["order_date"] else None,
        initial_data=saved["initial_data"],
        valid_only=saved["valid_only"],
        confirm_over_capacity=request.POST.get("confirm_over_capacity") == "1",
        correction_reason=request.POST.get("correction_reason", "").strip()[:300],
    )
    try:
        report = children_import(
            actor=actor,
            organization=actor.organization,
            content=content,
            filename=pending["name"],
            options=options,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("movement:children_import")
    if not report.committed:
        messages.error(request, "Ничего не записано: исправьте ошибки или подтвердите загрузку.")
        return _preview(request, report, pending["token"], status=422)
    _discard_pending(request)
    request.session[RESULT_KEY] = {
        "name": pending["name"],
        "counts": report.counts,
        "per_group": report.per_group,
        "order": report.order_text,
        "order_reused": report.order_reused,
        "initial": report.initial_text,
        "warnings": report.warnings,
        "corrections": report.closed_month_warnings,
        "correction_reason": options.correction_reason,
        "skipped": [str(f) for f in report.faults],
    }
    messages.success(request, f"Список загружен: добавлено детей — {report.counts['children']}.")
    return redirect("movement:children_import_done")


@login_required
@require_GET
def children_import_done(request):
    """The result of the user's last import (kept in the session)."""
    _require(request.actor)
    result = request.session.get(RESULT_KEY)
    if not result:
        return redirect("movement:children_import")
    return render(request, "movement/import_done.html", {"result": result})


TEMPLATE_COLUMNS = [
    ("№ п/п", ""),
    ("Фамилия", "обязательно"),
    ("Имя", "обязательно"),
    ("Отчество", ""),
    ("Дата рождения", "обязательно; ДД.ММ.ГГГГ или дата Excel"),
    ("Пол", "обязательно; М или Ж"),
    ("Свидетельство о рождении: серия", "например IV-АГ"),
    ("Свидетельство о рождении: номер", "например 123456"),
    ("СНИЛС", "123-456-789 01"),
    ("Адрес проживания", ""),
    ("Группа", "«Солнышко» или «Младшая группа «Солнышко»»"),
    ("Дата зачисления", "ДД.ММ.ГГГГ"),
    ("Лицевой счёт", ""),
    ("Мать: ФИО", ""),
    ("Мать: телефон", "+7 900 000-00-00"),
    ("Мать: e-mail", ""),
    ("Отец: ФИО", ""),
    ("Отец: телефон", ""),
    ("Отец: e-mail", ""),
]


@login_required
@require_GET
def children_import_template(request):
    """An empty list with the recognised column names and a sheet of explanations."""
    _require(request.actor)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Воспитанники"
    sheet.append([f"Список воспитанников {request.actor.organization.short_name}"])
    sheet.append([])
    sheet.append([title for title, _ in TEMPLATE_COLUMNS])
    for index, (title, _) in enumerate(TEMPLATE_COLUMNS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(
            12, len(title) + 2
        )
    notes = workbook.create_sheet("Пояснения")
    notes.append(["Столбец", "Что писать"])
    for title, hint in TEMPLATE_COLUMNS[1:]:
        notes.append([title, hint or "по желанию"])
    return download(workbook_bytes(workbook), "Список воспитанников.xlsx", XLSX)
