"""Every number a build reports, keyed by the Results value it prints, as printed.

Three sources, no list of our own: the cells of every table in the catalogue (each
builder keys its cells), the numbers printed inside figures (declared by panels),
and a walk of the Results model for the quantities only the prose reports (fields
declared with `results.reported(...)`, printed here by their type). A key is a
Results path with element identities, e.g. 'efficacy.orr.ci',
'baseline[Sex].levels[Male]', 'survival.pfs.landmarks[6]'; two builds differ in a
value here exactly when the manuscript prints a different number.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from ..config import FigureConfig
from ..results import (
    AERow,
    BaselineVariable,
    Distribution,
    Prognostic,
    Proportion,
    ResponseRow,
    Results,
    SeverityRow,
    SurvivalSummary,
    landmark_key,
)
from ..vocab import BOR_ORDER, ENDPOINT_ABBREVIATIONS, bor_name
from .artifact import Catalogue
from .factors import continuous_label, factor_label, level_label
from .fmt import (
    DEFAULT,
    Style,
    fmt_ci_months,
    fmt_ci_pct,
    fmt_ci_rate,
    fmt_hr_ci,
    fmt_landmark_label,
    fmt_median_range,
    fmt_month,
    fmt_months,
    fmt_n_pct,
    fmt_p,
    fmt_pct,
)
from .fmt import level_label as ci_label
from .tables.response_by_factor import rate_cell

AE_GRADES = ("any", "grade1", "grade2", "grade3", "grade4", "grade5")
AE_SEVERITY = ("any", "mild", "moderate", "severe")


@dataclass(frozen=True)
class Reported:
    key: str  # stable across builds, e.g. 'survival.pfs.median'
    section: str  # where a reader finds it: a table's name, 'Survival', 'Figures', ...
    label: str  # 'Median PFS, months'
    value: str  # as printed


def reported_numbers(results: Results, catalogue: Catalogue, figure_config: FigureConfig,
                     style: Style = DEFAULT) -> dict[str, Reported]:
    """All of a build's reported numbers: table cells first, then figures, then prose-only."""
    out: dict[str, Reported] = {}
    for table in catalogue.tables:
        if table.applies(results):
            for key, label, value in table.build(results, style).keyed_cells():
                out.setdefault(key, Reported(key, table.name, label, value))
    for panels in catalogue.panels(results, figure_config).values():
        for panel in panels:
            if panel.printed is not None:
                for key, (label, value) in panel.printed(results, panel).items():
                    out.setdefault(key, Reported(key, "Figures", label, value))
    for entry in walk(results, style):
        out.setdefault(entry.key, entry)
    return out


def walk(results: Results, style: Style = DEFAULT) -> Iterator[Reported]:
    """The model's reported quantities, in field order, each printed by its type."""
    for f in fields(results):
        section = f.metadata.get("section")
        if section:
            yield from _node(getattr(results, f.name), f.name, section, f.metadata, results,
                             style)


def _node(value: Any, path: str, section: str, meta: Any, parent: Any,
          style: Style) -> Iterator[Reported]:
    label = meta.get("label") if meta else None
    if label is None:  # not reported itself: look inside
        if is_dataclass(value):
            for f in fields(value):
                yield from _node(getattr(value, f.name), f"{path}.{f.name}", section,
                                 f.metadata, value, style)
        return
    if value is None:
        return
    if parent is not None and "{" in label:
        label = label.format(**{f.name: getattr(parent, f.name) for f in fields(parent)})
    yield from _print(value, path, section, label, meta, parent, style)


def _print(value: Any, path: str, section: str, label: str, meta: Any, parent: Any,
           style: Style) -> Iterator[Reported]:
    how = meta.get("how", "")

    def entry(key: str, text: str, value: str) -> Reported:
        return Reported(key, section, text, value)

    if how == "n_pct" and isinstance(value, dict):  # counts by category, e.g. BOR
        N = getattr(parent, meta["of"])
        for code in [c for c in BOR_ORDER if c in value] + [c for c in value
                                                            if c not in BOR_ORDER]:
            n = value[code]
            yield entry(f"{path}.{code}", f"{bor_name(code)}, n (%)",
                        fmt_n_pct(n, n / N if N else None, style))
    elif how == "n_pct":
        N = getattr(parent, meta["of"])
        yield entry(path, f"{label}, n (%)", fmt_n_pct(value, value / N if N else None, style))
    elif how in ("count", "grade"):
        yield entry(path, label, str(value))
    elif how == "months":
        yield entry(path, label, fmt_months(value, style))
    elif how == "month":  # a date the text gives as month and year
        yield entry(path, label, fmt_month(value, style))
    elif isinstance(value, Proportion):
        yield entry(path, f"{label}, n (%)", fmt_n_pct(value.n, value.estimate, style))
        yield entry(f"{path}.ci", f"{label}, {ci_label(value.level)} CI, %",
                    fmt_ci_pct(value, style) if value.ci_low is not None else style.missing)
    elif isinstance(value, Distribution):
        decimals = meta.get("decimals")
        yield entry(path, f"{label}, median (range)", _median_range(value, decimals, style))
    elif isinstance(value, SurvivalSummary):
        yield from (entry(*e) for e in _survival(value, path, style))
    elif isinstance(value, Prognostic):
        yield from (entry(*e) for e in _prognostic(value, path, style))
    elif isinstance(value, tuple) and value and isinstance(value[0], ResponseRow):
        if parent.prognostic is not None:
            yield from (entry(*e) for e in _response(value, parent.prognostic, path, style))
    elif isinstance(value, tuple) and value and isinstance(value[0], BaselineVariable):
        for var in value:
            yield from (entry(*e) for e in _baseline(var, style))
    elif isinstance(value, tuple) and value and isinstance(value[0], AERow | SeverityRow):
        N = parent.N
        qualifier = f"{meta['qualifier']}: " if meta.get("qualifier") else ""
        for row in value:
            severity = isinstance(row, SeverityRow)
            for g in AE_SEVERITY if severity else AE_GRADES:
                n = getattr(row, g)
                column = (f"any {'severity' if severity else 'grade'}" if g == "any"
                          else g if severity else f"grade {g[-1]}")
                yield entry(f"{path}[{row.term}].{g}",
                            f"{qualifier}{row.term}, {column}, n (%)",
                            fmt_n_pct(n, n / N, style))
    elif isinstance(value, tuple):  # LevelCounts: starting doses
        unit = getattr(parent, meta["unit"], "") if meta.get("unit") else ""
        for lv in value:
            yield entry(f"{path}[{lv.label}]", " ".join(
                p for p in (label, lv.label, unit) if p) + ", n (%)",
                fmt_n_pct(lv.n, lv.pct, style))


def _median_range(d: Distribution, decimals: int | None, style: Style) -> str:
    """As the Results prose prints it; whole-number data without decimals, as in Table 1."""
    return fmt_median_range(d, decimals, style)


def _survival(s: SurvivalSummary, path: str, style: Style) -> Iterator[tuple[str, str, str]]:
    """Events, median with CI and landmark rates with CIs (DoR: median, CI, censored)."""
    abbrev = ENDPOINT_ABBREVIATIONS.get(s.endpoint, s.endpoint.upper())
    lvl = ci_label(s.level)
    if s.endpoint != "dor":
        yield (f"{path}.n_events", f"{abbrev} events, n (%)",
               fmt_n_pct(s.n_events, s.n_events / s.n if s.n else None, style))
    yield f"{path}.median", f"Median {abbrev}, months", fmt_months(s.median, style)
    ci = fmt_ci_months(s, style) if s.median is not None or s.ci_low is not None else \
        style.not_reached
    yield f"{path}.median.ci", f"Median {abbrev}, {lvl} CI, months", ci
    if s.endpoint == "dor":  # the prose gives its median and censored responses only
        yield (f"{path}.n_censored", "Responses censored at the last assessment, n",
               str(s.n_censored))
        return
    for lm in s.landmarks:
        at = f"{path}.landmarks[{landmark_key(lm.months)}]"
        when = fmt_landmark_label(lm.months)
        yield (at, f"{when} {abbrev} rate, %",
               "not estimable" if lm.estimate is None else fmt_pct(lm.estimate, style))
        yield (f"{at}.ci", f"{when} {abbrev} rate, {lvl} CI, %",
               fmt_ci_rate(lm.ci_low, lm.ci_high, style) or style.missing)


def _baseline(var: BaselineVariable, style: Style) -> Iterator[tuple[str, str, str]]:
    key = f"baseline[{var.label}]"
    if var.type == "continuous" and var.summary is not None:
        yield f"{key}.summary", f"{var.label}, median (range)", _median_range(
            var.summary, None, style)
        if var.n_missing:
            yield f"{key}.n_missing", f"{var.label}: Missing, n", str(var.n_missing)
        return
    for lv in var.levels:
        yield f"{key}.levels[{lv.label}]", f"{var.label}: {lv.label}, n (%)", fmt_n_pct(
            lv.n, lv.pct, style)
    if var.n_missing:
        yield f"{key}.n_missing", f"{var.label}: Missing, n (%)", fmt_n_pct(
            var.n_missing, var.n_missing / var.N, style)


def _prognostic(p: Prognostic, path: str, style: Style) -> Iterator[tuple[str, str, str]]:
    """Hazard ratios (with CIs) and p of every model, the joint tests of factors with
    several coefficients, and the log-rank tests; keyed as the Cox tables key them."""
    lvl = ci_label(p.methods.level)
    for ep in p.endpoints:
        abbrev = ENDPOINT_ABBREVIATIONS[ep.endpoint]
        base = f"{path}.{ep.endpoint}"
        for kind, rows in (("univariable", ep.univariable), ("multivariable", ep.multivariable)):
            for r in rows:
                f = p.factor(r.factor)
                what = (f"{abbrev} {kind} Cox model, "
                        + (continuous_label(f) if r.level is None else
                           f"{factor_label(f)}: {level_label(f, r.level)}"))
                at = f"{base}.{kind}[{r.name}]"
                yield at, f"{what}, HR ({lvl} CI)", fmt_hr_ci(r.hr, r.ci_low, r.ci_high, style)
                yield f"{at}.p", f"{what}, p", fmt_p(r.p, style) if r.hr is not None \
                    else style.missing
        for m in ep.models:
            for t in m.wald:
                if t.df > 1:
                    yield (f"{base}.models[{m.name}].wald[{t.term}].p",
                           f"{abbrev} {m.kind} Cox model, {factor_label(p.factor(t.term))}, "
                           "p (all levels)", fmt_p(t.p, style))
        for r in ep.logrank:
            yield (f"{base}.logrank[{r.factor}].p",
                   f"{abbrev} log-rank test, {factor_label(p.factor(r.factor))}, p",
                   fmt_p(r.p, style))


def _response(rows: tuple[ResponseRow, ...], p: Prognostic, path: str,
              style: Style) -> Iterator[tuple[str, str, str]]:
    """Responders of n, rate with CI and the factor's Fisher p, keyed as its table keys them."""
    lvl = ci_label(p.methods.level)
    tested: set[str] = set()
    for r in rows:
        f = p.factor(r.factor)
        at = f"{path}[{r.name}]"
        what = f"{factor_label(f)}: {level_label(f, r.level)}"
        yield f"{at}.responders", f"{what}, responders", str(r.responders)
        yield f"{at}.n", f"{what}, n", str(r.n)
        yield at, f"{what}, ORR, % ({lvl} CI)", rate_cell(r, style)
        if r.factor not in tested:
            tested.add(r.factor)
            yield f"{at}.p", f"{factor_label(f)}, Fisher exact p", fmt_p(r.p, style)
