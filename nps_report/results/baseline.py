"""Table 1's rows: one BaselineVariable per row group study.yaml lists."""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import named
from .measures import Distribution, LevelCount


@dataclass(frozen=True)
class BaselineVariable:
    """One row group of Table 1; `levels` empty for continuous variables."""

    __key__ = "label"

    label: str
    type: str  # continuous | categorical | multi
    N: int
    summary: Distribution | None = None
    levels: tuple[LevelCount, ...] = ()
    n_missing: int = 0
    # study.yaml's definition of the row, a lettered footnote under Table 1
    note: str | None = field(default=None, metadata=named("Footnote"))

