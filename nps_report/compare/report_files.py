"""changes.csv (for scripts), changes.html (to read) and changes.docx (to attach to a reply).

All three hold the same rows; the HTML and Word files add the summary paragraph and
group the rows the way a response letter discusses them.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from pathlib import Path

from .summary import ChangeReport

TITLE = "Changes since the previous build"
WIDTHS = {4: (1.2, 2.8, 1.25, 1.25), 3: (3.0, 1.75, 1.75)}  # inches: [section,] item, old, new
GROUPS = (("Study and input data", ("study", "input")), ("Methods", ("method",)),
          ("Reported numbers", ("number",)), ("Patients", ("patient",)),
          ("Adverse events", ("adverse_event",)))


def _table(report: ChangeReport, kinds: tuple[str, ...]) -> tuple[tuple[str, ...],
                                                                  list[tuple[str, ...]]]:
    """Header and rows of one group; numbers also say where in the manuscript they are."""
    rows = [c for c in report.changes if c.kind in kinds]
    if "number" in kinds:
        return (("Section", "Item", "Previous", "Revised"),
                [(c.section, c.item, c.old, c.new) for c in rows])
    return ("Item", "Previous", "Revised"), [(c.item, c.old, c.new) for c in rows]


def changes_csv(report: ChangeReport) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(("kind", "section", "item", "old", "new"))
    writer.writerows((c.kind, c.section, c.item, c.old, c.new) for c in report.changes)
    return buf.getvalue()


def changes_html(report: ChangeReport) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{TITLE}</title>",
        "<style>body{font-family:'Liberation Sans',Arial,sans-serif;max-width:60em;"
        "margin:2em auto;line-height:1.4}table{border-collapse:collapse;width:100%}"
        "th,td{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}"
        "th{background:#eee}td.old{color:#a00;text-decoration:line-through}"
        "td.new{color:#060}</style></head><body>",
        f"<h1>{TITLE}</h1>",
        f"<p>Previous: {e(report.old)}<br>Revised: {e(report.new)}</p>",
        "<h2>Summary</h2>", f'<p class="summary">{e(report.summary)}</p>',
    ]
    for heading, kinds in GROUPS:
        header, rows = _table(report, kinds)
        parts.append(f"<h2>{heading}</h2>")
        if not rows:
            parts.append("<p>No changes.</p>")
            continue
        parts.append("<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in header)
                     + "</tr></thead><tbody>")
        parts += ["<tr>" + "".join(f"<td>{e(v)}</td>" for v in row[:-2])
                  + f'<td class="old">{e(row[-2])}</td><td class="new">{e(row[-1])}</td></tr>'
                  for row in rows]
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_changes_docx(report: ChangeReport, path: Path, built_at: str) -> None:
    from docx import Document
    from docx.shared import Inches, Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Liberation Sans"
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(TITLE, level=1)
    doc.add_paragraph(f"Previous: {report.old}")
    doc.add_paragraph(f"Revised: {report.new}")
    doc.add_heading("Summary", level=2)
    doc.add_paragraph(report.summary)
    for heading, kinds in GROUPS:
        doc.add_heading(heading, level=2)
        header, rows = _table(report, kinds)
        if not rows:
            doc.add_paragraph("No changes.")
            continue
        table = doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        widths = [Inches(w) for w in WIDTHS[len(header)]]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid LibreOffice reads; cells below for Word
        for row_values in [header, *rows]:
            cells = table.rows[0].cells if row_values is header else table.add_row().cells
            for cell, text, width in zip(cells, row_values, widths, strict=True):
                cell.text, cell.width = text, width
                if row_values is header:
                    cell.paragraphs[0].runs[0].bold = True
    props = doc.core_properties  # python-docx would stamp its own template's author and date
    props.author = props.last_modified_by = "nps-report"
    props.title = TITLE
    props.created = props.modified = dt.datetime.fromisoformat(built_at)
    doc.save(str(path))


def write_report(report: ChangeReport, dest: Path, built_at: str) -> list[Path]:
    """Write changes.csv, changes.html and changes.docx into dest; returns their paths."""
    paths = [dest / "changes.csv", dest / "changes.html", dest / "changes.docx"]
    paths[0].write_text(changes_csv(report), encoding="utf-8")
    paths[1].write_text(changes_html(report), encoding="utf-8")
    write_changes_docx(report, paths[2], built_at)
    return paths
