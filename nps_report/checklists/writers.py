"""The checklist as CSV (for scripts and spreadsheets) and as a small Word file to upload.

Journals ask for the completed checklist as a separate file with, per item, where in the
manuscript it is addressed; the Word file is that, with the items still to be done in
bold so the authors see them first.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from .model import TODO, ChecklistRow, Guideline

HEADER = ("Item", "Recommendation", "Section", "Page", "Line", "Status", "Note")
# landscape A4 less 2 cm margins: 25.7 cm; without line numbers the Line column's width goes
# to the recommendation
WIDTHS_CM = (1.3, 8.4, 3.0, 1.2, 1.2, 3.2, 7.4)
LINE = HEADER.index("Line")


def cells(row: ChecklistRow) -> tuple[str, ...]:
    return (row.item_id, row.item, row.section, row.page, row.line, row.status, row.note)


def checklist_csv(rows: Sequence[ChecklistRow]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([h.lower() for h in HEADER])
    writer.writerows(cells(r) for r in rows)
    return buf.getvalue()


def write_checklist_csv(rows: Sequence[ChecklistRow], path: Path) -> Path:
    # UTF-8 with a BOM: Excel then shows 'Gøtzsche' and en dashes instead of mojibake
    path.write_text(checklist_csv(rows), encoding="utf-8-sig")
    return path


def write_checklist_docx(rows: Sequence[ChecklistRow], guideline: Guideline, path: Path,
                         study_title: str = "", built_at: str | None = None) -> Path:
    """A landscape Word table of the checklist, headed by the guideline and its citation."""
    checklist_document(rows, guideline, study_title, built_at).save(str(path))
    return path


def checklist_document(rows: Sequence[ChecklistRow], guideline: Guideline,
                       study_title: str = "", built_at: str | None = None):  # -> docx Document
    """The checklist as a python-docx Document, for a caller that finishes the package."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    doc.styles["Normal"].font.name = "Liberation Sans"
    doc.styles["Normal"].font.size = Pt(9)
    doc.add_heading(guideline.name, level=1)
    if study_title:
        doc.add_paragraph(study_title)
    doc.add_paragraph(f"Source: {guideline.citation} {guideline.url}")
    doc.add_paragraph("Page and line: where the item is answered in manuscript.pdf (page "
                      "numbers as printed at the foot of its pages).")
    counts = {s: sum(r.status == s for r in rows) for s in dict.fromkeys(r.status for r in rows)}
    doc.add_paragraph("; ".join(f"{s}: {n}" for s, n in counts.items()) + ".")
    lined = any(r.line for r in rows)  # the Line column only for a line-numbered manuscript
    keep = [i for i in range(len(HEADER)) if lined or i != LINE]
    widths_cm = list(WIDTHS_CM)
    if not lined:
        widths_cm[1] += widths_cm[LINE]
    widths = [Cm(widths_cm[i]) for i in keep]
    table = doc.add_table(rows=1, cols=len(keep))
    table.style = "Table Grid"
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for values, bold in [(HEADER, True)] + [(cells(r), r.status == TODO) for r in rows]:
        row_cells = table.rows[0].cells if values is HEADER else table.add_row().cells
        for cell, i, width in zip(row_cells, keep, widths, strict=True):
            cell.text, cell.width = values[i], width
            for run in cell.paragraphs[0].runs:
                run.bold = bold
    props = doc.core_properties  # not python-docx's template author and dates
    props.author = props.last_modified_by = "nps-report"
    props.title = guideline.name
    stamp = dt.datetime.fromisoformat(built_at) if built_at else dt.datetime(2000, 1, 1)
    props.created = props.modified = stamp
    return doc
