"""Column-level checks: each turns a text column into typed values and reports bad cells.

Vectorised for the common case (every cell fine); only the cells that fail are looked
at one by one, to say how each was read and what to write instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from ..config.dates import FORMAT, explain_date, parse_date
from ..errors import Problem, did_you_mean
from ..limits import CONTROL, NUMBER
from .headers import missing_column
from .table import Table

MAX_PER_CHECK = 25  # a broken export can fail every row; list this many, then count the rest
NONTARGET_CODES = ("CR", "non-CR/non-PD", "PD", "NE", "none")
INVESTIGATOR_CODES = ("CR", "PR", "SD", "PD", "NE", "non-CR/non-PD")
YES_NO = {"yes": True, "no": False, "y": True, "n": False, "true": True, "false": False,
          "1": True, "0": False}
# Texts that often stand for "missing" in exports; a value like this that fails a check
# gets the hint to leave the cell blank or declare it under missing_values in study.yaml.
MISSING_LIKE = {"na", "n/a", "n.a.", "nan", "none", "null", "nil", ".", "-", "--", "?",
                "missing", "unknown", "unk", "nd", "not done", "not available", "#n/a"}
_ISO_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


def missing_hint(value: object) -> str:
    text = str(value)
    if text.strip().casefold() not in MISSING_LIKE:
        return ""
    return (f"; if '{text}' means missing, leave the cell blank or list it in study.yaml: "
            f"missing_values: [\"{text}\"]")


def _code_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text).casefold()


class Checker:
    """Collects problems for one table, at the rows a spreadsheet shows."""

    def __init__(self, table: Table):
        self.table = table
        self.source = table.source
        self.frame = table.frame
        self.problems: list[Problem] = []

    def problem(self, i: int, column: str | None, message: str, value: object,
                expected: str | None) -> None:
        row, note = self.table.where(i)
        self.problems.append(Problem(self.source, message + note, row=row,
                                     column=None if column is None else
                                     self.table.header(column), value=value,
                                     expected=expected))

    def report(self, mask: pd.Series | np.ndarray, column: str, message: str,
               expected: str | Callable[[object], str], values: pd.Series | None = None,
               more: str = "more rows with the same problem") -> None:
        """One problem per True row of mask (MAX_PER_CHECK of them, then a count)."""
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(idx):
            return
        shown = values if values is not None else self.frame[column]
        for i in idx[:MAX_PER_CHECK]:
            value = shown.iloc[i]
            self.problem(int(i), column, message, value,
                         expected(value) if callable(expected) else expected)
        if len(idx) > MAX_PER_CHECK:
            self.problems.append(Problem(self.source, f"{len(idx) - MAX_PER_CHECK} {more}",
                                         column=self.table.header(column)))

    def require_columns(self, columns: Iterable[str]) -> bool:
        missing = [c for c in columns if c not in self.frame.columns]
        self.problems += [missing_column(self.table, c) for c in missing]
        return not missing

    def dates(self, column: str, required: bool) -> pd.Series:
        text = self.frame[column]
        blank = text.eq("")
        parsed = pd.to_datetime(text.where(~blank), format="%Y-%m-%d", errors="coerce")
        bad = ~blank & parsed.isna()  # (the format also takes 2021-3-5: unambiguous)
        if bad.any():
            parsed = parsed.where(~bad)
            idx = np.flatnonzero(bad.to_numpy())
            days = [parse_date(v) for v in text.to_numpy()[idx]]  # with a midnight time
            ok = np.array([d is not None for d in days])
            if ok.any():
                parsed.iloc[idx[ok]] = pd.to_datetime([d for d in days if d is not None])
            idx = idx[~ok]
            for i in idx[:MAX_PER_CHECK]:
                value = text.iloc[i]
                message, expected = explain_date(value)
                self.problem(int(i), column, message, value, expected + missing_hint(value))
            if len(idx) > MAX_PER_CHECK:
                self.problems.append(Problem(
                    self.source, f"{len(idx) - MAX_PER_CHECK} more rows with dates not "
                                 f"written as {FORMAT}", column=self.table.header(column)))
        if required:
            self.report(blank, column, "missing value", f"a date as {FORMAT}")
        return parsed

    def numbers(self, column: str, *, integer: bool, minimum: float, maximum: float | None = None,
                required: bool = True) -> pd.Series:
        text = self.frame[column]
        blank = text.eq("")
        num = pd.to_numeric(text.where(~blank), errors="coerce")
        bad = ~blank & (num.isna() | ~np.isfinite(num.fillna(0)))
        if integer:
            bad |= num.notna() & (num % 1 != 0)
        out_of_range = num.notna() & ((num < minimum) | (num > maximum if maximum is not None
                                                          else False))
        huge = ~bad & ~out_of_range & (num.abs() > NUMBER).fillna(False)
        kind = "a whole number" if integer else "a number"
        rng = f">= {minimum:g}" if maximum is None else f"from {minimum:g} to {maximum:g}"
        out_of_range &= ~huge
        self.report(bad, column, f"not {kind}", lambda v: f"{kind} {rng}" + _number_hint(v))
        self.report(~bad & out_of_range, column, "out of range", f"{kind} {rng}")
        self.report(huge, column, "too large a number", f"{kind} no larger than {NUMBER:,} "
                    "(no study holds a larger one: a typing error?)")
        if required:
            self.report(blank, column, "missing value", f"{kind} {rng}")
        return num.where(~bad & ~out_of_range & ~huge)

    def printable(self, column: str, max_chars: int) -> None:
        """Text the documents print (an id, an AE term, a Table 1 level): no character a
        document cannot hold, and not longer than max_chars. Checked on the distinct
        values first: 10^5 ids cost a join and one search."""
        text = self.frame[column]
        values = pd.unique(text)
        if max(map(len, values), default=0) > max_chars:
            self.report(text.str.len() > max_chars, column,
                        f"longer than {max_chars} characters", f"at most {max_chars} "
                        "characters", values=text.str.slice(0, 60) + "...")
        if CONTROL.search("".join(values)):
            self.report(text.str.contains(CONTROL), column, "holds a control character "
                        "(invisible, and no document can hold it)",
                        "the text without it (it may come from copying out of another "
                        "program)", values=text.map(lambda v: CONTROL.sub("?", v)))

    def choice(self, column: str, options: Iterable[str], required: bool = True, *,
               loose: bool = False) -> pd.Series:
        """Values from a fixed list; with loose, case, spaces and hyphens do not matter
        (`Non-CR/Non-PD` is `non-CR/non-PD`), and the canonical spelling is returned."""
        options = list(options)
        text = self.frame[column]
        if loose:
            canon = {_code_key(o): o for o in options}
            uniques = pd.unique(text)
            mapped = {u: canon.get(_code_key(u), u) for u in uniques}
            if any(k != v for k, v in mapped.items()):
                text = text.map(mapped)
        bad = ~text.isin(options)
        if not required:
            bad &= text.ne("")
        self.report(bad, column, "unknown value",
                    lambda v: did_you_mean(str(v), options) + missing_hint(v),
                    values=self.frame[column], more="more rows with unknown values")
        return text

    def yes_no(self, column: str, required: bool = True) -> pd.Series:
        lowered = self.frame[column].str.lower()
        bad = ~lowered.isin(list(YES_NO))
        if not required:
            bad &= lowered.ne("")
        self.report(bad, column, "unknown value",
                    lambda v: did_you_mean(str(v), ["yes", "no"]) + missing_hint(v),
                    values=self.frame[column], more="more rows with unknown values")
        return lowered.map(YES_NO).eq(True)


def _number_hint(value: object) -> str:
    text = str(value)
    if _DECIMAL_COMMA.match(text):
        return f"; write the decimal point as a dot: {text.replace(',', '.')}"
    if _ISO_LIKE.match(text):
        return "; the cell holds a date: format the column as Number in Excel"
    return missing_hint(text)
