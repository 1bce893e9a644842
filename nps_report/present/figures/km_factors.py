"""Figure: Kaplan-Meier curves by factor level, one panel per categorical or yes/no factor and
endpoint, PFS left and OS right, for at most KM_MAX_ROWS factors in the order study.yaml
lists them (never chosen by their p-values): a journal page holds three rows of such
panels. Each panel prints its log-rank p and the numbers at risk."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...config import FigureConfig
from ...results import FactorInfo, Results
from ...results.keys import Key
from ...vocab import ENDPOINT_ABBREVIATIONS
from ..artifact import FigureArtifact, Panel
from ..factors import factor_label, level_label
from ..fmt import fmt_int, fmt_num
from ..formats import prose

DRAW = "nps_report.figures.prognostic"
KM_MAX_ROWS = 3


@dataclass(frozen=True)
class KmPanel:
    """One Kaplan-Meier-by-factor panel: its file key, endpoint and factor."""

    key: str
    endpoint: str
    factor: FactorInfo


def km_factor_choice(results: Results) -> tuple[KmPanel, ...]:
    """The panels of the KM-by-factor figure, in letter order (row by row)."""
    p = results.prognostic
    if p is None:
        return ()
    endpoints = p.endpoints
    factors = [f for f in p.factors
               if f.kind != "continuous" and any(ep.curve(f.column) for ep in endpoints)]
    stems = _stems([f.column for f in factors])
    return tuple(KmPanel(f"km_{ep.endpoint}_{stems[f.column]}", ep.endpoint, f)
                 for f in factors[:KM_MAX_ROWS] for ep in endpoints
                 if ep.curve(f.column) is not None)


def km_factor_rows(results: Results) -> tuple[tuple[FactorInfo, tuple[KmPanel, ...]], ...]:
    """The figure's rows: each factor shown with its panels (PFS, then OS)."""
    rows: dict[str, list[KmPanel]] = {}
    for k in km_factor_choice(results):
        rows.setdefault(k.factor.column, []).append(k)
    return tuple((panels[0].factor, tuple(panels)) for panels in rows.values())


def km_factor_hidden(results: Results) -> tuple[FactorInfo, ...]:
    """Factors with curves that the figure leaves out (beyond KM_MAX_ROWS): the text gives
    their log-rank tests."""
    p = results.prognostic
    if p is None:
        return ()
    shown = {f.column for f, _ in km_factor_rows(results)}
    return tuple(f for f in p.factors if f.column not in shown and f.kind != "continuous"
                 and any(ep.curve(f.column) for ep in p.endpoints))


def km_factor_panels(results: Results, _config: FigureConfig) -> tuple[Panel, ...]:
    """One panel per factor and endpoint; each reads every endpoint's curves, as the panels
    of the figure share one height, fitted to all its rows (figures/prognostic.py)."""
    prognostic = Key.parse("prognostic")
    every = tuple(prognostic.field(ep.endpoint).field(part)
                  for ep in (results.prognostic.endpoints if results.prognostic else ())
                  for part in ("endpoint", "curves"))
    return tuple(Panel(k.key, f"{DRAW}:km_factor_figure",
                       reads=(*every, prognostic.field(k.endpoint).field("logrank"),
                              prognostic.field("factors")),
                       args=(k.endpoint, k.factor.column), printed=km_factor_printed)
                 for k in km_factor_choice(results))


def km_factor_printed(results: Results, panel: Panel) -> dict[Key, tuple[str, str]]:
    """The log-rank p and the numbers at risk printed in a KM-by-factor panel."""
    endpoint, column = panel.args
    p = results.prognostic
    ep = p.endpoint(endpoint) if p is not None else None
    curve = ep.curve(column) if ep is not None else None
    if curve is None:
        return {}
    f = p.factor(column)
    what = f"{ENDPOINT_ABBREVIATIONS[endpoint]} by {factor_label(f)}"
    out: dict[Key, tuple[str, str]] = {}
    at = Key.parse("figures").field(panel.key)
    test = next((r for r in ep.logrank if r.factor == column), None)
    if test is not None:
        out[at.field("logrank")] = (f"{what}, log-rank test",
                                    prose("p_value", test.p) if test.p is not None
                                    else "not possible")
    for lv in curve.levels:
        if lv.n == 0:
            continue
        for tick, n in zip(curve.ticks, lv.at_risk, strict=True):
            months = fmt_num(tick, 0 if float(tick).is_integer() else 1)
            out[at.field("at_risk").item(lv.level).item(tick)] = (
                f"{what}, {level_label(f, lv.level)}, number at risk at {months} months",
                fmt_int(n))
    return out


def _stems(columns: list[str]) -> dict[str, str]:
    """File-name-safe, distinct stems of column names ('ECOG PS' -> 'ECOG_PS')."""
    out: dict[str, str] = {}
    for column in columns:
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", column).strip("_") or "factor"
        candidate, n = stem, 1
        while candidate in out.values():
            n += 1
            candidate = f"{stem}_{n}"
        out[column] = candidate
    return out


FIGURE = FigureArtifact("km_factors", "figures/km_factors.md.j2", km_factor_panels, columns=2,
                        section="Prognostic factors")
