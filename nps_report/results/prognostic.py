"""Prognostic factors (study.yaml `prognostic`; study contract, section 3).

Row types carry exactly the contract's keys; `None` means "not estimable" or "not
computed", the reason being in the model's warnings and in Results.notices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import named
from .keys import factor_level

PROGNOSTIC_ENDPOINTS = ("pfs", "os")


class FactorLevelRow:
    """A row about one level of a factor: named in keys by both, 'ecog=2' (or 'age')."""

    __key__ = "name"

    factor: str
    level: str | None

    @property
    def name(self) -> str:
        return factor_level(self.factor, self.level)


@dataclass(frozen=True)
class UnivariableRow(FactorLevelRow):
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
class MultivariableRow(FactorLevelRow):
    factor: str
    level: str | None
    reference: str | None
    hr: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None


@dataclass(frozen=True)
class LogRankRow:
    __key__ = "factor"

    factor: str
    chisq: float | None
    df: int
    p: float | None


@dataclass(frozen=True)
class ResponseRow(FactorLevelRow):
    factor: str
    level: str
    n: int
    responders: int
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None  # two-sided Fisher exact test of the factor, repeated on each level


@dataclass(frozen=True)
class NotEstimable(FactorLevelRow):
    factor: str
    level: str | None
    reason: str  # e.g. "no events in level 'yes'"


@dataclass(frozen=True)
class TermTest:
    """A chi-square test of one model term (a factor, all its levels together) or GLOBAL."""

    __key__ = "term"

    term: str
    chisq: float | None
    df: int
    p: float | None


@dataclass(frozen=True)
class CoxModel:
    """How one Cox model went: who was in it, and what limits what it can say."""

    __key__ = "name"

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

    @property
    def name(self) -> str:
        """'univariable ecog', 'multivariable ecog + met_liver' (its identity in a key)."""
        return f"{self.kind} {' + '.join(self.factors)}"


@dataclass(frozen=True)
class LevelSurvival:
    """Kaplan-Meier summary of the patients of one level (curve as in Curve)."""

    __key__ = "level"

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
    __key__ = "factor"

    factor: str
    ticks: tuple[float, ...]  # months, shared by the levels' at-risk rows
    levels: tuple[LevelSurvival, ...]

    def level(self, label: str) -> LevelSurvival:
        return next(lv for lv in self.levels if lv.level == label)


@dataclass(frozen=True)
class EndpointPrognostic:
    """prognostic.<endpoint> in results.json (univariable, logrank and multivariable are
    the contract's)."""

    endpoint: str
    univariable: tuple[UnivariableRow, ...] = field(metadata=named("Univariable Cox model"))
    logrank: tuple[LogRankRow, ...] = field(metadata=named("Log-rank test"))
    multivariable: tuple[MultivariableRow, ...] = field(metadata=named(
        "Multivariable Cox model"))
    models: tuple[CoxModel, ...] = field(metadata=named("Cox model"))  # univariable in
    # factor order, then the multivariable one
    curves: tuple[FactorSurvival, ...] = field(metadata=named("Kaplan-Meier curves by factor"))

    def model(self, kind: str, factor: str | None = None) -> CoxModel | None:
        """The univariable model of `factor`, or (kind 'multivariable') the multivariable one."""
        return next((m for m in self.models if m.kind == kind
                     and (factor is None or m.factors == (factor,))), None)

    def curve(self, factor: str) -> FactorSurvival | None:
        return next((c for c in self.curves if c.factor == factor), None)


@dataclass(frozen=True)
class FactorInfo:
    __key__ = "column"

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
    ph_alpha: float = field(default=0.05, metadata=named("Proportional-hazards test threshold"))
    min_events_per_parameter: float = field(default=10.0, metadata=named(
        "Minimum events per coefficient"))
    fisher: str = "two-sided"


@dataclass(frozen=True)
class Prognostic:
    """results.json's `prognostic`: pfs and os as the contract has them (None when the
    endpoint was not analysed), the factors and how they were analysed."""

    factors: tuple[FactorInfo, ...] = field(metadata=named("Prognostic factor"))
    multivariable: tuple[str, ...] = field(metadata=named("Multivariable model factors"))
    pfs: EndpointPrognostic | None = field(metadata=named("PFS"))
    os: EndpointPrognostic | None = field(metadata=named("OS"))
    methods: PrognosticMethods

    def endpoint(self, name: str) -> EndpointPrognostic | None:
        if name not in PROGNOSTIC_ENDPOINTS:
            raise KeyError(name)
        return getattr(self, name)

    @property
    def endpoints(self) -> tuple[EndpointPrognostic, ...]:
        return tuple(e for e in (self.pfs, self.os) if e is not None)

    def factor(self, column: str) -> FactorInfo:
        return next(f for f in self.factors if f.column == column)

