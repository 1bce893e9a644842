"""Finding the recorded parts in a document: bookmarks read as text positions.

A bookmark is a pair of markers (w:bookmarkStart, w:bookmarkEnd with the same w:id)
that Word and LibreOffice move about freely: into a w:del, before or after a
neighbouring bookmark's marker, to body level next to the paragraph. So a part is read
as the text between the offsets of its two markers in its paragraph's text, as the
reader sees it with every tracked change accepted (runs in w:ins count, w:del do not),
and edits are made between the marker elements themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..wordxml import text as wx
from ..wordxml.record import TABLE, Part, Record

START, END = wx.w("bookmarkStart"), wx.w("bookmarkEnd")
REVISION_TAGS = {wx.w(t) for t in ("ins", "del", "moveFrom", "moveTo")}
CHANGE_TAGS = {wx.w(t) for t in ("rPrChange", "pPrChange")}


@dataclass
class Flat:
    """A paragraph's text with every tracked change accepted, and where things sit in it."""

    text: str = ""
    at: dict[etree._Element, int] = field(default_factory=dict)  # bookmark marker -> offset
    revised: list[tuple[int, int]] = field(default_factory=list)  # tracked changes' ranges
    mark_revised: bool = False  # the paragraph mark itself is inserted or deleted


def flatten(p: etree._Element) -> Flat:
    flat = Flat()

    def walk(el: etree._Element, counted: bool) -> None:
        for child in el:
            tag = child.tag
            if tag == wx.R:
                if counted:
                    flat.text += wx.run_text(child)
                if any(c.tag in CHANGE_TAGS for c in child.iter()):
                    flat.revised.append((len(flat.text), len(flat.text)))
            elif tag in (START, END):
                flat.at[child] = len(flat.text)
            elif tag in REVISION_TAGS:
                before = len(flat.text)
                walk(child, counted and tag == wx.INS)
                flat.revised.append((before, len(flat.text)))
            elif tag in wx.RUN_CONTAINERS:
                walk(child, counted)

    walk(p, True)
    ppr = p.find(wx.PPR)
    if ppr is not None:
        rpr = ppr.find(wx.RPR)
        flat.mark_revised = rpr is not None and any(c.tag in REVISION_TAGS for c in rpr)
    return flat


@dataclass
class Span:
    """A bound prose part or number: the text of paragraph p between two anchors (a marker
    element, or None for the paragraph's start or end)."""

    part: Part
    p: etree._Element
    start: etree._Element | None
    end: etree._Element | None

    def bounds(self, flat: Flat | None = None) -> tuple[int, int]:
        flat = flat or flatten(self.p)
        a = 0 if self.start is None else flat.at.get(self.start, 0)
        b = len(flat.text) if self.end is None else flat.at.get(self.end, len(flat.text))
        return a, b

    @property
    def text(self) -> str:
        flat = flatten(self.p)
        a, b = self.bounds(flat)
        return flat.text[a:b] if a <= b else ""

    @property
    def pending(self) -> bool:
        """Tracked changes not yet accepted or rejected inside this part."""
        flat = flatten(self.p)
        a, b = self.bounds(flat)
        if flat.mark_revised and self.start is None and self.end is None:
            return True
        return any((ra < b and rb > a) or (ra == rb and a < ra < b) or (ra == rb == a == b)
                   for ra, rb in flat.revised)


@dataclass
class TablePlace:
    part: Part
    tbl: etree._Element


@dataclass
class Found:
    """Where the record's parts are in one document; `missing` names those not there."""

    spans: dict[str, Span]
    tables: dict[str, TablePlace]
    missing: list[Part]
    broken: list[Part]  # markers found but no longer around one stretch of one paragraph
    order: dict[str, int]  # part name -> position in the document, for pairing in order

    def located(self, name: str) -> bool:
        return name in self.spans or name in self.tables


def paragraph_of(el: etree._Element) -> etree._Element | None:
    node = el.getparent()
    while node is not None and node.tag != wx.P:
        if node.tag in (wx.w("body"), wx.TC, wx.w("txbxContent")):
            return None
        node = node.getparent()
    return node


def _end_anchor(start_p: etree._Element, end: etree._Element) -> tuple[bool, etree._Element | None]:
    """(usable, anchor) for an end marker relative to the start's paragraph: the marker
    itself in the same paragraph, or None (the paragraph's end) when Word put it at body
    level after the paragraph or at the very start of the next one."""
    end_p = paragraph_of(end)
    if end_p is start_p:
        return True, end
    if end_p is None:
        prev = end.getprevious()
        while prev is not None and prev.tag in (START, END):
            prev = prev.getprevious()
        return prev is start_p, None
    nxt = start_p.getnext()
    if end_p is nxt and flatten(end_p).at.get(end, 1) == 0:
        return True, None
    return False, None


def _start_anchor(start: etree._Element) -> tuple[etree._Element | None, etree._Element | None]:
    """(paragraph, anchor) of a start marker; at body level it opens the next paragraph."""
    p = paragraph_of(start)
    if p is not None:
        return p, start
    nxt = start.getnext()
    while nxt is not None and nxt.tag in (START, END):
        nxt = nxt.getnext()
    return (nxt, None) if nxt is not None and nxt.tag == wx.P else (None, None)


def _table_of(el: etree._Element) -> etree._Element | None:
    node = el.getparent()
    while node is not None and node.tag != wx.TBL:
        node = node.getparent()
    return node


def locate(body: etree._Element, record: Record) -> Found:
    parts = record.by_name()
    starts: dict[str, etree._Element] = {}
    for el in body.iter(START):
        name = el.get(wx.w("name"), "")
        if name in parts and name not in starts:
            starts[name] = el
    ends = {}
    for el in body.iter(END):
        ends.setdefault(el.get(wx.w("id")), el)
    found = Found({}, {}, [], [], {})
    position = {el: i for i, el in enumerate(body.iter(START))}
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
        p, anchor = _start_anchor(start)
        end = ends.get(start.get(wx.w("id")))
        if p is None or end is None:
            found.broken.append(part)
            continue
        usable, end_anchor = _end_anchor(p, end)
        if not usable:
            found.broken.append(part)
            continue
        span = Span(part, p, anchor, end_anchor)
        a, b = span.bounds()
        if a > b:
            found.broken.append(part)
            continue
        found.spans[name] = span
    return found


def table_after(p: etree._Element) -> etree._Element | None:
    """The table right after a caption paragraph (skipping empty paragraphs)."""
    nxt = p.getnext()
    while nxt is not None and nxt.tag == wx.P and not wx.text_of(nxt).strip():
        nxt = nxt.getnext()
    return nxt if nxt is not None and nxt.tag == wx.TBL else None
