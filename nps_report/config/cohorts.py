"""`by:` checked against `baseline:` when study.yaml is read: the cohorts are the levels of a
categorical Table 1 row, so that each cohort column has the row's own level labels."""

from __future__ import annotations

from ..errors import did_you_mean
from .at import At
from .baseline import BaselineItem
from .model import StudyConfig


def by_row(config: StudyConfig) -> BaselineItem | None:
    """The categorical baseline row whose column `by:` names (None without `by:`)."""
    return next((item for item in config.baseline
                 if item.type == "categorical" and item.column == config.by), None)


def check_by(config: StudyConfig, at: At) -> None:
    if config.by is None or by_row(config) is not None:
        return
    columns = [i.column for i in config.baseline if i.type == "categorical" and i.column]
    at.child("by").bad("not the column of a categorical baseline row", config.by,
                       did_you_mean(config.by, columns) if columns else
                       "a column of a categorical row under baseline: (Table 1); add its "
                       "row there first")
