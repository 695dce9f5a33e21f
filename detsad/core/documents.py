"""Shared helpers for generated documents: PDF (WeasyPrint from HTML templates), XLSX
(openpyxl), DOCX (docxtpl) and download responses.

Apps keep their own templates and layouts; these helpers only render and deliver them.
Downloads are always sent as attachments with a correct content type (issue «security»:
files are never rendered inline from user input).
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    """Render an HTML template to PDF bytes (A4 by default; set @page in the template).

    Static files referenced with {% static %} are read from the project's static folders.
    """
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    base = Path(settings.BASE_DIR) / "detsad" / "static"
    return HTML(string=html, base_url=str(base)).write_pdf()


#: A text cell starting with one of these is a formula (or DDE payload) to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(workbook):
    """Make every text cell of `workbook` that a spreadsheet could run as a formula plain text.

    openpyxl stores a string starting with «=» as a formula, and a spreadsheet may evaluate
    text starting with «+», «-», «@» (or a tab / carriage return) when the cell is edited.
    A child, guardian or group named ``=HYPERLINK(…)`` must stay literal text (OWASP
    «CSV/formula injection»): such cells are forced to the string type and get Excel's
    quote prefix. The value read back is the same string; numbers and dates are untouched.
    Returns `workbook` (changed in place).
    """
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return workbook


def workbook_bytes(workbook) -> bytes:
    """Serialize an openpyxl Workbook to XLSX bytes, formula-like texts kept as text.

    Every XLSX Detsad writes goes through here, so user-entered text can never become a
    formula in the downloaded file (see `neutralise_formulas`).
    """
    buffer = io.BytesIO()
    neutralise_formulas(workbook).save(buffer)
    return buffer.getvalue()


def render_docx(template_path: str | Path, context: dict) -> bytes:
    """Fill a DOCX template (docxtpl / Jinja2 tags) and return the document bytes."""
    from docxtpl import DocxTemplate

    doc = DocxTemplate(str(template_path))
    doc.render(context, autoescape=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """An attachment response with a Russian file name (RFC 6266 / RFC 5987 encoding)."""
    response = HttpResponse(content, content_type=content_type)
    ascii_name = filename.encode("ascii", "ignore").decode() or "document"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
