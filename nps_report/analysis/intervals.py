"""Say so when a reported interval is not a real interval: degenerate, or cut at a bound.

The t and Wald intervals for a proportion have no width at 0 or N responders ('0.0
(0.0–0.0)') and run past 0% or 100% near them, where they are cut; the symmetric
median interval can reach below 0 months. The numbers stay as the chosen method gives
them (a study may reproduce a published table with them); the build says which and
why, and the tables mark them (present/intervals.py words the footnotes).
"""

from __future__ import annotations

from ..errors import Notice
from ..results import DEGENERATE, TRUNCATED, Results, interval_bound
from ..vocab import PROPORTION_CI_NAMES


def interval_notices(results: Results) -> tuple[Notice, ...]:
    """One notice per kind (degenerate, truncated), each listing the intervals it names."""
    found: dict[str, list[str]] = {DEGENERATE: [], TRUNCATED: []}
    method = results.methods.proportion_ci
    eff = results.efficacy
    for name, p in (("ORR", eff.orr), ("DCR", eff.dcr)):
        if p.bound:
            found[p.bound].append(f"{name}: {p.n}/{p.N}, {_pct(p.ci_low)}–{_pct(p.ci_high)}")
    prognostic = results.prognostic
    for r in results.response_by_factor or ():
        kind = interval_bound(r.responders, r.n, r.ci_low, r.ci_high,
                              prognostic.methods.proportion_ci if prognostic else method)
        if kind:
            info = prognostic.factor(r.factor) if prognostic else None
            label = r.factor if info is None else (
                f"{info.group}: {info.label}" if info.group else info.label)
            found[kind].append(f"ORR, {label} {r.level}: {r.responders}/{r.n}, "
                               f"{_pct(r.ci_low)}–{_pct(r.ci_high)}")
    medians = [s for s in (results.survival.pfs, results.survival.os, eff.dor)
               if s is not None and s.bound]
    for s in medians:
        found[TRUNCATED].append(f"median {s.label.lower()}: lower limit cut at 0 months")
    name = PROPORTION_CI_NAMES.get(method, method)
    notices = []
    if found[DEGENERATE]:
        notices.append(Notice(
            "ci_degenerate", f"{len(found[DEGENERATE])} confidence interval(s) have no width "
            f"({name}, ci.proportion: {method}), because none or all of the patients of the "
            "group responded; the tables mark them. An exact interval (ci.proportion: "
            "clopper-pearson) has width there.", tuple(found[DEGENERATE])))
    if found[TRUNCATED]:
        notices.append(Notice(
            "ci_truncated", f"{len(found[TRUNCATED])} confidence interval(s) reached beyond "
            "0% or 100% (or below 0 months) and are shown cut at that bound; the tables mark "
            "them. Clopper-Pearson or Wilson intervals for proportions, and a transformed "
            "interval for medians (ci.km: log-log), stay within their bounds.",
            tuple(found[TRUNCATED])))
    return tuple(notices)


def _pct(value: float | None) -> str:
    return "NE" if value is None else f"{value * 100:.1f}%"
