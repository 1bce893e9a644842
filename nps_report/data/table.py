"""One table as read from a file: text cells, and where each row sits in that file."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Table:
    """Cells as stripped text ('' = blank) under the file's own headers, in file order.

    `rows` is the row a spreadsheet shows for each frame row (the header is row 1, blank
    lines count); `lines` the text-editor line where it starts, kept only for CSVs whose
    quoted cells span lines (elsewhere both are the same). `shown` maps a column's name
    in the frame to the header the user wrote, where `columns:` in study.yaml renamed it."""

    name: str
    source: str
    frame: pd.DataFrame
    rows: np.ndarray
    lines: np.ndarray | None = None
    shown: dict[str, str] = field(default_factory=dict)

    def where(self, i: int) -> tuple[int, str]:
        """(spreadsheet row, a note giving the text-editor line when it differs)."""
        row = int(self.rows[i])
        if self.lines is not None and int(self.lines[i]) != row:
            return row, f" (line {int(self.lines[i])} in a text editor)"
        return row, ""

    def header(self, column: str) -> str:
        return self.shown.get(column, column)

    def keep(self, mask: np.ndarray) -> None:
        """Keep only the rows where mask is True (row numbers travel with them)."""
        self.frame = self.frame[mask].reset_index(drop=True)
        self.rows = self.rows[mask]
        if self.lines is not None:
            self.lines = self.lines[mask]


def drop_blank_rows(table: Table) -> None:
    """Rows with every cell blank are a spreadsheet's empty rows, not records."""
    frame = table.frame
    if frame.empty or frame.shape[1] == 0:
        return
    candidates = frame.iloc[:, 0].eq("").to_numpy()
    if not candidates.any():
        return
    blank = candidates.copy()
    blank[candidates] = frame[candidates].eq("").all(axis=1).to_numpy()
    if blank.any():
        table.keep(~blank)


def apply_missing_values(table: Table, markers: tuple[str, ...]) -> None:
    """Cells holding one of study.yaml's missing_values become blank."""
    if markers and not table.frame.empty:
        table.frame = table.frame.mask(table.frame.isin(list(markers)), "")
