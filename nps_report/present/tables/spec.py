"""A table body as plain data: header, rows of formatted cells, row kinds.

The same spec feeds the HTML table, the native Word table and the CSV file;
titles and footnotes are prose and come from the artifact's template.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ...results.keys import Key


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    kind: str = "item"  # group: a heading row; item: indented under a group; plain: neither
    # The Results key each cell prints, with the format that printed it (None for labels
    # and empty cells), e.g. (None, efficacy.orr:n_pct, efficacy.orr:ci): the change
    # report follows a number through its key, whatever the table's wording.
    keys: tuple[Key | None, ...] = ()
    # Footnote letters set as a superscript after the first cell ('a'; 'a,b'), keyed to
    # the footnotes of the table's notes
    marks: str = ""
    # What the change report calls the row where its own label does not say it (a CI row
    # under its estimate: 'Median PFS, months, 95% CI'); '' = from the label and its group
    name: str = ""

    @property
    def printed(self) -> tuple[str, ...]:
        """The cells as a reader sees them: footnote letters joined to the first."""
        return (self.cells[0] + self.marks, *self.cells[1:]) if self.marks else self.cells


@dataclass(frozen=True)
class TableSpec:
    key: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    # What the change report calls each column, where header cells repeat ('p' under
    # both models of a Cox table): then every keyed cell is labelled '<row>, <column>'
    labels: tuple[str, ...] = ()
    # Relative column widths for the Word table, for tables whose columns differ much in
    # width ('3.88 (1.40–10.75)' beside 'n'); () = the writer's default layout
    widths: tuple[float, ...] = ()
    # (letter, kind) of footnotes the builder marked on rows, for the template to word
    # ('degenerate', 'truncated': present/intervals.py)
    footnotes: tuple[tuple[str, str], ...] = ()

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.header)
        for row in self.rows:
            label = row.cells[0] if row.kind != "item" else "  " + row.cells[0]
            writer.writerow((label, *row.cells[1:]))
        return buf.getvalue()

    def keyed_cells(self) -> list[tuple[Key, str, str]]:
        """(Results key, label, printed cell) of every keyed body cell, in reading order.

        The label is the row's, qualified by the group row above it and the column
        ('ECOG performance status: 0-1, n (%)', 'Disease control rate (CR + PR + SD),
        95% CI'), so labels repeated under different groups stay distinct."""
        out: list[tuple[Key, str, str]] = []
        group = unit = ""
        for row in self.rows:
            label = row.cells[0]
            if row.kind == "group":
                group, unit = label.removesuffix(", n (%)"), ", n (%)" if label.endswith(
                    ", n (%)") else ""
                name = group  # a group row's own keyed cells: a factor's test
            elif row.kind == "plain":
                group, unit = "", ""
                name = label
            else:
                name = f"{group}: {label}{unit}" if group else label
            if row.name:
                name = f"{group}: {row.name}" if group and row.kind == "item" else row.name
            for i, (key, cell) in enumerate(zip(row.keys, row.cells, strict=False)):
                if key is None or not cell or i == 0:
                    continue
                if self.labels:  # (an empty label: the row's name alone)
                    text = f"{name}, {self.labels[i]}" if self.labels[i] else name
                else:
                    text = name if i == 1 else \
                        f"{name.removesuffix(', n (%)')}, {self.header[i]}"
                out.append((key, text, cell))
        return out


def content_widths(header: tuple[str, ...], rows: tuple[Row, ...]) -> tuple[float, ...]:
    """Relative widths from what each column holds, in characters: its longest cell (bold
    group labels and header words a little wider; item rows indented), never less than a
    header word, which may wrap at spaces but not break inside; plus the cell margins."""
    bold = 1.15
    out = []
    for i, head in enumerate(header):
        cells = [len(r.cells[i]) * (bold if r.kind == "group" else 1.0)
                 + (2 if i == 0 and r.kind == "item" else 0)
                 for r in rows if i < len(r.cells)]
        words = [len(w) * bold for w in head.split()]
        out.append(round(max([*cells, *words, 4.0]) + 3.0, 2))
    return tuple(out)
