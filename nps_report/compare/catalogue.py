"""Every reported number of a build, with the label a reader would say and the printed value.

Built from a results.json dict (so an old build folder is enough) through the same
present/fmt.py functions and table row builders the manuscript uses: two builds
differ in a value here exactly when the manuscript prints a different number.
Keys are stable across builds; labels follow the new build's wording (its CI level).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..present.fmt import (
    DEFAULT,
    Style,
    fmt_ci_months,
    fmt_ci_pct,
    fmt_ci_rate,
    fmt_landmark_label,
    fmt_months,
    fmt_n_pct,
    fmt_num,
    fmt_pct,
    fmt_range,
    level_label,
)
from ..present.tables import BOR_LABELS, baseline_rows
from ..results import SurvivalSummary
from ._rehydrate import baseline_variable, proportion, survival

AE_GRADES = ("any", "grade1", "grade2", "grade3", "grade4", "grade5")


@dataclass(frozen=True)
class Entry:
    key: str  # stable id, e.g. 'survival.pfs.median'
    section: str  # where a reader finds it: Baseline, Efficacy, Survival, ...
    label: str  # 'Median PFS, months'
    value: str  # as printed


def catalogue(results: dict[str, Any], style: Style = DEFAULT) -> list[Entry]:
    """All labelled numbers of one build, in reading order (adverse events apart)."""
    return [*_study(results), *_baseline(results, style), *_exposure(results, style),
            *_efficacy(results, style), *_survival(results, style), *_safety(results, style),
            *_figures(results)]


def _study(d: dict[str, Any]) -> Iterator[Entry]:
    yield Entry("n_patients", "Study", "Patients, n", str(d["n_patients"]))


def _baseline(d: dict[str, Any], style: Style) -> Iterator[Entry]:
    for raw in d.get("baseline", []):
        group = raw["label"]
        for row in baseline_rows(baseline_variable(raw), style):
            label, value = row.cells[0], row.cells[1]
            if row.kind == "group":
                group = label.removesuffix(", n (%)")
                continue
            if row.kind == "item":
                unit = ", n (%)" if "(" in value else ", n"
                label = f"{group}: {label}{unit}"
            yield Entry(f"baseline.{label}", "Baseline", label, value)


def _median_range(s: dict[str, Any] | None, decimals: int | None, style: Style) -> str:
    """As the Results prose prints it; whole-number data without decimals, as in Table 1."""
    if not s or s.get("median") is None:
        return style.missing
    if decimals is None:
        decimals = 0 if all(v is None or float(v).is_integer() for v in (s["min"], s["max"])) \
            else 1
    return f"{fmt_num(s['median'], decimals, style)} " \
           f"({fmt_range(s['min'], s['max'], decimals, style)})"


def _exposure(d: dict[str, Any], style: Style) -> Iterator[Entry]:
    ex = d.get("exposure")
    if not ex:
        return
    yield Entry("exposure.cycles", "Treatment exposure", "Treatment cycles, median (range)",
                _median_range(ex["cycles"], None, style))
    yield Entry("exposure.at_least_threshold", "Treatment exposure",
                f"Patients receiving ≥{ex['cycles_threshold']} cycles, n (%)",
                fmt_n_pct(ex["n_at_least_threshold"], ex["pct_at_least_threshold"], style))
    yield Entry("exposure.ongoing", "Treatment exposure",
                "Patients still on treatment at data cutoff, n", str(ex["n_ongoing"]))
    yield Entry("exposure.treatment_months", "Treatment exposure",
                "Duration of treatment, months, median (range)",
                _median_range(ex["treatment_months"], style.months_decimals, style))
    for lv in ex.get("dose_levels", []):
        yield Entry(f"exposure.dose.{lv['label']}", "Treatment exposure",
                    f"Starting dose {lv['label']} {ex.get('dose_unit', '')}, n (%)".replace(
                        "  ", " "), fmt_n_pct(lv["n"], lv["pct"], style))


def _efficacy(d: dict[str, Any], style: Style) -> Iterator[Entry]:
    eff = d["efficacy"]
    n_all = eff["N"]
    for code, name in BOR_LABELS.items():
        n = eff["bor_counts"].get(code, 0)
        yield Entry(f"efficacy.bor.{code}", "Efficacy", f"{name}, n (%)",
                    fmt_n_pct(n, n / n_all if n_all else None, style))
    for key, name in (("orr", "Objective response rate"), ("dcr", "Disease control rate")):
        p = proportion(eff[key])
        yield Entry(f"efficacy.{key}", "Efficacy", f"{name}, n (%)",
                    fmt_n_pct(p.n, p.estimate, style))
        yield Entry(f"efficacy.{key}.ci", "Efficacy", f"{name}, {level_label(p.level)} CI, %",
                    fmt_ci_pct(p, style) if p.ci_low is not None else style.missing)
    if eff.get("time_to_response"):
        yield Entry("efficacy.time_to_response", "Efficacy",
                    "Time to response, months, median (range)",
                    _median_range(eff["time_to_response"], style.months_decimals, style))
    if eff.get("dor"):
        dor = survival(eff["dor"])  # the prose gives its median and censored responses only
        yield from _median(dor, "DOR", "Duration of response", style)
        yield Entry("survival.dor.censored", "Duration of response",
                    "Responses censored at the last assessment, n", str(dor.n_censored))


def _median(s: SurvivalSummary, abbrev: str, section: str, style: Style) -> Iterator[Entry]:
    base = f"survival.{s.endpoint}"
    yield Entry(f"{base}.median", section, f"Median {abbrev}, months",
                fmt_months(s.median, style))
    ci = fmt_ci_months(s, style) if s.median is not None or s.ci_low is not None else \
        style.not_reached
    yield Entry(f"{base}.median_ci", section,
                f"Median {abbrev}, {level_label(s.level)} CI, months", ci)


def _km(raw: dict[str, Any], abbrev: str, section: str, style: Style) -> Iterator[Entry]:
    """Events, median with CI and landmark rates with CIs of PFS or OS."""
    s = survival(raw)
    base = f"survival.{s.endpoint}"
    lvl = level_label(s.level)
    yield Entry(f"{base}.events", section, f"{abbrev} events, n (%)",
                fmt_n_pct(s.n_events, s.n_events / s.n if s.n else None, style))
    yield from _median(s, abbrev, section, style)
    for lm in s.landmarks:
        when = fmt_landmark_label(lm.months)
        yield Entry(f"{base}.rate.{lm.months:g}", section, f"{when} {abbrev} rate, %",
                    "not estimable" if lm.estimate is None else fmt_pct(lm.estimate, style))
        yield Entry(f"{base}.rate.{lm.months:g}.ci", section, f"{when} {abbrev} rate, {lvl} CI, %",
                    fmt_ci_rate(lm.ci_low, lm.ci_high, style) or style.missing)


def _survival(d: dict[str, Any], style: Style) -> Iterator[Entry]:
    surv = d["survival"]
    yield from _km(surv["pfs"], "PFS", "Survival", style)
    yield from _km(surv["os"], "OS", "Survival", style)
    yield Entry("survival.followup", "Survival", "Median follow-up, months",
                fmt_months(surv.get("followup_median"), style))


def _figures(d: dict[str, Any]) -> Iterator[Entry]:
    """The at-risk rows printed under the Kaplan-Meier curves."""
    for endpoint in ("pfs", "os"):
        s = survival(d["survival"][endpoint])
        for months, n in s.at_risk:
            yield Entry(f"figures.km_{endpoint}.at_risk.{months:g}", "Figures",
                        f"{endpoint.upper()} curve, number at risk at "
                        f"{fmt_num(months, 0 if months.is_integer() else 1)} months", str(n))


def _safety(d: dict[str, Any], style: Style) -> Iterator[Entry]:
    s = d["safety"]
    n_all = s["N"]
    yield Entry("safety.any", "Safety", "Patients with any adverse event, n (%)",
                fmt_n_pct(s["n_any"], s["n_any"] / n_all if n_all else None, style))
    yield Entry("safety.grade3plus", "Safety", "Patients with grade ≥3 adverse events, n (%)",
                fmt_n_pct(s["n_grade3plus"], s["n_grade3plus"] / n_all if n_all else None,
                          style))
    yield Entry("safety.max_grade", "Safety", "Highest adverse-event grade",
                style.missing if s.get("max_grade") is None else str(s["max_grade"]))


def adverse_event_cells(d: dict[str, Any], style: Style = DEFAULT) -> dict[str, dict[str, str]]:
    """term -> {'any': '12 (40.0)', 'grade1': ..., 'table': 'yes'} as the AE table prints them."""
    s = d["safety"]
    n_all = s["N"]
    in_table = {r["term"] for r in s.get("adverse_events", [])}
    out: dict[str, dict[str, str]] = {}
    for r in s.get("all_terms", s.get("adverse_events", [])):
        cells = {g: (fmt_n_pct(r[g], r[g] / n_all, style) if r.get(g) else "0")
                 for g in AE_GRADES}
        cells["table"] = "yes" if r["term"] in in_table else "no"
        out[r["term"]] = cells
    return out
