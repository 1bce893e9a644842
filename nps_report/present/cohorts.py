"""How a cohort (a level of study.yaml `by:`) is named in table headers, figures and text."""

from __future__ import annotations

import re

from ..results import CohortSplit

_UNIT = re.compile(r"^(?P<name>.*?)\s*\((?P<unit>[^()]+)\)$")


def cohort_name(split: CohortSplit, level: str) -> str:
    """'12 mg/day' for level 12 of 'Starting dose (mg/day)'; 'Sex: Male' for a row without a
    unit in parentheses."""
    found = _UNIT.match(split.label)
    if found and not any(c.isspace() for c in found["unit"].strip()):
        return f"{level} {found['unit']}"
    return f"{split.label}: {level}"
