"""Telling the author where something is, as they would find it in Word: the headings it
sits under and the sentence, as it reads with every tracked change accepted."""

from __future__ import annotations

import re

from lxml import etree

from ..wordxml import text as wx
from ..wordxml.record import FIGURE, LEGEND, NUMBER, TABLE, TABLE_NOTE, TABLE_TITLE, Part, Record
from ..wordxml.text import readable
from .paragraphs import accepted_text

SENTENCE = 110  # characters of a sentence a message shows, at most
# a sentence ends at . ! ? followed by a space and not inside a number ('5.7 months')
SENTENCE_END = re.compile(r"(?<=[.!?])[\s\u2060]+(?=[\"'“‘(\[]?[A-Z0-9])")
HEADING_STYLE = re.compile(r"heading (\d)")


class Sections:
    """The headings each body-level block of a document sits under ('Results › Efficacy')."""

    def __init__(self, body: etree._Element, style_names: dict[str, str]) -> None:
        self.under: dict[etree._Element, str] = {}
        self.last: dict[etree._Element, str] = {}
        stack: list[tuple[int, str]] = []
        for block in body:
            if block.tag == wx.P:
                level = self._level(block, style_names)
                title = accepted_text(block).strip() if level is not None else ""
                if level is not None and title:
                    stack = [s for s in stack if s[0] < level] + [(level, title)]
            self.under[block] = " › ".join(t for _, t in stack)
            self.last[block] = stack[-1][1] if stack else ""

    @staticmethod
    def _level(p: etree._Element, style_names: dict[str, str]) -> int | None:
        style = p.find(f"{wx.PPR}/{wx.w('pStyle')}")
        name = style_names.get(style.get(wx.w("val"), ""), "") if style is not None else ""
        if (m := HEADING_STYLE.match(name)) is not None:
            return int(m.group(1))
        outline = p.find(f"{wx.PPR}/{wx.w('outlineLvl')}")
        level = outline.get(wx.w("val"), "9") if outline is not None else "9"
        return int(level) + 1 if level.isdigit() and level != "9" else None

    def _block(self, el: etree._Element) -> etree._Element | None:
        node = el
        while node is not None and node not in self.under:
            node = node.getparent()
        return node

    def of(self, el: etree._Element) -> str:
        block = self._block(el)
        return self.under.get(block, "") if block is not None else ""

    def heading(self, el: etree._Element) -> str:
        """The nearest heading above el."""
        block = self._block(el)
        return self.last.get(block, "") if block is not None else ""


def sentence_bounds(text: str, a: int, b: int) -> tuple[int, int]:
    """The start and end of the sentence (or sentences) of text holding [a, b)."""
    lo, hi = 0, len(text)
    for m in SENTENCE_END.finditer(text):
        if m.end() <= a:
            lo = m.end()
        elif m.start() >= b:
            hi = m.start()
            break
    return lo, hi


def sentence(text: str, a: int, b: int, width: int = SENTENCE) -> str:
    """The sentence of text holding [a, b), cut to about `width` characters around it at
    word boundaries, with … where it was cut."""
    lo, hi = sentence_bounds(text, a, b)
    piece, a, b = text[lo:hi], a - lo, b - lo
    if len(piece) > width:
        room = max(width - (b - a), 20)
        cut_lo, cut_hi = max(0, a - room // 2), min(len(piece), b + room - room // 2)
        if cut_lo > 0:
            space = piece.find(" ", cut_lo, max(a, cut_lo))
            cut_lo = space + 1 if space >= 0 else cut_lo
        if cut_hi < len(piece):
            space = piece.rfind(" ", min(b, cut_hi), cut_hi)
            cut_hi = space if space >= 0 else cut_hi
        piece = (("…" if cut_lo > 0 else "") + piece[cut_lo:cut_hi] +
                 ("…" if cut_hi < len(piece) else ""))
    return readable(piece.replace("\n", " ").replace("\t", " ").strip())


def snippet(text: str, a: int = 0, b: int = 0, width: int = SENTENCE) -> str:
    """Text cut to about `width` characters around [a, b) (any sentence)."""
    return sentence(text, a, b, width) if text else ""


def place(sections: Sections, p: etree._Element, a: int, b: int) -> str:
    """'Results › Efficacy: «…the sentence…»' for accepted text [a, b) of paragraph p."""
    head = sections.of(p)
    quoted = f"«{sentence(accepted_text(p), a, b)}»"
    return f"{head}: {quoted}" if head else quoted


def table_name(key: str, *records: Record) -> str:
    """'Table 3': a table key as the records label it (the newest first)."""
    for record in records:
        for p in record.parts:
            if p.kind == TABLE and p.key == key and p.label:
                return p.label
    return "A table"


def part_name(part: Part, partner: Part | None, new: Record, old: Record) -> str:
    """A part as a reader names it ('Objective response rate: %', 'Table 2 caption',
    'Figure 1 legend'); '' for a generated paragraph, which its place names."""
    label = (partner.label if partner is not None else "") or part.label
    if part.kind == NUMBER:
        return label or "A generated number"
    if part.kind == TABLE:
        return table_name(part.key, new, old)
    if part.kind == TABLE_TITLE:
        return f"{table_name(part.key, new, old)} caption"
    if part.kind == TABLE_NOTE:
        return f"{table_name(part.key, new, old)} note {part.index + 1}"
    if part.kind in (LEGEND, FIGURE):
        return label
    return ""
