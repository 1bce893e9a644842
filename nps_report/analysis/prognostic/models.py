"""One Cox model from factors to reported rows, with what limits what it can say.

Rules (stated in the Methods from PrognosticMethods):
- events per parameter below MIN_EVENTS_PER_PARAMETER (10, Peduzzi et al. 1995) -> low_epv;
- a coefficient without a finite estimate (separation.py) -> its HR, CI and p are None,
  with the reason -> not_estimable;
- the Grambsch-Therneau test (cox.zph, KM time scale) with p < PH_ALPHA for a factor or
  globally -> ph_doubtful. 0.05 is a screening threshold for a stated assumption, not a
  finding: the test is run for every factor of every model and reported as it is, and
  the warning says the assumption "may not hold". A model with a non-estimable
  coefficient, or a singular information matrix, is not tested -> ph_not_assessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...results import CoxModel, NotEstimable, TermTest
from .cox import CoxFit, CoxFitError, Estimate, estimate, fit_cox, wald_test
from .design import Column, Design, build_design, complete_cases
from .factors import Factor
from .zph import ph_test

MIN_EVENTS_PER_PARAMETER = 10.0
PH_ALPHA = 0.05


@dataclass(frozen=True)
class LevelRow:
    """A reported level: its column (factor, level, reference), counts and estimate."""

    column: Column
    n: int
    n_events: int
    estimate: Estimate


def run_model(kind: str, factors: Sequence[Factor], time: np.ndarray, event: np.ndarray,
              level: float) -> tuple[tuple[LevelRow, ...], CoxModel]:
    keep = complete_cases(factors) & np.isfinite(time)
    design = build_design(factors, keep)
    t, e = time[keep], event[keep]
    try:
        fit = fit_cox(t, e, design.x)
        failed = False
    except CoxFitError:  # reported as not estimable, never as where an iteration stopped
        p = design.x.shape[1]
        fit = CoxFit(np.full(p, np.nan), np.full((p, p), np.nan), np.zeros(p, dtype=bool))
        failed = True
    rows = _rows(factors, design, fit, keep, event, level)
    not_est = _not_estimable(factors, design, fit, keep, event, failed)
    n_par = design.x.shape[1]
    n_events = int(e.sum())
    epv = n_events / n_par if n_par else None
    wald = tuple(TermTest(name, *res) if (res := wald_test(fit, list(cols))) else
                 TermTest(name, None, len(cols), None) for name, cols in design.terms)
    ph = _ph(t, e, design, fit)
    warnings = []
    if epv is not None and epv < MIN_EVENTS_PER_PARAMETER:
        warnings.append("low_epv")
    if not_est:
        warnings.append("not_estimable")
    if ph and any(r.p is not None and r.p < PH_ALPHA for r in ph):
        warnings.append("ph_doubtful")
    if not ph and n_par:
        warnings.append("ph_not_assessed")
    model = CoxModel(kind, tuple(f.column for f in factors), int(keep.sum()), n_events,
                     int((~keep).sum()), n_par, epv, wald, ph, not_est, tuple(warnings))
    return rows, model


def _rows(factors: Sequence[Factor], design: Design, fit: CoxFit, keep: np.ndarray,
          event: np.ndarray, level: float) -> tuple[LevelRow, ...]:
    index = {(c.factor, c.level): i for i, c in enumerate(design.columns)}
    se = fit.se
    rows = []
    for f in factors:
        spec = f.spec
        values = np.asarray(f.values, dtype=object)
        if not spec.categorical:
            i = index[(spec.column, None)]
            rows.append(LevelRow(design.columns[i], int(keep.sum()), int(event[keep].sum()),
                                 estimate(fit.coef[i], se[i], level)))
            continue
        for lv in spec.levels[1:]:
            mask = keep & (values == lv)
            i = index.get((spec.column, lv))
            est = estimate(fit.coef[i], se[i], level) if i is not None else (
                Estimate(None, None, None, None))
            rows.append(LevelRow(Column(spec.column, lv, spec.reference), int(mask.sum()),
                                 int(event[mask].sum()), est))
    return tuple(rows)


def _not_estimable(factors: Sequence[Factor], design: Design, fit: CoxFit, keep: np.ndarray,
                   event: np.ndarray, failed: bool) -> tuple[NotEstimable, ...]:
    out = [NotEstimable(c.factor, c.level, f"no patients in level '{c.level}'")
           for c in design.empty_levels]
    by_name = {f.column: f for f in factors}
    for i, c in enumerate(design.columns):
        if fit.estimable[i]:
            continue
        reason = ("the fit did not reach the maximum of the partial likelihood" if failed
                  else _reason(by_name[c.factor], c, keep, event))
        out.append(NotEstimable(c.factor, c.level, reason))
    order = {(f.column, lv): k for k, f in enumerate(factors)
             for lv in (f.spec.levels or (None,))}
    return tuple(sorted(out, key=lambda r: order.get((r.factor, r.level), 0)))


def _reason(factor: Factor, column: Column, keep: np.ndarray, event: np.ndarray) -> str:
    values = np.asarray(factor.values, dtype=object)
    if column.level is None:
        if len(set(values[keep].tolist())) == 1:
            return "every patient has the same value"
        return "the partial likelihood has no finite maximum (monotone likelihood)"
    ref = keep & (values == column.reference)
    lev = keep & (values == column.level)
    if not ref.any():
        return f"no patients in the reference level '{column.reference}'"
    if not event[ref].any():
        return f"no events in the reference level '{column.reference}'"
    if not event[lev].any():
        return f"no events in level '{column.level}'"
    return ("the partial likelihood has no finite maximum (monotone likelihood: the events "
            "of the groups compared do not overlap in time)")


def _ph(time: np.ndarray, event: np.ndarray, design: Design, fit: CoxFit) -> tuple[TermTest,
                                                                                   ...]:
    if design.x.shape[1] == 0 or not fit.all_estimable or event.sum() < 2:
        return ()
    terms = [(name, cols) for name, cols in design.terms if cols]
    try:
        table = ph_test(time, event, design.x, fit.coef, terms)
    except np.linalg.LinAlgError:
        return ()
    return tuple(TermTest(*row) for row in table)
