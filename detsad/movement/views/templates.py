"""The organization's own DOCX templates of orders and the contract: list, upload,
download (ours or the current one), remove."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from detsad.core.access import get_scoped_or_404, require, scoped
from detsad.core.documents import DOCX, download
from detsad.core.permissions import Area
from detsad.core.views import apply_validation_error

from .. import services
from ..documents.render import default_template, template_for
from ..documents.samples import SAMPLE_ITEM
from ..forms import TemplateUploadForm
from ..models import DocumentTemplate


def _start(request):
    actor = request.actor
    require(actor, Area.MOVEMENT, write=True)
    if actor.organization is None:
        raise PermissionDenied("Выберите организацию.")
    return actor


@login_required
def template_list(request):
    actor = _start(request)
    own = {
        t.kind: t
        for t in scoped(actor, DocumentTemplate.objects.all(), Area.MOVEMENT)
        .filter(organization=actor.organization)
        .select_related("uploaded_by")
        .defer("content")
    }
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_template_upload(
                actor=actor,
                organization=actor.organization,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=upload.read(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Шаблон загружен: документы этого вида строятся по нему.")
            return redirect("movement:template_list")
    kinds = [(kind, label, own.get(kind)) for kind, label in DocumentTemplate.Kind.choices]
    return render(
        request,
        "movement/template_list.html",
        {"form": form, "kinds": kinds, "item_keys": list(SAMPLE_ITEM)},
    )


def _kind(request) -> str:
    kind = request.GET.get("kind", "")
    if kind not in DocumentTemplate.Kind.values:
        raise Http404("Нет такого вида документа")
    return kind


@login_required
def template_default(request):
    _start(request)
    kind = _kind(request)
    return download(
        default_template(kind), f"Шаблон — {DocumentTemplate.Kind(kind).label}.docx", DOCX
    )


@login_required
def template_current(request):
    actor = _start(request)
    kind = _kind(request)
    content, _own = template_for(actor.organization, kind)
    return download(content, f"Шаблон — {DocumentTemplate.Kind(kind).label}.docx", DOCX)


@login_required
@require_POST
def template_delete(request, template_pk):
    actor = request.actor
    template = get_scoped_or_404(
        actor, DocumentTemplate.objects.defer("content"), Area.MOVEMENT, pk=template_pk
    )
    require(actor, Area.MOVEMENT, write=True, obj=template)
    services.document_template_delete(actor=actor, template=template)
    messages.success(request, "Шаблон организации удалён: используется шаблон системы.")
    return redirect("movement:template_list")
