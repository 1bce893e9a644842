"""What a reader calls the quantity behind a binding key: 'Objective response rate, % (95% CI)'.

A binding is a Results key with the format that printed it (results/keys.py):
'safety.all_terms[Hypertension].grade3plus:count'; or a citation, 'cite:table:efficacy'.
The key labels itself from the model (Key.label); the format adds its unit.
"""

from __future__ import annotations

from ..results import Results
from ..results.keys import Key, UnknownKey

FORMATS = {"proportion": "% (95% CI)", "n_pct": "n (%)", "pct_of": "%", "pct": "%",
           "count": "n", "count_start": "n", "spell": "n", "value": "", "ci": "95% CI",
           "median_ci": "median (95% CI), months", "months": "months",
           "median_range": "median (range)", "rate_ci": "rate (95% CI)", "level": "",
           "auto": "", "date": "date", "month": "month", "hr_ci": "HR (95% CI; p)", "p": "p",
           "label": "", "contrast": "levels compared"}


def describe(results: Results, binding: str) -> str:
    """The reader's name of the quantity a binding prints (never raises: a key the
    model cannot follow is described by its own words)."""
    if binding.startswith("cite:"):
        _, kind, name = binding.split(":", 2)
        return f"{kind.capitalize()} citation ({name})"
    try:
        key = Key.parse(binding)
    except UnknownKey:
        return binding
    return key.label(results, FORMATS.get(key.format, key.format.replace("_", " ")))
