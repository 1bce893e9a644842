"""Editing the author's paragraphs in place as tracked changes.

`retext` changes the text between two anchors of a paragraph into a new text, word by
word: the author's runs that go are wrapped in w:del (their formatting kept), the new
words come in w:ins runs formatted like the text they replace. Everything else in the
paragraph (the author's comments, bookmarks, fields, formatting) stays where it is, so
rejecting the changes gives the paragraph back exactly.
"""

from __future__ import annotations

import copy
import math

from lxml import etree

from ..compare.align import word_opcodes
from ..compare.revisions import Marker
from ..wordxml import text as wx
from .locate import END, START, Span, flatten

Piece = tuple[etree._Element, int, int]


def _order(p: etree._Element) -> dict[etree._Element, int]:
    return {el: i for i, el in enumerate(p.iter())}


def _between(p: etree._Element, start: etree._Element | None, end: etree._Element | None,
             pieces: list[Piece]) -> list[Piece]:
    """The pieces with text that lie between the two anchors in document order."""
    order = _order(p)
    lo = order[start] if start is not None else -1
    hi = order[end] if end is not None else math.inf
    return [pc for pc in pieces if pc[2] > pc[1] and lo < order[pc[0]] < hi]


def outer(run: etree._Element) -> etree._Element:
    """The run, or the revision wrapper around it: what a neighbour is placed next to."""
    node = run
    while node.getparent() is not None and node.getparent().tag in (wx.INS, wx.DEL):
        node = node.getparent()
    return node


def make_run(text: str, like: etree._Element | None) -> etree._Element:
    """A run printing text ('\\t' and '\\n' as tab and break) formatted like run `like`."""
    run = etree.Element(wx.R)
    rpr = like.find(wx.RPR) if like is not None else None
    if rpr is not None:
        rpr = copy.deepcopy(rpr)
        for change in rpr.findall(wx.w("rPrChange")):
            rpr.remove(change)
        run.append(rpr)
    chunk = ""
    for ch in [*text, None]:
        if ch in ("\t", "\n", None):
            if chunk:
                t = etree.SubElement(run, wx.T)
                wx.set_text(t, chunk)
                chunk = ""
            if ch is not None:
                etree.SubElement(run, wx.w("tab") if ch == "\t" else wx.w("br"))
        else:
            chunk += ch
    return run


def strike(marker: Marker, runs: list[etree._Element]) -> list[etree._Element]:
    """Wrap runs (consecutive siblings together) in w:del; their text becomes w:delText."""
    wrappers: list[etree._Element] = []
    group: list[etree._Element] = []
    for run in [*runs, None]:
        if group and (run is None or group[-1].getnext() is not run):
            wrappers.append(marker.wrap(wx.DEL, group[0], group[-1]))
            group = []
        if run is not None:
            group.append(run)
    for wrapper in wrappers:
        for el in wrapper.iter(wx.T, wx.w("instrText")):
            el.tag = wx.DEL_TEXT if el.tag == wx.T else wx.w("delInstrText")
    return wrappers


def retext(span: Span, new: str, marker: Marker) -> bool:
    """Make the span read `new`, as tracked changes; False if it already did."""
    p = span.p
    a, b = span.bounds()
    old = flatten(p).text[a:b]
    ops = [op for op in word_opcodes(old, new) if op[0] != "equal"]
    if not ops:
        return False
    cuts = {a + i for op in ops for i in op[1:3]}
    inside = _between(p, span.start, span.end, wx.text_pieces(p, cuts))
    fallback = inside[0][0] if inside else next(iter(wx.runs(p)), None)
    for _, i1, i2, j1, j2 in reversed(ops):  # right to left: offsets on the left stay valid
        lo, hi = a + i1, a + i2
        gone = strike(marker, [r for r, pa, pb in inside if lo <= pa and pb <= hi])
        if j2 == j1:
            continue
        before = next((r for r, pa, pb in inside if pb == lo), None)
        after = next((r for r, pa, pb in inside if pa == lo), None)
        like = gone[0].find(wx.R) if gone else (before if before is not None else
                                                  after if after is not None else fallback)
        ins = marker.mark(wx.INS)
        ins.append(make_run(new[j1:j2], like))
        if gone:
            gone[-1].addnext(ins)  # Word's order: the deletion, then the insertion
        elif before is not None:
            outer(before).addnext(ins)
        elif after is not None:
            outer(after).addprevious(ins)
        elif span.start is not None:
            span.start.addnext(ins)
        elif span.end is not None:
            span.end.addprevious(ins)
        else:
            p.append(ins)
    return True


def place_bookmark(container: Span, a: int, b: int, name: str, number: int) -> None:
    """A bookmark around the accepted text [a, b) of the container's paragraph, taking in a
    deletion right next to it, so that rejecting the changes leaves the old text inside."""
    p = container.p
    inside = _between(p, container.start, container.end, wx.text_pieces(p, {a, b}))
    covered = [r for r, pa, pb in inside if a <= pa and pb <= b]
    if not covered:
        return
    _split_wrapper(covered[0], before=True)
    _split_wrapper(covered[-1], before=False)
    first, last = outer(covered[0]), outer(covered[-1])
    prev, nxt = first.getprevious(), last.getnext()
    if prev is not None and prev.tag == wx.DEL:
        first = prev
    if nxt is not None and nxt.tag == wx.DEL:
        last = nxt
    start = etree.Element(START)
    start.set(wx.w("id"), str(number))
    start.set(wx.w("name"), name)
    end = etree.Element(END)
    end.set(wx.w("id"), str(number))
    first.addprevious(start)
    last.addnext(end)


def _split_wrapper(run: etree._Element, before: bool) -> None:
    """If run shares its w:ins or w:del with runs before (or after) it, move those into a
    wrapper of their own, so that the run's wrapper can take a bookmark at its edge."""
    wrapper = run.getparent()
    if wrapper is None or wrapper.tag not in (wx.INS, wx.DEL):
        return
    siblings = list(wrapper)
    at = siblings.index(run)
    moving = siblings[:at] if before else siblings[at + 1:]
    if not moving:
        return
    twin = etree.Element(wrapper.tag, dict(wrapper.attrib))
    twin.extend(moving)  # (ids are numbered afresh when the document is written)
    (wrapper.addprevious if before else wrapper.addnext)(twin)


def delete_block(el: etree._Element, marker: Marker) -> None:
    """Mark a paragraph, table or row deleted where it stands (bookmarks and comments kept)."""
    paragraphs = [el] if el.tag == wx.P else list(el.iter(wx.P))
    for p in paragraphs:
        strike(marker, [r for r in wx.runs(p) if wx.content(r)])
        marker.paragraph_mark(p, wx.DEL)
    for tr in [el] if el.tag == wx.TR else list(el.iter(wx.TR)):
        marker.row_mark(tr, wx.DEL)
