"""Table and figure numbers in order of first citation, as journals require.

Templates cite `"baseline" | table_ref`, which leaves a marker in the text; once the
whole Results section is assembled (its own template and the `results` parts of the
artifacts, each in its subsection), `number()` replaces the markers in reading order,
so the first table cited becomes Table 1 wherever its sentence came from. The writers
place tables and figures in that order, so the numbers in the text, the captions and
the Word SEQ fields cannot disagree. Which tables and figures a study has comes from
the artifact catalogue; `check()` refuses a manuscript that leaves one of them uncited
(it would otherwise vanish without a word) or cites one the study does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .model import Block, Run

OPEN, CLOSE = "\ue010", "\ue011"  # private-use characters: never in real text
MARKER = re.compile(f"{OPEN}(table|figure):([^{CLOSE}]+){CLOSE}")


class CitationError(Exception):
    """The templates and the catalogue disagree about which tables and figures exist."""


@dataclass
class Citations:
    """Mutable on purpose: one per build, filled while the Results text is rendered.

    tables: the keys of the tables the manuscript shows. panels: for each figure it
    shows, the panels it really shows (a waterfall with no bars is dropped).
    """

    tables: tuple[str, ...]
    panels: dict[str, tuple[str, ...]]
    table_numbers: dict[str, int] = field(default_factory=dict)
    figure_numbers: dict[str, int] = field(default_factory=dict)

    def table(self, key: str) -> str:
        """A marker that number() turns into 'Table 2'."""
        if key not in self.tables:
            raise CitationError(f"a template cites table {key!r}, which this study does not "
                                f"have; its tables are {', '.join(self.tables) or 'none'}")
        return f"{OPEN}table:{key}{CLOSE}"

    def figure(self, key: str) -> str:
        """A marker that number() turns into 'Figure 1' for a whole figure or its only
        panel, 'Figure 1A' for one of several."""
        if key not in self.panels:
            self._figure_of(key)  # raises for an unknown panel
        return f"{OPEN}figure:{key}{CLOSE}"

    def number(self, blocks: list[Block]) -> list[Block]:
        """The blocks with every citation marker replaced, numbered in reading order; each
        citation is a run of its own, bound to 'cite:table:<key>' (its number may change)."""
        def cite(kind: str, key: str) -> str:
            if kind == "table":
                return f"Table {self.table_numbers.setdefault(key, len(self.table_numbers) + 1)}"
            fig = key if key in self.panels else self._figure_of(key)
            number = self.figure_numbers.setdefault(fig, len(self.figure_numbers) + 1)
            return f"Figure {number}{self.letter(key)}"

        def runs(block: Block) -> tuple[Run, ...]:
            out: list[Run] = []
            for run in block.runs:
                if OPEN not in run.text:
                    out.append(run)
                    continue
                at = 0
                for match in MARKER.finditer(run.text):
                    if match.start() > at:
                        out.append(replace(run, text=run.text[at:match.start()]))
                    kind, key = match.groups()
                    out.append(replace(run, text=cite(kind, key), binding=f"cite:{kind}:{key}"))
                    at = match.end()
                if at < len(run.text):
                    out.append(replace(run, text=run.text[at:]))
            return tuple(out)
        return [replace(b, runs=runs(b)) if any(OPEN in r.text for r in b.runs) else b
                for b in blocks]

    def letter(self, key: str) -> str:
        """'A', 'B', ... for a panel of a multi-panel figure; '' otherwise."""
        if key in self.panels:
            return ""
        panels = self.panels[self._figure_of(key)]
        return chr(ord("A") + panels.index(key)) if len(panels) > 1 else ""

    def _figure_of(self, panel: str) -> str:
        for fig, panels in self.panels.items():
            if panel in panels:
                return fig
        known = ", ".join([*self.panels, *(p for ps in self.panels.values() for p in ps)])
        raise CitationError(f"a template cites figure or panel {panel!r}, which this study "
                            f"does not have; known: {known}")

    def check(self) -> None:
        """Every table and figure of the study was cited (after all text is rendered)."""
        missing = [f"table {k!r}" for k in self.tables if k not in self.table_numbers]
        missing += [f"figure {k!r}" for k in self.panels if k not in self.figure_numbers]
        if missing:
            one = len(missing) == 1
            raise CitationError(f"{' and '.join(missing)} {'is' if one else 'are'} declared in "
                                f"the catalogue and appl{'ies' if one else 'y'} to this study, "
                                f"but no template cites {'it' if one else 'them'}: cite each "
                                "with `\"key\" | table_ref` or `\"key\" | figure_ref` in the "
                                "Results text, or in the `results` part of its own template")

    def table_order(self) -> list[str]:
        return sorted(self.table_numbers, key=self.table_numbers.__getitem__)

    def figure_order(self) -> list[str]:
        return sorted(self.figure_numbers, key=self.figure_numbers.__getitem__)
