"""What a reader calls the quantity behind a binding key: 'Objective response rate, % (95% CI)'.

A binding is a Results key with the format that printed it (results/keys.py):
'safety.all_terms[Hypertension].grade3plus:count'; or a citation, 'cite:table:efficacy'.
The key labels itself from the model (Key.label); its format's unit (formats.py) ends it.
"""

from __future__ import annotations

from ..results import Results
from ..results.keys import Key, UnknownKey
from .formats import FORMATS


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
    return key.label(results, FORMATS.unit(key.format))
