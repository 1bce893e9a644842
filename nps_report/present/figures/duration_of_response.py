"""Figure: the Kaplan-Meier curve of duration of response among the responders, with the
numbers at risk under it (drawn in figures/duration_of_response.py)."""

from __future__ import annotations

from ...config import FigureConfig
from ...results import Results
from ..artifact import FigureArtifact, Panel
from .survival import km_at_risk

KM_DOR = Panel("km_dor", "nps_report.figures.duration_of_response:dor_figure",
               reads=("efficacy.dor",), args=("dor",), printed=km_at_risk)


def dor_panels(results: Results, _config: FigureConfig) -> tuple[Panel, ...]:
    """Drawn with two responders or more: one response is one step, told in the text."""
    dor = results.efficacy.dor
    return (KM_DOR,) if dor is not None and dor.n >= 2 else ()


FIGURE = FigureArtifact("dor", "figures/dor.md.j2", dor_panels, section="Efficacy")
