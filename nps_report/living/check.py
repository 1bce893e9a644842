"""nps-report check: every number in the author's file that does not match a build.

Generated parts are compared with the build part by part (a bound number, a table
cell, the numbers of a prose part nobody reworded); the author's own text (every
paragraph that is not a generated part, and the reworded parts outside their bound
numbers) is searched for numbers that were an earlier value of a quantity which has
since changed (numbers.py says when a number counts as one). Parts the author typed
over count only if the value moved after they typed it; a part the build added or
removed is listed too, since the file then no longer matches the build. The file is
read with its tracked changes accepted: what `update` proposes counts as done.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..compare.align import word_opcodes
from ..wordxml import text as wx
from ..wordxml.record import CONTAINERS, NUMBER, TABLE, TABLE_NOTE, TABLE_TITLE, Part, Record
from ..wordxml.text import readable
from .locate import Found, Span, locate, table_after
from .numbers import Index, Quantity, words_of
from .package import Docx
from .pair import pair
from .tables import plan, row_paths
from .where import Sections, place, snippet

OUT_OF_DATE = "out of date"
TYPED_OVER = "typed over"
IN_YOUR_TEXT = "in your text"
ADDED = "not in your file"
REMOVED = "not in the build"


@dataclass(frozen=True)
class Finding:
    kind: str  # one of the constants above
    what: str  # the quantity or part, for people
    was: str  # what the file says
    now: str  # what the build says
    where: str = ""
    printed: str = ""  # typed over / in your text: the value nps-report had printed

    def __post_init__(self) -> None:  # as a person reads them: no invisible word joiners
        for name in ("was", "now", "where", "printed"):
            object.__setattr__(self, name, readable(getattr(self, name)))

    def __str__(self) -> str:
        where = f" — {self.where}" if self.where else ""
        kind = f"{self.kind}; printed as {self.printed}" if self.printed else self.kind
        return f"{self.what}: «{self.was}» → «{self.now}» ({kind}){where}"


@dataclass
class CheckResult:
    findings: list[Finding]
    old: Record
    new: Record


class Checker:
    def __init__(self, edited: Docx, build: Docx) -> None:
        self.new = build.record()
        self.old = edited.record()
        self.edited = edited
        self.body = edited.body
        self.e: Found = locate(self.body, self.old)
        self.b: Found = locate(build.body, self.new)
        self.match = pair(self.old.parts, self.new.parts)
        self.sections = Sections(self.body, edited.style_names)
        self.earlier = self.old.earlier_texts()
        self.findings: list[Finding] = []
        self.tables: set[etree._Element] = set()
        self.generated: set[etree._Element] = set()  # paragraphs that are wholly generated
        self.masks: dict[etree._Element, list[tuple[int, int]]] = {}

    def known(self, part: Part, text: str, row: str = "", column: str = "") -> bool:
        return (part.kind != TABLE and text == part.text) or \
            text in self.earlier.get((part.kind, part.key, row, column), ())

    def label(self, part: Part) -> str:
        new = self.match.get(part.name)
        label = (new.label if new is not None else "") or part.label
        if part.kind == NUMBER:
            return label or part.key
        if part.kind == TABLE:
            return f"{label or 'Table'} ({part.key})"
        if part.kind in (TABLE_TITLE, TABLE_NOTE):
            return f"Table ({part.key}) {part.kind.split('-')[1]}"
        return label or f"Paragraph '{part.key}'"

    def where(self, span: Span) -> str:
        a, b = span.bounds()
        return place(self.sections, span.p, a, b)

    def add(self, kind: str, what: str, was: str, now: str, where: str = "",
            printed: str = "") -> None:
        self.findings.append(Finding(kind, what, was, now, where, printed))

    def run(self) -> CheckResult:
        for part in self.old.parts:
            if part.kind == NUMBER:
                self.number(part)
            elif part.kind == TABLE:
                self.table(part)
            elif part.kind in CONTAINERS:
                self.prose(part)
        self.additions()
        self.authors_text()
        return CheckResult(self.findings, self.old, self.new)

    # -- generated parts --------------------------------------------------------------------

    def number(self, part: Part) -> None:
        span = self.e.spans.get(part.name)
        if span is None:
            return
        self.masks.setdefault(span.p, []).append(span.bounds())
        new = self.match.get(part.name)
        current = span.text
        if new is None:
            self.add(REMOVED, self.label(part), current, "(no longer reported)",
                     self.where(span))
        elif current == new.text:
            return
        elif self.known(part, current):
            self.add(OUT_OF_DATE, self.label(part), current, new.text, self.where(span))
        elif part.text != new.text:
            self.add(TYPED_OVER, self.label(part), current, new.text, self.where(span),
                     part.text)

    def prose(self, part: Part) -> None:
        """A prose part nobody reworded: its numbers that changed outside bound numbers."""
        span = self.e.spans.get(part.name)
        if span is None:
            return
        current = span.text
        if not self.known(part, current):
            return  # reworded: the author's text, searched with the rest
        a, b = span.bounds()
        if (a, b) == (0, len(wx.text_of(span.p))):
            self.generated.add(span.p)
        else:
            self.masks.setdefault(span.p, []).append((a, b))
        new = self.match.get(part.name)
        if new is None:
            self.add(REMOVED, self.label(part), current, "(no longer in the build)",
                     self.where(span))
            return
        bound = [(n.at, n.at + len(n.text)) for n in self.old.parts
                 if n.kind == NUMBER and n.container == part.name]
        moved = [(i1, i2, j1, j2) for op, i1, i2, j1, j2 in word_opcodes(current, new.text)
                 if op != "equal" and _has_digit(current[i1:i2] + new.text[j1:j2])
                 and not any(lo <= i1 and i2 <= hi and i2 > i1 for lo, hi in bound)]
        if moved:  # the stretch of wording with numbers that moved, as it was and is now
            i1, i2 = moved[0][0], moved[-1][1]
            j1, j2 = moved[0][2], moved[-1][3]
            self.add(OUT_OF_DATE, self.label(part), snippet(current, i1, i2, 50),
                     snippet(new.text, j1, j2, 50), self.where(span))

    def table(self, part: Part) -> None:
        found = self.e.tables.get(part.name)
        tbl = found.tbl if found is not None else None
        if tbl is None:
            title = next((s for s in self.e.spans.values()
                          if s.part.kind == TABLE_TITLE and s.part.key == part.key), None)
            tbl = table_after(title.p) if title is not None else None
        if tbl is None:
            return
        self.tables.add(tbl)
        what = self.label(part)
        new = self.match.get(part.name)
        if new is None:
            self.add(REMOVED, what, "(the table)", "(no longer in the build)")
            return
        layout = plan(part.rows, tbl, new.rows)
        if not layout.same_shape:
            self.add(OUT_OF_DATE, what, " | ".join(part.rows[0].cells),
                     " | ".join(new.rows[0].cells) + " (its columns changed)")
            return
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
                    column = layout.columns[c] if c < len(layout.columns) else str(c + 1)
                    cell = f"{what}, {row.path}, {column}"
                    if cur == now:
                        continue
                    if cur == old or self.known(part, cur, row.path, column):
                        self.add(OUT_OF_DATE, cell, cur, now)
                    elif old != now:
                        self.add(TYPED_OVER, cell, cur, now, printed=old)

    def additions(self) -> None:
        """Parts only the build has (tables, paragraphs, legends, notes of known tables)."""
        matched = {p.name for p in self.match.values()}
        for part in self.new.parts:
            if part.name in matched or part.kind in (NUMBER, TABLE_TITLE):
                continue
            if part.kind == TABLE:
                self.add(ADDED, f"{part.label or 'Table'} ({part.key})", "(not in your file)",
                         "(a new table)")
            elif part.kind != TABLE_NOTE or any(p.key == part.key for p in self.old.parts):
                self.add(ADDED, part.label or f"Paragraph '{part.key}'", "(not in your file)",
                         snippet(part.text, 0, 0))

    # -- the author's text ------------------------------------------------------------------

    def authors_text(self) -> None:
        index = Index.build(*self.quantities())
        for block in self.body:
            heading = self.sections.under.get(block, "").strip().lower()
            if heading in ("references", "bibliography") or block in self.tables:
                continue
            for p in [block] if block.tag == wx.P else list(block.iter(wx.P)):
                if p in self.generated:
                    continue
                text = wx.text_of(p)
                for lo, hi in self.masks.get(p, []):
                    text = text[:lo] + " " * (hi - lo) + text[hi:]
                for hit in index.hits(text):
                    q = hit.quantity
                    self.add(IN_YOUR_TEXT, q.label, wx.text_of(p)[hit.start:hit.end],
                             q.new if q.new is not None else "(no longer reported)",
                             place(self.sections, p, hit.start, hit.end), q.old)

    def quantities(self) -> tuple[list[Quantity], list[Quantity]]:
        """(earlier printed forms that changed, every quantity as the build prints it)."""
        changed: list[Quantity] = []
        now: list[Quantity] = []
        new_by_key: dict[str, list[Part]] = {}
        for part in self.new.parts:
            if part.kind == NUMBER:
                new_by_key.setdefault(part.key, []).append(part)
                now.append(Quantity(part.label or part.key, words_of(part.label, part.key),
                                    old=part.text, new=part.text))
        olds: dict[str, set[str]] = {}
        labels: dict[str, str] = {}
        for part in self.old.parts:
            if part.kind == NUMBER:
                olds.setdefault(part.key, set()).add(part.text)
                labels[part.key] = part.label
        for (kind, key, _, _), texts in self.earlier.items():
            if kind == NUMBER:
                olds.setdefault(key, set()).update(texts)
        for key, texts in olds.items():
            fresh = new_by_key.get(key, [])
            printed = {p.text for p in fresh}
            label = (fresh[0].label if fresh else "") or labels.get(key, "") or key
            for text in sorted(texts - printed):
                changed.append(Quantity(label, words_of(label, key), old=text,
                                        new=fresh[0].text if fresh else None))
        new_tables = {p.key: p for p in self.new.parts if p.kind == TABLE}
        cells_now: dict[tuple[str, str, str], str] = {}
        for key, part in new_tables.items():
            for path, column, text in _cells(part):
                cells_now[(key, path, column)] = text
                now.append(_cell_quantity(part, path, column, text, text))
        cells_old: dict[tuple[str, str, str], set[str]] = {}
        for part in self.old.parts:
            if part.kind == TABLE:
                for path, column, text in _cells(part):
                    cells_old.setdefault((part.key, path, column), set()).add(text)
        for (kind, key, row, column), texts in self.earlier.items():
            if kind == TABLE:
                cells_old.setdefault((key, row, column), set()).update(texts)
        for (key, path, column), texts in cells_old.items():
            new_text = cells_now.get((key, path, column))
            table = new_tables.get(key) or next(p for p in self.old.parts
                                                if p.kind == TABLE and p.key == key)
            for text in sorted(texts - {new_text}):
                changed.append(_cell_quantity(table, path, column, text, new_text))
        return changed, now


def _cells(part: Part) -> list[tuple[str, str, str]]:
    """(row path, column header, text) of a table's value cells."""
    if not part.rows:
        return []
    headers = part.rows[0].cells
    out = []
    for path, row in list(zip(row_paths(part.rows), part.rows, strict=True))[1:]:
        for c, text in enumerate(row.cells[1:], start=1):
            if text.strip():
                out.append((path, headers[c] if c < len(headers) else str(c + 1), text))
    return out


def _cell_quantity(table: Part, path: str, column: str, old: str, new: str | None
                   ) -> Quantity:
    label = f"{table.label or 'Table'} ({table.key}), {path}, {column}"
    return Quantity(label, words_of(table.label, table.key, path), column.lower(), old, new)


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def check_docx(edited: Docx, build: Docx) -> CheckResult:
    return Checker(edited, build).run()
