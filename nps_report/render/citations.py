"""Table and figure numbers in order of first citation, as journals require.

The Results template cites `"baseline" | table_ref`; the first table cited becomes
Table 1, and the writers place tables in that order, so the numbers in the text,
the captions and the Word SEQ fields cannot disagree. Uncited tables and figures
are left out (a study without adverse events has no adverse-event table).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..present.figure_data import FIGURE_PANELS

# A manuscript figure and the panels it can show, in panel order.
TABLE_KEYS = ("baseline", "efficacy", "adverse_events")


@dataclass
class Citations:
    """Mutable on purpose: one per build, filled while the Results text is rendered.

    panels: the panels each figure really shows (a waterfall with no bars is dropped).
    """

    panels: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(FIGURE_PANELS))
    tables: dict[str, int] = field(default_factory=dict)
    figures: dict[str, int] = field(default_factory=dict)

    def table(self, key: str) -> str:
        if key not in TABLE_KEYS:
            raise KeyError(f"unknown table {key!r}; tables are {', '.join(TABLE_KEYS)}")
        return f"Table {self.tables.setdefault(key, len(self.tables) + 1)}"

    def figure(self, key: str) -> str:
        """'Figure 1' for a whole figure or its only panel, 'Figure 1A' for one of several."""
        fig = key if key in self.panels else self._figure_of(key)
        number = self.figures.setdefault(fig, len(self.figures) + 1)
        return f"Figure {number}{self.letter(key)}"

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
        raise KeyError(f"unknown figure or panel {panel!r}; known: {known}")

    def table_order(self) -> list[str]:
        return sorted(self.tables, key=self.tables.__getitem__)

    def figure_order(self) -> list[str]:
        return sorted(self.figures, key=self.figures.__getitem__)
