"""Figure: tumour response and course of treatment, a waterfall over a swimmer plot.

The waterfall is dropped when no patient has a bar (no post-baseline measurement):
the figure is then the swimmer plot alone. What each panel shows is decided in
present/figure_data.py, which the drawing and the legend both read.
"""

from __future__ import annotations

from ...config import FigureConfig
from ...results import Results
from ..artifact import FigureArtifact, Panel
from ..figure_data import waterfall_data

DRAW = "nps_report.figures.composite"

WATERFALL = Panel("waterfall", f"{DRAW}:waterfall_figure",
                  reads=("patients.best_pct_change", "patients.bor", "patients.patient_id"))
SWIMMER = Panel("swimmer", f"{DRAW}:swimmer_figure", reads=("patients", "survival.os.at_risk"))


def response_panels(results: Results, config: FigureConfig) -> tuple[Panel, ...]:
    if waterfall_data(results, config.swimmer_show_ids).labels:
        return WATERFALL, SWIMMER
    return (SWIMMER,)


FIGURE = FigureArtifact("figure1", "figures/figure1.md.j2", response_panels, columns=1)
