"""Prognostic factors as the engine takes them, and the adapter from study.yaml's baseline.

The engine needs little: a factor's column, label, kind and levels (reference first),
and one value per patient already mapped to a level label or a float, None when
missing. `factors_from_baseline` builds that from today's `StudyConfig.baseline`
items and the patients table (raw text cells), reading the config only:

- a categorical row: its levels' labels in order (the first is the reference); raw
  values map to a label through the row's `levels`; with no levels configured, the
  values in order of first appearance, as Table 1 lists them;
- a yes/no column of a multi row: levels ("no", "yes"), `no` the reference;
- a continuous row: floats (hazard ratio per unit).

A reference level named in study.yaml (`{column: x, reference: "No"}`) moves that level
first; one that is not a level of the factor is refused with the levels there are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from ...config import BaselineItem
from ...config.baseline import factor_rows
from ...data.columns import YES_NO
from ...errors import Problem, StudyError, did_you_mean

KINDS = ("categorical", "binary", "continuous")
BINARY_LEVELS = ("no", "yes")


@dataclass(frozen=True)
class FactorSpec:
    column: str
    label: str
    kind: str  # categorical | binary | continuous
    levels: tuple[str, ...] = ()  # reference first; () for continuous
    group: str | None = None  # the multi row a yes/no column belongs to

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"factor {self.column!r}: kind must be one of {KINDS}")
        if self.kind == "continuous" and self.levels:
            raise ValueError(f"factor {self.column!r}: a continuous factor has no levels")
        if self.kind != "continuous" and len(set(self.levels)) != len(self.levels):
            raise ValueError(f"factor {self.column!r}: levels must be distinct")
        if self.kind == "binary" and sorted(self.levels) != sorted(BINARY_LEVELS):
            raise ValueError(f"factor {self.column!r}: a yes/no factor has levels {BINARY_LEVELS}")

    @property
    def categorical(self) -> bool:
        """Categorical or yes/no: has levels, log-rank tests, curves and response rows."""
        return self.kind != "continuous"

    @property
    def reference(self) -> str | None:
        return self.levels[0] if self.levels else None


@dataclass(frozen=True)
class Factor:
    """A spec and one value per patient (the endpoints' row order); None = missing."""

    spec: FactorSpec
    values: tuple[str | float | None, ...]

    def __post_init__(self) -> None:
        s = self.spec
        for v in self.values:
            if v is None:
                continue
            if s.categorical and v not in s.levels:
                raise ValueError(f"factor {s.column!r}: value {v!r} is not one of {s.levels}")
            if not s.categorical and (not isinstance(v, int | float) or isinstance(v, bool)
                                      or not math.isfinite(v)):
                raise ValueError(f"factor {s.column!r}: {v!r} is not a finite number")

    @property
    def column(self) -> str:
        return self.spec.column

    @property
    def n_missing(self) -> int:
        return sum(v is None for v in self.values)


def factors_from_baseline(baseline: Sequence[BaselineItem], patients: pd.DataFrame,
                          columns: Sequence[str], key: str = "prognostic.factors",
                          references: Mapping[str, str] | None = None) -> tuple[Factor, ...]:
    """One Factor per named column, in the order given, its reference level first;
    StudyError if a name or a reference level is unknown."""
    found = {}
    problems = []
    available = factor_rows(tuple(baseline))
    for col in dict.fromkeys(columns):
        item = available.get(col)
        if item is None:
            problems.append(Problem("study.yaml", "not a column of a categorical, yes/no or "
                                    "continuous baseline row", column=key, value=col,
                                    expected=did_you_mean(col, list(available))))
            continue
        if col not in patients.columns:
            problems.append(Problem("study.yaml", "column not found in the patients table",
                                    column=key, value=col))
            continue
        factor = _factor(item, col, patients[col])
        wanted = (references or {}).get(col)
        if wanted is not None:
            factor, problem = _with_reference(factor, wanted)
            if problem is not None:
                problems.append(problem)
        found[col] = factor
    if problems:
        raise StudyError(problems)
    return tuple(found[c] for c in dict.fromkeys(columns))


def _factor(item: BaselineItem, column: str, cells: pd.Series) -> Factor:
    text = cells.map(_cell)
    if item.type == "continuous":
        spec = FactorSpec(column, item.label, "continuous")
        values = tuple(None if t is None else _number(column, t) for t in text)
        return Factor(spec, values)
    if item.type == "multi":
        label = dict(item.columns)[column]
        spec = FactorSpec(column, label, "binary", BINARY_LEVELS, group=item.label)
        return Factor(spec, tuple(None if t is None else _yes_no(column, t) for t in text))
    groups = item.levels or tuple((v, (v,)) for v in dict.fromkeys(t for t in text
                                                                    if t is not None))
    to_label = {raw: label for label, raws in groups for raw in raws}
    spec = FactorSpec(column, item.label, "categorical", tuple(label for label, _ in groups))
    unknown = sorted({t for t in text if t is not None and t not in to_label})
    if unknown:
        raise ValueError(f"column {column!r}: values {unknown} are in no level of study.yaml")
    return Factor(spec, tuple(None if t is None else to_label[t] for t in text))


def _cell(value: object) -> str | None:
    """Raw cells are text ('' = missing); normalised as config.raw_value does."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _number(column: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"column {column!r}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"column {column!r}: {text!r} is not a finite number")
    return value


def _yes_no(column: str, text: str) -> str:
    flag = YES_NO.get(text.lower())
    if flag is None:
        raise ValueError(f"column {column!r}: {text!r} is not yes or no")
    return "yes" if flag else "no"


def _with_reference(factor: Factor, wanted: str) -> tuple[Factor, Problem | None]:
    """The factor with the named level first: matched as written, else without regard to
    case; a Problem naming the levels there are when it is none of them."""
    spec = factor.spec
    level = next((lv for lv in spec.levels if lv == wanted), None) or next(
        (lv for lv in spec.levels if lv.casefold() == wanted.strip().casefold()), None)
    if level is None:
        expected = ("no reference: a continuous factor's hazard ratio is per unit"
                    if spec.kind == "continuous" else did_you_mean(wanted, list(spec.levels)))
        return factor, Problem("study.yaml", f"not a level of factor {spec.column!r}",
                               column="prognostic.factors", value=wanted, expected=expected)
    levels = (level, *(lv for lv in spec.levels if lv != level))
    return Factor(replace(spec, levels=levels), factor.values), None
