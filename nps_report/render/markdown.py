"""Markdown (templated prose and the authors' files) to the paragraph model.

One parser for both sources, so a sentence built from Results and a sentence an
author wrote look alike in both outputs. markdown-it-py gives CommonMark-correct
emphasis, escapes and lists; small inline rules add ^superscript^ and ~subscript~
(pandoc's syntax) and ==highlight== (placeholders an author must fill). Raw HTML and
indented code blocks are off: an indented template line or a stray `<x>` stays text.
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .model import Block, Run
from .tracking import unmarked

_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_FLAGS = {"em": "italic", "strong": "bold", "sup": "sup", "sub": "sub", "mark": "mark"}


def escape(text: str) -> str:
    """Make any value literal Markdown: backslash every ASCII punctuation, no line breaks."""
    return _PUNCT.sub(r"\\\1", " ".join(str(text).split("\n")))


def _delimited_rule(marker: str, name: str, spaces: bool = False):
    """^x^ / ~x~ (no unescaped whitespace inside, as pandoc reads them) and ==x== (spaces ok)."""
    width = len(marker)

    def rule(state: StateInline, silent: bool) -> bool:
        src, start = state.src, state.pos
        if not src.startswith(marker, start):
            return False
        end = start + width
        while end < state.posMax and not src.startswith(marker, end):
            if src[end].isspace() and not spaces:
                return False
            end += 2 if src[end] == "\\" else 1
        if end >= state.posMax or end == start + width:
            return False
        if not silent:
            state.push(f"{name}_open", name, 1)
            # a line break inside (a placeholder written over several lines) is a space, as
            # it is anywhere else in a paragraph
            inner = " ".join(src[start + width:end].split("\n"))
            state.push("text", "", 0).content = _UNESCAPE.sub(r"\1", inner)
            state.push(f"{name}_close", name, -1)
        state.pos = end + width
        return True

    return rule


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).disable(["code", "html_block",
                                                             "html_inline"])
    md.inline.ruler.after("emphasis", "sup", _delimited_rule("^", "sup"))
    md.inline.ruler.after("sup", "sub", _delimited_rule("~", "sub"))
    md.inline.ruler.after("sub", "mark", _delimited_rule("==", "mark", spaces=True))
    return md


def to_blocks(text: str, heading_offset: int = 0, role: str = "") -> list[Block]:
    """Parse Markdown into Blocks; heading_offset demotes an author's '#' under a section."""
    blocks: list[Block] = []
    lists: list[list] = []  # stack of [marker kind, next number]
    marker, kind, level = "", "p", 0
    for tok in _parser().parse(text):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrGet("start") or 1)
            lists.append(["•" if tok.type == "bullet_list_open" else "1.", start])
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif tok.type == "list_item_open":
            top = lists[-1]
            marker = "•" if top[0] == "•" else f"{top[1]}."
            top[1] += 1
        elif tok.type == "heading_open":
            kind, level = "heading", min(int(tok.tag[1]) + heading_offset, 4)
        elif tok.type == "blockquote_open":
            kind = "quote"
        elif tok.type == "blockquote_close":
            kind = "p"
        elif tok.type == "inline":
            runs = inline_runs(tok.children or [])
            if lists:
                blocks.append(Block(runs, "item", len(lists), marker, role))
                marker = ""  # a second paragraph in the same item has no marker
            else:
                blocks.append(Block(runs, kind, level if kind == "heading" else 0, "", role))
        elif tok.type == "heading_close":
            kind, level = "p", 0
        elif tok.type in ("fence", "code_block"):
            blocks.append(Block((Run(tok.content.rstrip("\n")),), kind, 0, "", role))
    return blocks


def inline_runs(children: list[Token]) -> tuple[Run, ...]:
    """Flatten inline tokens into Runs, merging neighbours that look the same."""
    on = dict.fromkeys(_FLAGS.values(), False)
    runs: list[Run] = []
    href = ""
    link_start = 0

    binding: list[str | None] = [None]  # the key of the bound text being read, across tokens

    def add(text: str) -> None:
        pieces, binding[0] = unmarked(text, binding[0])
        for piece, key in pieces:
            _add(piece, key)

    def _add(text: str, key: str | None) -> None:
        if not text:
            return
        run = Run(text, **on, binding=key)
        if runs and runs[-1].text != "\n" and text != "\n" and _same(runs[-1], run):
            runs[-1] = Run(runs[-1].text + text, **on, binding=key)
        else:
            runs.append(run)

    for tok in children:
        name = tok.type.rsplit("_", 1)[0]
        if name in _FLAGS and tok.type.endswith(("_open", "_close")):
            on[_FLAGS[name]] = tok.type.endswith("_open")
        elif tok.type in ("text", "code_inline"):
            add(tok.content)
        elif tok.type == "softbreak":
            add(" ")
        elif tok.type == "hardbreak":
            add("\n")
        elif tok.type == "image":
            add(tok.content)
        elif tok.type == "link_open":
            href, link_start = str(tok.attrGet("href") or ""), len("".join(r.text for r in runs))
        elif tok.type == "link_close":
            shown = "".join(r.text for r in runs)[link_start:]
            if href and shown not in (href, href.removeprefix("mailto:")):
                add(f" ({href})")
    return tuple(runs)


def _same(a: Run, b: Run) -> bool:
    return (a.italic, a.bold, a.sup, a.sub, a.mark, a.binding) == (
        b.italic, b.bold, b.sup, b.sub, b.mark, b.binding)
