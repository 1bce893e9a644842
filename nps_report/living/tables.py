"""A bound table three ways: as the record says it was generated, as the author's file has
it now, and as the new build makes it.

Recorded rows pair with the new build's rows on their label path (the group row's label
and the row's own, so the 'Missing' of two groups stay apart); recorded rows pair with
the document's rows as the tracked-changes comparison pairs them (same first cell, else
the most similar row), so rows the author inserted, deleted or relabelled are told apart
from rows the data added or removed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from ..compare.align import align, similarity
from ..wordxml import text as wx
from ..wordxml.record import TABLE, TableRow


def row_paths(rows: tuple[TableRow, ...]) -> list[str]:
    """'Sex, n (%) › Male' for an item row under a group; numbered if a path repeats."""
    group = ""
    seen: Counter[str] = Counter()
    out = []
    for row in rows:
        label = row.cells[0] if row.cells else ""
        if row.kind == "group":
            group = label
        path = f"{group} › {label}" if row.kind == "item" and group else label
        if row.kind != "item" and row.kind != "group":
            group = ""
        seen[path] += 1
        out.append(path if seen[path] == 1 else f"{path} #{seen[path]}")
    return out


def column_names(header: tuple[str, ...] | list[str]) -> list[str]:
    """Each column's name: its header, numbered where a header repeats ('p', 'p #2': the
    univariable and multivariable columns of a Cox table)."""
    seen: Counter[str] = Counter()
    out = []
    for text in header:
        seen[text] += 1
        out.append(text if seen[text] == 1 else f"{text} #{seen[text]}")
    return out


def column_name(columns: list[str], c: int) -> str:
    return columns[c] if c < len(columns) else str(c + 1)


def shown(column: str) -> str:
    """A column's name as its header reads."""
    return column.split(" #")[0]


MARK = re.compile(r"[a-z]{1,2}")  # a footnote letter printed after a row's label


def same_label(a: str, b: str) -> bool:
    """Two row labels that differ at most by their footnote letters ('Yes', 'Yesb', 'Yesa':
    the data can bring a row's footnote, take it away or reletter it)."""
    return a == b or bool(_stems(a) & _stems(b))


def _stems(label: str) -> set[str]:
    """A label without a footnote letter it may end with, and as it is."""
    out = {label}
    for k in (1, 2):
        stem = label[:-k]
        if stem and MARK.fullmatch(label[-k:]) and (len(stem) > 1 or not stem.isalpha()):
            out.add(stem)
    return out


def same_path(a: str, b: str) -> bool:
    pa, pb = a.split(" › "), b.split(" › ")
    return len(pa) == len(pb) and all(same_label(x, y) for x, y in zip(pa, pb, strict=True))


def printed_before(earlier: dict[tuple[str, str, str, str], set[str]], key: str, path: str,
                   column: str) -> set[str]:
    """What earlier builds printed in a cell of table `key` (its row under any footnote
    letter it has had)."""
    out = set(earlier.get((TABLE, key, path, column), ()))
    for (kind, k, row, col), texts in earlier.items():
        if kind == TABLE and k == key and col == column and row != path and same_path(row,
                                                                                      path):
            out |= texts
    return out


def deleted(tr: etree._Element) -> bool:
    """A row marked deleted (a change not yet accepted): not in the table as it reads."""
    trpr = tr.find(wx.TRPR)
    return trpr is not None and trpr.find(wx.DEL) is not None


def cell_text(tc: etree._Element) -> str:
    return "\n".join(wx.text_of(b) for b in wx.blocks(tc))


def cells_of(tr: etree._Element) -> list[etree._Element]:
    return tr.findall(wx.TC)


@dataclass
class RowPlan:
    path: str
    old: TableRow | None  # as generated into the author's file (None: new in the build)
    tr: etree._Element | None  # the row in the author's file (None: deleted by the author)
    new: TableRow | None  # as the new build has it (None: removed by the data)
    new_index: int = -1  # its place in the new build's table

    def current(self) -> list[str] | None:
        return [cell_text(tc) for tc in cells_of(self.tr)] if self.tr is not None else None

    def touched(self) -> bool:
        """The author changed a cell of this row (or its shape)."""
        cur = self.current()
        return cur is not None and self.old is not None and cur != list(self.old.cells)


@dataclass
class TablePlan:
    rows: list[RowPlan]
    columns: list[str]  # column headers, from the new build where it has the column
    same_shape: bool  # old and new have the same number of columns


def plan(old: tuple[TableRow, ...], tbl: etree._Element, new: tuple[TableRow, ...]
         ) -> TablePlan:
    trs = [tr for tr in tbl.findall(wx.TR) if not deleted(tr)]
    current = [[cell_text(tc) for tc in cells_of(tr)] for tr in trs]

    def similar(i: int, j: int) -> float:
        a, b = list(old[i].cells), current[j]
        if len(a) != len(b):
            return 0.0
        if a and same_label(a[0], b[0]):
            return 1.0
        return similarity("\t".join(a), "\t".join(b))

    doc_of = {i: j for i, j in align(["\t".join(r.cells) for r in old],
                                     ["\t".join(c) for c in current], similar)
              if i is not None and j is not None}
    # a row found out of order (moved by an earlier update whose changes were rejected,
    # or by the author) pairs on its label
    free = {j for j in range(len(current))} - set(doc_of.values())
    for i, row in enumerate(old):
        if i in doc_of or not row.cells:
            continue
        j = next((j for j in sorted(free) if current[j] and same_label(current[j][0],
                                                                         row.cells[0])
                  and len(current[j]) == len(row.cells)), None)
        if j is not None:
            doc_of[i] = j
            free.discard(j)
    old_paths, new_paths = row_paths(old), row_paths(new)
    new_at = {path: k for k, path in enumerate(new_paths)}
    rows = []
    for i, path in enumerate(old_paths):
        k = new_at.get(path, -1)
        if k < 0:  # the same row, its footnote letter come or gone
            k = next((k for k, q in enumerate(new_paths) if same_path(path, q)
                      and q not in old_paths), -1)
        rows.append(RowPlan(path, old[i], trs[doc_of[i]] if i in doc_of else None,
                            new[k] if k >= 0 else None, k))
    paired = {r.new_index for r in rows}
    rows += [RowPlan(path, None, None, new[k], k) for k, path in enumerate(new_paths)
             if k not in paired]
    width = len(new[0].cells) if new else 0
    same = bool(old) and bool(new) and len(old[0].cells) == width
    headers = column_names(new[0].cells) if new else []
    return TablePlan(rows, headers, same)

