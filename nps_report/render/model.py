"""The paragraph model both writers consume, so the PDF and the Word file say the same words.

Prose arrives here from one place (templates and the authors' Markdown, parsed by
`markdown.py`); the HTML and DOCX writers only map these plain objects to their
formats and never see Jinja, Markdown or Results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Notice
from ..present.tables import TableSpec

if TYPE_CHECKING:
    from .checklist import ReportingChecklist
    from .submission import SubmissionPlan


@dataclass(frozen=True)
class Run:
    """A stretch of text with one look; '\\n' alone is a line break inside the paragraph."""

    text: str
    italic: bool = False
    bold: bool = False
    sup: bool = False
    sub: bool = False
    mark: bool = False  # an author placeholder, highlighted so nobody submits it by mistake
    # A generated quantity: the key of the Results value this text prints (living manuscript)
    binding: str | None = None


@dataclass(frozen=True)
class Block:
    """One paragraph-level unit.

    kind: p | heading | item | quote.  level: heading level (1-4) or list depth (1-...).
    marker: list marker ('•', '3.'); role: a layout hint both writers know
    (title, byline, affiliation, meta, note, legend, abstract).
    """

    runs: tuple[Run, ...]
    kind: str = "p"
    level: int = 0
    marker: str = ""
    role: str = ""
    # A generated paragraph's identity (None for the authors' own text)
    binding: str | None = None
    # Where a reader is sent (the checklist's page and line): 'section-methods',
    # 'declaration-funding'; the PDF names the place after it
    anchor: str = ""

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Table:
    """A numbered table: caption title, the body from a TableSpec, footnotes below it."""

    number: int
    title: tuple[Run, ...]
    spec: TableSpec
    notes: tuple[Block, ...] = ()


@dataclass(frozen=True)
class FigureLegend:
    """A figure's numbered legend, listed in the legends section (a Word caption)."""

    number: int
    title: tuple[Run, ...]
    legend: tuple[Run, ...]
    key: str = ""  # the figure's artifact key (figure1, ...)


@dataclass(frozen=True)
class FigureImages:
    """A figure's artwork: one image, or one per panel when no composite file exists."""

    number: int
    images: tuple[Path, ...]  # raster (PNG), for Word
    vector_images: tuple[Path, ...]  # SVG where drawn, else the PNGs, for the PDF
    alt: str = ""  # what the figure shows, for readers who cannot see it (its title)
    # The size it was drawn at (300 dpi), which is the size it prints at: both writers place
    # it so, and shrink it only when it is larger than the page (with a notice)
    size_mm: tuple[float, float] | None = None
    key: str = ""  # the figure's artifact key (figure1, ...), as its legend's


@dataclass(frozen=True)
class PageBreak:
    """Start a new page (tables, legends and figures each begin on a fresh page)."""


Element = Block | Table | FigureLegend | FigureImages | PageBreak


@dataclass(frozen=True)
class Quantity:
    """A generated value the manuscript prints: its binding key, what a reader calls it
    and the text printed (the record the living manuscript keeps in the .docx)."""

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Manuscript:
    """Everything both writers need, in reading order."""

    title: str
    authors: tuple[str, ...]
    keywords: tuple[str, ...]
    created: str  # ISO timestamp from results.provenance.built_at
    generator: str
    line_numbers: bool
    elements: tuple[Element, ...] = field(default=())
    quantities: tuple[Quantity, ...] = field(default=())  # every Run.binding, once
    results_digest: str = ""  # which Results the text was made from (the living record)
    data_cutoff: str | None = None
    language: str = "en-US"  # the journal's: the documents' language tag
    notices: tuple[Notice, ...] = ()  # what composing found for the user (spelling, limits)
    checklist: ReportingChecklist | None = None  # written beside it (checklist.py)
    submission: SubmissionPlan | None = None  # the journal's figure files (submission.py)
    # For blind review: the title page with the authors, written as title_page.pdf/.docx
    # beside a manuscript whose own title page names nobody
    title_page: Manuscript | None = None


def plain(text: str, **style: bool) -> tuple[Run, ...]:
    """A one-run tuple, for text made in code (labels, placeholders)."""
    return (Run(text, **style),)
