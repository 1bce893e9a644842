"""nps-report update: the author's edited manuscript.docx brought to a new build's values,
as tracked changes by "nps-report", the author's own text left as it is.

Rules, part by part (old = what the author's file recorded when it was generated,
current = what the file says now, new = what the new build says):

- a number: current == old (or an earlier build's value) -> tracked replacement by new;
  anything else was typed by the author -> kept, and reported if new differs from old.
- a prose part (paragraph, legend, table caption, table note): untouched -> brought to
  the new text word by word, its numbers' bookmarks placed on the new numbers; reworded
  -> kept, its numbers updated one by one as above, and a change of the generated
  wording (numbers aside) reported with the new text.
- a table: cell by cell like a number; rows the data added are inserted, rows the data
  removed are deleted if the author did not edit them; a table whose columns changed is
  replaced whole (the old one marked deleted).
- a part the author deleted (its bookmark gone) is reported, never put back; a part the
  new build no longer has is marked deleted if untouched, else kept and reported; a part
  only the new build has (a table, a paragraph, a legend, a note) is inserted next to its
  neighbours in the new build.
- a part with tracked changes of its own is left alone and reported.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace

from lxml import etree

from ..compare.align import word_opcodes
from ..compare.revisions import Marker
from ..compare.tracked import number_revisions
from ..wordxml import text as wx
from ..wordxml.record import (
    CONTAINERS,
    LEGEND,
    NUMBER,
    PARAGRAPH,
    PREFIX,
    TABLE,
    TABLE_NOTE,
    TABLE_TITLE,
    BuildIdentity,
    Earlier,
    Part,
    Record,
    TableRow,
    to_xml,
)
from ..wordxml.text import readable
from .locate import END, START, Span, flatten, locate, table_after
from .package import Docx, LivingError, serialise
from .pair import pair
from .retext import delete_block, place_bookmark, retext
from .tables import RowPlan, cells_of, plan, row_paths
from .where import Sections, place, snippet

AUTHOR = "nps-report"
LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Note:
    """One line of the update report: which part, what happened, where it is."""

    what: str
    says: str
    where: str = ""
    rank: float = field(default=0.0, compare=False)  # where in the document, for sorting

    def __str__(self) -> str:
        return readable(f"{self.what}: {self.says}" + (f" — {self.where}" if self.where else ""))


@dataclass
class UpdateResult:
    docx: bytes
    revisions: int  # revision marks written
    updated: list[Note] = field(default_factory=list)  # changed, as tracked changes
    reported: list[Note] = field(default_factory=list)  # left for the author, and why
    since: BuildIdentity | None = None  # the build the edited file came from
    build: BuildIdentity | None = None  # the build it was brought to


@dataclass
class _Tally:
    cells: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def says(self) -> str:
        said = []
        if self.cells:
            said.append(f"{self.cells} cell{'s' if self.cells != 1 else ''} updated")
        if self.added:
            said.append("rows added: " + ", ".join(f"«{r}»" for r in self.added))
        if self.removed:
            said.append("rows removed: " + ", ".join(f"«{r}»" for r in self.removed))
        return "; ".join(said)


class Updater:
    def __init__(self, edited: Docx, build: Docx, date: str) -> None:
        self.edited, self.build = edited, build
        self.new = build.record()
        self.old = edited.record()
        self.body, self.b_body = edited.body, build.body
        self.e = locate(self.body, self.old)
        self.b = locate(self.b_body, self.new)
        if self.old.parts and not (self.e.spans or self.e.tables):
            raise LivingError(
                f"{edited.path}: none of the {len(self.old.parts)} generated parts its "
                "record lists are in its text (was the text pasted into another document?); "
                "nothing can be updated")
        self.match = pair(self.old.parts, self.new.parts)
        self.matched_new = {p.name for p in self.match.values()}
        self.ranks, self.new_ranks = self._ranks()
        self.marker = Marker(AUTHOR, date)
        self.sections = Sections(self.body, edited.style_names)
        self.places = {name: place(self.sections, span.p, *span.bounds())
                       for name, span in self.e.spans.items()}  # as the author's file has it
        self.earlier = self.old.earlier_texts()
        self.parts: dict[str, Part] = {}  # the updated file's record, by bookmark name
        self.updated: list[Note] = []
        self.reported: list[Note] = []
        self.settled: set[str] = set()  # old parts dealt with as part of another
        self.added_keys: set[str] = set()  # tables inserted whole, notes and all
        self.placed: set[str] = set()  # new build's numbers put into the file
        self._names = _Names(self.body, self.old)
        self._style_map = _style_map(build.style_names, edited.style_names)

    # -- helpers ----------------------------------------------------------------------------

    def known(self, part: Part, text: str, row: str = "", column: str = "") -> bool:
        """Was `text` generated here, by the file's build or an earlier one?"""
        kind = part.kind
        recorded = part.text if kind != TABLE else None
        return text == recorded or text in self.earlier.get((kind, part.key, row, column), ())

    def what(self, part: Part, new_part: bool = False) -> str:
        """The part for people; new_part: a part of the new build (names are per file)."""
        new = part if new_part else self.match.get(part.name)
        label = (new.label if new is not None else "") or part.label
        if part.kind == NUMBER:
            return label or part.key
        if part.kind == TABLE:
            return self.table_name(part.key)
        if part.kind == TABLE_TITLE:
            return f"{self.table_name(part.key)} caption"
        if part.kind == TABLE_NOTE:
            return f"{self.table_name(part.key)} note {part.index + 1}"
        return label or f"Paragraph '{part.key}'"

    def table_name(self, key: str) -> str:
        for record in (self.new, self.old):
            for p in record.parts:
                if p.kind == TABLE and p.key == key:
                    return f"{p.label or 'Table'} ({key})"
        return f"Table ({key})"

    def where(self, span: Span) -> str:
        return self.places.get(span.part.name) or place(self.sections, span.p, *span.bounds())

    def report(self, part: Part, says: str, where: str = "", new_part: bool = False) -> None:
        self.reported.append(self._note(part, says, where, new_part))

    def did(self, part: Part, says: str, where: str = "", new_part: bool = False) -> None:
        self.updated.append(self._note(part, says, where, new_part))

    def _note(self, part: Part, says: str, where: str, new_part: bool) -> Note:
        rank = (self.new_ranks if new_part else self.ranks).get(part.name, 0.0)
        return Note(self.what(part, new_part), says, where, rank)

    def _ranks(self) -> tuple[dict[str, float], dict[str, float]]:
        """Document order of the parts: the edited file's by its record (written in
        document order); a new build's part just after the matched part before it."""
        old: dict[str, float] = {p.name: float(i) for i, p in enumerate(self.old.parts)}
        back = {new.name: old[name] for name, new in self.match.items()}
        new: dict[str, float] = {}
        last = -0.5
        for part in sorted(self.new.parts, key=lambda p: self.b.order.get(p.name, 1 << 30)):
            last = back.get(part.name, last)
            new[part.name] = back.get(part.name, last + 0.5)
        return old, new

    # -- the run ----------------------------------------------------------------------------

    def run(self) -> UpdateResult:
        for part in self.old.parts:
            if part.kind == TABLE:
                self.table(part)
        for part in self.old.parts:
            if part.kind in CONTAINERS and part.name not in self.settled:
                self.prose(part)
        for part in self.old.parts:
            if part.kind == NUMBER and part.name not in self.settled:
                self.number(part)
        self.additions()
        self.parts_in_order()
        revisions = number_revisions(self.edited.root)
        self.updated.sort(key=lambda note: note.rank)
        self.reported.sort(key=lambda note: note.rank)
        record = Record(self.new.build, tuple(self.parts.values()), self._earlier())
        data = self.edited.package({self.edited.main_name: serialise(self.edited.root),
                                    self.edited.record_name or "": to_xml(record)})
        return UpdateResult(data, revisions, self.updated, self.reported, self.old.build,
                            self.new.build)

    # -- numbers ----------------------------------------------------------------------------

    def number(self, part: Part) -> None:
        new = self.match.get(part.name)
        span = self.e.spans.get(part.name)
        if span is None:
            self.keep(part)  # remembered as deleted, so the next update knows it too
            holder = self.old.by_name().get(part.container)
            if holder is not None and not self.e.located(holder.name):
                return  # its paragraph is gone, and reported
            gone = "deleted or typed over" if part in self.e.missing else "split apart"
            now = ("; the new build says " + new.text) if new is not None and \
                new.text != part.text else ""
            self.report(part, f"no longer marked in your file ({gone}), so not updated "
                              f"(it was {part.text}{now})")
            return
        current = span.text
        if new is None:
            self.keep(part)
            self.report(part, f"the new build no longer reports it; your «{current}» is "
                              "kept", self.where(span))
            return
        if current == new.text:
            self.keep(replace(part, text=new.text, label=new.label or part.label))
            return
        if span.pending:
            self.keep(part)
            self.report(part, "has tracked changes of its own; accept or reject them and run "
                              f"update again (the new build says {new.text})", self.where(span))
            return
        if self.known(part, current):
            where = self.where(span)
            retext(span, new.text, self.marker)
            self.keep(replace(part, text=new.text, label=new.label or part.label))
            self.did(part, f"{current} → {new.text}", where)
            return
        self.keep(part)  # the author's: keep it, and the value it was generated with
        if new.text != part.text:
            self.report(part, f"you wrote «{current}» where nps-report had printed "
                              f"{part.text}; the new build says {new.text}; yours is kept",
                        self.where(span))

    def keep(self, part: Part) -> None:
        self.parts[part.name] = part

    # -- prose ------------------------------------------------------------------------------

    def prose(self, part: Part) -> None:
        new = self.match.get(part.name)
        span = self.e.spans.get(part.name)
        if span is None:
            self.keep(part)  # remembered as deleted, so the next update knows it too
            changed = (f"; the new build reads «{new.text}»" if new is not None
                       and new.text != part.text else "")
            if part in self.e.broken:
                self.report(part, "split or moved apart in your file, so not updated as a "
                                  f"whole (its numbers are){changed}")
            else:
                self.report(part, "deleted in your file, so not updated and not restored"
                            + changed)
            return
        current = span.text
        untouched = self.known(part, current)
        if new is None:
            if untouched and part.kind in (PARAGRAPH, LEGEND):
                delete_block(span.p, self.marker)
                self.did(part, "the new build no longer has it: marked deleted",
                         self.where(span))
            else:
                self.keep(part)
                self.report(part, "the new build no longer has it; kept because you edited it"
                            if not untouched else "the new build no longer has it; kept",
                            self.where(span))
            return
        if span.pending:
            self.keep(part)
            self.report(part, "has tracked changes of its own; accept or reject them and run "
                              "update again", self.where(span))
            return
        if not untouched:
            self.reworded(part, new, span)
            return
        self.keep(replace(part, text=new.text, label=new.label or part.label))
        inner = [p for p in self.old.parts if p.kind == NUMBER and p.container == part.name]
        if current == new.text:
            for num in inner:  # same text: its numbers are the same too
                if num.name in self.e.spans:
                    self.settled.add(num.name)
                    self.keep(replace(num, text=self._new_text(num)))
            return
        where = self.where(span)
        retext(span, new.text, self.marker)
        self.settled.update(n.name for n in inner)
        self.rebind(span, inner, new)
        self.did(part, "brought to the new build's text", where)

    def _new_text(self, num: Part) -> str:
        new = self.match.get(num.name)
        return new.text if new is not None else num.text

    def rebind(self, span: Span, inner: list[Part], new: Part) -> None:
        """After a whole-part update: the numbers' bookmarks on the new text's numbers."""
        for num in inner:
            located = self.e.spans.get(num.name)
            if located is not None:
                for el in (located.start, located.end):
                    if el is not None and el.getparent() is not None:
                        el.getparent().remove(el)
        old_for = {self.match[n.name].name: n for n in inner if n.name in self.match}
        a, _ = span.bounds()
        for num in self.new.parts:
            if num.kind != NUMBER or num.container != new.name:
                continue
            previous = old_for.get(num.name)
            name, number = self._names.fresh() if previous is None else (
                previous.name, self._names.bookmark_id())
            place_bookmark(span, a + num.at, a + num.at + len(num.text), name, number)
            self.placed.add(num.name)
            self.keep(replace(num, name=name, container=span.part.name))

    def reworded(self, part: Part, new: Part, span: Span) -> None:
        """The author's wording stays; say so if the generated wording changed meanwhile."""
        self.keep(replace(part, text=new.text, label=new.label or part.label))
        if wording_changed(part.text, new.text):
            numbers = any(p.kind == NUMBER and p.container == part.name for p in self.old.parts)
            self.report(part, "you reworded it, and the generated wording changed too; yours "
                              f"is kept{' (its numbers are updated)' if numbers else ''}. "
                              f"The new build reads: «{new.text}»", self.where(span))

    # -- tables -----------------------------------------------------------------------------

    def table(self, part: Part) -> None:
        found = self.e.tables.get(part.name)
        tbl = found.tbl if found is not None else None
        if tbl is None:  # its bookmark lost: the table right under its caption
            title = next((s for s in self.e.spans.values()
                          if s.part.kind == TABLE_TITLE and s.part.key == part.key), None)
            tbl = table_after(title.p) if title is not None else None
            if tbl is not None:
                _point_bookmark(tbl, part.name, self._names.bookmark_id())
        new = self.match.get(part.name)
        if tbl is None:
            self.keep(part)
            for other in self.old.parts:  # its caption and notes go with it, unreported
                if other.kind in (TABLE_TITLE, TABLE_NOTE) and other.key == part.key:
                    self.settled.add(other.name)
                    self.keep(other)
            self.report(part, "deleted in your file, so not updated and not restored")
            return
        if new is None:
            self.table_removed(part, tbl)
            return
        if new.name not in self.b.tables:
            self.keep(part)
            self.report(part, "the new build's table cannot be found in its manuscript.docx; "
                              "not updated")
            return
        b_tbl = self.b.tables[new.name].tbl
        layout = plan(part.rows, tbl, new.rows)
        if not layout.same_shape:
            self.table_replaced(part, new, tbl, b_tbl)
            return
        rows: dict[int, list[str]] = {}
        tally = _Tally()
        for row in layout.rows:
            if row.old is not None:
                self.table_row(part, row, layout.columns, rows, tally)
        at = {row.new_index: row.tr for row in layout.rows
              if row.tr is not None and row.new is not None}
        b_rows = b_tbl.findall(wx.TR)
        for row in sorted((r for r in layout.rows if r.old is None), key=lambda r: r.new_index):
            copied = self.transplant(b_rows[row.new_index])
            self.marker.inserted(copied)
            before = [at[k] for k in sorted(at) if k < row.new_index]
            anchor = before[-1] if before else tbl.findall(wx.TR)[-1]
            anchor.addnext(copied)
            at[row.new_index] = copied
            tally.added.append(row.path)
        recorded = tuple(TableRow(r.kind, tuple(rows.get(k, r.cells)))
                         for k, r in enumerate(new.rows))
        self.keep(replace(part, label=new.label or part.label, rows=recorded))
        if tally.says():
            self.did(part, tally.says())

    def table_row(self, part: Part, row: RowPlan, columns: list[str],
                  rows: dict[int, list[str]], tally: _Tally) -> None:
        """A row the file was generated with: cells updated, or the row deleted."""
        assert row.old is not None
        label = row.path
        if row.tr is None:
            if row.new is not None and row.new != row.old:
                self.report(part, f"row «{label}» is no longer in your file, so not updated; "
                                  f"the new build has {' | '.join(row.new.cells[1:])}")
            return
        current = row.current() or []
        if row.new is None:
            if row.touched() or _row_pending(row.tr):
                self.report(part, f"the new build no longer has row «{label}»; kept because "
                                  "you edited it")
            else:
                delete_block(row.tr, self.marker)
                tally.removed.append(label)
            return
        kept = list(row.new.cells)
        if len(current) != len(row.old.cells):
            self.report(part, f"you changed the cells of row «{label}»; it is not updated")
            rows[row.new_index] = list(row.old.cells)
            return
        for c, (old, now) in enumerate(zip(row.old.cells, row.new.cells, strict=True)):
            cur = current[c]
            column = columns[c] if c < len(columns) else str(c + 1)
            tc = cells_of(row.tr)[c]
            if cur == now:
                continue
            paragraphs = tc.findall(wx.P)
            span = Span(part, paragraphs[0], None, None) if len(paragraphs) == 1 else None
            if span is not None and span.pending:
                self.report(part, f"cell «{label}», {column} has tracked changes of its own; "
                                  f"not updated (the new build says {now})")
                kept[c] = old
            elif span is not None and (cur == old or self.known(part, cur, row.path, column)):
                retext(span, now, self.marker)
                tally.cells += 1
            else:
                kept[c] = old
                if now != old:
                    self.report(part, f"you wrote «{cur}» in «{label}», {column}, where "
                                      f"nps-report had printed {old}; the new build says "
                                      f"{now}; yours is kept")
        rows[row.new_index] = kept

    def table_removed(self, part: Part, tbl: etree._Element) -> None:
        """A table the new build no longer has: deleted with its caption and notes if the
        author edited none of them, else kept."""
        group = [s for s in self.e.spans.values()
                 if s.part.kind in (TABLE_TITLE, TABLE_NOTE) and s.part.key == part.key]
        layout = plan(part.rows, tbl, part.rows)
        untouched = (not any(r.touched() or r.tr is None for r in layout.rows)
                     and len(tbl.findall(wx.TR)) == len(part.rows)
                     and all(self.known(s.part, s.text) for s in group))
        self.settled.update(s.part.name for s in group)
        if untouched:
            for s in group:
                delete_block(s.p, self.marker)
            delete_block(tbl, self.marker)
            self.did(part, "the new build no longer has this table: marked deleted with its "
                           "caption and notes")
        else:
            for s in group:
                self.keep(s.part)
            self.keep(part)
            self.report(part, "the new build no longer has this table; kept because you "
                              "edited it")

    def table_replaced(self, part: Part, new: Part, tbl: etree._Element,
                       b_tbl: etree._Element) -> None:
        copied = self.transplant(b_tbl)
        self.marker.inserted(copied)
        tbl.addprevious(copied)
        touched = any(r.touched() for r in plan(part.rows, tbl, part.rows).rows)
        delete_block(tbl, self.marker)
        for start in list(tbl.iter(START)):  # the old table is no longer a bound part
            if start.get(wx.w("name")) == part.name:
                start.getparent().remove(start)
        self.did(part, "its columns changed: the new table is inserted and the old one marked "
                       "deleted")
        if touched:
            self.report(part, "your edits to the old table are only in its deleted copy: "
                              "reject that deletion to get them back")

    # -- what only the new build has ------------------------------------------------------

    def additions(self) -> None:
        b_order = sorted(self.new.parts, key=lambda p: self.b.order.get(p.name, 1 << 30))
        for part in b_order:
            if part.name in self.matched_new:
                continue
            if part.kind == TABLE:
                self.add_table(part, b_order)
            elif part.kind in (PARAGRAPH, LEGEND):
                self.add_prose(part, b_order)
            elif part.kind == TABLE_NOTE and part.key not in self.added_keys:
                self.add_note(part)
            elif part.kind == NUMBER and part.name not in self.placed:
                self.unplaced(part)

    def unplaced(self, part: Part) -> None:
        """A new number in a paragraph that is not bound (one in a bound paragraph went in
        with it, or is reported with the paragraph's new wording)."""
        if part.container:
            return  # its paragraph was updated, inserted or reported
        source = self.b.spans.get(part.name)
        where = f" in «{snippet(wx.text_of(source.p), *source.bounds())}»" if source else ""
        self.report(part, f"new in the new build ({part.text}{where}) but not in a paragraph "
                          "nps-report can update; not inserted", new_part=True)

    def add_table(self, part: Part, b_order: list[Part]) -> None:
        self.added_keys.add(part.key)
        copies = [self.transplant(el) for el in self._b_group(part.key)]
        for el in copies:
            self.marker.inserted(el)
        anchor, after = self._table_anchor(part, b_order)
        for el in (copies if not after else reversed(copies)):
            if after:
                anchor.addnext(el)
            else:
                anchor.addprevious(el)
        self.did(part, "a new table in the new build: inserted", new_part=True)

    def _b_group(self, key: str) -> list[etree._Element]:
        """The new build's caption, table and notes of a table key, in document order."""
        els = [s.p for s in self.b.spans.values()
               if s.part.kind in (TABLE_TITLE, TABLE_NOTE) and s.part.key == key]
        els += [t.tbl for t in self.b.tables.values() if t.part.key == key]
        index = {el: i for i, el in enumerate(self.b_body)}
        return sorted({id(e): e for e in els}.values(), key=lambda e: index.get(e, 0))

    def _e_group(self, key: str) -> list[etree._Element]:
        els = [s.p for s in self.e.spans.values()
               if s.part.kind in (TABLE_TITLE, TABLE_NOTE) and s.part.key == key]
        els += [t.tbl for t in self.e.tables.values() if t.part.key == key]
        index = {el: i for i, el in enumerate(self.body)}
        return sorted([e for e in els if e in index], key=lambda e: index[e])

    def _table_anchor(self, part: Part, b_order: list[Part]) -> tuple[etree._Element, bool]:
        """(element, after?) where a new table goes: after the table before it in the new
        build, else before the one after it, else before the section properties."""
        tables = [p for p in b_order if p.kind == TABLE]
        at = tables.index(part)
        old_keys = {p.key for p in self.old.parts if p.kind == TABLE}
        for p in reversed(tables[:at]):
            group = self._e_group(p.key) if p.key in old_keys else []
            if group:
                return group[-1], True
        for p in tables[at + 1:]:
            group = self._e_group(p.key) if p.key in old_keys else []
            if group:
                return group[0], False
        end = self.body.find(wx.w("sectPr"))
        if end is not None:
            return end, False
        return self.body[-1], True

    def add_prose(self, part: Part, b_order: list[Part]) -> None:
        source = self.b.spans.get(part.name)
        if source is None:
            return
        prose = [p for p in b_order if p.kind in (PARAGRAPH, LEGEND)]
        at = prose.index(part)
        back = {new.name: old for old, new in
                ((o, self.match[o.name]) for o in self.old.parts if o.name in self.match)}
        anchor, after = None, True
        for p in reversed(prose[:at]):
            old = back.get(p.name)
            if old is not None and old.name in self.e.spans:
                anchor = _block(self.e.spans[old.name].p)
                break
        if anchor is None:
            after = False
            for p in prose[at + 1:]:
                old = back.get(p.name)
                if old is not None and old.name in self.e.spans:
                    anchor = _block(self.e.spans[old.name].p)
                    break
        if anchor is None:
            self.report(part, "new in the new build, but no neighbour of it is in your file "
                              f"to place it by; not inserted: «{part.text}»", new_part=True)
            return
        copied = self.transplant(source.p)
        self.marker.inserted(copied)
        (anchor.addnext if after else anchor.addprevious)(copied)
        self.did(part, "new in the new build: inserted", f"«{snippet(part.text, 0, 0)}»",
                 new_part=True)

    def add_note(self, part: Part) -> None:
        group = self._e_group(part.key)
        source = self.b.spans.get(part.name)
        if not group or source is None:
            return
        copied = self.transplant(source.p)
        self.marker.inserted(copied)
        group[-1].addnext(copied)
        self.did(part, "a new note in the new build: inserted", f"«{snippet(part.text, 0, 0)}»",
                 new_part=True)

    # -- copying from the new build --------------------------------------------------------

    def transplant(self, el: etree._Element) -> etree._Element:
        """A copy of a new-build element for the author's file: its bookmarks renamed to
        fresh names (and recorded), its styles mapped to the file's style ids."""
        copied = copy.deepcopy(el)
        by_name = self.new.by_name()
        names: dict[str, str] = {}
        ids: dict[str, str] = {}
        for start in list(copied.iter(START)):
            old = start.get(wx.w("name"), "")
            if old not in by_name:
                start.getparent().remove(start)
                continue
            name, number = self._names.fresh()
            names[old] = name
            ids[start.get(wx.w("id"), "")] = str(number)
            start.set(wx.w("name"), name)
            start.set(wx.w("id"), str(number))
        for end in list(copied.iter(END)):
            number = ids.get(end.get(wx.w("id"), ""))
            if number is None:
                end.getparent().remove(end)
            else:
                end.set(wx.w("id"), number)
        for old, name in names.items():
            part = by_name[old]
            self.placed.add(old)
            self.keep(replace(part, name=name, container=names.get(part.container,
                                                                   part.container)))
        for tag in ("pStyle", "rStyle", "tblStyle"):
            for ref in list(copied.iter(wx.w(tag))):
                mapped = self._style_map.get(ref.get(wx.w("val"), ""))
                if mapped is None:
                    ref.getparent().remove(ref)
                else:
                    ref.set(wx.w("val"), mapped)
        return copied

    # -- the record -------------------------------------------------------------------------

    def parts_in_order(self) -> None:
        position = {el.get(wx.w("name")): i for i, el in enumerate(self.body.iter(START))}
        self.parts = dict(sorted(self.parts.items(),
                                 key=lambda kv: position.get(kv[0], 1 << 30)))

    def _earlier(self) -> tuple[Earlier, ...]:
        """What the file printed before: the old record's earlier texts and its own."""
        out = dict.fromkeys(self.old.earlier)
        for part in self.old.parts:
            if part.kind == TABLE:
                columns = list(part.rows[0].cells) if part.rows else []
                for path, row in zip(row_paths(part.rows), part.rows, strict=True):
                    for c, cell in enumerate(row.cells[1:], start=1):
                        column = columns[c] if c < len(columns) else str(c + 1)
                        out[Earlier(TABLE, part.key, cell, path, column)] = None
            else:
                out[Earlier(part.kind, part.key, part.text)] = None
        return tuple(out)


def wording_changed(old: str, new: str) -> bool:
    """Did more than numbers change between two generated texts? (A changed word, or a
    number written in words, is wording; '18 (60.0%)' -> '17 (56.7%)' is not.)"""
    return any(LETTER.search(old[i1:i2] + new[j1:j2])
               for op, i1, i2, j1, j2 in word_opcodes(old, new) if op != "equal")


def _row_pending(tr: etree._Element) -> bool:
    return any(flatten(p).revised or flatten(p).mark_revised for p in tr.iter(wx.P))


def _block(p: etree._Element) -> etree._Element:
    """The body-level element holding p (p itself, or the table it is in)."""
    node = p
    while node.getparent() is not None and node.getparent().tag != wx.w("body"):
        node = node.getparent()
    return node


class _Names:
    """Fresh bookmark names and ids for the parts update adds."""

    def __init__(self, body: etree._Element, record: Record) -> None:
        numbers = [int(p.name[len(PREFIX):]) for p in record.parts
                   if p.name[len(PREFIX):].isdigit()]
        numbers += [int(n[len(PREFIX):]) for el in body.iter(START)
                    if (n := el.get(wx.w("name"), "")).startswith(PREFIX)
                    and n[len(PREFIX):].isdigit()]
        self.next_name = max(numbers, default=0) + 1
        ids = [int(v) for el in body.iter(START, END)
               if (v := el.get(wx.w("id"), "")).isdigit()]
        self.next_id = max(ids, default=0) + 1

    def fresh(self) -> tuple[str, int]:
        name = f"{PREFIX}{self.next_name}"
        self.next_name += 1
        return name, self.bookmark_id()

    def bookmark_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


def _style_map(new: dict[str, str], old: dict[str, str]) -> dict[str, str]:
    """New-build style id -> the author's file's id for the style of the same name."""
    by_name = {name: sid for sid, name in old.items()}
    return {sid: by_name[name] for sid, name in new.items() if name in by_name}


def update_docx(edited: Docx, build: Docx, *, date: str) -> UpdateResult:
    """The edited file brought to the build's values; see the module docstring for the rules."""
    return Updater(edited, build, date).run()


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
