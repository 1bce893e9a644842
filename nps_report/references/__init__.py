"""References from manuscript/references.bib: cited as [@key], numbered, formatted by CSL.

`resolve_references(parts, bib, spec, language)` takes the authors' Markdown parts in
reading order, checks every citation against the .bib (an unknown key names the .md
file, the line and the nearest key), numbers references by first citation, rewrites each
citation to the journal's in-text form and formats the entries in the journal's CSL
style. Without a .bib nothing is rewritten and a hand-written references.md keeps
working; a citation with no .bib to resolve it is an error. An entry nobody cites is a
notice, not an error. pandoc and the CSL styles are imported only when there is
something to format.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Notice, Problem, StudyError
from .bibtex import BibEntry, BibError, parse_bibtex, read_bibtex
from .cite import AuthoredPart, CitationGroup, cite_text, find_citations, number_keys, rewrite

if TYPE_CHECKING:
    from ..journals.profile import ReferenceSpec

BIB_FILE = "manuscript/references.bib"


@dataclass(frozen=True)
class FormattedReference:
    """One numbered entry; `text` is Markdown without the number."""

    number: int
    key: str
    text: str


@dataclass(frozen=True)
class References:
    parts: tuple[AuthoredPart, ...]  # the authors' parts, citations rewritten
    entries: tuple[FormattedReference, ...]
    notices: tuple[Notice, ...] = ()

    def part(self, name: str) -> str:
        """The rewritten text of one part."""
        return next(p.text for p in self.parts if p.name == name)

    def markdown(self) -> str:
        """The reference list as a Markdown ordered list ('' when nothing is cited)."""
        return "\n".join(f"{e.number}. {e.text}" for e in self.entries)


class ReferencesError(StudyError):
    """Citations or the .bib file cannot be resolved; carries every problem found."""


def resolve_references(parts: Sequence[AuthoredPart | tuple[str, str | Path, str]],
                       bib: Path | None, spec: ReferenceSpec, language: str = "en-US",
                       bib_label: str = BIB_FILE) -> References:
    """Numbered, formatted references and the parts with their citations rewritten."""
    parts = tuple(p if isinstance(p, AuthoredPart) else AuthoredPart(p[0], str(p[1]), p[2])
                  for p in parts)
    problems: list[Problem] = []
    groups = [g for i, part in enumerate(parts) for g in find_citations(part, i, problems)]
    if bib is None or not bib.is_file():
        problems += [Problem(f"{parts[g.part].path}, line {g.line}",
                             f"cites {', '.join(repr(k) for k in g.keys)} but there is no "
                             f"{bib_label}", expected="the references in that BibTeX file")
                     for g in groups]
        if problems:
            raise ReferencesError(problems)
        return References(parts, ())
    entries = read_bibtex(bib.read_bytes(), bib_label)
    groups = _canonical(groups, parts, entries, problems, bib_label)
    if problems:
        raise ReferencesError(problems)
    numbers = number_keys(groups)
    texts = tuple(AuthoredPart(part.name, part.path, rewrite(
        part.text, [g for g in groups if g.part == i], numbers, spec.citation,
        spec.delimiter, spec.ranges)) for i, part in enumerate(parts))
    notices = _unused(entries, numbers, bib_label)
    if not numbers:
        return References(texts, (), notices)
    from .csl import format_entries

    keys = list(numbers)
    formatted, warnings = format_entries(bib, keys, spec.csl_style, language)
    if warnings:
        notices += (Notice("references_processor", "The reference processor reported:",
                           tuple(warnings)),)
    if spec.max_count is not None and len(keys) > spec.max_count:
        notices += (Notice("references_over_limit", f"The manuscript cites {len(keys)} "
                           f"references; the journal allows {spec.max_count}."),)
    result = tuple(FormattedReference(n, k, t) for n, (k, t) in enumerate(zip(keys, formatted,
                                                                              strict=True), 1))
    return References(texts, result, notices)


def reference_list(refs: References, handwritten: Path | None,
                   handwritten_label: str = "manuscript/references.md") -> tuple[str, tuple[
                       Notice, ...]]:
    """The References section's Markdown: the formatted .bib entries, or else the authors'
    hand-written references.md as it is (today's mechanism), or '' (a placeholder then)."""
    has_file = handwritten is not None and handwritten.is_file()
    if refs.entries:
        notices = (Notice("references_md_ignored", f"{handwritten_label} is not used: the "
                          f"reference list is built from {BIB_FILE}."),) if has_file else ()
        return refs.markdown(), notices
    if has_file:
        return handwritten.read_text(encoding="utf-8"), ()
    return "", ()


def _canonical(groups: list[CitationGroup], parts: Sequence[AuthoredPart],
               entries: Sequence[BibEntry], problems: list[Problem],
               bib_label: str) -> list[CitationGroup]:
    """Groups with each key spelt as in the .bib (keys ignore case, as BibTeX's do)."""
    by_lower = {e.key.lower(): e.key for e in entries}
    out = []
    for g in groups:
        keys = []
        for key in g.keys:
            found = by_lower.get(key.lower())
            if found is None:
                close = difflib.get_close_matches(key.lower(), by_lower, n=1, cutoff=0.6)
                hint = f" (did you mean {by_lower[close[0]]!r}?)" if close else ""
                problems.append(Problem(f"{parts[g.part].path}, line {g.line}",
                                        f"cites {key!r}, which is not in {bib_label}{hint}"))
            keys.append(found or key)
        out.append(CitationGroup(g.part, g.start, g.end, g.line, tuple(keys)))
    return out


def _unused(entries: Sequence[BibEntry], numbers: dict[str, int],
            bib_label: str) -> tuple[Notice, ...]:
    unused = [e for e in entries if e.key not in numbers]
    if not unused:
        return ()
    return (Notice("references_unused",
                   f"{len(unused)} of the {len(entries)} entries in {bib_label} "
                   "are not cited and are left out of the reference list.",
                   tuple(f"{e.key} (line {e.line})" for e in unused)),)


__all__ = ["AuthoredPart", "BibEntry", "BibError", "FormattedReference", "References",
           "ReferencesError", "cite_text", "parse_bibtex", "read_bibtex", "reference_list",
           "resolve_references"]
