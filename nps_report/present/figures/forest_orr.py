"""Figure: the objective response rate of each level of each factor, with its CI, against the
overall rate."""

from __future__ import annotations

from ...config import FigureConfig
from ...results import Results
from ..artifact import FigureArtifact, Panel
from ..tables.response_by_factor import has_response_by_factor

DRAW = "nps_report.figures.prognostic"


def orr_forest_panels(results: Results, _config: FigureConfig) -> tuple[Panel, ...]:
    if not has_response_by_factor(results):
        return ()
    return (Panel("forest_orr", f"{DRAW}:orr_forest_figure",
                  reads=("response_by_factor", "prognostic.factors", "efficacy.orr")),)


FIGURE = FigureArtifact("forest_orr", "figures/forest_orr.md.j2", orr_forest_panels,
                        section="Prognostic factors")
