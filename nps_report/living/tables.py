"""A bound table three ways: as the record says it was generated, as the author's file has
it now, and as the new build makes it.

Recorded rows pair with the new build's rows on their label path (the group row's label
and the row's own, so the 'Missing' of two groups stay apart); recorded rows pair with
the document's rows as the tracked-changes comparison pairs them (same first cell, else
the most similar row), so rows the author inserted, deleted or relabelled are told apart
from rows the data added or removed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from lxml import etree

from ..compare.align import align, similarity
from ..wordxml import text as wx
from ..wordxml.record import TableRow


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
    trs = tbl.findall(wx.TR)
    current = [[cell_text(tc) for tc in cells_of(tr)] for tr in trs]

    def similar(i: int, j: int) -> float:
        a, b = list(old[i].cells), current[j]
        if len(a) != len(b):
            return 0.0
        if a and a[0] == b[0]:
            return 1.0
        return similarity("\t".join(a), "\t".join(b))

    doc_of = {i: j for i, j in align(["\t".join(r.cells) for r in old],
                                     ["\t".join(c) for c in current], similar)
              if i is not None and j is not None}
    old_paths, new_paths = row_paths(old), row_paths(new)
    new_at = {path: k for k, path in enumerate(new_paths)}
    rows = []
    for i, path in enumerate(old_paths):
        k = new_at.get(path, -1)
        rows.append(RowPlan(path, old[i], trs[doc_of[i]] if i in doc_of else None,
                            new[k] if k >= 0 else None, k))
    paired = {r.new_index for r in rows}
    rows += [RowPlan(path, None, None, new[k], k) for k, path in enumerate(new_paths)
             if k not in paired]
    width = len(new[0].cells) if new else 0
    same = bool(old) and bool(new) and len(old[0].cells) == width
    headers = list(new[0].cells) if new else []
    return TablePlan(rows, headers, same)

