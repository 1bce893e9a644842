"""The patient-flow diagram (CONSORT style): a column of boxes from screening to the analyses,
each step's losses in a box to its right, drawn from Results.flow alone.

Laid out in inches on one axes spanning the figure, box heights from their lines of text
(wrapped to the box's width), so the diagram prints at the size it is drawn at whatever
the number of reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle

from ..config import FigureConfig
from ..present.figures.flow import flow_steps
from ..results import Results
from ._style import BASE, INK, frame, new_figure, style, text_width_pt

LINE_IN = BASE * 1.32 / 72  # one line of 8 pt text
PAD_IN = 0.07  # text inset within a box
GAP_IN = 0.30  # between boxes one under another, when no side box needs more
MAIN = (0.03, 0.45)  # left edge and width of the main column, as fractions of the width
SIDE = (0.55, 0.44)


@dataclass(frozen=True)
class Box:
    lines: tuple[str, ...]
    x: float  # left, inches
    width: float

    @property
    def height(self) -> float:
        return len(self.lines) * LINE_IN + 1.6 * PAD_IN


def wrapped(lines: tuple[str, ...], width_in: float) -> tuple[str, ...]:
    """Lines wrapped word by word to a box `width_in` wide, measured in the font; a bullet's
    continuation is indented ('(n = 2)' is one word: its spaces do not break)."""
    room = (width_in - 2 * PAD_IN) * 72
    out: list[str] = []
    for line in lines:
        indent = "   " if line.startswith("• ") else ""
        current = ""
        for word in line.split(" "):
            trial = f"{current} {word}" if current else word
            if current and text_width_pt(trial, BASE) > room:
                out.append(current)
                current = indent + word
            else:
                current = trial
        out.append(current)
    return tuple(out)


def flow_figure(results: Results, config: FigureConfig | None = None) -> Figure:
    width = frame(config).width_in
    steps = flow_steps(results)
    main_x, main_w = MAIN[0] * width, MAIN[1] * width
    side_x, side_w = SIDE[0] * width, SIDE[1] * width
    mains = [Box(wrapped(s.main, main_w), main_x, main_w) for s in steps]
    sides = [Box(wrapped(s.side, side_w), side_x, side_w) if s.side else None for s in steps]
    gaps = [max(GAP_IN, (side.height + 2 * 0.1) if side else 0.0) for side in sides[:-1]]
    height = sum(b.height for b in mains) + sum(gaps) + 0.04
    with style():
        fig = new_figure(width, height)
        fig.set_layout_engine("none")
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        ax.set_xlim(0.0, width)
        ax.set_ylim(height, 0.0)  # inches from the top
        ax.set_axis_off()
        top = 0.02
        for i, box in enumerate(mains):
            _box(ax, box, top, f"flow-{i}")
            bottom = top + box.height
            if i + 1 == len(mains):
                break
            gap = gaps[i]
            centre = main_x + main_w / 2
            _arrow(ax, (centre, bottom), (centre, bottom + gap), f"flow-arrow-{i}")
            side = sides[i]
            if side is not None:
                side_top = bottom + (gap - side.height) / 2
                _box(ax, side, side_top, f"flow-side-{i}")
                _arrow(ax, (centre, side_top + side.height / 2),
                       (side_x, side_top + side.height / 2), f"flow-side-arrow-{i}")
            top = bottom + gap
    return fig


def _box(ax, box: Box, top: float, gid: str) -> None:
    ax.add_patch(Rectangle((box.x, top), box.width, box.height, facecolor="white",
                           edgecolor=INK, linewidth=0.8, gid=gid))
    ax.text(box.x + PAD_IN, top + PAD_IN, "\n".join(box.lines), ha="left", va="top",
            fontsize=BASE, color=INK, linespacing=1.32, gid=f"{gid}-text")


def _arrow(ax, start: tuple[float, float], end: tuple[float, float], gid: str) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=8,
                                 linewidth=0.8, color=INK, shrinkA=0, shrinkB=0, gid=gid))
