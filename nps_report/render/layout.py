"""The manuscript's sections in the order and with the headings the journal asks for.

compose.py renders every piece once (title page, abstract parts, Methods, Results,
tables, legends, figures); the journal profile (nps_report/journals/) then decides what
goes where: section order and headings ('Patients and methods'), the abstract's
headings and whether they run in, the declarations and their headings, whether tables
sit in the text after the paragraph that first cites them or at the end, and the
title page's word counts, which can only be counted once everything else is in place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..journals.profile import JournalProfile
from .authored import AuthoredParts
from .model import Block, Element, FigureImages, FigureLegend, PageBreak, Run, Table, plain
from .wordcount import counts_line, word_counts

WORD_COUNT = "word-count"  # the title page's placeholder role, filled in last


@dataclass(frozen=True)
class Pieces:
    """Everything composed before the journal's layout is applied."""

    title_page: list[Block]
    abstract: dict[str, list[Block]]  # generated parts: 'methods', 'results'
    keywords: list[Block]
    methods: list[Block]  # the generated Methods (the authors' part goes before it)
    results: list[Block]
    tables: list[Table]  # in citation order
    legends: list[FigureLegend]
    figures: list[FigureImages]
    blind: bool = False  # the title page without authors (the title page file has them)


# Declarations that name people: on the separate title page in blind review
IDENTIFYING = ("author_contributions", "acknowledgments")


def section(heading: str, blocks: list[Block], section_id: str = "") -> list[Element]:
    """The level-1 heading, anchored by its section id (the checklist points to it)."""
    return [Block(plain(heading), "heading", 1, anchor=anchor(section_id) if section_id
                  else ""), *blocks]


def anchor(section_id: str) -> str:
    """The name a section's place has in the PDF: 'section-methods'."""
    return f"section-{section_id}"


def run_in(label: str, blocks: list[Block]) -> list[Block]:
    """'Background: ...' with the label in bold at the start of the first paragraph."""
    if blocks and blocks[0].kind == "p":
        first = blocks[0]
        return [replace(first, runs=(Run(label, bold=True), *first.runs)), *blocks[1:]]
    return [Block((Run(label.strip(), bold=True),)), *blocks]


def abstract_blocks(profile: JournalProfile, pieces: Pieces,
                    authored: AuthoredParts) -> list[Block]:
    """The abstract's paragraphs under the journal's headings, run in or on lines of their own."""
    out: list[Block] = []
    for h in profile.abstract.headings:
        blocks = pieces.abstract[h.part] if h.source == "generated" else authored.blocks(h.part)
        if profile.abstract.structure == "unstructured":
            out += blocks
        elif profile.abstract.heading_style == "run-in":
            out += run_in(f"{h.heading}: ", blocks)
        else:
            out += [Block(plain(h.heading), "heading", 2), *blocks]
    return out


def arrange(profile: JournalProfile, pieces: Pieces,
            authored: AuthoredParts) -> tuple[list[Element], tuple[int, int]]:
    """The elements in the journal's order, and where the abstract is (its own scope for
    abbreviations)."""
    elements: list[Element] = []
    abstract_at = (0, 0)
    in_text = profile.tables.placement == "in_text"
    results = _with_tables(pieces.results, pieces.tables) if in_text else pieces.results
    ids = [s.id for s in profile.sections]
    for s in profile.sections:
        heading = s.heading or ""
        if s.id == "title_page":
            first, *rest = anonymous(pieces.title_page) if pieces.blind else pieces.title_page
            elements += [replace(first, anchor=anchor("title_page")), *rest, PageBreak()]
        elif s.id == "abstract":
            start = len(elements)
            elements += section(heading or "Abstract", abstract_blocks(profile, pieces,
                                                                      authored), "abstract")
            if "keywords" not in ids:
                elements += pieces.keywords
            abstract_at = (start, len(elements))
        elif s.id == "keywords":
            elements += pieces.keywords
            abstract_at = (abstract_at[0], len(elements))
            elements.append(PageBreak())
        elif s.id == "introduction":
            elements += section(heading or "Introduction", authored.blocks("introduction"),
                                "introduction")
        elif s.id == "methods":
            elements += section(heading or "Methods",
                                [*authored.blocks("methods"), *pieces.methods], "methods")
        elif s.id == "results":
            elements += section(heading or "Results", results, "results")
        elif s.id in ("discussion", "conclusions"):
            elements += section(heading or s.id.capitalize(), authored.blocks(s.id), s.id)
        elif s.id == "declarations":
            elements += declarations(profile, authored, leave_out=IDENTIFYING if pieces.blind
                                     else ())
        elif s.id == "references":
            elements += section(heading or "References", authored.blocks("references"),
                                "references")
        elif s.id == "tables" and not in_text:
            for table in pieces.tables:
                elements += [PageBreak(), table]
        elif s.id == "figure_legends" and pieces.legends:
            elements += [PageBreak(), *section(heading or "Figure legends", [])]
            elements += pieces.legends
        elif s.id == "figures":
            for figure in pieces.figures:
                elements += [PageBreak(), figure]
    if not in_text and "tables" not in ids:  # the journal forgot them: at the end, not lost
        for table in pieces.tables:
            elements += [PageBreak(), table]
    if "figures" not in ids:  # uploaded separately, shown at the end for the reader
        for figure in pieces.figures:
            elements += [PageBreak(), figure]
    return elements, abstract_at


def declarations(profile: JournalProfile, authored: AuthoredParts,
                 leave_out: tuple[str, ...] = (), only: tuple[str, ...] = ()) -> list[Element]:
    """Each declaration the journal asks for under its heading: the authors' text, a marked
    placeholder where a required one is missing; an optional one only when written.
    `leave_out` / `only`: declaration ids to skip, or to keep alone (blind review)."""
    out: list[Element] = []
    for d in profile.declarations:
        if d.id in leave_out or (only and d.id not in only):
            continue
        if not d.required and not authored.has(d.file_part):
            continue
        out += [Block(plain(d.heading), "heading", 2, anchor=f"declaration-{d.id}"),
                *authored.blocks(d.file_part)]
    return section("Declarations", out, "declarations") if out else []


def _with_tables(results: list[Block], tables: list[Table]) -> list[Element]:
    """Tables in the text: each after the paragraph that first cites it (journals that place
    tables 'at the appropriate points'); one nobody cites cannot exist (citations.py)."""
    out: list[Element] = []
    placed: set[str] = set()
    by_key = {t.spec.key: t for t in tables}
    for block in results:
        out.append(block)
        for run in block.runs:
            key = (run.binding or "").removeprefix("cite:table:")
            if key in by_key and key not in placed:
                placed.add(key)
                out.append(by_key[key])
    out += [t for k, t in by_key.items() if k not in placed]
    return out


def fill_word_counts(elements: list[Element], profile: JournalProfile,
                     counted: list[Element] | None = None) -> list[Element]:
    """The title page's word-count line, counted from the finished manuscript (`counted`,
    default: the elements themselves)."""
    counts = word_counts(elements if counted is None else counted,
                         {s.heading: s.id for s in profile.sections if s.heading})
    line = Block(plain(counts_line(counts)), role="meta")
    return [line if isinstance(e, Block) and e.role == WORD_COUNT else e for e in elements]


ANONYMOUS_ROLES = ("title", "running-title", WORD_COUNT)


def anonymous(title_page: list[Block]) -> list[Block]:
    """The title page without the authors, their affiliations, the correspondence address
    and ORCID iDs: the title, running title and word count only."""
    return [b for b in title_page if b.role in ANONYMOUS_ROLES]


def title_page_file(profile: JournalProfile, pieces: Pieces, authored: AuthoredParts,
                    counts_from: list[Element]) -> list[Element]:
    """What title_page.pdf/.docx holds in blind review: the full title page (word counts of
    the anonymised manuscript) and the declarations that name people."""
    page = fill_word_counts([*pieces.title_page], profile, counts_from)
    named = declarations(profile, authored, only=IDENTIFYING)
    return [*page, *named]
