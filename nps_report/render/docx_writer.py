"""The Manuscript as an editable Word file: real tables, Caption-style captions with SEQ
fields, inline PNG figures, Times New Roman 12 pt double-spaced, page numbers.

Every generated part with a key (a bound run sequence, a bound paragraph, a table's
caption, body and notes, a figure legend) is wrapped in a hidden bookmark, and the file
carries the record of what each part printed (nps_report.living), so that `update` and
`check` can find the parts again in the author's edited copy.

python-docx escapes all text itself; nothing here builds XML from strings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
from collections.abc import Mapping
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml.text.run import CT_R
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from ..limits import TITLE_CHARS
from ..present.page import FIGURE_MAX_HEIGHT_MM, MARGIN_MM, TEXT_WIDTH_MM
from ..present.tables import TableSpec
from ..wordxml import elements as x
from ..wordxml.bindings import Binder
from ..wordxml.record import (
    LEGEND,
    PARAGRAPH,
    PROPERTY,
    TABLE_NOTE,
    TABLE_TITLE,
    BuildIdentity,
    TableRow,
    item_props,
    to_xml,
)
from .model import Block, FigureImages, FigureLegend, Manuscript, PageBreak, Run, Table
from .table_widths import fitted_widths_cm

FONT = "Times New Roman"  # metric-compatible with the PDF's Liberation Serif
TEXT_WIDTH_CM = TEXT_WIDTH_MM / 10  # A4 (21 cm) less two 2.5 cm margins
MAX_FIGURE_HEIGHT_CM = FIGURE_MAX_HEIGHT_MM / 10


class DocxWriter:
    """Walks the elements once; a PageBreak sets 'page break before' on what follows.

    labels: a human label per key ("Median PFS" for survival.pfs:median_ci), kept in the
    record for the messages of `check` and `update`; build: which build this is (without
    it the record names the build by a digest of what the document prints)."""

    def __init__(self, ms: Manuscript, labels: Mapping[str, str] | None = None,
                 build: BuildIdentity | None = None) -> None:
        self.ms = ms
        self.doc: DocxDocument = Document()
        self.break_next = False
        self.binder = Binder(labels)
        self.build = build
        _styles(self.doc)
        x.language(self.doc.styles["Normal"].element, ms.language)
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
                p = self.caption("Figure", e.number, (), style="Figure Legend")
                runs = (*(dataclasses.replace(r, bold=True) for r in e.title),
                        Run(". ", bold=True), *e.legend)
                self.bound(p, runs, LEGEND, e.key or f"figure{e.number}",
                           label=f"Figure {e.number} legend")
            elif isinstance(e, FigureImages):
                self.figure(e)
        record = self.binder.record(self.build, self.ms.generator, self.ms.created)
        x.attach_record(self.doc, to_xml(record), item_props(), PROPERTY,
                        record.build.short())
        x.current_compatibility(self.doc)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        Path(dest).write_bytes(x.clean_package(buffer.getvalue(), self.ms.generator,
                                               self.ms.created))
        return dest

    def bound(self, p: Paragraph, runs: tuple[Run, ...], kind: str, key: str | None,
              label: str = "", index: int = 0) -> None:
        """Add runs to p; with a key, the whole of them is a bound part of that kind. The
        text is written as it is (no invisible characters: Word's Find for '34.9–75.6' and a
        paste into a submission form must see what the reader sees)."""
        if key is None:
            self.add_bound_runs(p, runs, "")
            return
        name, number = self.binder.name()
        first, last, text = self.add_bound_runs(p, runs, name)
        if first is not None and text:
            x.bookmark(first, last, name, number)
            self.binder.prose(name, kind, key, text, label, index)

    def add_bound_runs(self, p: Paragraph, runs: tuple[Run, ...], container: str
                       ) -> tuple[CT_R | None, CT_R | None, str]:
        """add_runs, with a bookmark around each stretch of runs bound to one key; returns
        the first and last run elements and the text, which is what Word will read."""
        elements = add_runs(p, runs)
        text = ""
        group: list[tuple[CT_R, Run]] = []
        for el, run in [*zip(elements, runs, strict=True), (None, None)]:
            key = run.binding if run is not None else None
            if group and key != group[0][1].binding:
                name, number = self.binder.name()
                x.bookmark(group[0][0], group[-1][0], name, number)
                printed = "".join(r.text for _, r in group)
                self.binder.number(name, group[0][1].binding or "", printed, container,
                                   len(text) - len(printed))
                group = []
            if run is None:
                break
            text += run.text
            if key is not None:
                group.append((el, run))
        return (elements[0] if elements else None, elements[-1] if elements else None, text)

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
        self.bound(p, b.runs, PARAGRAPH, b.binding)

    def caption(self, label: str, number: int, title: tuple[Run, ...],
                key: str | None = None, style: str = "Caption") -> Paragraph:
        """'Table 1. Title' in the Caption style (a figure legend in its own, based on it),
        the number a SEQ field Word can list; with a key, the title is the table's bound
        caption."""
        p = self.paragraph(style)
        p.add_run(f"{label} ").bold = True
        x.add_field(p, f"SEQ {label} \\* ARABIC", str(number), bold=True)
        p.add_run(".").bold = True
        p.add_run(" ")
        self.bound(p, title, TABLE_TITLE, key, label=f"{label} {number} title")
        return p

    def table(self, t: Table) -> None:
        """Caption, native table and notes, each a bound part under the table's key: a
        bookmark from the caption across the table does not survive LibreOffice."""
        key = t.spec.key
        self.caption("Table", t.number, t.title, key).paragraph_format.keep_with_next = True
        spec = t.spec  # its columns fit their numbers whole (table_widths.py)
        first_cell = native_table(self.doc, spec)
        name, number = self.binder.name()
        x.bookmark(first_cell, None, name, number)  # a point: survives edits of the cell
        rows = (TableRow("header", spec.header),
                *(TableRow(r.kind, r.printed) for r in spec.rows))
        self.binder.table(name, key, rows, f"Table {t.number}")
        note_p = None
        for index, note in enumerate(t.notes):
            note_p = self.paragraph("Table Note")
            note_p.paragraph_format.keep_with_next = index < len(t.notes) - 1  # notes together
            self.bound(note_p, note.runs, TABLE_NOTE, key, index=index)
        if note_p is not None:  # the text after a table stands apart from its notes
            note_p.paragraph_format.space_after = Pt(12)

    def figure(self, f: FigureImages) -> None:
        """At the size it was drawn for (so its text prints at the size it was drawn at),
        shrunk only where that is larger than the page."""
        p = self.paragraph("Figure")
        per_image = MAX_FIGURE_HEIGHT_CM / len(f.images)
        width_cm = min(f.size_mm[0] / 10, TEXT_WIDTH_CM) if f.size_mm else TEXT_WIDTH_CM
        for i, path in enumerate(f.images):
            if i:
                p.add_run().add_break()
            run = p.add_run()
            data = Path(path).read_bytes()
            shape = run.add_picture(io.BytesIO(data), width=Cm(width_cm))
            if shape.height > Cm(per_image):  # too tall: fit the height, keep the aspect
                shape.width = int(shape.width * Cm(per_image) / shape.height)
                shape.height = Cm(per_image)
            x.alt_text(run, f"Figure {f.number}", f.alt or f"Figure {f.number}")
            name, number = self.binder.name()  # the picture is a generated part too
            x.bookmark(run._r, run._r, name, number)
            self.binder.figure(name, f.key or f"figure{f.number}",
                               hashlib.sha256(data).hexdigest(), f"Figure {f.number}", i)
        label = self.paragraph("Normal")
        label.add_run(f"Figure {f.number}").bold = True


ROLE_STYLES = {"title": "Manuscript Title", "note": "Table Note", "legend": "Figure Legend"}


def add_runs(p: Paragraph, runs: tuple[Run, ...]) -> list[CT_R]:
    """The runs as Word runs; returns their elements, one per Run."""
    out: list[CT_R] = []
    for run in runs:
        if run.text == "\n":
            br = p.add_run()
            br.add_break()
            out.append(br._r)
            continue
        r = p.add_run(run.text)
        out.append(r._r)
        r.bold = run.bold or None
        r.italic = run.italic or None
        if run.sup:
            r.font.superscript = True
        if run.sub:
            r.font.subscript = True
        if run.mark:
            r.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return out


def set_style(p: Paragraph, doc: DocxDocument, name: str) -> None:
    """Same XML as `p.style = name`, without python-docx's scan of every style to find
    the default on each call (0.2 s of a 0.3 s document)."""
    p._p.style = doc.styles[name].style_id


def native_table(doc: DocxDocument, spec: TableSpec) -> CT_R:
    """An editable Word table: header row repeated, group rows bold, item rows indented.
    Returns the first cell's run (where the table's bookmark goes)."""
    n = len(spec.header)
    widths = [Cm(w) for w in fitted_widths_cm(spec, TEXT_WIDTH_CM)]  # as the PDF's
    table = doc.add_table(rows=1 + len(spec.rows), cols=n)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid (LibreOffice reads it); cells below for Word
    x.journal_rules(table)
    kinds = ["header", *(row.kind for row in spec.rows)]
    marks = ["", *(row.marks for row in spec.rows)]
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
            if c == 0 and marks[r]:  # a footnote letter
                p.add_run(marks[r]).font.superscript = True
            if kind == "item" and c == 0:
                p.paragraph_format.left_indent = Cm(0.5)
            # the caption, header and first two rows hold together, and the last two rows
            # with the notes: Word breaks the table between other rows where the page ends
            # (its header repeated) rather than leaving the rest of the page blank
            p.paragraph_format.keep_with_next = r <= 2 or r >= len(spec.rows) - 1
    x.repeat_header(table.rows[0])
    x.rule_below(table.rows[0])
    return table.rows[0].cells[0].paragraphs[0].runs[0]._r


def _styles(doc: DocxDocument) -> None:
    """Styles that lay the page out as templates/manuscript.css does the PDF's: the same
    sizes, line spacings and gaps (a title of our own, not the template's expanded 'Title';
    table titles at 11 pt and 1.3 lines, legends double-spaced like the text)."""
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(12)
    x.all_fonts(normal.element, FONT)
    pf = normal.paragraph_format
    pf.line_spacing_rule, pf.space_after = WD_LINE_SPACING.DOUBLE, Pt(6)  # paragraphs show
    # name, size, bold, italic, space before, space after, line spacing (x size)
    for name, size, bold, italic, before, after, spacing in (
            ("Heading 1", 14, True, False, 16.8, 7, 1.3),
            ("Heading 2", 12, True, False, 12, 3.6, 1.3),
            ("Heading 3", 12, False, True, 9.6, 2.4, 1.3),
            ("Heading 4", 12, False, False, 7.2, 0, 1.3),
            ("Caption", 11, False, False, 0, 4.4, 1.3)):
        style = styles[name]
        style.font.name, style.font.size = FONT, Pt(size)
        style.font.bold, style.font.italic = bold, italic
        style.font.color.rgb = RGBColor(0, 0, 0)
        x.all_fonts(style.element, FONT)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.line_spacing = Pt(size * spacing)  # exact, as CSS line-height
    # own styles: (name, base, size, bold, before, after, line spacing in pt or a multiple)
    for name, base, size, bold, before, after, spacing in (
            ("Manuscript Title", normal, 16, True, 85, 19.2, Pt(16 * 1.4)),
            ("Figure Legend", styles["Caption"], 12, False, 0, 9.6, 2.0),
            ("Table Text", normal, 10, False, 1, 1, Pt(12.5)),
            ("Table Note", normal, 9.5, False, 0, 2, Pt(9.5 * 1.4)),
            ("Figure", normal, 12, False, 0, 4, 1.0)):
        style = styles.add_style(name, 1)  # 1 = paragraph style
        style.base_style = base
        style.font.size, style.font.bold = Pt(size), bold
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(before), Pt(after), spacing
    styles["Table Note"].paragraph_format.space_before = Pt(5)
    styles["Table Note"].paragraph_format.keep_together = True  # a note is not split
    styles["Figure"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Figure"].paragraph_format.keep_with_next = True


def _page(doc: DocxDocument, numbered_lines: bool) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_MM / 10))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    x.add_field(footer, "PAGE", "1")
    if numbered_lines:
        x.line_numbers(section)


def _properties(doc: DocxDocument, ms: Manuscript) -> None:
    """Core properties from the manuscript only: no clock, so the XML is reproducible."""
    props = doc.core_properties
    when = dt.datetime.fromisoformat(ms.created.replace("Z", "+00:00"))
    props.title, props.author = _property(ms.title), _property("; ".join(ms.authors))
    props.keywords, props.comments = _property("; ".join(ms.keywords)), ms.generator
    props.last_modified_by, props.revision = "", 1
    props.created = props.modified = when
    props.last_printed = when


def _property(text: str) -> str:
    """A core property as Word stores it: at most 255 characters (the title page prints
    the whole title and author list; 30 authors are longer than that)."""
    return text if len(text) <= TITLE_CHARS else text[:TITLE_CHARS - 1].rstrip() + "…"


def write_docx(ms: Manuscript, dest: Path, *, labels: Mapping[str, str] | None = None,
               build: BuildIdentity | None = None) -> Path:
    """manuscript.docx with its bindings and record; see DocxWriter for labels and build."""
    return DocxWriter(ms, labels, build).write(dest)
