"""Column widths of a table, decided once for the PDF and the Word file alike.

A browser sizes columns by their content and Word does not; left to each, a table's
columns differed between the two files, and Word broke '17.55 (4.18–73.64)' over two
lines. Here every column but the first gets the width of its longest cell, so no number,
interval or p-value wraps, and the first column (the labels, which may wrap between
words) takes what is left. When that leaves the labels less than their longest word,
every column gets its longest word and the rest is shared in proportion to what each
needs beyond it. Widths are measured at 10 pt, the table font of both files (Liberation
Serif and Times New Roman share their metrics): each character by its Times-Roman advance
width (Adobe's AFM, in thousandths of an em), bold a little wider.
"""

from __future__ import annotations

from ..present.tables import TableSpec

CELL_MARGIN_CM = 0.4  # a cell's left and right padding together
BOLD = 1.07  # header and group labels are bold: a little wider
SIZE_PT = 10.0
CM_PER_PT = 2.54 / 72
# Times-Roman advance widths (AFM, 1/1000 em); 500 for any character not listed
_WIDTHS = {" ": 250, "!": 333, "%": 833, "&": 778, "(": 333, ")": 333, "*": 500, "+": 564,
           ",": 250, "-": 333, ".": 250, "/": 278, ":": 278, ";": 278, "<": 564, "=": 564,
           ">": 564, "?": 444, "[": 333, "]": 333, "–": 500, "—": 1000, "−": 564, "≥": 549,
           "≤": 549, "±": 564, "×": 564, "'": 333, "’": 333,
           **dict.fromkeys("0123456789", 500),
           **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                      (722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722,
                       722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611), strict=True)),
           **dict(zip("abcdefghijklmnopqrstuvwxyz",
                      (444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500,
                       500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444), strict=True))}


def text_cm(text: str, bold: bool = False) -> float:
    """The printed width of `text` at 10 pt, in cm."""
    em = sum(_WIDTHS.get(c, 500) for c in text) / 1000
    return em * SIZE_PT * CM_PER_PT * (BOLD if bold else 1.0)


def fitted_widths_cm(spec: TableSpec, total_cm: float) -> list[float]:
    """The width of each column in cm, summing to total_cm."""
    rows = [(spec.header, True), *((r.printed, r.kind == "group") for r in spec.rows)]
    indent = 0.5  # cm: item rows are indented under their group (docx_writer, CSS)

    def width(text: str, bold: bool, first: bool) -> float:
        return text_cm(text, bold) + CELL_MARGIN_CM + (indent if first else 0.0)

    least, most, body = [], [], []
    for i in range(len(spec.header)):
        cells = [(row[i], bold) for row, bold in rows if i < len(row)]
        least.append(max(width(w, b, i == 0) for c, b in cells for w in c.split() or [""]))
        most.append(max(least[-1], max(width(c, b, i == 0) for c, b in cells)))
        # header cells may wrap between words: the body decides a column's width
        body.append(max(least[-1], max((width(c, b, i == 0) for c, b in cells[1:]),
                                       default=0.0)))
    if sum(most) <= total_cm:  # everything on one line: the rest in proportion
        return [w * total_cm / sum(most) for w in most]
    first = total_cm - sum(body[1:])
    if first >= least[0]:  # numbers whole, the labels wrap between words
        return [first, *body[1:]]
    spare = total_cm - sum(least)
    if spare <= 0:  # not even the words fit: shrink them alike (the longest break)
        return [w * total_cm / sum(least) for w in least]
    wish = sum(most) - sum(least)
    return [lo + (hi - lo) * spare / wish for lo, hi in zip(least, most, strict=True)]


def percentages(spec: TableSpec, total_cm: float) -> list[float]:
    """The same widths as percentages of the table's width (the PDF's colgroup)."""
    widths = fitted_widths_cm(spec, total_cm)
    return [100 * w / total_cm for w in widths]
