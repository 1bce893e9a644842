"""How a prognostic factor and its levels are named, once for tables, figures and prose.

A yes/no column of a multi row is named with its row ('Metastatic sites: Liver'), its
levels 'Yes'/'No' in tables and figures and 'yes'/'no' in text; level labels take the
en dash of numeric ranges ('0–1'); a continuous factor's hazard ratio is per unit of
the unit its label gives ('Age (years)': per year).
"""

from __future__ import annotations

from typing import Protocol

from .fmt import fmt_label, lowerfirst


class FactorLike(Protocol):
    column: str
    label: str
    kind: str
    group: str | None


def factor_label(f: FactorLike) -> str:
    """'ECOG performance status', 'Metastatic sites: Liver' (tables and figures)."""
    return fmt_label(f"{f.group}: {f.label}" if f.group else f.label)


def factor_text(f: FactorLike) -> str:
    """The same in running text: 'ECOG performance status', 'metastatic sites: liver'."""
    if f.group:
        return fmt_label(f"{lowerfirst(f.group)}: {lowerfirst(f.label)}")
    return fmt_label(lowerfirst(unit_of(f.label)[0] if f.kind == "continuous" else f.label))


def level_label(f: FactorLike, level: str) -> str:
    """'Yes' for a yes/no factor's 'yes'; '0–1' for '0-1'."""
    return level.capitalize() if f.kind == "binary" else fmt_label(level)


def level_text(f: FactorLike, level: str) -> str:
    """A level in running text: 'yes', 'no', '0–1', 'III', 'male'."""
    return lowerfirst(fmt_label(level))


def unit_of(label: str) -> tuple[str, str]:
    """('Age', 'years') from 'Age (years)'; (label, '') without a parenthesised unit."""
    if label.endswith(")") and " (" in label:
        name, _, unit = label[:-1].rpartition(" (")
        return name, unit
    return label, ""


def per_unit(f: FactorLike) -> str:
    """'per year' for 'Age (years)', 'per mg/day', 'per unit' without a unit."""
    unit = unit_of(f.label)[1]
    if not unit:
        return "per unit"
    return f"per {unit[:-1] if unit.endswith('s') and len(unit) > 3 else unit}"


def continuous_label(f: FactorLike) -> str:
    """'Age, per year': a continuous factor's row in tables and figures."""
    return f"{fmt_label(unit_of(f.label)[0])}, {per_unit(f)}"


def contrast_text(f: FactorLike, level: str | None, reference: str | None) -> str:
    """'2 versus 0–1', 'yes versus no', 'per year': what a hazard ratio compares."""
    if level is None or reference is None:
        return per_unit(f)
    return f"{level_text(f, level)} versus {level_text(f, reference)}"
