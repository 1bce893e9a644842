"""What a table or a figure is, declared once: everything else derives from the declaration.

A TableArtifact names its key (tables/<key>.csv, `"<key>" | table_ref`), the template
that words its title and notes, the builder that turns Results into its body, when it
applies and when the manuscript shows it, and the Results it reads (Keys; a test runs
the builder against a recording proxy and fails on a read they do not cover). A
FigureArtifact names its key (figures/<key>.*, `"<key>" | figure_ref`), the template of
its title and legend, and its panels, each drawn by a function of the figures layer
named by its import path, so that this layer never imports matplotlib; a panel's reads
are its cache key, and the numbers it prints go to the change report. Each artifact is
one module (present/tables/, present/figures/); citation order, numbering, captions, CSV
and figure files, legends, cache keys and the change report all read the catalogue
(catalogue.py), which only lists them.

Declarations hold module-level functions only (no lambdas), so that a catalogue can be
sent to the figure worker.

An artifact's template may also carry a `results` part: Markdown placed at the end of
the Results subsection named by `section` (created after the others when the base
template has no such heading), so a new table brings the sentence that cites it; and a
`methods` part, placed at the end of the Methods' 'Statistical analysis', so it brings
the sentence that says how its numbers were computed. Artifacts are placed in catalogue
order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..results.keys import Key

if TYPE_CHECKING:
    from ..config import FigureConfig
    from ..results import Results
    from .fmt import Style
    from .tables.spec import TableSpec


def always(_results: Results) -> bool:
    return True


def _keys(reads: tuple[Key | str, ...]) -> tuple[Key, ...]:
    """Declared reads as Keys: written as text ('survival.pfs'), checked when declared."""
    return tuple(r if isinstance(r, Key) else Key.parse(r) for r in reads)


@dataclass(frozen=True)
class TableArtifact:
    key: str
    template: str  # e.g. "tables/baseline.md.j2": parts `title`, `notes` and optionally `results`
    build: Callable[[Results, Style], TableSpec]
    reads: tuple[Key, ...]  # what of Results the builder reads (text is parsed into Keys)
    # Whether the manuscript shows it; the CSV in tables/ is written whenever the table applies
    shown: Callable[[Results], bool] = always
    applies: Callable[[Results], bool] = always
    section: str = ""  # the Results subsection its `results` part goes under
    name: str = ""  # what the change report calls it ('Adverse events'); default: the key

    def __post_init__(self) -> None:
        object.__setattr__(self, "reads", _keys(self.reads))
        object.__setattr__(self, "name", self.name or self.key)


@dataclass(frozen=True)
class Panel:
    """One figure file in figures/, drawn by `draw(results, config, *args) -> Figure`."""

    key: str
    draw: str  # "package.module:function", imported by the figure worker only
    reads: tuple[Key, ...]  # what of Results it draws: its cache key (text is parsed)
    args: tuple[Any, ...] = ()
    # Numbers printed inside the drawing, for the change report: key -> (label, text)
    printed: Callable[[Results, Panel], dict[Key, tuple[str, str]]] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "reads", _keys(self.reads))


PanelChooser = Callable[["Results", "FigureConfig"], tuple[Panel, ...]]


@dataclass(frozen=True)
class FigureArtifact:
    key: str
    template: str  # e.g. "figures/figure1.md.j2": parts `title`, `legend` (and `results`)
    panels: PanelChooser  # the panels this study's figure shows, in letter order
    columns: int = 1  # composite layout: panels per row (1: one under another)
    shown: Callable[[Results], bool] = always
    section: str = ""


@dataclass(frozen=True)
class Catalogue:
    """Every table and figure a build can make, in the order they are listed in outputs.

    Frozen and passed down explicitly; `with_artifacts` makes an extended copy (a study
    type or a test can add an artifact without touching this package)."""

    tables: tuple[TableArtifact, ...]
    figures: tuple[FigureArtifact, ...]
    _index: dict[str, TableArtifact | FigureArtifact] = field(default_factory=dict,
                                                                repr=False, compare=False)

    def __post_init__(self) -> None:
        seen: dict[str, TableArtifact | FigureArtifact] = {}
        for artifact in (*self.tables, *self.figures):
            if artifact.key in seen:
                raise ValueError(f"artifact key {artifact.key!r} is declared twice")
            seen[artifact.key] = artifact
        self._index.update(seen)

    def with_artifacts(self, *artifacts: TableArtifact | FigureArtifact) -> Catalogue:
        return replace(self, tables=(*self.tables, *(a for a in artifacts
                                                      if isinstance(a, TableArtifact))),
                       figures=(*self.figures, *(a for a in artifacts
                                                 if isinstance(a, FigureArtifact))),
                       _index={})

    def table(self, key: str) -> TableArtifact:
        found = self._index.get(key)
        if not isinstance(found, TableArtifact):
            raise KeyError(f"unknown table {key!r}; tables are "
                           f"{', '.join(t.key for t in self.tables)}")
        return found

    def figure(self, key: str) -> FigureArtifact:
        found = self._index.get(key)
        if not isinstance(found, FigureArtifact):
            raise KeyError(f"unknown figure {key!r}; figures are "
                           f"{', '.join(f.key for f in self.figures)}")
        return found

    def build_tables(self, results: Results, style: Style | None = None
                     ) -> dict[str, TableSpec]:
        """The body of every table that applies to this study, by key, in catalogue order."""
        from .fmt import DEFAULT

        return {t.key: t.build(results, style or DEFAULT) for t in self.tables
                if t.applies(results)}

    def panels(self, results: Results, config: FigureConfig) -> dict[str, tuple[Panel, ...]]:
        """figure key -> the panels it shows for this study (a figure may show none)."""
        return {f.key: f.panels(results, config) for f in self.figures}
