"""One spelling variant for the generated text: en-US or en-GB, as the journal profile says.

The templates write US English; `to_variant` turns generated text (template output,
legends, table notes, headings) into the profile's variant, keeping each word's case.
It never touches what it must not: proper names listed in spelling_en.tsv ('Response
Evaluation Criteria in Solid Tumors'), quoted text, inline code, and the terms the
caller passes (the study's adverse-event terms as CTCAE spells them, the drug). The
authors' own text is never rewritten: `variant_notice` only tells them which of their
words use the other variant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..errors import Notice

VARIANTS = ("en-US", "en-GB")
# A word: letters not joined to digits or '_' (identifiers such as bars_labelled stay)
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z]+(?![A-Za-z0-9_])")
QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|\"[^\"\n]*\"|`[^`\n]*`")


@dataclass(frozen=True)
class SpellingMap:
    us_to_gb: dict[str, str]
    gb_to_us: dict[str, str]
    names: tuple[str, ...]

    def table(self, variant: str) -> dict[str, str]:
        """Words to replace for text in `variant` (the other variant's spellings as keys)."""
        if variant not in VARIANTS:
            raise ValueError(f"unknown spelling variant {variant!r}; expected one of "
                             f"{', '.join(VARIANTS)}")
        return self.us_to_gb if variant == "en-GB" else self.gb_to_us


@cache
def spelling_map() -> SpellingMap:
    """The shipped word pairs and protected names (present/spelling_en.tsv)."""
    text = (resources.files(__package__) / "spelling_en.tsv").read_text(encoding="utf-8")
    pairs, names = {}, []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("= "):
            names.append(line[2:].strip())
            continue
        us, gb = line.split("\t")
        pairs[us] = gb
    return SpellingMap(pairs, {gb: us for us, gb in pairs.items()},
                       tuple(sorted(names, key=len, reverse=True)))


def _protected(text: str, keep: Iterable[str]) -> list[tuple[int, int]]:
    """Spans of text no spelling change may enter."""
    spans = [m.span() for m in QUOTED.finditer(text)]
    for term in [*spelling_map().names, *keep]:
        if term.strip():
            pattern = re.compile(rf"(?<![A-Za-z]){re.escape(term.strip())}(?![A-Za-z])",
                                 re.IGNORECASE)
            spans += [m.span() for m in pattern.finditer(text)]
    return spans


def _cased(word: str, replacement: str) -> str:
    """The replacement in the word's case: TUMOR -> TUMOUR, Tumor -> Tumour, tumor -> tumour."""
    if word.isupper() and len(word) > 1:
        return replacement.upper()
    if word[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


def _words(text: str, variant: str, keep: Iterable[str]):
    """(match, replacement) for each word in `text` spelt in the variant other than `variant`."""
    table = spelling_map().table(variant)
    spans = _protected(text, keep)
    for match in WORD.finditer(text):
        replacement = table.get(match.group().lower())
        if replacement and not any(a <= match.start() < b for a, b in spans):
            yield match, _cased(match.group(), replacement)


def to_variant(text: str, variant: str, keep: Iterable[str] = ()) -> str:
    """Generated text in `variant`; proper names, quotes, code and `keep` terms untouched."""
    keep = tuple(keep)
    out, last = [], 0
    for match, replacement in _words(text, variant, keep):
        out += [text[last:match.start()], replacement]
        last = match.end()
    return "".join(out) + text[last:]


def variant_notice(text: str, variant: str, source: str,
                   keep: Iterable[str] = ()) -> Notice | None:
    """A notice listing the authors' words in the other variant (their text stays as it is)."""
    found: dict[tuple[int, str], str] = {}
    line, counted = 1, 0  # lines counted up to each match in turn: linear in the text
    for match, replacement in _words(text, variant, tuple(keep)):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        found.setdefault((line, match.group()), replacement)
    if not found:
        return None
    other = "en-GB" if variant == "en-US" else "en-US"
    return Notice("spelling_variant",
                  f"{source} uses {other} spellings; the journal asks for {variant}.",
                  tuple(f"line {line}: {word!r} ({variant}: {new!r})"
                        for (line, word), new in found.items()))
