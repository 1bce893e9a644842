"""Telling the author where something is: the section heading above it and a snippet."""

from __future__ import annotations

from lxml import etree

from ..wordxml import text as wx

SNIPPET = 70  # characters of context a message shows


class Sections:
    """The heading each body-level block of a document sits under."""

    def __init__(self, body: etree._Element, style_names: dict[str, str]) -> None:
        self.under: dict[etree._Element, str] = {}
        heading = ""
        for block in body:
            if block.tag == wx.P and self._is_heading(block, style_names):
                heading = wx.text_of(block).strip() or heading
            self.under[block] = heading

    @staticmethod
    def _is_heading(p: etree._Element, style_names: dict[str, str]) -> bool:
        style = p.find(f"{wx.PPR}/{wx.w('pStyle')}")
        name = style_names.get(style.get(wx.w("val"), ""), "") if style is not None else ""
        outline = p.find(f"{wx.PPR}/{wx.w('outlineLvl')}")
        level = outline.get(wx.w("val"), "9") if outline is not None else "9"
        return name.startswith("heading") or level != "9"  # 9: body text

    def of(self, el: etree._Element) -> str:
        node = el
        while node is not None and node not in self.under:
            node = node.getparent()
        return self.under.get(node, "") if node is not None else ""


def snippet(text: str, a: int, b: int, width: int = SNIPPET) -> str:
    """The text around [a, b), cut at word boundaries, with … where it was cut."""
    if len(text) <= width:
        return text.replace("\n", " ")
    room = max(width - (b - a), 10)
    lo, hi = max(0, a - room // 2), min(len(text), b + room - room // 2)
    if lo > 0:
        space = text.find(" ", lo, a)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", b, hi)
        hi = space if space >= 0 else hi
    return (("…" if lo > 0 else "") + text[lo:hi] + ("…" if hi < len(text) else "")
            ).replace("\n", " ")


def place(sections: Sections, p: etree._Element, a: int, b: int) -> str:
    """'Discussion: «…snippet…»' for text [a, b) of paragraph p."""
    head = sections.of(p)
    quoted = f"«{snippet(wx.text_of(p), a, b)}»"
    return f"{head}: {quoted}" if head else quoted
