"""Build our DOCX templates from documents/texts.py:

    .venv/bin/python -m detsad.movement.doc_templates.build

Writes order.docx and contract.docx next to this file (committed; rerun after editing
the texts). An organization may download ours, edit it in Word keeping the {{ … }} tags,
and upload it as its own.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from detsad.movement.documents.texts import CONTRACT_PARAGRAPHS, ORDER_PARAGRAPHS

HERE = Path(__file__).resolve().parent


def build(paragraphs, path: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(4)
    for style, text in paragraphs:
        para = doc.add_paragraph()
        run = para.add_run(text)
        if style in ("title", "heading"):
            run.bold = True
        if style == "title":
            run.font.size = Pt(14)
        if style in ("title", "center", "heading"):
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif style == "p":
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc.core_properties.author = "Детсад"
    doc.core_properties.title = path.stem
    doc.save(str(path))


def main() -> None:
    build(ORDER_PARAGRAPHS, HERE / "order.docx")
    build(CONTRACT_PARAGRAPHS, HERE / "contract.docx")


if __name__ == "__main__":
    main()
