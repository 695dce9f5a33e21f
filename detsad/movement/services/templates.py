"""An organization's own DOCX templates for orders and the contract (issue item 4:
«generated from templates the organization can replace»)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from detsad.core import audit
from detsad.core.access import Actor, require
from detsad.core.models import AuditRecord, Organization
from detsad.core.permissions import Area

from ..documents.render import check_uploaded_template
from ..models import DocumentTemplate


@transaction.atomic
def document_template_upload(
    *, actor: Actor, organization: Organization, kind: str, filename: str, content: bytes
) -> DocumentTemplate:
    """Store `content` as the organization's template of `kind`, replacing an earlier one.

    The file is checked before it is kept: at most 2 MB, a real DOCX, and it must fill
    with sample data in the sandbox. Raises ValidationError ({"file"/"kind": …}).
    """
    from ..documents.samples import sample_context

    require(actor, Area.MOVEMENT, write=True, obj=organization)
    if kind not in DocumentTemplate.Kind.values:
        raise ValidationError({"kind": "Выберите вид документа."})
    if not (filename or "").lower().endswith(".docx"):
        raise ValidationError({"file": "Загрузите файл .docx."})
    check_uploaded_template(content, sample_context(organization, kind))
    old = DocumentTemplate.objects.filter(organization=organization, kind=kind).first()
    if old is not None:
        old.delete()
    template = DocumentTemplate.objects.create(
        organization=organization,
        kind=kind,
        filename=filename[-200:],
        content=content,
        uploaded_by=actor.user if getattr(actor.user, "pk", None) else None,
    )
    audit.record(
        actor,
        AuditRecord.Action.UPDATE if old else AuditRecord.Action.CREATE,
        template,
        changes={"filename": [old.filename if old else None, template.filename]},
    )
    return template


@transaction.atomic
def document_template_delete(*, actor: Actor, template: DocumentTemplate) -> None:
    """Remove the organization's template: documents of that kind use ours again."""
    require(actor, Area.MOVEMENT, write=True, obj=template)
    audit.record(
        actor,
        AuditRecord.Action.DELETE,
        template,
        changes={"filename": [template.filename, None]},
    )
    template.delete()
