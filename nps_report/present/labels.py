"""What a reader calls the quantity behind a binding key: 'Objective response rate, % (95% CI)'.

A key is a Results path with element identities and the formatter that printed it
(render/tracking.py): 'safety.all_terms[Hypertension].grade3plus:count'. The label is
read off the model along that path: a field's `reported` label where it has one
(results/fields.py), an element's identity (the term, the baseline row, the landmark), the
name of a BOR category, and the formatter's unit.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from typing import Any

from ..results import Landmark, Results, item_key
from ..vocab import BOR_NAMES

STEP = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[([^\]]*)\]")
LEAVES = {"n": "n", "pct": "%", "n_events": "events", "n_censored": "censored",
          "any": "any grade", "grade3plus": "grade ≥3", "length": "number",
          "months": "time, months", "n_patients": "patients"}
FORMATS = {"proportion": "% (95% CI)", "n_pct": "n (%)", "pct_of": "%", "pct": "%",
           "count": "n", "count_start": "n", "spell": "n", "value": "", "ci": "95% CI",
           "median_ci": "median (95% CI), months", "months": "months",
           "median_range": "median (range)", "rate_ci": "rate (95% CI)", "level": "",
           "auto": "", "date": "date", "month": "month", "hr_ci": "HR (95% CI; p)", "p": "p",
           "label": "", "contrast": "levels compared"}


def describe(results: Results, key: str) -> str:
    """The reader's name of the quantity a binding key prints (never raises: a key the
    model cannot follow is described by its own words)."""
    if key.startswith("cite:"):
        _, kind, name = key.split(":", 2)
        return f"{kind.capitalize()} citation ({name})"
    path, _, formatter = key.partition(":")
    parts: list[str] = []
    node: Any = results
    for match in STEP.finditer(path):
        name, identity = match.groups()
        if identity is not None and isinstance(node, tuple) and identity.isdigit() and \
                node and isinstance(node[0], str):  # an item of a pair: (name, version)
            parts.append(("name", "version")[int(identity)] if len(node) == 2 else identity)
            node = None
            continue
        if identity is not None:
            parts.append(f"{identity}-month" if isinstance(_first(node), Landmark)
                         else identity)
            node = _item(node, identity)
            continue
        label = _field_label(node, name)
        if isinstance(node, dict):
            parts.append(BOR_NAMES.get(name, name))
            node = node.get(name)
        else:
            if label:
                parts.append(label)
            elif name in LEAVES and parts:
                parts.append(LEAVES[name])
            node = getattr(node, name, None) if node is not None else None
    unit = FORMATS.get(formatter, formatter.replace("_", " "))
    text = ", ".join(dict.fromkeys(p for p in parts if p)) or path
    return f"{text}: {unit}" if unit else text


def _field_label(node: Any, name: str) -> str:
    """The field's reported label (its unit cut: 'Median follow-up, months' -> 'Median
    follow-up'), or its name; braces filled from the node ('≥{cycles_threshold}')."""
    if node is None or not is_dataclass(node):
        return ""
    for f in fields(node):
        if f.name == name:
            label = f.metadata.get("label") or f.metadata.get("name") or ""
            if "{" in label:
                label = label.format(**{g.name: getattr(node, g.name) for g in fields(node)})
            return label.split(", ")[0].strip() if f.metadata.get("label") else label
    return ""


def _first(node: Any) -> Any:
    return node[0] if isinstance(node, tuple) and node else None


def _item(node: Any, name: str) -> Any:
    """The item of a tuple that a key names (results.item_key gives the names)."""
    if not isinstance(node, tuple):
        return None
    return next((item for i, item in enumerate(node) if item_key(item, i) == name), None)
