"""nps-report check: every number in the author's file that does not match a build.

Generated parts are compared with the build part by part (reading.py decides, as for
update: a number, the words of a prose part the build changed where the author did not,
a table cell, a figure's picture); the author's own text (every paragraph that is not
generated, and the stretches of generated prose the author rewrote) is searched for
numbers that were an earlier value of a quantity which has since changed (typed.py says
when a number counts as one). Parts the author typed over count only if the value moved
after they typed it; a part the build added or removed is listed too, since the file
then no longer matches the build. The file is read with its tracked changes accepted:
what `update` proposes counts as done.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lxml import etree

from ..wordxml import text as wx
from ..wordxml.record import FIGURE, NUMBER, TABLE, TABLE_NOTE, TABLE_TITLE, Part, Record
from ..wordxml.text import readable
from .locate import SEP, Found, locate, table_after
from .merge import SAME, Merge
from .package import Docx
from .pair import pair
from .paragraphs import flatten, read_only
from .quantities import Index
from .reading import GONE, TYPED, UNSURE, UNTOUCHED, NumberReading, ProseReading, read
from .tables import column_name, plan, printed_before, shown
from .typed import find_stale
from .where import Sections, part_name, place, sentence, sentence_bounds

OUT_OF_DATE = "out of date"
TYPED_OVER = "typed over"
IN_YOUR_TEXT = "in your text"
ADDED = "not in your file"
REMOVED = "not in the build"
UNCERTAIN = "cannot be told for certain"
REWORDED = "in words you reworded"  # a generated number the author's rewording keeps


@dataclass(frozen=True)
class Finding:
    kind: str  # one of the constants above
    what: str  # the quantity or part, for people
    was: str  # what the file says
    now: str  # what the build says
    where: str = ""
    printed: str = ""  # typed over / in your text: the value nps-report had printed

    def __post_init__(self) -> None:  # as a person reads them: no invisible word joiners
        for name in ("what", "was", "now", "where", "printed"):
            object.__setattr__(self, name, readable(getattr(self, name)))

    def __str__(self) -> str:
        where = f" — {self.where}" if self.where else ""
        kind = f"{self.kind}; printed as {self.printed}" if self.printed else self.kind
        return f"{self.what}: «{self.was}» → «{self.now}» ({kind}){where}"

    @property
    def generated(self) -> bool:
        """A generated part `update` brings up to date (not the author's own text)."""
        return self.kind in (OUT_OF_DATE, ADDED, REMOVED)


@dataclass
class CheckResult:
    findings: list[Finding]
    old: Record
    new: Record


class Checker:
    def __init__(self, edited: Docx, build: Docx) -> None:
        self.new = build.record()
        self.old = edited.record()
        self.edited, self.build = edited, build
        self.body = edited.body
        self.here: Found = locate(self.body, self.old)
        self.there: Found = locate(build.body, self.new)
        self.partner = pair(self.old.parts, self.new.parts)
        self.reading = read(self.old, self.here, self.partner)
        self.sections = Sections(self.body, edited.style_names)
        self.findings: list[Finding] = []
        self.tables: set[etree._Element] = set()
        self.masks: dict[etree._Element, list[tuple[int, int]]] = {}  # generated text

    def label(self, part: Part) -> str:
        partner = self.partner.get(part.name)
        return (part_name(part, partner, self.new, self.old)
                or (partner.label if partner is not None else "") or part.label
                or "Generated text")

    def add(self, kind: str, what: str, was: str, now: str, where: str = "",
            printed: str = "") -> None:
        self.findings.append(Finding(kind, what, was, now, where, printed))

    def run(self) -> CheckResult:
        for part in self.old.parts:
            if part.kind == NUMBER:
                self.number(self.reading.numbers[part.name])
            elif part.kind == TABLE:
                self.table(part)
            elif part.kind == FIGURE:
                self.picture(part)
            elif part.name in self.reading.prose:
                self.prose(self.reading.prose[part.name])
            elif part.name in self.here.lost:
                p = self.here.lost[part.name]
                new = self.partner.get(part.name)
                self.add(UNCERTAIN, self.label(part), sentence(flatten(p).text, 0, 0),
                         sentence(new.text, 0, 0) if new is not None else
                         "(no longer in the build)", place(self.sections, p, 0, 0))
        self.additions()
        self.authors_text()
        return CheckResult(self.findings, self.old, self.new)

    # -- generated parts --------------------------------------------------------------------

    def number(self, n: NumberReading) -> None:
        if n.state == GONE or n.p is None:
            return
        self.masks.setdefault(n.p, []).append((n.a, n.b))
        where = place(self.sections, n.p, n.a, n.b)
        what = self.label(n.part)
        if n.state == UNSURE:
            self.add(UNCERTAIN, what, n.current, n.new.text if n.new else "(no longer "
                     "reported)", where, n.part.text)
        elif n.new is None:
            self.add(REMOVED, what, n.current, "(no longer reported)", where)
        elif n.state == UNTOUCHED and n.reworded and n.current != n.new.text:
            self.add(REWORDED, what, n.current, n.new.text, where, n.part.text)
        elif n.state == UNTOUCHED and n.current != n.new.text:
            self.add(OUT_OF_DATE, what, n.current, n.new.text, where)
        elif n.state == TYPED and n.merges and n.part.text != n.new.text:
            self.add(OUT_OF_DATE, what, n.current, n.new.text, where)  # update brings it
        elif n.state == TYPED and n.part.text != n.new.text:
            self.add(TYPED_OVER, what, n.current, n.new.text, where, n.part.text)

    def prose(self, r: ProseReading) -> None:
        """A prose part: the words the build changed where the author did not (numbers
        that are not bound ones); the author's stretches are searched with their text."""
        segments = r.span.segments()
        mine = r.merge.authors_only() if r.merge is not None else Merge(r.base, r.current,
                                                                            r.base)
        for piece in mine.pieces:  # the generated words are checked here, not searched
            if piece.kind == SAME:
                for p, lo, hi in _in_paragraphs(segments, *piece.mine):
                    self.masks.setdefault(p, []).append((lo, hi))
        first, a, b = segments[0]
        where = place(self.sections, first, a, b)
        if r.new is None:
            self.add(REMOVED, self.label(r.part), sentence(r.current, 0, 0),
                     "(no longer in the build)", where)
            return
        if r.unsure:
            self.add(UNCERTAIN, self.label(r.part), sentence(r.current, 0, 0),
                     sentence(r.new.text, 0, 0), where)
            return
        assert r.merge is not None
        # numbers checked one by one (below and in number()): an old one with its new one
        bound = [n.base for n in r.numbers if n.base is not None and n.new is not None]
        bound_new = [(n.new.at, n.new.at + len(n.new.text)) for n in r.numbers
                     if n.base is not None and n.new is not None
                     and n.new.container == r.new.name]
        moved = [p for p in r.merge.updates
                 if _loose_digits(r.merge.base, p.base, bound)
                 or _loose_digits(r.merge.theirs, p.theirs, bound_new)]
        told: set[int] = set()
        for piece in moved:  # numbers the generated words hold, as their sentences
            lo, hi = sentence_bounds(r.current, *piece.mine)
            if lo in told:
                continue
            told.add(lo)
            t_lo, t_hi = sentence_bounds(r.merge.theirs, *piece.theirs)
            p, at = r.span.where(lo)
            self.add(OUT_OF_DATE, self.label(r.part), r.current[lo:hi].replace(SEP, " "),
                     r.merge.theirs[t_lo:t_hi], place(self.sections, p, at, at + hi - lo))

    def picture(self, part: Part) -> None:
        here = self.here.pictures.get(part.name)
        if here is None:
            return
        new = self.partner.get(part.name)
        shown = hashlib.sha256(self.edited.image_bytes(here.rel_id) or b"").hexdigest()
        what = self.label(part)
        if new is None:
            self.add(REMOVED, what, "(its picture)", "(no longer in the build)")
        elif shown == new.text:
            return
        elif shown == part.text or shown in self.old.earlier_texts().get(
                (FIGURE, part.key, "", ""), set()):
            self.add(OUT_OF_DATE, what, "the picture of the earlier data",
                     "the new build's picture (its data changed)")
        else:
            self.add(TYPED_OVER, what, "a picture nps-report did not put there",
                     "the new build's picture (its data changed)")

    def table(self, part: Part) -> None:
        found = self.here.tables.get(part.name)
        tbl = found.tbl if found is not None else None
        if tbl is None:
            title = next((r for r in self.reading.prose.values()
                          if r.part.kind == TABLE_TITLE and r.part.key == part.key), None)
            tbl = table_after(title.span.p) if title is not None else None
        if tbl is None:
            return
        self.tables.add(tbl)
        what = self.label(part)
        new = self.partner.get(part.name)
        if new is None:
            self.add(REMOVED, what, "(the table)", "(no longer in the build)")
            return
        layout = plan(part.rows, tbl, new.rows)
        if not layout.same_shape:
            self.add(OUT_OF_DATE, what, " | ".join(part.rows[0].cells),
                     " | ".join(new.rows[0].cells) + " (its columns changed)")
            return
        earlier = self.old.earlier_texts()
        for row in layout.rows:
            current = row.current()
            if row.old is None:
                assert row.new is not None
                self.add(ADDED, f"{what}, row «{row.path}»", "(not in your table)",
                         " | ".join(row.new.cells))
            elif current is None:
                continue  # the author deleted the row
            elif row.new is None:
                self.add(REMOVED, f"{what}, row «{row.path}»", " | ".join(current),
                         "(no longer in the build)")
            elif len(current) == len(row.old.cells):
                for c, (old, now) in enumerate(zip(row.old.cells, row.new.cells,
                                                   strict=True)):
                    cur = current[c]
                    column = column_name(layout.columns, c)
                    cell = f"{what}, {row.path}, {shown(column)}"
                    if cur == now:
                        continue
                    if cur == old or cur in printed_before(earlier, part.key, row.path,
                                                           column):
                        self.add(OUT_OF_DATE, cell, cur, now)
                    elif old != now:
                        self.add(TYPED_OVER, cell, cur, now, printed=old)

    def additions(self) -> None:
        """Parts only the build has (tables, paragraphs, legends, notes of known tables,
        figures)."""
        matched = {p.name for p in self.partner.values()}
        for part in self.new.parts:
            if part.name in matched or part.kind in (NUMBER, TABLE_TITLE):
                continue
            if part.kind == TABLE:
                self.add(ADDED, part.label or "A table", "(not in your file)", "(a new table)")
            elif part.kind == FIGURE:
                self.add(ADDED, part.label or "A figure", "(not in your file)",
                         "(a new figure)")
            elif part.kind != TABLE_NOTE or any(p.key == part.key for p in self.old.parts):
                self.add(ADDED, part.label or "Generated text", "(not in your file)",
                         sentence(part.text, 0, 0))

    # -- the author's text ------------------------------------------------------------------

    def authors_text(self) -> None:
        paragraphs: list[tuple[etree._Element, str]] = []
        for block in self.body:
            heading = self.sections.last.get(block, "").strip().lower()
            if heading in ("references", "bibliography") or block in self.tables:
                continue
            for p in [block] if block.tag == wx.P else list(block.iter(wx.P)):
                text = flatten(p).text
                for lo, hi in self.masks.get(p, []):
                    text = text[:lo] + " " * (hi - lo) + text[hi:]
                if any(ch.isdigit() for ch in text):
                    paragraphs.append((p, text))
        if not paragraphs:
            return
        index = Index.of(self.old, self.new)
        for p, text in paragraphs:
            shown = flatten(p).text
            for hit in find_stale(text, index):
                self.add(IN_YOUR_TEXT, hit.label, shown[hit.start:hit.end], hit.now,
                         place(self.sections, p, hit.start, hit.end), hit.printed)


def _in_paragraphs(segments: list[tuple[etree._Element, int, int]], lo: int, hi: int
                   ) -> list[tuple[etree._Element, int, int]]:
    """Offsets [lo, hi) of a part's joined text, as (paragraph, start, end) stretches."""
    out, pos = [], 0
    for p, a, b in segments:
        s, e = max(lo, pos), min(hi, pos + b - a)
        if s < e:
            out.append((p, a + s - pos, a + e - pos))
        pos += b - a + len(SEP)
    return out


def _loose_digits(text: str, r: tuple[int, int], bound: list[tuple[int, int]]) -> bool:
    """A digit in text[r] outside every bound number (those are checked one by one)."""
    return any(text[i].isdigit() and not any(lo <= i < hi for lo, hi in bound)
               for i in range(*r))


def check_docx(edited: Docx, build: Docx) -> CheckResult:
    with read_only():
        return Checker(edited, build).run()
