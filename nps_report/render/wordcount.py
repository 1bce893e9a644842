"""Word counts of the abstract and the main text, as journals count them, and the title-page line.

The rule, made explicit because journals state limits without saying how they count:

- A word is a run of characters between spaces, as Microsoft Word counts: 'progression-free',
  '4.7–6.7', '95%' and a citation '[1,2]' are one word each, and so is a lone '±'.
- Main text: the paragraphs, list items and quotes of the introduction, methods, results,
  discussion and conclusions (level-1 sections, named through `headings`). Section and
  subsection headings are not counted; citations in the text are.
- Not main text: the title page (everything before the first section), the abstract and
  keywords, declarations and acknowledgments, references, tables (titles, bodies, notes),
  figure legends and figures.
- Abstract: its paragraphs without the structure's headings (a run-in 'Background:' or a
  heading line) and without the keywords line.
- Highlighted placeholders ('[Introduction: write in manuscript/introduction.md]') are not
  the authors' text yet and count for nothing.

Tables are counted as Table elements; figures as legends (or images when a figure has no
legend); references as the items of the references section.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import Notice
from ..present.fmt import fmt_int
from .model import Block, Element, FigureImages, FigureLegend, Table

MAIN_TEXT = ("introduction", "methods", "results", "discussion", "conclusions")
KEYWORD_LABELS = ("keywords", "key words")
# Headings the current templates and the shipped journal profiles print, by section id.
DEFAULT_HEADINGS = {
    "abstract": "abstract", "introduction": "introduction", "background": "introduction",
    "methods": "methods", "patients and methods": "methods",
    "materials and methods": "methods", "results": "results", "discussion": "discussion",
    "conclusions": "conclusions", "conclusion": "conclusions", "references": "references",
    "figure legends": "figure_legends", "acknowledgments": "declarations",
    "acknowledgements": "declarations", "declarations": "declarations",
}


@dataclass(frozen=True)
class WordCounts:
    abstract: int
    main_text: int
    tables: int
    figures: int
    references: int
    by_section: tuple[tuple[str, int], ...] = ()  # main-text sections in reading order


def count_words(text: str) -> int:
    """Words as Microsoft Word counts them: runs of non-space characters."""
    return len(text.split())


def word_counts(elements: Sequence[Element],
                headings: Mapping[str, str] | None = None) -> WordCounts:
    """Count a composed manuscript. headings: heading text -> section id, e.g. built from a
    journal profile as {s.heading: s.id for s in profile.sections if s.heading}; the
    defaults cover the headings the templates print today."""
    names = {**DEFAULT_HEADINGS, **{k.strip().lower(): v for k, v in (headings or {}).items()}}
    section: str | None = None
    abstract = tables = references = 0
    legends: set[int] = set()
    images: set[int] = set()
    main: dict[str, int] = {}
    for element in elements:
        if isinstance(element, Table):
            tables += 1
        elif isinstance(element, FigureLegend):
            legends.add(element.number)
        elif isinstance(element, FigureImages):
            images.add(element.number)
        elif isinstance(element, Block):
            if element.kind == "heading" and element.level == 1:
                section = names.get(element.text.strip().lower(), "other")
                continue
            if element.kind == "heading":
                continue
            if all(r.mark for r in element.runs):
                continue  # a placeholder for the authors is not text yet
            if section in MAIN_TEXT:
                main[section] = main.get(section, 0) + _words(element.runs)
            elif section == "abstract":
                abstract += _abstract_words(element)
            elif section == "references" and (element.marker or element.kind == "p"):
                references += 1
    return WordCounts(abstract, sum(main.values()), tables, len(legends | images), references,
                      tuple(main.items()))


def _abstract_words(block: Block) -> int:
    """A paragraph's words less its run-in label; the keywords line counts for nothing."""
    runs = block.runs
    if runs and runs[0].bold and runs[0].text.strip().endswith(":"):
        label = runs[0].text.strip().rstrip(":").strip().lower()
        if label in KEYWORD_LABELS:
            return 0
        runs = runs[1:]
    return _words(runs)


def _words(runs) -> int:
    """Words of the runs, leaving out placeholders (marked runs) the authors must replace."""
    return count_words("".join(r.text if not r.mark else " " for r in runs))


def counts_line(counts: WordCounts) -> str:
    """The title-page line: 'Word count: abstract 248, main text 2950; 3 tables; 2 figures.'"""
    def n(value: int, noun: str) -> str:
        return f"{fmt_int(value)} {noun}{'' if value == 1 else 's'}"
    return (f"Word count: abstract {fmt_int(counts.abstract)}, main text "
            f"{fmt_int(counts.main_text)}; {n(counts.tables, 'table')}; "
            f"{n(counts.figures, 'figure')}.")


def over_limits(counts: WordCounts, abstract_limit: int | None, main_text_limit: int | None,
                journal: str = "the journal") -> list[Notice]:
    """A notice for each count above the journal's limit (limits come from the profile)."""
    notices = []
    for what, value, limit in (("abstract", counts.abstract, abstract_limit),
                               ("main text", counts.main_text, main_text_limit)):
        if limit is not None and value > limit:
            notices.append(Notice("word_limit", f"The {what} has {fmt_int(value)} words; "
                                  f"{journal} allows {fmt_int(limit)}."))
    return notices
