"""Reading WordprocessingML as text and runs: what the tracked-changes writer compares.

Text follows python-docx's `paragraph.text` (w:t, tabs and breaks), so "accept all"
reproduces the text a reader of manuscript.docx sees. Runs are normalised to one
content element each, so that a run can be split at any character without losing
its formatting or any non-text content (pictures, field codes) it carries.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


P, TBL, TR, TC, R, T = w("p"), w("tbl"), w("tr"), w("tc"), w("r"), w("t")
RPR, PPR, TRPR, INS, DEL, DEL_TEXT = w("rPr"), w("pPr"), w("trPr"), w("ins"), w("del"), \
    w("delText")
CHARS = {w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-"}
# paragraph children whose runs are part of the paragraph's text
RUN_CONTAINERS = {w("hyperlink"), w("smartTag"), w("fldSimple"), w("ins"), w("moveTo"),
                  w("customXml"), w("sdt"), w("sdtContent"), w("dir"), w("bdo")}


def blocks(container: etree._Element) -> list[etree._Element]:
    """Paragraphs and tables directly in a body or table cell, in order."""
    return [c for c in container if c.tag in (P, TBL)]


def runs(el: etree._Element) -> Iterator[etree._Element]:
    """The runs that make up a paragraph's text (not those inside text boxes or deletions)."""
    for child in el:
        if child.tag == R:
            yield child
        elif child.tag in RUN_CONTAINERS:
            yield from runs(child)


def run_text(run: etree._Element) -> str:
    return "".join(c.text or "" if c.tag == T else CHARS.get(c.tag, "") for c in run)


def text_of(el: etree._Element) -> str:
    """A paragraph's text; a table's as rows of tab-separated cells."""
    if el.tag == P:
        return "".join(run_text(r) for r in runs(el))
    if el.tag == TBL:
        return "\n".join(row_text(tr) for tr in el.iter(TR))
    return ""


def row_text(tr: etree._Element) -> str:
    return "\t".join("\n".join(text_of(b) for b in blocks(tc)) for tc in tr.iter(TC))


def content(run: etree._Element) -> list[etree._Element]:
    return [c for c in run if c.tag != RPR]


def normalise_runs(p: etree._Element) -> None:
    """Split every run of p into runs of one content element each, formatting copied."""
    for run in list(runs(p)):
        items = content(run)
        if len(items) <= 1:
            continue
        rpr = run.find(RPR)
        for item in reversed(items[1:]):
            piece = etree.Element(R)
            if rpr is not None:
                piece.append(copy.deepcopy(rpr))
            piece.append(item)
            run.addnext(piece)


def piece_length(run: etree._Element) -> int:
    return len(run_text(run))


def split_run(run: etree._Element, offset: int) -> etree._Element:
    """Split a one-w:t run at a character offset; returns the new second run."""
    t = run.find(T)
    assert t is not None and 0 < offset < len(t.text or "")
    text = t.text or ""
    second = copy.deepcopy(run)
    set_text(t, text[:offset])
    set_text(second.find(T), text[offset:])
    run.addnext(second)
    return second


def set_text(t: etree._Element, text: str) -> None:
    t.text = text
    if text != text.strip():
        t.set(XML_SPACE, "preserve")


def text_pieces(p: etree._Element, cuts: set[int]) -> list[tuple[etree._Element, int, int]]:
    """Normalised runs of p as (run, start, end), text runs split at every offset in cuts."""
    normalise_runs(p)
    out = []
    pos = 0
    for run in list(runs(p)):
        n = piece_length(run)
        inner = sorted(c - pos for c in cuts if pos < c < pos + n)
        parts = [run]
        for offset in reversed(inner):  # from the right, so earlier offsets stay valid
            parts.insert(1, split_run(run, offset))
        out += [(part, pos + a, pos + b)
                for part, a, b in zip(parts, [0, *inner], [*inner, n], strict=True)]
        pos += n
    return out


WORD_JOINER = "\u2060"  # files written before issue 25 kept numeric ranges whole with it


def readable(text: str) -> str:
    """Text as a person reads it: without the invisible word joiners of ranges."""
    return text.replace(WORD_JOINER, "")
