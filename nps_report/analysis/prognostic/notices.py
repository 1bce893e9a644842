"""What the build must tell the user about the prognostic analysis, as Notices.

One Notice per kind of caveat, its details one line per model or factor affected.
The wording states what was tested and what limits it; it never ranks factors by
their p-values or calls them "significant".
"""

from __future__ import annotations

from collections.abc import Sequence

from ...errors import Notice
from ...results import CoxModel, EndpointPrognostic, FactorInfo
from .models import MIN_EVENTS_PER_PARAMETER, PH_ALPHA

NAMES = {"pfs": "PFS", "os": "OS"}


def build_notices(factors: Sequence[FactorInfo], endpoints: Sequence[EndpointPrognostic],
                  n_patients: int, fisher_skipped: Sequence[str],
                  fisher_too_large: Sequence[str]) -> tuple[Notice, ...]:
    out = []
    missing = [f"{f.column}: {f.n_missing} of {n_patients} patients" for f in factors
               if f.n_missing]
    if missing:
        out.append(Notice("prognostic_missing_values", "Patients with a missing value of a "
                          "factor were left out of that factor's Cox models, log-rank test "
                          "and response comparison.", tuple(missing)))
    low, not_est, doubtful, unassessed, no_logrank = [], [], [], [], []
    for ep in endpoints:
        name = NAMES.get(ep.endpoint, ep.endpoint)
        for m in ep.models:
            where = f"{name}, {_describe(m)}"
            if "low_epv" in m.warnings:
                low.append(f"{where}: {m.n_events} events for {m.n_parameters} "
                           f"coefficient{'s' if m.n_parameters != 1 else ''} "
                           f"({m.events_per_parameter:.1f} per coefficient)")
            for ne in m.not_estimable:
                level = f" = {ne.level}" if ne.level is not None else ""
                not_est.append(f"{where}: {ne.factor}{level}: {ne.reason}")
            for t in m.ph:
                if t.p is not None and t.p < PH_ALPHA:
                    doubtful.append(f"{where}: {t.term}: chi-square {t.chisq:.2f}, df {t.df}, "
                                    f"p = {t.p:.3g}")
            if "ph_not_assessed" in m.warnings:
                unassessed.append(where)
        no_logrank += [f"{name}: {r.factor}" for r in ep.logrank if r.p is None]
    if low:
        out.append(Notice("prognostic_low_events_per_parameter", f"Some Cox models have fewer "
                          f"than {MIN_EVENTS_PER_PARAMETER:g} events per estimated coefficient; "
                          "their hazard ratios may be biased and their confidence intervals "
                          "may not have their nominal coverage.", tuple(low)))
    if not_est:
        out.append(Notice("prognostic_not_estimable", "Some hazard ratios cannot be estimated "
                          "(the partial likelihood has no finite maximum) and are reported as "
                          "not estimable.", tuple(not_est)))
    if doubtful:
        out.append(Notice("prognostic_ph_doubtful", "The proportional-hazards assumption may "
                          f"not hold for some factors (Grambsch-Therneau test, p < {PH_ALPHA:g}); "
                          "a hazard ratio there may average an effect that changes over time.",
                          tuple(doubtful)))
    if unassessed:
        out.append(Notice("prognostic_ph_not_assessed", "Proportional hazards could not be "
                          "tested in some models, because a coefficient is not estimable or "
                          "there are too few events.", tuple(unassessed)))
    if no_logrank:
        out.append(Notice("prognostic_logrank_not_possible", "No log-rank test for some "
                          "factors: fewer than two of their levels had patients at risk at an "
                          "event time.", tuple(no_logrank)))
    skipped = [f"{c}: fewer than two levels with patients" for c in fisher_skipped]
    skipped += [f"{c}: too large for the exact enumeration" for c in fisher_too_large]
    if skipped:
        out.append(Notice("prognostic_fisher_not_computed", "No Fisher exact test of response "
                          "for some factors.", tuple(skipped)))
    return tuple(out)


def _describe(m: CoxModel) -> str:
    if m.kind == "univariable":
        return f"univariable {m.factors[0]}"
    return f"multivariable ({', '.join(m.factors)}; {m.n} patients)"
