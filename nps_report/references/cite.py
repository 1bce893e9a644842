"""Citations in the authors' Markdown: find [@key] groups, number by first citation, rewrite.

Syntax is pandoc's bracketed citation, `[@key]` and `[@key1; @key2]` (also `@{key}` for a
key with unusual characters). `[@key1, @key2]` is read as two citations too: in a
numbered style a comma followed by another @key can only mean that, and authors write
it often. Anything else inside the brackets (a locator such as 'p. 5', a prefix such as
'see') is refused with the place it was found, because numbered medical styles cite
whole references. Brackets inside code, escaped brackets and links (`[@x](url)`) are
left alone, and so is a bare @ (e-mail addresses).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import Problem

TOKEN = re.compile(r"-?@(?:\{(?P<braced>[^{}]+)\}"
                   r"|(?P<plain>[A-Za-z0-9_](?:[\w:.#$%&\-+?<>~/]*\w)?))")
STARTS_CITE = re.compile(r"(?:^|[\s;,])-?@[\w{]")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
BACKTICKS = re.compile(r"`+")
DASH = "–"


@dataclass(frozen=True)
class AuthoredPart:
    """One of the authors' Markdown files: its part name, the path shown in messages, its text."""

    name: str
    path: str
    text: str


@dataclass(frozen=True)
class CitationGroup:
    """One bracketed citation: where it is and the keys it names, as written."""

    part: int
    start: int
    end: int
    line: int
    keys: tuple[str, ...]


def find_citations(part: AuthoredPart, index: int, problems: list[Problem]) -> list[CitationGroup]:
    """The citation groups of one part in reading order; malformed ones become problems."""
    text, found = part.text, []
    for start, end in _bracket_spans(text):
        body = text[start + 1:end - 1]
        if not STARTS_CITE.search(body):
            continue
        line = text.count("\n", 0, start) + 1
        keys = _keys(body)
        if keys is None:
            problems.append(Problem(
                f"{part.path}, line {line}",
                f"citation {text[start:end]!r} holds text besides citation keys; numbered "
                "reference styles cite whole references, so write only keys, e.g. [@a; @b]"))
            continue
        found.append(CitationGroup(index, start, end, line, tuple(keys)))
    return found


def _keys(body: str) -> list[str] | None:
    keys = []
    for piece in body.split(";"):
        items = piece.split(",") if all(_key(p) for p in piece.split(",")) else [piece]
        for item in items:
            key = _key(item)
            if key is None:
                return None
            keys.append(key)
    return keys


def _key(item: str) -> str | None:
    match = TOKEN.fullmatch(item.strip())
    return (match.group("braced") or match.group("plain")) if match else None


def _bracket_spans(text: str):
    """(start, end) of each [...] with no brackets inside, outside code, not a link."""
    pos, opened, fence = 0, None, None
    at_line_start = True
    while pos < len(text):
        if at_line_start:
            mark = FENCE.match(text, pos)
            if mark and (fence is None or (mark.group(1)[0] == fence[0]
                                           and len(mark.group(1)) >= len(fence))):
                fence = None if fence else mark.group(1)
                opened = None
            if fence:
                pos = _next_line(text, pos)
                continue
        char = text[pos]
        at_line_start = char == "\n"
        if char == "\\":
            pos += 2
            continue
        if char == "`":
            run = BACKTICKS.match(text, pos).group()
            close = text.find(run, pos + len(run))
            pos = pos + len(run) if close < 0 else close + len(run)
            continue
        if char == "[":
            opened = pos
        elif char == "]" and opened is not None:
            follow = text[pos + 1:pos + 2]
            if follow not in ("(", "[", ":"):
                yield opened, pos + 1
            opened = None
        elif char == "\n" and text[pos + 1:pos + 2] == "\n":
            opened = None  # a citation never spans paragraphs
        pos += 1


def _next_line(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end + 1


def number_keys(groups: Sequence[CitationGroup]) -> dict[str, int]:
    """Reference numbers by first citation in reading order (keys already canonical)."""
    numbers: dict[str, int] = {}
    for group in groups:
        for key in group.keys:
            numbers.setdefault(key, len(numbers) + 1)
    return numbers


def cite_text(numbers: Sequence[int], form: str, delimiter: str = ",",
              ranges: bool = True) -> str:
    """The Markdown for one citation: \\[1,2\\], (1–3) or ^4^ (numbers sorted, repeats dropped)."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    items: list[str] = []
    for low, high in runs:
        if ranges and high - low >= 2:
            items.append(f"{low}{DASH}{high}")
        else:
            items += [str(n) for n in range(low, high + 1)]
    body = delimiter.join(items)
    if form == "superscript":
        return f"^{body}^"
    if form == "parentheses":
        return f"({body})"
    return f"\\[{body}\\]"  # escaped: literal brackets, never a Markdown link


def rewrite(text: str, groups: Sequence[CitationGroup], numbers: Mapping[str, int],
            form: str, delimiter: str, ranges: bool) -> str:
    """`text` with each group replaced by its in-text form; a superscript hugs the word before."""
    out, last = [], 0
    for group in groups:
        before = text[last:group.start]
        if form == "superscript":
            before = before.rstrip(" \t")
            if before.endswith("\n") and not before.endswith("\n\n") and before.strip():
                before = before[:-1].rstrip(" \t")
        out += [before, cite_text([numbers[k] for k in group.keys], form, delimiter, ranges)]
        last = group.end
    out.append(text[last:])
    return "".join(out)
