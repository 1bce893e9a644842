"""The Kaplan-Meier curve of duration of response among the responders, drawn like a panel of
Figure 2 (median, band, censor ticks, numbers at risk), from first response."""

from __future__ import annotations

from matplotlib.figure import Figure

from ..config import FigureConfig
from ..results import Results
from ._style import frame, new_figure, style
from .composite import DEFAULT_CONFIG, KM_HEIGHT
from .km import plot_km

X_LABEL = "Months since first response"


def dor_figure(results: Results, config: FigureConfig = DEFAULT_CONFIG,
               _endpoint: str = "dor") -> Figure:
    """The panel; `_endpoint` is the declaration's argument that keys its numbers at risk."""
    summary = results.efficacy.dor
    if summary is None:
        raise ValueError("no responder: the duration-of-response figure has nothing to draw")
    with style():
        fig = new_figure(frame(config).half_width_in, KM_HEIGHT)
        plot_km(summary, fig.add_subplot(), ci_band=config.km_ci_band,
                greyscale=config.greyscale, x_label=X_LABEL)
    return fig
