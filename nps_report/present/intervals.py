"""Footnote letters for intervals that are not real intervals, given as tables print them.

A table builder asks `Footnotes.mark(kind)` for each row whose interval is degenerate or
cut at a bound (results.interval_bound, SurvivalSummary.bound), sets the letter on the
row, and hands the (letter, kind) pairs to its template in TableSpec.footnotes, which
words them (templates/_macros.j2, interval_notes).
"""

from __future__ import annotations

from ..vocab import letters

MEDIAN_CUT = "median_truncated"  # a symmetric median interval cut at 0 months


class Footnotes:
    """Letters in order of first use, one per kind of footnote, after `start` letters."""

    def __init__(self, start: int = 0) -> None:
        self.start = start
        self.kinds: list[str] = []

    def mark(self, kind: str | None) -> str:
        """The kind's letter ('a'), or '' for None."""
        if kind is None:
            return ""
        if kind not in self.kinds:
            self.kinds.append(kind)
        return letters(self.start + self.kinds.index(kind)).lower()

    @property
    def footnotes(self) -> tuple[tuple[str, str], ...]:
        return tuple((letters(self.start + i).lower(), kind) for i, kind in enumerate(self.kinds))
