"""Table 1: baseline characteristics as configured in study.yaml."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ..config import BaselineItem, StudyConfig
from ..data.columns import YES_NO
from ..results import BaselineVariable, LevelCount
from .describe import distribution


def describe_baseline(patients: pd.DataFrame, config: StudyConfig) -> tuple[BaselineVariable,
                                                                            ...]:
    return tuple(replace(_variable(patients, item), note=item.note) for item in config.baseline)


def _variable(patients: pd.DataFrame, item: BaselineItem) -> BaselineVariable:
    N = len(patients)
    if item.type == "continuous":
        dist = distribution(patients[item.column].replace("", None))
        return BaselineVariable(item.label, item.type, N, summary=dist, n_missing=dist.n_missing)
    if item.type == "multi":
        levels = []
        for col, label in item.columns:
            n_yes = int(patients[col].str.lower().map(YES_NO).eq(True).sum())
            levels.append(LevelCount(label, n_yes, _pct(n_yes, N)))
        n_missing = int(patients[[c for c, _ in item.columns]].eq("").all(axis=1).sum())
        return BaselineVariable(item.label, item.type, N, levels=tuple(levels),
                                n_missing=n_missing)
    values = patients[item.column]
    missing = values.eq("")
    if item.levels:
        groups = item.levels
    else:  # no levels configured: every value seen, in order of first appearance
        groups = tuple((v, (v,)) for v in dict.fromkeys(values[~missing]))
    levels = tuple(LevelCount(label, int(values.isin(raw).sum()),
                              _pct(int(values.isin(raw).sum()), N)) for label, raw in groups)
    return BaselineVariable(item.label, item.type, N, levels=levels,
                            n_missing=int(missing.sum()))


def _pct(n: int, N: int) -> float | None:
    return n / N if N else None
