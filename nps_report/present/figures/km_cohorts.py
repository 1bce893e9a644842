"""Figure: Kaplan-Meier curves of progression-free (A) and overall survival (B) by cohort
(study.yaml `by:`), with each cohort's numbers at risk (drawn in figures/km_cohort.py)."""

from __future__ import annotations

from ...config import FigureConfig
from ...results import Results
from ...results.keys import Key
from ...vocab import ENDPOINT_ABBREVIATIONS
from ..artifact import FigureArtifact, Panel
from ..cohorts import cohort_name
from ..fmt import fmt_int, fmt_num

DRAW = "nps_report.figures.km_cohort:km_cohort_figure"


def km_cohort_printed(results: Results, panel: Panel) -> dict[Key, tuple[str, str]]:
    """Each cohort's numbers at risk printed under the panel, for the change report."""
    endpoint, split = panel.args[0], results.by
    if split is None:
        return {}
    at = Key.parse("figures").field(panel.key).field("at_risk")
    curves = split.curves(endpoint)
    return {at.item(lv.level).item(tick): (
        f"{ENDPOINT_ABBREVIATIONS[endpoint]} by {split.label}, {cohort_name(split, lv.level)}, "
        f"number at risk at {fmt_num(tick, 0 if float(tick).is_integer() else 1)} months",
        fmt_int(n)) for lv in curves.levels for tick, n in zip(curves.ticks, lv.at_risk,
                                                                 strict=True)}


def km_cohort_panels(results: Results, _config: FigureConfig) -> tuple[Panel, ...]:
    if results.by is None:
        return ()
    return tuple(Panel(f"km_{ep}_by_cohort", DRAW, reads=(f"by.{ep}", "by.label", "by.levels"),
                       args=(ep,), printed=km_cohort_printed) for ep in ("pfs", "os"))


FIGURE = FigureArtifact("km_cohorts", "figures/km_cohorts.md.j2", km_cohort_panels, columns=2,
                        section="Survival")
