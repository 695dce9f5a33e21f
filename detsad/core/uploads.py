"""Checking uploaded files and serving them back safely (case C19: unsafe attachments).

- `UploadValidator(kinds, max_bytes)` — a reusable validator (form or model field): the
  extension must be one of the allowed kinds, the first bytes must be what that kind
  really starts with (a «photo.jpg.html» or an HTML page renamed to .pdf is refused), and
  the size must not exceed the limit (settings.UPLOAD_MAX_BYTES by default). Markup that
  a browser would run — HTML, SVG, XML, JavaScript — is never accepted.
- `serve_upload(file, filename)` — a download response: ``Content-Disposition:
  attachment``, the content type of the checked kind, ``nosniff`` and a CSP sandbox, so a
  file is never rendered as a page of our site.

Russian messages name the file: «Файл «фото.svg»: такие файлы не принимаются …».
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.deconstruct import deconstructible


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    magic: tuple[bytes, ...] = ()
    zip_member: str = ""  # an OOXML file: a ZIP holding this member
    text: bool = False


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

KINDS: dict[str, Kind] = {
    "pdf": Kind("PDF", "application/pdf", (b"%PDF-",)),
    "png": Kind("PNG", "image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": Kind("JPEG", "image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": Kind("JPEG", "image/jpeg", (b"\xff\xd8\xff",)),
    "xlsx": Kind("Excel (XLSX)", XLSX_TYPE, (b"PK\x03\x04",), zip_member="xl/"),
    "docx": Kind("Word (DOCX)", DOCX_TYPE, (b"PK\x03\x04",), zip_member="word/"),
    "csv": Kind("CSV", "text/csv", text=True),
    "txt": Kind("текст", "text/plain", text=True),
    "dat": Kind("текст", "text/plain", text=True),  # bank exchange files (1C, registries)
}
#: Never accepted, whatever a caller asks: a browser may run them as part of our site.
FORBIDDEN = {"html", "htm", "xhtml", "svg", "svgz", "xml", "js", "mjs", "php", "exe", "bat"}
MARKUP_SIGNS = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<iframe", b"<body")
DEFAULT_KINDS = ("pdf", "png", "jpg", "jpeg", "xlsx", "docx", "csv", "txt")


def _size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}".replace(".", ",") + " МБ"


def _head(file, n: int = 2048) -> bytes:
    pos = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    data = file.read(n)
    file.seek(pos)
    return data


def _zip_has(file, prefix: str) -> bool:
    pos = file.tell()
    try:
        file.seek(0)
        with zipfile.ZipFile(io.BytesIO(file.read())) as zf:
            return any(name.startswith(prefix) for name in zf.namelist())
    except zipfile.BadZipFile:
        return False
    finally:
        file.seek(pos)


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp1251"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def kind_of(name: str) -> str:
    """The lower-case extension of the file's *last* suffix (``photo.jpg.html`` → html)."""
    return PurePath(name or "").suffix.lower().lstrip(".")


@deconstructible
class UploadValidator:
    """Validate an uploaded file's kind (by extension *and* content) and size.

    `kinds`: allowed extensions from KINDS; `max_bytes`: limit (UPLOAD_MAX_BYTES if None).
    Raises ValidationError with a Russian message naming the file.
    """

    def __init__(self, kinds: tuple[str, ...] = DEFAULT_KINDS, max_bytes: int | None = None):
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown or unsafe upload kinds: {unknown}")
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __eq__(self, other):
        return (
            isinstance(other, UploadValidator)
            and self.kinds == other.kinds
            and self.max_bytes == other.max_bytes
        )

    def __call__(self, file) -> None:
        name = getattr(file, "name", "") or ""
        shown = PurePath(name).name
        kind = kind_of(name)
        labels = ", ".join(sorted({KINDS[k].label for k in self.kinds}))
        if kind in FORBIDDEN or kind not in self.kinds:
            raise ValidationError(
                f"Файл «{shown}»: такие файлы не принимаются (можно: {labels}).", code="kind"
            )
        limit = self.max_bytes or settings.UPLOAD_MAX_BYTES
        size = getattr(file, "size", None)
        if size is not None and size > limit:
            raise ValidationError(
                f"Файл «{shown}» слишком большой: {_size_text(size)} (можно до {_size_text(limit)}).",
                code="size",
            )
        head = _head(file)
        spec = KINDS[kind]
        ok = True
        if spec.magic:
            ok = head.startswith(spec.magic)
        if ok and spec.zip_member:
            ok = _zip_has(file, spec.zip_member)
        if ok and spec.text:
            ok = _looks_like_text(head) and not any(m in head.lower() for m in MARKUP_SIGNS)
        if not ok:
            raise ValidationError(
                f"Файл «{shown}»: содержимое не похоже на {spec.label}. Сохраните файл заново "
                "в нужном формате.",
                code="content",
            )


def content_type_of(name: str) -> str:
    """The content type we serve a stored file with (octet-stream for anything unknown)."""
    spec = KINDS.get(kind_of(name))
    return spec.content_type if spec else "application/octet-stream"


def serve_upload(file, filename: str | None = None) -> FileResponse:
    """Send a stored file as a download, never as a page of the site."""
    filename = filename or PurePath(getattr(file, "name", "") or "file").name
    if hasattr(file, "open"):
        file.open("rb")
    response = FileResponse(file, content_type=content_type_of(filename))
    ascii_name = filename.encode("ascii", "ignore").decode() or "file"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
