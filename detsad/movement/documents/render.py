"""Filling DOCX templates safely, and choosing the organization's template or ours.

An organization may upload its own DOCX (`DocumentTemplate`) for each order kind and the
contract; it replaces ours in ``detsad/movement/doc_templates/``. Uploaded templates are
untrusted Jinja, so they are rendered in Jinja's SandboxedEnvironment (no attribute
tricks reach Python internals) with the same context ours get.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError

DEFAULTS_DIR = Path(__file__).resolve().parent.parent / "doc_templates"
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # a DOCX is a zip: refuse «zip bombs»

#: Our template per DocumentTemplate.Kind (every order kind shares one generic layout).
DEFAULT_FILES = {
    "order_enroll": "order.docx",
    "order_transfer": "order.docx",
    "order_withdraw": "order.docx",
    "order_other": "order.docx",
    "contract": "contract.docx",
}


def sandbox(autoescape: bool = True):
    """A Jinja sandbox: templates reach only the context's data, never Python internals."""
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=autoescape)


def render_docx_sandboxed(template: bytes | str | Path, context: dict) -> bytes:
    """Fill a DOCX template (docxtpl tags) in a Jinja sandbox; returns the document bytes.

    Raises ValidationError with the template's error in Russian when it cannot be filled.
    """
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    source = io.BytesIO(template) if isinstance(template, bytes) else str(template)
    try:
        doc = DocxTemplate(source)
        doc.render(context, jinja_env=sandbox(), autoescape=True)
    except (TemplateError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ValidationError(f"Шаблон не удалось заполнить: {exc}") from exc
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def default_template(kind: str) -> bytes:
    """Our template for a DocumentTemplate.Kind value."""
    return (DEFAULTS_DIR / DEFAULT_FILES[kind]).read_bytes()


def template_for(organization, kind: str) -> tuple[bytes, bool]:
    """(template bytes, is the organization's own) for `kind` (one query)."""
    from ..models import DocumentTemplate

    own = (
        DocumentTemplate.objects.filter(organization=organization, kind=kind)
        .values_list("content", flat=True)
        .first()
    )
    if own is not None:
        return bytes(own), True
    return default_template(kind), False


def check_uploaded_template(content: bytes, sample_context: dict) -> None:
    """Validate an uploaded template: size (packed and unpacked), a real DOCX, and it
    fills with sample data in the sandbox.

    Raises ValidationError ({"file": …}) in Russian.
    """
    if len(content) > MAX_TEMPLATE_BYTES:
        raise ValidationError({"file": "Файл шаблона больше 2 МБ."})
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ValidationError({"file": "Это не файл DOCX (Word 2007 и новее)."}) from None
    if "word/document.xml" not in names:
        raise ValidationError({"file": "Это не файл DOCX (Word 2007 и новее)."})
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError({"file": "Файл шаблона слишком велик в распакованном виде."})
    try:
        render_docx_sandboxed(content, sample_context)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    except Exception as exc:  # any failure of an uploaded template
        raise ValidationError({"file": f"Шаблон не удалось заполнить: {exc}"}) from exc
