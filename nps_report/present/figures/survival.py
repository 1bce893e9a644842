"""Figure: Kaplan-Meier curves of progression-free (A) and overall survival (B), side by side,
with the numbers at risk printed under each."""

from __future__ import annotations

from ...config import FigureConfig
from ...results import Results, SurvivalSummary
from ...results.keys import Key
from ...vocab import ENDPOINT_ABBREVIATIONS
from ..artifact import FigureArtifact, Panel
from ..fmt import fmt_num

DRAW = "nps_report.figures.composite"
PRINTED = Key.parse("figures")  # numbers a figure prints: figures.<panel>...


def km_summary(results: Results, endpoint: str) -> SurvivalSummary:
    """The Kaplan-Meier summary a panel draws: PFS or OS, or the responders' duration of
    response (efficacy.dor)."""
    if endpoint == "dor":
        assert results.efficacy.dor is not None  # the panel is chosen only with responders
        return results.efficacy.dor
    return getattr(results.survival, endpoint)


def km_at_risk(results: Results, panel: Panel) -> dict[Key, tuple[str, str]]:
    """The numbers at risk printed under a Kaplan-Meier panel, for the change report."""
    endpoint = panel.args[0]
    s = km_summary(results, endpoint)
    abbrev = ENDPOINT_ABBREVIATIONS[endpoint]
    at_risk = PRINTED.field(panel.key).field("at_risk")
    return {at_risk.item(a.months): (
        f"{abbrev} curve, number at risk at "
        f"{fmt_num(a.months, 0 if float(a.months).is_integer() else 1)} months", str(a.n))
        for a in s.at_risk}


KM_PFS = Panel("km_pfs", f"{DRAW}:km_figure", reads=("survival.pfs",), args=("pfs",),
               printed=km_at_risk)
KM_OS = Panel("km_os", f"{DRAW}:km_figure", reads=("survival.os",), args=("os",),
              printed=km_at_risk)


def survival_panels(_results: Results, _config: FigureConfig) -> tuple[Panel, ...]:
    return KM_PFS, KM_OS


FIGURE = FigureArtifact("figure2", "figures/figure2.md.j2", survival_panels, columns=2)
