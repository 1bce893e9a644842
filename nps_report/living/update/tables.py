"""Generated tables brought to the new build, cell by cell: a cell that still reads as
printed is updated, a cell the author edited is theirs (and reported if its value moved);
rows the data added are inserted, rows it removed are deleted unless edited; a table
whose columns changed is replaced whole (the old one marked deleted)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lxml import etree

from ...wordxml import text as wx
from ...wordxml.record import TABLE_NOTE, TABLE_TITLE, Part, TableRow
from ..edits import delete_block, pending, retext
from ..locate import table_after
from ..paragraphs import END, START, flatten
from ..tables import (
    RowPlan,
    cells_of,
    column_name,
    plan,
    printed_before,
    same_label,
    shown,
)
from .copying import transplant
from .job import Job


@dataclass
class Tally:
    cells: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)

    def says(self) -> str:
        said = []
        if self.cells:
            said.append(f"{self.cells} cell{'s' if self.cells != 1 else ''} updated")
        if self.moved:
            said.append("rows moved to their new place: " + ", ".join(f"«{r}»"
                                                                      for r in self.moved))
        if self.added:
            said.append("rows added: " + ", ".join(f"«{r}»" for r in self.added))
        if self.removed:
            said.append("rows removed: " + ", ".join(f"«{r}»" for r in self.removed))
        return "; ".join(said)


def known(job: Job, part: Part, text: str, row: str, column: str) -> bool:
    return text in printed_before(job.old.earlier_texts(), part.key, row, column)


def update_table(job: Job, part: Part) -> None:
    found = job.here.tables.get(part.name)
    tbl = found.tbl if found is not None else None
    if tbl is None:  # its bookmark lost: the table right under its caption
        title = next((s for s in job.here.spans.values()
                      if s.part.kind == TABLE_TITLE and s.part.key == part.key), None)
        tbl = table_after(title.p) if title is not None else None
        if tbl is not None:
            _point_bookmark(tbl, part.name, job.names.bookmark_id())
    new = job.partner.get(part.name)
    what = job.what(part)
    if tbl is None:
        job.keep(part)
        for other in job.old.parts:  # its caption and notes go with it, unreported
            if other.kind in (TABLE_TITLE, TABLE_NOTE) and other.key == part.key:
                job.settled.add(other.name)
                job.keep(other)
        job.notes.left(what, "deleted in your file, so not updated and not restored",
                       rank=job.rank(part))
        return
    if new is None:
        _removed(job, part, tbl)
        return
    if new.name not in job.there.tables:
        job.keep(part)
        job.notes.left(what, "the new build's table cannot be found in its manuscript.docx; "
                             "not updated", rank=job.rank(part))
        return
    b_tbl = job.there.tables[new.name].tbl
    layout = plan(part.rows, tbl, new.rows)
    if not layout.same_shape:
        _replaced(job, part, tbl, b_tbl)
        return
    rows: dict[int, list[str]] = {}
    tally = Tally()
    moved = _out_of_order(job, part, layout.rows, layout.columns, tbl)
    for row in moved:  # deleted here, and inserted from the new build where it now goes
        delete_block(row.tr, job.marker)
        tally.moved.append(row.path)
    for row in layout.rows:
        if row.old is not None and row not in moved:
            _row(job, part, row, layout.columns, rows, tally)
    at = {row.new_index: row.tr for row in layout.rows
          if row.tr is not None and row.new is not None and row not in moved}
    b_rows = b_tbl.findall(wx.TR)
    for row in sorted((r for r in layout.rows if r.old is None or r in moved),
                      key=lambda r: r.new_index):
        copied = transplant(job, b_rows[row.new_index])
        job.marker.inserted(copied)
        before = [at[k] for k in sorted(at) if k < row.new_index]
        if before:
            before[-1].addnext(copied)
        else:
            first = next((tr for tr in tbl.findall(wx.TR) if tr not in
                          {r.tr for r in moved}), None)
            (first.addprevious if first is not None else tbl.append)(copied)
        at[row.new_index] = copied
        if row.old is None:
            tally.added.append(row.path)
    recorded = tuple(TableRow(r.kind, tuple(rows.get(k, r.cells)))
                     for k, r in enumerate(new.rows))
    job.keep(replace(part, label=new.label or part.label, rows=recorded))
    if tally.says():
        job.notes.did(what, tally.says(), rank=job.rank(part))


def _edited(job: Job, part: Part, row: RowPlan, columns: list[str]) -> bool:
    """Did the author change a cell of this row (a cell showing what an earlier build
    printed there is not the author's)?"""
    current = row.current()
    if current is None or row.old is None:
        return False
    if len(current) != len(row.old.cells):
        return True
    return any(cur != old and not known(job, part, cur, row.path,
                                        column_name(columns, c))
               for c, (cur, old) in enumerate(zip(current, row.old.cells, strict=True)))


def _out_of_order(job: Job, part: Part, rows: list[RowPlan], columns: list[str],
                  tbl: etree._Element) -> list[RowPlan]:
    """Rows of the file the new build lists in another order (a term that became more
    frequent): the fewest rows whose moving puts the rest in the new order, among rows
    the author did not edit (an edited row stays where it is, and is reported)."""
    position = {tr: k for k, tr in enumerate(tbl.findall(wx.TR))}
    placed = sorted((r for r in rows if r.tr is not None and r.new is not None
                     and r.old is not None), key=lambda r: position[r.tr])
    keep = _increasing(placed)
    out = []
    for row in placed:
        if row in keep:
            continue
        if _edited(job, part, row, columns):
            job.notes.left(job.what(part), f"row «{row.path}» comes elsewhere in the new "
                                           "build; kept where it is because you edited it",
                           rank=job.rank(part))
        else:
            out.append(row)
    return out


def _increasing(rows: list[RowPlan]) -> list[RowPlan]:
    """The longest run of rows (in document order) whose new places increase."""
    best: list[list[RowPlan]] = []
    for row in rows:
        longest = max((chain for chain in best if chain[-1].new_index < row.new_index),
                      key=len, default=[])
        best.append([*longest, row])
    return max(best, key=len, default=[])


def _row(job: Job, part: Part, row: RowPlan, columns: list[str],
         rows: dict[int, list[str]], tally: Tally) -> None:
    """A row the file was generated with: cells updated, or the row deleted."""
    assert row.old is not None
    label, what = row.path, job.what(part)
    if row.tr is None:
        if row.new is not None and row.new != row.old:
            job.notes.left(what, f"row «{label}» is no longer in your file, so not updated; "
                                 f"the new build has {' | '.join(row.new.cells[1:])}",
                           rank=job.rank(part))
        return
    current = row.current() or []
    if row.new is None:
        if row.touched() or pending(row.tr):
            job.notes.left(what, f"the new build no longer has row «{label}»; kept because "
                                 "you edited it", rank=job.rank(part))
        else:
            delete_block(row.tr, job.marker)
            tally.removed.append(label)
        return
    kept = list(row.new.cells)
    if len(current) != len(row.old.cells):
        job.notes.left(what, f"you changed the cells of row «{label}»; it is not updated",
                       rank=job.rank(part))
        rows[row.new_index] = list(row.old.cells)
        return
    for c, (old, now) in enumerate(zip(row.old.cells, row.new.cells, strict=True)):
        cur = current[c]
        column = column_name(columns, c)
        if cur == now:
            continue
        paragraphs = cells_of(row.tr)[c].findall(wx.P)
        generated = cur == old or known(job, part, cur, row.path, column) or (
            c == 0 and same_label(cur, now))  # a row label whose footnote letter changed
        if len(paragraphs) == 1 and generated:
            retext(paragraphs[0], 0, len(flatten(paragraphs[0]).text), now, job.marker)
            tally.cells += 1
        else:
            kept[c] = old
            if now != old:
                job.notes.left(what, f"you typed «{cur}» in «{label}», {shown(column)}, where "
                                     f"nps-report had printed {old}; the new build says "
                                     f"{now}; yours is kept", rank=job.rank(part))
    rows[row.new_index] = kept


def _removed(job: Job, part: Part, tbl: etree._Element) -> None:
    """A table the new build no longer has: deleted with its caption and notes if the
    author edited none of them, else kept."""
    group = [r for r in job.reading.prose.values()
             if r.part.kind in (TABLE_TITLE, TABLE_NOTE) and r.part.key == part.key]
    layout = plan(part.rows, tbl, part.rows)
    untouched = (not any(r.touched() or r.tr is None for r in layout.rows)
                 and len(tbl.findall(wx.TR)) == len(part.rows)
                 and all(r.untouched for r in group))
    job.settled.update(r.part.name for r in group)
    job.settled.update(n.part.name for r in group for n in r.numbers)
    if untouched:
        for r in group:
            delete_block(r.span.p, job.marker)
        delete_block(tbl, job.marker)
        job.notes.did(job.what(part), "the new build no longer has this table: marked deleted "
                                      "with its caption and notes", rank=job.rank(part))
        return
    for r in group:
        job.keep(r.part)
        for n in r.numbers:
            job.keep(n.part)
    job.keep(part)
    job.notes.left(job.what(part), "the new build no longer has this table; kept because "
                                   "you edited it", rank=job.rank(part))


def _replaced(job: Job, part: Part, tbl: etree._Element, b_tbl: etree._Element) -> None:
    copied = transplant(job, b_tbl)
    job.marker.inserted(copied)
    tbl.addprevious(copied)
    touched = any(r.touched() for r in plan(part.rows, tbl, part.rows).rows)
    delete_block(tbl, job.marker)
    for start in list(tbl.iter(START)):  # the old table is no longer a bound part
        if start.get(wx.w("name")) == part.name:
            start.getparent().remove(start)
    job.notes.did(job.what(part), "its columns changed: the new table is inserted and the "
                                  "old one marked deleted", rank=job.rank(part))
    if touched:
        job.notes.left(job.what(part), "your edits to the old table are only in its deleted "
                                       "copy: reject that deletion to get them back",
                       rank=job.rank(part))


def _point_bookmark(tbl: etree._Element, name: str, number: int) -> None:
    """The table's bookmark again, at the start of its first cell."""
    p = next(tbl.iter(wx.P), None)
    if p is None:
        return
    start = etree.Element(START)
    start.set(wx.w("id"), str(number))
    start.set(wx.w("name"), name)
    end = etree.Element(END)
    end.set(wx.w("id"), str(number))
    ppr = p.find(wx.PPR)
    at = 0 if ppr is None else list(p).index(ppr) + 1
    p.insert(at, start)
    start.addnext(end)
