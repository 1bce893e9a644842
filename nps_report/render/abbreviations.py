"""Abbreviations spelled out once, at their first use, in reading order.

Templates write `{{ "ORR" | abbr }}` where a sentence names the objective response rate;
the filter leaves a marker, and once the manuscript is assembled `expand()` walks it in
reading order: the first use in a scope reads 'objective response rate (ORR)', every
later one 'ORR'. The abstract is a scope of its own (journals ask for abbreviations to
be defined in both); the main text is another, and an abbreviation the authors define in
their own text ('progression-free survival (PFS)') counts as defined from there on.
Table footnotes keep their own abbreviation lists. The words come from vocab.py.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..present.fmt import capfirst
from ..vocab import ABBREVIATIONS
from .model import Block, Element

OPEN, CLOSE = "\ue020", "\ue021"  # private-use characters: never in real text
MARKER = re.compile(f"{OPEN}([A-Za-z]+)/([cp]*){CLOSE}")


def marker(short: str, capital: bool = False, plural: bool = False) -> str:
    """What the `abbr` filter prints; 'c' capitalises the spelled-out form, 'p' makes both
    plural ('confidence intervals (CIs)')."""
    if short not in ABBREVIATIONS:
        known = ", ".join(sorted(ABBREVIATIONS))
        raise KeyError(f"unknown abbreviation {short!r}; vocab.ABBREVIATIONS has {known}")
    return f"{OPEN}{short}/{'c' if capital else ''}{'p' if plural else ''}{CLOSE}"


class Scope:
    """The abbreviations defined so far in one part of the manuscript."""

    def __init__(self) -> None:
        self.defined: set[str] = set()

    def text(self, short: str, flags: str) -> str:
        plural = "s" if "p" in flags else ""
        if short in self.defined:
            return f"{short}{plural}"
        self.defined.add(short)
        words = ABBREVIATIONS[short] + plural
        return f"{capfirst(words) if 'c' in flags else words} ({short}{plural})"

    def learn(self, text: str) -> None:
        """Abbreviations an author defines in their own words: 'overall survival (OS)'."""
        for short, words in ABBREVIATIONS.items():
            if short not in self.defined and re.search(
                    rf"{re.escape(words)}s?\s*\({re.escape(short)}s?\)", text, re.IGNORECASE):
                self.defined.add(short)


def expand(elements: list[Element], abstract: tuple[int, int]) -> list[Element]:
    """The elements with every marker replaced; elements[abstract[0]:abstract[1]] are the
    abstract's own scope, everything else the main text's."""
    scopes = {"abstract": Scope(), "main": Scope()}
    out: list[Element] = []
    for i, element in enumerate(elements):
        scope = scopes["abstract" if abstract[0] <= i < abstract[1] else "main"]
        if not isinstance(element, Block):
            out.append(element)
            continue
        if element.binding is None:  # the authors' own text
            scope.learn(element.text)
        if not any(OPEN in r.text for r in element.runs):
            out.append(element)
            continue
        runs = tuple(replace(r, text=MARKER.sub(lambda m, s=scope: s.text(*m.groups()),
                                                r.text)) if OPEN in r.text else r
                     for r in element.runs)
        out.append(replace(element, runs=runs))
    return out
