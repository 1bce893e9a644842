"""Native Word revision marks (w:ins / w:del) on WordprocessingML, which python-docx cannot write.

The new document is marked in place, so everything it has (styles, fields, pictures,
hyperlinks) stays as it is; old text comes back only as deleted runs with the old
run formatting. Whole paragraphs and table rows carry the mark on their paragraph
mark or row properties too, so "reject all" removes them and "accept all" removes
the deleted ones, as Word and LibreOffice do.
"""

from __future__ import annotations

import copy

from lxml import etree

from ..wordxml import text as wx
from .align import word_opcodes

# elements of a deleted copy that point into the old package or must stay unique
DROP_IN_DELETED = {wx.w(t) for t in ("drawing", "pict", "object", "footnoteReference",
                                     "endnoteReference", "commentReference",
                                     "commentRangeStart", "commentRangeEnd", "bookmarkStart",
                                     "bookmarkEnd", "proofErr", "permStart", "permEnd")}
UNWRAP_IN_DELETED = {wx.w(t) for t in ("hyperlink", "smartTag", "fldSimple", "customXml")}
PPR_AFTER_RPR = {wx.w(t) for t in ("sectPr", "pPrChange")}


class Marker:
    """Makes revision elements with one author and date; ids are numbered at the end."""

    def __init__(self, author: str, date: str):
        self.author, self.date = author, date

    def mark(self, tag: str) -> etree._Element:
        el = etree.Element(tag)
        el.set(wx.w("id"), "0")
        el.set(wx.w("author"), self.author)
        el.set(wx.w("date"), self.date)
        return el

    def wrap(self, tag: str, first: etree._Element, last: etree._Element | None = None
             ) -> etree._Element:
        """Wrap the siblings first..last (inclusive) in a new w:ins or w:del."""
        wrapper = self.mark(tag)
        first.addprevious(wrapper)
        node: etree._Element | None = first
        while node is not None:
            nxt = node.getnext()
            wrapper.append(node)
            if last is None or node is last:
                break
            node = nxt
        return wrapper

    # -- whole blocks ---------------------------------------------------------------------

    def paragraph_mark(self, p: etree._Element, tag: str) -> None:
        """Mark the paragraph mark itself inserted or deleted (pPr/rPr/w:ins|w:del)."""
        ppr = p.find(wx.PPR)
        if ppr is None:
            ppr = etree.Element(wx.PPR)
            p.insert(0, ppr)
        rpr = ppr.find(wx.RPR)
        if rpr is None:
            rpr = etree.Element(wx.RPR)
            after = next((c for c in ppr if c.tag in PPR_AFTER_RPR), None)
            if after is not None:
                after.addprevious(rpr)
            else:
                ppr.append(rpr)
        rpr.insert(0, self.mark(tag))

    def inserted(self, el: etree._Element) -> None:
        """Mark a whole new paragraph, table or row as inserted."""
        for p in _paragraphs(el):
            for run in list(wx.runs(p)):
                if run.getparent().tag != wx.INS:
                    self.wrap(wx.INS, run)
            self.paragraph_mark(p, wx.INS)
        for tr in _rows(el):
            self.row_mark(tr, wx.INS)

    def deleted(self, el: etree._Element) -> etree._Element:
        """A copy of an old paragraph, table or row, marked deleted throughout."""
        el = copy.deepcopy(el)
        for node in [n for n in el.iter() if n.tag in DROP_IN_DELETED]:
            node.getparent().remove(node)
        for node in [n for n in el.iter() if n.tag in UNWRAP_IN_DELETED]:
            _unwrap(node)
        for node in el.iter(wx.T, wx.w("instrText")):
            node.tag = wx.DEL_TEXT if node.tag == wx.T else wx.w("delInstrText")
        for p in _paragraphs(el):
            for run in list(wx.runs(p)):
                if wx.content(run):
                    self.wrap(wx.DEL, run)
                else:  # nothing left once pictures are dropped
                    run.getparent().remove(run)
            self.paragraph_mark(p, wx.DEL)
        for tr in _rows(el):
            self.row_mark(tr, wx.DEL)
        return el

    def row_mark(self, tr: etree._Element, tag: str) -> None:
        """trPr/w:ins|w:del: the row itself comes or goes (after its other properties)."""
        trpr = tr.find(wx.TRPR)
        if trpr is None:
            trpr = etree.Element(wx.TRPR)
            exceptions = tr.find(wx.w("tblPrEx"))  # trPr must follow it
            if exceptions is not None:
                exceptions.addnext(trpr)
            else:
                tr.insert(0, trpr)
        trpr.append(self.mark(tag))

    # -- within a paragraph ---------------------------------------------------------------

    def edit_paragraph(self, old: etree._Element, new: etree._Element) -> None:
        """Mark word-level differences between two paired paragraphs inside `new`."""
        old_text, new_text = wx.text_of(old), wx.text_of(new)
        ops = [op for op in word_opcodes(old_text, new_text) if op[0] != "equal"]
        if not ops:
            return
        old_p = copy.deepcopy(old)
        old_pieces = wx.text_pieces(old_p, {b for op in ops for b in op[1:3]})
        pieces = wx.text_pieces(new, {b for op in ops for b in op[3:5]})
        for _, i1, i2, j1, j2 in reversed(ops):  # right to left: earlier anchors stay put
            wrappers = self._wrap_runs([r for r, a, b in pieces if j1 <= a < b <= j2])
            if i2 == i1:
                continue
            gone = self.deleted_runs([r for r, a, b in old_pieces if i1 <= a < b <= i2])
            if wrappers:
                wrappers[0].addprevious(gone)  # Word's order: deletion, then insertion
            elif (after := next((r for r, a, b in pieces if a >= j1 and b > a), None)) \
                    is not None:
                _outer(after).addprevious(gone)
            elif (last := next((r for r, a, b in reversed(pieces) if b > a), None)) \
                    is not None:
                _outer(last).addnext(gone)
            else:
                new.append(gone)

    def _wrap_runs(self, runs: list[etree._Element]) -> list[etree._Element]:
        """Wrap consecutive sibling runs in one w:ins each; returns the wrappers in order.
        Runs with only bookmark ends or starts between them are consecutive (a w:ins may
        hold those), so one change is one revision in Word and LibreOffice alike."""
        out: list[etree._Element] = []
        group: list[etree._Element] = []
        for run in [*runs, None]:
            if group and (run is None or _next_run(group[-1]) is not run):
                out.append(self.wrap(wx.INS, group[0], group[-1]))
                group = []
            if run is not None:
                group.append(run)
        return out

    def deleted_runs(self, runs: list[etree._Element]) -> etree._Element:
        gone = self.mark(wx.DEL)
        for run in runs:
            copied = copy.deepcopy(run)
            for t in copied.iter(wx.T):
                t.tag = wx.DEL_TEXT
            gone.append(copied)
        return gone


RANGE_MARKS = {wx.w("bookmarkStart"), wx.w("bookmarkEnd"), wx.w("proofErr")}


def _next_run(run: etree._Element) -> etree._Element | None:
    """The next sibling past bookmark and proofing marks."""
    node = run.getnext()
    while node is not None and node.tag in RANGE_MARKS:
        node = node.getnext()
    return node


def _outer(run: etree._Element) -> etree._Element:
    """A run, or the w:ins already wrapping it: where a neighbouring deletion may go."""
    parent = run.getparent()
    return parent if parent.tag == wx.INS else run


def _paragraphs(el: etree._Element) -> list[etree._Element]:
    return [el] if el.tag == wx.P else list(el.iter(wx.P))


def _rows(el: etree._Element) -> list[etree._Element]:
    return [el] if el.tag == wx.TR else list(el.iter(wx.TR))


def _unwrap(node: etree._Element) -> None:
    parent = node.getparent()
    for child in list(node):
        node.addprevious(child)
    parent.remove(node)
