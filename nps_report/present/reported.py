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
)
from ..results.keys import Key
from ..vocab import BOR_ORDER, ENDPOINT_ABBREVIATIONS, bor_name
from .artifact import Catalogue
from .cohorts import cohort_name
from .factors import continuous_label, factor_label, level_label
from .fmt import DEFAULT, Style, fmt_confidence, fmt_landmark_label
from .formats import cell

AE_GRADES = ("any", "grade1", "grade2", "grade3", "grade4", "grade5")
AE_SEVERITY = ("any", "mild", "moderate", "severe")


@dataclass(frozen=True)
class Reported:
    key: Key  # stable across builds: what is printed, e.g. survival.pfs.median, efficacy.orr:ci
    section: str  # where a reader finds it: a table's name, 'Survival', 'Figures', ...
    label: str  # 'Median PFS, months'
    value: str  # as printed


def quantity(key: Key) -> Key:
    """What a printed key reports: the value at its path, or (format 'ci') its confidence
    interval; a table's '4 (13.3)' and the text's count of the same patients are one
    quantity, printed by the table first."""
    return key.path.printed("ci") if key.format == "ci" else key.path


def reported_numbers(results: Results, catalogue: Catalogue, figure_config: FigureConfig,
                     style: Style = DEFAULT) -> dict[str, Reported]:
    """All of a build's reported numbers by the text of their key: table cells first, then
    figures, then prose-only."""
    out: dict[str, Reported] = {}

    def add(entry: Reported) -> None:
        out.setdefault(str(entry.key), entry)

    for table in catalogue.tables:
        if table.applies(results):
            for key, label, value in table.build(results, style).keyed_cells():
                add(Reported(quantity(key), table.name, label, value))
    for panels in catalogue.panels(results, figure_config).values():
        for panel in panels:
            if panel.printed is not None:
                for key, (label, value) in panel.printed(results, panel).items():
                    add(Reported(key, "Figures", label, value))
    for entry in walk(results, style):
        add(entry)
    return out


def walk(results: Results, style: Style = DEFAULT) -> Iterator[Reported]:
    """The model's reported quantities, in field order, each printed by its type."""
    for f in fields(results):
        section = f.metadata.get("section")
        if f.name == "cohorts":
            yield from _cohorts(results, style)
        elif section:
            yield from _node(getattr(results, f.name), Key.parse(f.name), section, f.metadata,
                             results, style)


def _cohorts(results: Results, style: Style) -> Iterator[Reported]:
    """Each cohort's quantities, as its own study reports them, under cohorts.<level>."""
    if not results.cohorts or results.by is None:
        return
    for level, cohort in results.cohorts.items():
        at, name = Key.parse("cohorts").entry(level), cohort_name(results.by, level)
        for entry in walk(cohort, style):
            yield Reported(Key((*at.steps, *entry.key.steps), entry.key.format),
                           f"Cohort {name}: {entry.section}", f"{name}: {entry.label}",
                           entry.value)


def _node(value: Any, path: Key, section: str, meta: Any, parent: Any,
          style: Style) -> Iterator[Reported]:
    label = meta.get("label") if meta else None
    if label is None:  # not reported itself: look inside
        if is_dataclass(value):
            for f in fields(value):
                yield from _node(getattr(value, f.name), path.field(f.name), section,
                                 f.metadata, value, style)
        return
    if value is None:
        return
    if parent is not None and "{" in label:
        label = label.format(**{f.name: getattr(parent, f.name) for f in fields(parent)})
    for key, text, printed in _print(value, path, label, meta, parent, style):
        yield Reported(quantity(key), section, text, printed)


Entries = Iterator[tuple[Key, str, str]]  # (printed key, label, printed value)


def _print(value: Any, path: Key, label: str, meta: Any, parent: Any, style: Style) -> Entries:
    how = meta.get("how", "")

    def n_pct(count: Any, *of: int) -> str:
        return cell("n_pct", count, *of, style=style)

    if how == "n_pct" and isinstance(value, dict):  # counts by category, e.g. BOR
        N = getattr(parent, meta["of"])
        for code in [c for c in BOR_ORDER if c in value] + [c for c in value
                                                            if c not in BOR_ORDER]:
            yield (path.entry(code).printed("n_pct"), f"{bor_name(code)}, n (%)",
                   n_pct(value[code], N))
    elif how == "n_pct":
        yield path.printed("n_pct"), f"{label}, n (%)", n_pct(value,
                                                               getattr(parent, meta["of"]))
    elif how in ("count", "grade"):
        yield path.printed("count"), label, cell("count", value, style=style)
    elif how == "months":
        yield path.printed("months"), label, cell("months", value, style=style, short=False)
    elif how == "month":  # a date the text gives as month and year
        yield path.printed("month"), label, cell("month", value, style=style)
    elif isinstance(value, Proportion):
        yield path.printed("n_pct"), f"{label}, n (%)", n_pct(value)
        yield (path.printed("ci"), f"{label}, {fmt_confidence(value.level)} CI, %",
               cell("ci", value, style=style) if value.ci_low is not None else style.missing)
    elif isinstance(value, Distribution):
        yield (path.printed("median_range"), f"{label}, median (range)",
               cell("median_range", value, meta.get("decimals"), style=style))
    elif isinstance(value, SurvivalSummary):
        yield from _survival(value, path, style)
    elif isinstance(value, Prognostic):
        yield from _prognostic(value, path, style)
    elif isinstance(value, tuple) and value and isinstance(value[0], ResponseRow):
        if parent.prognostic is not None:
            yield from _response(value, parent.prognostic, path, style)
    elif isinstance(value, tuple) and value and isinstance(value[0], BaselineVariable):
        for var in value:
            yield from _baseline(var, path, style)
    elif isinstance(value, tuple) and value and isinstance(value[0], AERow | SeverityRow):
        qualifier = f"{meta['qualifier']}: " if meta.get("qualifier") else ""
        for row in value:
            severity = isinstance(row, SeverityRow)
            for g in AE_SEVERITY if severity else AE_GRADES:
                column = (f"any {'severity' if severity else 'grade'}" if g == "any"
                          else g if severity else f"grade {g[-1]}")
                yield (path.item(row.term).field(g).printed("n_pct"),
                       f"{qualifier}{row.term}, {column}, n (%)",
                       n_pct(getattr(row, g), parent.N))
    elif isinstance(value, tuple):  # LevelCounts: starting doses
        unit = getattr(parent, meta["unit"], "") if meta.get("unit") else ""
        for lv in value:
            yield (path.item(lv.label).printed("n_pct"),
                   " ".join(p for p in (label, lv.label, unit) if p) + ", n (%)",
                   n_pct(lv))


def _survival(s: SurvivalSummary, path: Key, style: Style) -> Entries:
    """Events, median with CI and landmark rates with CIs (DoR: median, CI, censored)."""
    abbrev = ENDPOINT_ABBREVIATIONS.get(s.endpoint, s.endpoint.upper())
    lvl = fmt_confidence(s.level)
    if s.endpoint != "dor":
        yield (path.field("n_events").printed("n_pct"), f"{abbrev} events, n (%)",
               cell("n_pct", s.n_events, s.n, style=style))
    yield (path.field("median").printed("months"), f"Median {abbrev}, months",
           cell("months", s.median, style=style, short=False))
    ci = cell("ci", s, style=style) if s.median is not None or s.ci_low is not None else \
        style.not_reached
    yield path.printed("ci"), f"Median {abbrev}, {lvl} CI, months", ci
    if s.endpoint == "dor":  # the prose gives its median and censored responses only
        yield (path.field("n_censored").printed("count"),
               "Responses censored at the last assessment, n",
               cell("count", s.n_censored, style=style))
        return
    for lm in s.landmarks:
        at = path.field("landmarks").item(lm.months)
        when = fmt_landmark_label(lm.months)
        yield (at.field("estimate").printed("pct"), f"{when} {abbrev} rate, %",
               style.in_text().not_estimable if lm.estimate is None
               else cell("pct", lm.estimate, style=style))
        yield (at.printed("ci"), f"{when} {abbrev} rate, {lvl} CI, %",
               cell("ci", lm, style=style) or style.missing)


def _baseline(var: BaselineVariable, path: Key, style: Style) -> Entries:
    key = path.item(var.label)
    if var.type == "continuous" and var.summary is not None:
        yield (key.field("summary").printed("median_range"), f"{var.label}, median (range)",
               cell("median_range", var.summary, style=style))
        if var.n_missing:
            yield (key.field("n_missing").printed("count"), f"{var.label}: Missing, n",
                   cell("count", var.n_missing, style=style))
        return
    for lv in var.levels:
        yield (key.field("levels").item(lv.label).printed("n_pct"),
               f"{var.label}: {lv.label}, n (%)", cell("n_pct", lv, style=style))
    if var.n_missing:
        yield (key.field("n_missing").printed("n_pct"), f"{var.label}: Missing, n (%)",
               cell("n_pct", var.n_missing, var.N, style=style))


def _prognostic(p: Prognostic, path: Key, style: Style) -> Entries:
    """Hazard ratios (with CIs) and p of every model, the joint tests of factors with
    several coefficients, and the log-rank tests; keyed as the Cox tables key them."""
    lvl = fmt_confidence(p.methods.level)
    for ep in p.endpoints:
        abbrev = ENDPOINT_ABBREVIATIONS[ep.endpoint]
        base = path.field(ep.endpoint)
        for kind, rows in (("univariable", ep.univariable), ("multivariable", ep.multivariable)):
            for r in rows:
                f = p.factor(r.factor)
                what = (f"{abbrev} {kind} Cox model, "
                        + (continuous_label(f) if r.level is None else
                           f"{factor_label(f)}: {level_label(f, r.level)}"))
                at = base.field(kind).item(r.name)
                yield at.printed("hr_ci"), f"{what}, HR ({lvl} CI)", cell("hr_ci", r, style=style)
                yield (at.field("p").printed("p"), f"{what}, p",
                       cell("p_value", r.p, style=style) if r.hr is not None else style.missing)
        for m in ep.models:
            for t in m.wald:
                if t.df > 1:
                    yield (base.field("models").item(m.name).field("wald").item(t.term)
                           .field("p").printed("p"),
                           f"{abbrev} {m.kind} Cox model, {factor_label(p.factor(t.term))}, "
                           "p (all levels)", cell("p_value", t.p, style=style))
        for r in ep.logrank:
            yield (base.field("logrank").item(r.factor).field("p").printed("p"),
                   f"{abbrev} log-rank test, {factor_label(p.factor(r.factor))}, p",
                   cell("p_value", r.p, style=style))


def _response(rows: tuple[ResponseRow, ...], p: Prognostic, path: Key,
              style: Style) -> Entries:
    """Responders of n, rate with CI and the factor's Fisher p, keyed as its table keys them."""
    lvl = fmt_confidence(p.methods.level)
    tested: set[str] = set()
    for r in rows:
        f = p.factor(r.factor)
        at = path.item(r.name)
        what = f"{factor_label(f)}: {level_label(f, r.level)}"
        yield (at.field("responders").printed("count"), f"{what}, responders",
               cell("count", r.responders, style=style))
        yield at.field("n").printed("count"), f"{what}, n", cell("count", r.n, style=style)
        yield at.printed("rate_ci"), f"{what}, ORR, % ({lvl} CI)", cell("rate_ci", r, style=style)
        if r.factor not in tested:
            tested.add(r.factor)
            yield (at.field("p").printed("p"), f"{factor_label(f)}, Fisher exact p",
                   cell("p_value", r.p, style=style))
