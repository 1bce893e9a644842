"""Editing the author's paragraphs in place, as tracked changes by nps-report.

`retext` makes the accepted text between two offsets of a paragraph read a new text,
word by word: runs that go are wrapped in w:del (their formatting kept), the new words
come in w:ins runs formatted like the text they replace. Everything else in the
paragraph (comments, bookmarks, fields, formatting) stays where it is, so rejecting the
changes gives the paragraph back exactly.

Pending revisions already in the paragraph are respected, as Word does when you edit
over them: text nps-report itself inserted earlier (an update not yet accepted) is
simply taken out again, so rejecting still gives the author's file; text another author
inserted or moved here is deleted inside their revision (a w:del within their w:ins),
so accepting or rejecting theirs still means what it meant; and a new insertion never
goes inside another revision, which is split around it instead.
"""

from __future__ import annotations

import copy

from lxml import etree

from ..compare.align import word_opcodes
from ..compare.revisions import Marker
from ..wordxml import text as wx
from .paragraphs import END, REVISIONS, START, flatten

Piece = tuple[etree._Element, int, int]


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


def _split_after(wrapper: etree._Element, child: etree._Element) -> etree._Element:
    """Split a revision wrapper after one of its children; returns the first half (the
    wrapper itself, now ending with child)."""
    rest = list(wrapper)[list(wrapper).index(child) + 1:]
    if rest:
        twin = etree.Element(wrapper.tag, dict(wrapper.attrib))
        twin.extend(rest)  # (ids are numbered afresh when the document is written)
        wrapper.addnext(twin)
    return wrapper


def _split_before(wrapper: etree._Element, child: etree._Element) -> etree._Element:
    before = list(wrapper)[:list(wrapper).index(child)]
    if before:
        twin = etree.Element(wrapper.tag, dict(wrapper.attrib))
        twin.extend(before)
        wrapper.addprevious(twin)
    return wrapper


def place_next_to(el: etree._Element, new: etree._Element, after: bool) -> None:
    """Put `new` right after (or before) `el`, outside any revision wrapping el."""
    node = el
    while node.getparent() is not None and node.getparent().tag in REVISIONS:
        wrapper = node.getparent()
        (_split_after if after else _split_before)(wrapper, node)
        node = wrapper
    (node.addnext if after else node.addprevious)(new)


def _ours(run: etree._Element, author: str) -> etree._Element | None:
    """The pending insertion by `author` the run is in, if any."""
    parent = run.getparent()
    if parent is not None and parent.tag == wx.INS and parent.get(wx.w("author")) == author:
        return parent
    return None


def strike(marker: Marker, runs: list[etree._Element]) -> list[etree._Element]:
    """Delete runs as tracked changes: consecutive siblings go into one w:del (their text
    becomes w:delText); runs nps-report inserted and nobody accepted yet go outright."""
    wrappers: list[etree._Element] = []
    group: list[etree._Element] = []
    for run in [*runs, None]:
        if run is not None and (ins := _ours(run, marker.author)) is not None:
            ins.remove(run)
            if not len(ins):
                ins.getparent().remove(ins)
            continue
        if group and (run is None or group[-1].getnext() is not run):
            wrappers.append(marker.wrap(wx.DEL, group[0], group[-1]))
            group = []
        if run is not None:
            group.append(run)
    for wrapper in wrappers:
        for el in wrapper.iter(wx.T, wx.w("instrText")):
            el.tag = wx.DEL_TEXT if el.tag == wx.T else wx.w("delInstrText")
    return wrappers


def pieces(p: etree._Element, cuts: set[int]) -> list[Piece]:
    """The paragraph's accepted runs as (run, start, end), split at every cut."""
    return wx.text_pieces(p, cuts)


def retext(p: etree._Element, a: int, b: int, new: str, marker: Marker) -> bool:
    """Make the accepted text [a, b) of p read `new`, as tracked changes; False if it
    already did."""
    old = flatten(p).text[a:b]
    ops = [op for op in word_opcodes(old, new) if op[0] != "equal"]
    if not ops:
        return False
    found = pieces(p, {a + i for op in ops for i in op[1:3]} | {a, b})
    texts = [pc for pc in found if pc[2] > pc[1]]
    fallback = next((r for r, pa, pb in texts if a <= pa < b), texts[0][0] if texts else None)
    for _, i1, i2, j1, j2 in reversed(ops):  # right to left: offsets on the left stay valid
        lo, hi = a + i1, a + i2
        doomed = [r for r, pa, pb in texts if lo <= pa and pb <= hi]
        if j2 > j1:
            before = next((r for r, _, pb in reversed(texts) if pb == lo), None)
            after = next((r for r, pa, _ in texts if pa == lo), None)
            like = doomed[0] if doomed else before if before is not None else \
                after if after is not None else fallback
            ins = marker.mark(wx.INS)
            ins.append(make_run(new[j1:j2], like))
            if doomed:
                place_next_to(doomed[-1], ins, after=True)  # Word's order: deletion first
            elif before is not None:
                place_next_to(before, ins, after=True)
            elif after is not None:
                place_next_to(after, ins, after=False)
            else:
                p.append(ins)
        strike(marker, doomed)
    return True


# -- bookmarks --------------------------------------------------------------------------------


def markers(p: etree._Element, number: str) -> list[etree._Element]:
    return [el for el in p.iter(START, END) if el.get(wx.w("id")) == number]


def drop_bookmark(start: etree._Element | None, end: etree._Element | None) -> None:
    for el in (start, end):
        if el is not None and el.getparent() is not None:
            el.getparent().remove(el)


def place_bookmark(p: etree._Element, a: int, b: int, name: str, number: int
                   ) -> tuple[etree._Element, etree._Element]:
    """A bookmark around the accepted text [a, b) of p, taking in a deletion right next to
    it, so that rejecting the changes leaves the old text inside (a point at a if [a, b)
    holds no text); returns its markers."""
    found = pieces(p, {a, b})
    covered = [r for r, pa, pb in found if a <= pa and pb <= b and pb > pa]
    start = etree.Element(START)
    start.set(wx.w("id"), str(number))
    start.set(wx.w("name"), name)
    end = etree.Element(END)
    end.set(wx.w("id"), str(number))
    if not covered:
        at = next((r for r, pa, pb in found if pa >= a and pb > pa), None)
        if at is None:
            p.append(start)
        else:
            place_next_to(at, start, after=False)
        start.addnext(end)
        return start, end
    first, last = _edge(covered[0], before=True), _edge(covered[-1], before=False)
    prev, nxt = first.getprevious(), last.getnext()
    if prev is not None and prev.tag == wx.DEL:
        first = prev
    if nxt is not None and nxt.tag == wx.DEL:
        last = nxt
    first.addprevious(start)
    last.addnext(end)
    return start, end


def _edge(run: etree._Element, before: bool) -> etree._Element:
    """The run, or the revision wrappers around it split so that it is at their edge:
    the element a bookmark marker can be put next to."""
    node = run
    while node.getparent() is not None and node.getparent().tag in REVISIONS:
        wrapper = node.getparent()
        (_split_before if before else _split_after)(wrapper, node)
        node = wrapper
    return node


# -- whole blocks -----------------------------------------------------------------------------


def delete_block(el: etree._Element, marker: Marker) -> None:
    """Mark a paragraph, table or row deleted where it stands (bookmarks and comments kept)."""
    paragraphs = [el] if el.tag == wx.P else list(el.iter(wx.P))
    for p in paragraphs:
        strike(marker, [r for r in wx.runs(p) if wx.content(r)])
        marker.paragraph_mark(p, wx.DEL)
    for tr in [el] if el.tag == wx.TR else list(el.iter(wx.TR)):
        marker.row_mark(tr, wx.DEL)


def pending(el: etree._Element) -> bool:
    """Any tracked change (of anyone's) inside el."""
    return any(c.tag in REVISIONS or c.tag in (wx.w("rPrChange"), wx.w("pPrChange"))
               for c in el.iter())

