"""A paragraph read as its reader sees it: every tracked change accepted.

Runs inside w:ins and w:moveTo count, runs inside w:del and w:moveFrom do not (whoever
made them); field codes do not, field results do. Markers (bookmark starts and ends) are
read as offsets into that text, since Word and LibreOffice move the marker elements
about freely.

LibreOffice 7.4 writes a bookmark's end one character early for every comment anchored
before it in the paragraph (it counts the comment's anchor as a character); `anchors`
counts such places, so a part whose markers read a little off can be checked against its
recorded text (locate.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from lxml import etree

from ..wordxml import text as wx

START, END = wx.w("bookmarkStart"), wx.w("bookmarkEnd")
ADDED = {wx.INS, wx.w("moveTo")}  # revisions whose runs are in the accepted text
REMOVED = {wx.DEL, wx.w("moveFrom")}
REVISIONS = ADDED | REMOVED
FORMAT_CHANGES = {wx.w(t) for t in ("rPrChange", "pPrChange")}
ANCHORS = {wx.w(t) for t in ("commentReference", "footnoteReference", "endnoteReference",
                             "drawing", "object", "pict")}


@dataclass
class Flat:
    """A paragraph's accepted text and where its markers and pending revisions are."""

    text: str = ""
    at: dict[etree._Element, int] = field(default_factory=dict)  # marker -> offset
    revised: list[tuple[int, int]] = field(default_factory=list)  # pending revisions
    anchors: int = 0  # comment and note anchors, pictures: what LibreOffice miscounts
    mark_revised: bool = False  # the paragraph mark itself is inserted or deleted


_read_only: dict[etree._Element, Flat] | None = None  # paragraphs read while nothing changes


@contextmanager
def read_only() -> Iterator[None]:
    """While the document is only read (check, and update before its first edit), each
    paragraph is flattened once."""
    global _read_only
    outer, _read_only = _read_only, {} if _read_only is None else _read_only
    try:
        yield
    finally:
        _read_only = outer


def flatten(p: etree._Element) -> Flat:
    if _read_only is not None:
        if p not in _read_only:
            _read_only[p] = _flatten(p)
        return _read_only[p]
    return _flatten(p)


def _flatten(p: etree._Element) -> Flat:
    flat = Flat()
    parts: list[str] = []
    length = 0

    def walk(el: etree._Element, counted: bool) -> None:
        nonlocal length
        for child in el:
            tag = child.tag
            if tag == wx.R:
                if counted:
                    piece = wx.run_text(child)
                    parts.append(piece)
                    length += len(piece)
                for inner in child:
                    if inner.tag in ANCHORS:
                        flat.anchors += 1
                    elif inner.tag == wx.RPR and any(c.tag in FORMAT_CHANGES for c in inner):
                        flat.revised.append((length, length))
            elif tag in (START, END):
                flat.at[child] = length
            elif tag in REVISIONS:
                before = length
                walk(child, counted and tag in ADDED)
                flat.revised.append((before, length))
            elif tag in wx.RUN_CONTAINERS:
                walk(child, counted)

    walk(p, True)
    flat.text = "".join(parts)
    ppr = p.find(wx.PPR)
    if ppr is not None:
        rpr = ppr.find(wx.RPR)
        flat.mark_revised = rpr is not None and any(c.tag in REVISIONS for c in rpr)
    return flat


def accepted_text(p: etree._Element) -> str:
    return flatten(p).text


def paragraph_of(el: etree._Element) -> etree._Element | None:
    """The paragraph an element sits in (None at body level or directly in a cell)."""
    node = el.getparent()
    while node is not None and node.tag != wx.P:
        if node.tag in (wx.w("body"), wx.TC, wx.w("txbxContent")):
            return None
        node = node.getparent()
    return node


def block_of(el: etree._Element) -> etree._Element:
    """The body-level element holding el (a paragraph, or the table it is in)."""
    node = el
    while node.getparent() is not None and node.getparent().tag != wx.w("body"):
        node = node.getparent()
    return node
