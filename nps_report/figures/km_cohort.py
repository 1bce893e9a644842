"""Kaplan-Meier curves by cohort (study.yaml `by:`), PFS beside OS, drawn as the curves by
factor level are (km_factor.py), with each cohort's numbers at risk under the plot."""

from __future__ import annotations

from matplotlib.figure import Figure

from ..config import FigureConfig
from ..present.cohorts import cohort_name
from ..results import Results
from ._style import frame
from .km_factor import panel_height, plot_km_by_factor


def km_cohort_figure(results: Results, config: FigureConfig, endpoint: str) -> Figure:
    split = results.by
    if split is None:
        raise ValueError("the study has no cohorts (by: in study.yaml)")
    curves = split.curves(endpoint)
    return plot_km_by_factor(curves, endpoint=endpoint, title=split.label,
                             level_labels={lv: cohort_name(split, lv) for lv in split.levels},
                             greyscale=bool(config.greyscale),
                             width=frame(config).half_width_in,
                             height=panel_height(len(split.levels))).get_figure()
