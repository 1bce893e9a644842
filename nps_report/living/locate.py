"""Finding the recorded parts in a document: bookmarks, read as text positions, checked
against what the part printed.

A bookmark is a pair of markers (w:bookmarkStart, w:bookmarkEnd with the same w:id) that
Word and LibreOffice move about freely: into a w:del, before or after a neighbouring
bookmark's marker, to body level next to the paragraph, and (LibreOffice, after a
comment in the paragraph) a character early. So a part is read as the text between the
offsets of its two markers in its paragraph's accepted text (paragraphs.py), and where
that text is not what the part printed (nor an earlier build's text of it) while the
paragraph holds something LibreOffice miscounts, the offsets are moved, a character at a
time up to that many, to where the printed text is. A part whose offsets still cannot be
trusted is `shaky`: update then changes nothing there unless the words around it say
where it is (update/paragraphs.py), and says so.

A figure's picture is found by its bookmark around the picture's run; a table by a point
bookmark in its first cell (or as the table right under its caption).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..compare.align import similarity
from ..wordxml import text as wx
from ..wordxml.record import CONTAINERS, FIGURE, NUMBER, TABLE, Part, Record
from .paragraphs import END, REMOVED, START, Flat, flatten, paragraph_of

DRAWING = wx.w("drawing")
SEP = "\u2029"  # between the paragraphs of a part the author split in two or more
SPLIT_AT_MOST = 30  # paragraphs a split part may run over
ALIKE = 0.8  # a paragraph this like a part whose marker is gone may be it
BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"


@dataclass
class Span:
    """A bound prose part or number: the accepted text of paragraph p between its markers
    (None: the paragraph's start or end), each moved by a few characters where the
    markers were found off (see snap)."""

    part: Part
    p: etree._Element
    start: etree._Element | None
    end: etree._Element | None
    da: int = 0
    db: int = 0
    shaky: bool = False  # its offsets could not be checked against its printed text
    marks: tuple[etree._Element | None, etree._Element | None] = (None, None)  # wherever
    rest: list[etree._Element] = field(default_factory=list)  # split off: its paragraphs

    def bounds(self, flat: Flat | None = None) -> tuple[int, int]:
        flat = flat or flatten(self.p)
        a = (0 if self.start is None else flat.at.get(self.start, 0)) + self.da
        b = (len(flat.text) if self.end is None else flat.at.get(self.end, len(flat.text))
             ) + self.db
        b = min(max(b, 0), len(flat.text))
        return min(max(a, 0), b), b

    def segments(self) -> list[tuple[etree._Element, int, int]]:
        """(paragraph, start, end) of each stretch of its text: one, or one per paragraph
        where the author split it (Enter pressed inside a generated paragraph)."""
        if not self.rest:
            return [(self.p, *self.bounds())]
        first = flatten(self.p)
        a = (0 if self.start is None else first.at.get(self.start, 0)) + self.da
        out = [(self.p, min(max(a, 0), len(first.text)), len(first.text))]
        out += [(q, 0, len(flatten(q).text)) for q in self.rest[:-1]]
        last = flatten(self.rest[-1])
        b = last.at.get(self.end, len(last.text)) if self.end is not None else len(last.text)
        out.append((self.rest[-1], 0, min(max(b + self.db, 0), len(last.text))))
        return out

    @property
    def text(self) -> str:
        return SEP.join(flatten(p).text[a:b] for p, a, b in self.segments())

    def where(self, i: int) -> tuple[etree._Element, int]:
        """The paragraph and offset there of offset i of its text."""
        return where_in(self.segments(), i)


@dataclass
class TablePlace:
    part: Part
    tbl: etree._Element


@dataclass
class PicturePlace:
    """A figure's picture: the run holding its drawing, and the image it shows."""

    part: Part
    p: etree._Element
    run: etree._Element
    rel_id: str
    start: etree._Element | None = None
    end: etree._Element | None = None


@dataclass
class Found:
    """Where the record's parts are in one document; `missing` names those not there."""

    spans: dict[str, Span] = field(default_factory=dict)
    tables: dict[str, TablePlace] = field(default_factory=dict)
    pictures: dict[str, PicturePlace] = field(default_factory=dict)
    missing: list[Part] = field(default_factory=list)
    broken: list[Part] = field(default_factory=list)  # markers no longer around one stretch
    lost: dict[str, etree._Element] = field(default_factory=dict)  # missing, but a paragraph
    # reads much like it: the author's, or the part without its marker? nobody can tell
    order: dict[str, int] = field(default_factory=dict)  # part name -> document position

    def located(self, name: str) -> bool:
        return name in self.spans or name in self.tables or name in self.pictures


def _end_anchor(start_p: etree._Element, end: etree._Element, flat: Flat
                ) -> tuple[bool, int]:
    """(usable, offset) of an end marker relative to the start's paragraph: its own
    offset there, or the paragraph's end when Word put it at body level after the
    paragraph or at the very start of the next one."""
    end_p = paragraph_of(end)
    if end_p is start_p:
        return True, flat.at.get(end, len(flat.text))
    if end_p is None:
        prev = end.getprevious()
        while prev is not None and prev.tag in (START, END):
            prev = prev.getprevious()
        return prev is start_p, len(flat.text)
    nxt = start_p.getnext()
    if end_p is nxt and flatten(end_p).at.get(end, 1) == 0:
        return True, len(flat.text)
    return False, 0


def _start_anchor(start: etree._Element) -> tuple[etree._Element | None, bool]:
    """(paragraph, inside?) of a start marker; at body level it opens the next paragraph."""
    p = paragraph_of(start)
    if p is not None:
        return p, True
    nxt = start.getnext()
    while nxt is not None and nxt.tag in (START, END):
        nxt = nxt.getnext()
    return (nxt, False) if nxt is not None and nxt.tag == wx.P else (None, False)


def where_in(segments: list[tuple[etree._Element, int, int]], i: int
             ) -> tuple[etree._Element, int]:
    """Offset i of stretches joined by SEP, as (paragraph, offset there)."""
    for p, a, b in segments:
        if i <= b - a:
            return p, a + i
        i -= b - a + len(SEP)
    p, _, b = segments[-1]
    return p, b


def _split_off(p: etree._Element, end: etree._Element) -> list[etree._Element] | None:
    """The paragraphs after p up to the one holding end, when they follow p directly
    (the author split the part with Enter); None otherwise."""
    end_p = paragraph_of(end)
    if end_p is None:
        return None
    out = []
    node = p.getnext()
    while node is not None and len(out) < SPLIT_AT_MOST:
        if node.tag != wx.P:
            return None
        out.append(node)
        if node is end_p:
            return out
        node = node.getnext()
    return None


def _table_of(el: etree._Element) -> etree._Element | None:
    node = el.getparent()
    while node is not None and node.tag != wx.TBL:
        node = node.getparent()
    return node


def snap(text: str, a: int, b: int, expected: set[str], reach: int) -> tuple[int, int] | None:
    """[a, b) moved by at most `reach` characters at each end to where the text is one
    of the expected texts (the nearest such place), or None."""
    if text[a:b] in expected:
        return a, b
    best: tuple[int, int, int] | None = None
    for da in range(-reach, reach + 1):
        for db in range(-reach, reach + 1):
            lo, hi = a + da, b + db
            if 0 <= lo <= hi <= len(text) and text[lo:hi] in expected:
                cost = abs(da) + abs(db)
                if best is None or cost < best[0]:
                    best = (cost, lo, hi)
    return (best[1], best[2]) if best is not None else None


def locate(body: etree._Element, record: Record) -> Found:
    parts = record.by_name()
    earlier = record.earlier_texts()
    starts: dict[str, etree._Element] = {}
    for el in body.iter(START):
        name = el.get(wx.w("name"), "")
        if name in parts and name not in starts:
            starts[name] = el
    ends: dict[str | None, etree._Element] = {}
    for el in body.iter(END):
        ends.setdefault(el.get(wx.w("id")), el)
    found = Found()
    position = {el: i for i, el in enumerate(body.iter(START))}
    flats: dict[etree._Element, Flat] = {}
    for name, part in parts.items():
        start = starts.get(name)
        if start is None:
            found.missing.append(part)
            continue
        found.order[name] = position[start]
        if part.kind == TABLE:
            tbl = _table_of(start)
            if tbl is None:
                found.broken.append(part)
            else:
                found.tables[name] = TablePlace(part, tbl)
            continue
        p, inside = _start_anchor(start)
        end = ends.get(start.get(wx.w("id")))
        if p is None or end is None:
            found.broken.append(part)
            continue
        flat = flats.get(p) or flats.setdefault(p, flatten(p))
        if part.kind == FIGURE:
            picture = _picture(part, p, start, end)
            if picture is None:
                found.broken.append(part)
            else:
                found.pictures[name] = picture
            continue
        usable, b = _end_anchor(p, end, flat)
        a = flat.at.get(start, 0) if inside else 0
        rest = _split_off(p, end) if not usable and part.kind != NUMBER else None
        if rest:
            found.spans[name] = Span(part, p, start if inside else None, end,
                                     marks=(start, end), rest=rest)
            continue
        if not usable or a > b:
            found.broken.append(part)
            continue
        span = Span(part, p, start if inside else None, end if paragraph_of(end) is p else None,
                    marks=(start, end))
        expected = {part.text} | earlier.get((part.kind, part.key, "", ""), set())
        if flat.text[a:b] not in expected and flat.anchors:
            snapped = snap(flat.text, a, b, expected, flat.anchors)
            if snapped is not None:
                span.da, span.db = snapped[0] - a, snapped[1] - b
            else:
                span.shaky = True
                if len(flat.text) - b <= flat.anchors:  # a part that ends its paragraph
                    span.db = len(flat.text) - b
        found.spans[name] = span
    _by_text(body, found, earlier)
    return found


def _by_text(body: etree._Element, found: Found,
             earlier: dict[tuple[str, str, str, str], set[str]]) -> None:
    """Prose parts whose bookmark is gone (a program that drops bookmarks, a paste) found
    by their text: where exactly one paragraph nobody else holds reads as the part
    printed, that is it; where one reads only much like it, the part is `lost` (update
    then says so, and changes nothing there)."""
    wanted = [p for p in found.missing if p.kind in CONTAINERS]
    if not wanted:
        return
    held = {s.p for s in found.spans.values()} | {q for s in found.spans.values() for q in s.rest}
    free = [(p, flatten(p).text) for p in body.iter(wx.P) if p not in held]
    for part in wanted:
        texts = {part.text} | earlier.get((part.kind, part.key, "", ""), set())
        exact = [(p, text, t) for p, text in free for t in texts if t and t in text]
        if len({id(p) for p, _, _ in exact}) == 1:
            p, text, t = exact[0]
            at = text.index(t)
            found.missing.remove(part)
            found.spans[part.name] = Span(part, p, None, None, at, at + len(t) - len(text))
            free = [(q, x) for q, x in free if q is not p]
            continue
        alike = [p for p, text in free if len(part.text) > 40
                 and similarity(part.text, text) >= ALIKE]
        if len(alike) == 1:
            found.lost[part.name] = alike[0]


def _picture(part: Part, p: etree._Element, start: etree._Element, end: etree._Element
             ) -> PicturePlace | None:
    """The picture between a figure's markers (the first one after its start marker in the
    paragraph, if LibreOffice or Word collapsed the bookmark), not one marked deleted."""
    order = {el: i for i, el in enumerate(p.iter())}
    lo = order.get(start, -1)
    hi = order.get(end, len(order))
    candidates = [d for d in p.iter(DRAWING)
                  if not any(a.tag in REMOVED for a in d.iterancestors())]
    inside = [d for d in candidates if lo < order[d] < hi]
    after = [d for d in candidates if order[d] > lo]
    chosen = (inside or after or [None])[0]
    if chosen is None:
        return None
    blip = next(chosen.iter(BLIP), None)
    rel_id = blip.get(EMBED, "") if blip is not None else ""
    run = chosen.getparent()
    return PicturePlace(part, p, run, rel_id, start, end if end in order else None)


def table_after(p: etree._Element) -> etree._Element | None:
    """The table right after a caption paragraph (skipping empty paragraphs)."""
    nxt = p.getnext()
    while nxt is not None and nxt.tag == wx.P and not wx.text_of(nxt).strip():
        nxt = nxt.getnext()
    return nxt if nxt is not None and nxt.tag == wx.TBL else None
