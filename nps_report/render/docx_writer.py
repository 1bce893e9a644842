"""The Manuscript as an editable Word file: real tables, Caption-style captions with SEQ
fields, inline PNG figures, Times New Roman 12 pt double-spaced, page numbers.

python-docx escapes all text itself; nothing here builds XML from strings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from ..present.tables import TableSpec
from . import docx_xml as x
from .model import Block, FigureImages, FigureLegend, Manuscript, PageBreak, Run, Table

FONT = "Times New Roman"  # metric-compatible with the PDF's Liberation Serif
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) less two 2.5 cm margins
MAX_FIGURE_HEIGHT_CM = 21.0


class DocxWriter:
    """Walks the elements once; a PageBreak sets 'page break before' on what follows."""

    def __init__(self, ms: Manuscript) -> None:
        self.ms = ms
        self.doc: DocxDocument = Document()
        self.break_next = False
        _styles(self.doc)
        _page(self.doc, ms.line_numbers)
        _properties(self.doc, ms)

    def write(self, dest: Path) -> Path:
        for e in self.ms.elements:
            if isinstance(e, PageBreak):
                self.break_next = True
            elif isinstance(e, Block):
                self.block(e)
            elif isinstance(e, Table):
                self.table(e)
            elif isinstance(e, FigureLegend):
                p = self.caption("Figure", e.number, ())
                add_runs(p, tuple(dataclasses.replace(r, bold=True) for r in e.title))
                p.add_run(". ").bold = True
                add_runs(p, e.legend)
            elif isinstance(e, FigureImages):
                self.figure(e)
        self.doc.save(str(dest))
        return dest

    def paragraph(self, style: str | None = None) -> Paragraph:
        p = self.doc.add_paragraph()
        if style is not None and style != "Normal":
            set_style(p, self.doc, style)
        if self.break_next:
            p.paragraph_format.page_break_before = True
            self.break_next = False
        return p

    def block(self, b: Block) -> None:
        style = {"heading": f"Heading {max(1, min(b.level, 4))}", "item": "List Paragraph"
                 }.get(b.kind, ROLE_STYLES.get(b.role, "Normal"))
        p = self.paragraph(style)
        if b.kind == "item":
            fmt = p.paragraph_format
            fmt.left_indent, fmt.first_line_indent = Cm(0.75 * b.level), Cm(-0.75)
            p.add_run(f"{b.marker}\t" if b.marker else "\t")
        elif b.kind == "quote":
            p.paragraph_format.left_indent = Cm(1)
        add_runs(p, b.runs)

    def caption(self, label: str, number: int, title: tuple[Run, ...]) -> Paragraph:
        """'Table 1. Title' in the Caption style, the number a SEQ field Word can list."""
        p = self.paragraph("Caption")
        p.add_run(f"{label} ").bold = True
        x.add_field(p, f"SEQ {label} \\* ARABIC", str(number), bold=True)
        p.add_run(".").bold = True
        p.add_run(" ")
        add_runs(p, title)
        return p

    def table(self, t: Table) -> None:
        self.caption("Table", t.number, t.title).paragraph_format.keep_with_next = True
        native_table(self.doc, t.spec)
        for note in t.notes:
            add_runs(self.paragraph("Table Note"), note.runs)

    def figure(self, f: FigureImages) -> None:
        p = self.paragraph("Figure")
        per_image = MAX_FIGURE_HEIGHT_CM / len(f.images)
        for i, path in enumerate(f.images):
            if i:
                p.add_run().add_break()
            shape = p.add_run().add_picture(str(path), width=Cm(TEXT_WIDTH_CM))
            if shape.height > Cm(per_image):  # too tall: fit the height, keep the aspect
                shape.width = int(shape.width * Cm(per_image) / shape.height)
                shape.height = Cm(per_image)
        label = self.paragraph("Normal")
        label.add_run(f"Figure {f.number}").bold = True


ROLE_STYLES = {"title": "Title", "note": "Table Note", "legend": "Caption"}


def add_runs(p: Paragraph, runs: tuple[Run, ...]) -> None:
    for run in runs:
        if run.text == "\n":
            p.add_run().add_break()
            continue
        r = p.add_run(run.text)
        r.bold = run.bold or None
        r.italic = run.italic or None
        if run.sup:
            r.font.superscript = True
        if run.sub:
            r.font.subscript = True
        if run.mark:
            r.font.highlight_color = WD_COLOR_INDEX.YELLOW


def set_style(p: Paragraph, doc: DocxDocument, name: str) -> None:
    """Same XML as `p.style = name`, without python-docx's scan of every style to find
    the default on each call (0.2 s of a 0.3 s document)."""
    p._p.style = doc.styles[name].style_id


def native_table(doc: DocxDocument, spec: TableSpec) -> None:
    """An editable Word table: header row repeated, group rows bold, item rows indented."""
    n = len(spec.header)
    other = min(3.5, (TEXT_WIDTH_CM - 5.0) / max(n - 1, 1))
    widths = [Cm(TEXT_WIDTH_CM - other * (n - 1))] + [Cm(other)] * (n - 1)
    table = doc.add_table(rows=1 + len(spec.rows), cols=n)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid (LibreOffice reads it); cells below for Word
    x.journal_rules(table)
    kinds = ["header", *(row.kind for row in spec.rows)]
    for r, (cells, kind) in enumerate(zip([spec.header, *(row.cells for row in spec.rows)],
                                          kinds, strict=True)):
        row = table.rows[r]
        x.keep_row_whole(row)
        for c, text in enumerate(cells):
            cell = row.cells[c]
            cell.width = widths[c]
            p = cell.paragraphs[0]
            set_style(p, doc, "Table Text")
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if c == 0 else WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(text)
            if kind == "header" or (kind == "group" and c == 0):
                run.bold = True
            if kind == "item" and c == 0:
                p.paragraph_format.left_indent = Cm(0.5)
    x.repeat_header(table.rows[0])
    x.rule_below(table.rows[0])


def _styles(doc: DocxDocument) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(12)
    x.all_fonts(normal.element, FONT)
    pf = normal.paragraph_format
    pf.line_spacing_rule, pf.space_after = WD_LINE_SPACING.DOUBLE, Pt(6)  # paragraphs show
    for name, size, bold, italic in (
            ("Title", 16, True, False), ("Heading 1", 14, True, False),
            ("Heading 2", 12, True, False), ("Heading 3", 12, False, True),
            ("Heading 4", 12, False, False), ("Caption", 12, False, False)):
        style = styles[name]
        style.font.name, style.font.size = FONT, Pt(size)
        style.font.bold, style.font.italic = bold, italic
        style.font.color.rgb = RGBColor(0, 0, 0)
        x.all_fonts(style.element, FONT)
        style.paragraph_format.space_before = Pt(12 if name.startswith("Heading") else 0)
        style.paragraph_format.space_after = Pt(6)
    x.drop_borders(styles["Title"].element)
    title = styles["Title"].paragraph_format
    title.space_before, title.space_after, title.line_spacing = Pt(72), Pt(24), 1.15
    styles["Caption"].paragraph_format.line_spacing_rule = WD_LINE_SPACING.DOUBLE
    for name, size, spacing in (("Table Text", 10, 1.0), ("Table Note", 10, 1.0),
                                ("Figure", 12, 1.0)):
        style = styles.add_style(name, 1)  # 1 = paragraph style
        style.base_style = normal
        style.font.size = Pt(size)
        style.paragraph_format.line_spacing = spacing
        style.paragraph_format.space_after = Pt(2 if name == "Table Text" else 4)
    styles["Table Note"].paragraph_format.space_before = Pt(4)
    styles["Figure"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Figure"].paragraph_format.keep_with_next = True


def _page(doc: DocxDocument, numbered_lines: bool) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    x.add_field(footer, "PAGE", "1")
    if numbered_lines:
        x.line_numbers(section)


def _properties(doc: DocxDocument, ms: Manuscript) -> None:
    """Core properties from the manuscript only: no clock, so the XML is reproducible."""
    props = doc.core_properties
    when = dt.datetime.fromisoformat(ms.created.replace("Z", "+00:00"))
    props.title, props.author = ms.title, "; ".join(ms.authors)
    props.keywords, props.comments = "; ".join(ms.keywords), ms.generator
    props.last_modified_by, props.revision = "", 1
    props.created = props.modified = when
    props.last_printed = when


def write_docx(ms: Manuscript, dest: Path) -> Path:
    return DocxWriter(ms).write(dest)
