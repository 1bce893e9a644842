"""Field metadata of the Results model: which fields the manuscript reports, and how.

present/reported.py walks the model with it, so the change report lists every reported
number without a list of its own; present/labels.py names a binding key's quantity by it.
"""

from __future__ import annotations

from typing import Any


def named(name: str) -> dict[str, Any]:
    """Field metadata naming a printed value that is not a reported number (a method, a
    study fact), for the labels of the living manuscript (present/labels.py)."""
    return {"name": name}


def reported(label: str, how: str = "", **more: Any) -> dict[str, Any]:
    """Field metadata of a quantity the manuscript reports: what a reader calls it and how
    it prints ('count', 'n_pct' (of the sibling field `of`), 'months', 'grade'; by its
    type otherwise). present/reported.py walks the model with it, so the change report
    lists every reported number without a list of its own. `label` may name sibling
    fields in braces: 'Patients receiving ≥{cycles_threshold} cycles'."""
    return {"label": label, "how": how, **more}

