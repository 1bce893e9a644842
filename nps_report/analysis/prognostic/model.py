"""What the prognostic-factor analysis hands back: frozen dataclasses of plain values.

Row types carry exactly the keys of results.json (study contract, section 3), so
`dataclasses.asdict` writes them as they are. Nothing here imports pandas, numpy or
lifelines: templates, figures and renderers read these objects without the analysis
stack. `None` means "not estimable" or "not computed"; the reason is in the model's
`warnings` and in `Prognostic.notices`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import Notice

ENDPOINT_LABELS = {"pfs": "progression-free survival", "os": "overall survival"}


@dataclass(frozen=True)
class UnivariableRow:
    """One non-reference level of a factor (or the per-unit HR of a continuous factor)."""

    factor: str
    level: str | None
    reference: str | None
    n: int  # patients of this level (continuous: all patients with a value)
    n_events: int
    hr: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None  # Wald


@dataclass(frozen=True)
class MultivariableRow:
    factor: str
    level: str | None
    reference: str | None
    hr: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None


@dataclass(frozen=True)
class LogRankRow:
    factor: str
    chisq: float | None
    df: int
    p: float | None


@dataclass(frozen=True)
class ResponseRow:
    factor: str
    level: str
    n: int
    responders: int
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None  # two-sided Fisher exact test of the factor, repeated on each level


@dataclass(frozen=True)
class TermTest:
    """A chi-square test of one model term (a factor, all its levels together) or GLOBAL."""

    term: str
    chisq: float | None
    df: int
    p: float | None


@dataclass(frozen=True)
class NotEstimable:
    factor: str
    level: str | None
    reason: str  # e.g. "no events in level 'yes'"


@dataclass(frozen=True)
class CoxModel:
    """How one Cox model went: who was in it, and what limits what it can say."""

    kind: str  # univariable | multivariable
    factors: tuple[str, ...]
    n: int
    n_events: int
    n_excluded: int  # patients left out for a missing factor value
    n_parameters: int  # coefficients in the model (levels - 1, or 1 per continuous factor)
    events_per_parameter: float | None
    wald: tuple[TermTest, ...]  # Wald test of each factor (all its levels together)
    ph: tuple[TermTest, ...]  # Grambsch-Therneau test per factor and GLOBAL; () = not assessed
    not_estimable: tuple[NotEstimable, ...]
    warnings: tuple[str, ...]  # codes: low_epv, not_estimable, ph_doubtful, ph_not_assessed


@dataclass(frozen=True)
class LevelSurvival:
    """Kaplan-Meier summary of the patients of one level (curve as in results.Curve)."""

    level: str
    n: int
    n_events: int
    median: float | None
    ci_low: float | None
    ci_high: float | None
    time: tuple[float, ...]  # event times; the curve drops to surv[i] at time[i]
    surv: tuple[float, ...]
    censor_time: tuple[float, ...]
    censor_surv: tuple[float, ...]
    at_risk: tuple[int, ...]  # patients at risk at each of FactorSurvival.ticks
    max_time: float


@dataclass(frozen=True)
class FactorSurvival:
    factor: str
    ticks: tuple[float, ...]  # months, shared by the levels' at-risk rows
    levels: tuple[LevelSurvival, ...]


@dataclass(frozen=True)
class EndpointPrognostic:
    """prognostic.<endpoint> in results.json (first three fields are the contract's)."""

    endpoint: str
    univariable: tuple[UnivariableRow, ...]
    logrank: tuple[LogRankRow, ...]
    multivariable: tuple[MultivariableRow, ...]
    models: tuple[CoxModel, ...]  # the univariable models in factor order, then multivariable
    curves: tuple[FactorSurvival, ...]  # categorical and yes/no factors


@dataclass(frozen=True)
class FactorInfo:
    column: str
    label: str
    kind: str  # categorical | binary | continuous
    levels: tuple[str, ...]  # reference first; () for continuous
    group: str | None  # the multi row a yes/no column belongs to ("Metastatic sites")
    n_missing: int

    @property
    def reference(self) -> str | None:
        return self.levels[0] if self.levels else None


@dataclass(frozen=True)
class PrognosticMethods:
    """What the Methods section states; thresholds are data so the text cannot drift."""

    level: float
    proportion_ci: str
    km_ci: str
    ties: str = "efron"
    hr_ci: str = "wald"
    ph_test: str = "grambsch-therneau"
    ph_transform: str = "km"
    ph_alpha: float = 0.05
    min_events_per_parameter: float = 10.0
    fisher: str = "two-sided"


@dataclass(frozen=True)
class Prognostic:
    """Field by field, `pfs` and `os` are results.json's prognostic.pfs / prognostic.os
    (None when the endpoint was not analysed); response_by_factor is the top-level key."""

    factors: tuple[FactorInfo, ...]
    multivariable: tuple[str, ...]
    pfs: EndpointPrognostic | None
    os: EndpointPrognostic | None
    response_by_factor: tuple[ResponseRow, ...]
    methods: PrognosticMethods
    notices: tuple[Notice, ...]

    def endpoint(self, name: str) -> EndpointPrognostic | None:
        if name not in ENDPOINT_LABELS:
            raise KeyError(name)
        return getattr(self, name)

    @property
    def endpoints(self) -> tuple[EndpointPrognostic, ...]:
        return tuple(e for e in (self.pfs, self.os) if e is not None)

    def factor(self, column: str) -> FactorInfo:
        return next(f for f in self.factors if f.column == column)
