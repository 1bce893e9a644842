"""Column-level checks: each turns a text column into typed values and reports bad cells."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..errors import Problem, did_you_mean

MAX_PER_CHECK = 25  # a broken export can fail every row; list this many, then count the rest
NONTARGET_CODES = ("CR", "non-CR/non-PD", "PD", "NE", "none")
YES_NO = {"yes": True, "no": False, "y": True, "n": False, "true": True, "false": False,
          "1": True, "0": False}


class Checker:
    """Collects problems for one table; rows are numbered as a spreadsheet shows them."""

    def __init__(self, source: str, frame: pd.DataFrame):
        self.source = source
        self.frame = frame
        self.problems: list[Problem] = []

    def report(self, mask: pd.Series | np.ndarray, column: str, message: str, expected: str,
               values: pd.Series | None = None) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        shown = values if values is not None else self.frame[column]
        for i in idx[:MAX_PER_CHECK]:
            self.problems.append(Problem(self.source, message, row=int(i) + 2, column=column,
                                         value=shown.iloc[i], expected=expected))
        if len(idx) > MAX_PER_CHECK:
            self.problems.append(Problem(self.source, f"{len(idx) - MAX_PER_CHECK} more rows "
                                         f"with the same problem", column=column))

    def require_columns(self, columns: Iterable[str]) -> bool:
        present = list(self.frame.columns)
        ok = True
        for col in columns:
            if col not in present:
                ok = False
                close = difflib.get_close_matches(col, present, n=1, cutoff=0.6)
                hint = (f"did you mean '{close[0]}'?" if close else
                        "columns found: " + (", ".join(present) or "none"))
                self.problems.append(Problem(self.source, "required column missing", column=col,
                                             expected=f"a column named '{col}' ({hint})"))
        return ok

    def dates(self, column: str, required: bool) -> pd.Series:
        text = self.frame[column]
        blank = text.eq("")
        parsed = pd.to_datetime(text.where(~blank), format="%Y-%m-%d", errors="coerce")
        self.report(~blank & parsed.isna(), column, "not a valid date",
                    "a date as YYYY-MM-DD, e.g. 2021-03-15")
        if required:
            self.report(blank, column, "missing value", "a date as YYYY-MM-DD")
        return parsed

    def numbers(self, column: str, *, integer: bool, minimum: float, maximum: float | None = None,
                required: bool = True) -> pd.Series:
        text = self.frame[column]
        blank = text.eq("")
        num = pd.to_numeric(text.where(~blank), errors="coerce")
        bad = ~blank & num.isna()
        if integer:
            bad |= num.notna() & (num % 1 != 0)
        out_of_range = num.notna() & ((num < minimum) | (num > maximum if maximum is not None
                                                          else False))
        kind = "a whole number" if integer else "a number"
        rng = f">= {minimum:g}" if maximum is None else f"from {minimum:g} to {maximum:g}"
        self.report(bad, column, f"not {kind}", f"{kind} {rng}")
        self.report(~bad & out_of_range, column, "out of range", f"{kind} {rng}")
        if required:
            self.report(blank, column, "missing value", f"{kind} {rng}")
        return num.where(~bad & ~out_of_range)

    def choice(self, column: str, options: Iterable[str], required: bool = True) -> pd.Series:
        options = list(options)
        text = self.frame[column]
        bad = ~text.isin(options)
        if not required:
            bad &= text.ne("")
        self._report_choices(bad, column, options)
        return text

    def yes_no(self, column: str, required: bool = True) -> pd.Series:
        lowered = self.frame[column].str.lower()
        bad = ~lowered.isin(list(YES_NO))
        if not required:
            bad &= lowered.ne("")
        self._report_choices(bad, column, ["yes", "no"])
        return lowered.map(YES_NO).eq(True)

    def _report_choices(self, bad: pd.Series, column: str, options: list[str]) -> None:
        if not bad.any():
            return
        values = self.frame[column]
        for i in np.flatnonzero(bad.to_numpy())[:MAX_PER_CHECK]:
            self.problems.append(Problem(self.source, "unknown value", row=int(i) + 2,
                                         column=column, value=values.iloc[i],
                                         expected=did_you_mean(values.iloc[i], options)))
        extra = int(bad.sum()) - MAX_PER_CHECK
        if extra > 0:
            self.problems.append(Problem(self.source, f"{extra} more rows with unknown values",
                                         column=column))
