"""A forest plot as a table: labels and counts left of the axes, estimates drawn, texts right.

Both forest plots (hazard ratios, response by subgroup) are rows of ForestRow: a
factor's header, then one row per level. Each row has one estimate per series
(univariable and multivariable HRs; one series for response), drawn as a marker with
its CI line, offset vertically within the row when there are two. Limits outside the
axis end in an arrow at the edge; a reference level or a not-estimable estimate is
text only. Texts sit in fixed point offsets from the axes, so constrained layout makes
room for them, and every artist has a gid that names its row and series.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.axes import Axes

from ._style import INK, MUTED, SMALL, text_width_pt

GAP_PT = 8.0  # between text columns
SERIES_OFFSET = 0.17  # vertical offset of two series within a row (row pitch 1)
MARKERS = ("s", "D")


@dataclass(frozen=True)
class Estimate:
    value: float | None  # None: not estimable (text only)
    low: float | None
    high: float | None
    text: str  # '3.36 (1.26–8.94)', 'reference', 'not estimable'


@dataclass(frozen=True)
class ForestRow:
    label: str
    header: bool  # a factor's name; a continuous factor's single row is a header too
    counts: str  # '6/6' (n/events) or '4/24' (responders/n); '' for a header without data
    estimates: tuple[Estimate | None, ...]  # one per series; None: nothing in that series
    key: str  # factor or factor:level, for gids
    note: str = ""  # right of the last text column (e.g. a factor's Fisher p)


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


PITCH_IN = 0.19  # a row: 7 pt text with air
MIN_PITCH_IN = 0.135  # 7 pt text with 2.7 pt between lines: the tightest that still reads
HEAD_AXIS_IN = 0.9  # the column headers above and the axis below


def row_height_in(n_rows: int, pitch: float = PITCH_IN) -> float:
    """Figure height: `pitch` per row plus the header and axis."""
    return HEAD_AXIS_IN + pitch * max(n_rows, 1)


def fitted_pitch(row_counts: list[int], max_height_in: float, strip_in: float) -> float:
    """The row pitch at which panels of these row counts, stacked with a letter strip over
    each, fit `max_height_in`: PITCH_IN when they fit, down to MIN_PITCH_IN."""
    rows = sum(max(n, 1) for n in row_counts)
    room = max_height_in - len(row_counts) * (HEAD_AXIS_IN + strip_in)
    return max(min(PITCH_IN, room / rows), MIN_PITCH_IN)


def draw_forest(ax: Axes, rows: tuple[ForestRow, ...], series: tuple[Series, ...], *,
                xlim: tuple[float, float], tag: str, count_header: str,
                text_header: str, label_header: str = "") -> None:
    """Draw markers, CI lines and the text columns for rows; y runs 0, -1, -2, ...;
    `label_header` heads the label column (what the plot is of: 'Overall survival')."""
    offsets = _offsets(len(series))
    low_edge, high_edge = xlim
    for i, row in enumerate(rows):
        y = -float(i)
        for s, (est, dy) in enumerate(zip(row.estimates, offsets, strict=True)):
            if est is None or est.value is None:
                continue
            colour = series[s].colour
            lo = max(est.low, low_edge) if est.low is not None else est.value
            hi = min(est.high, high_edge) if est.high is not None else est.value
            ax.plot([lo, hi], [y + dy, y + dy], color=colour, linewidth=1.0,
                    solid_capstyle="butt", gid=f"{tag}-ci-{s}-{row.key}", zorder=3)
            ax.plot([min(max(est.value, low_edge), high_edge)], [y + dy], linestyle="none",
                    marker=MARKERS[s % len(MARKERS)], markersize=4.2, color=colour,
                    markeredgewidth=0, clip_on=False, gid=f"{tag}-point-{s}-{row.key}",
                    zorder=4)
            for end, edge, marker in ((est.low, low_edge, "<"), (est.high, high_edge, ">")):
                if end is not None and ((marker == "<" and end < edge) or
                                        (marker == ">" and end > edge)):
                    ax.plot([edge], [y + dy], linestyle="none", marker=marker, markersize=3.5,
                            color=colour, markeredgewidth=0, clip_on=False,
                            gid=f"{tag}-beyond-{s}-{row.key}-{'high' if marker == '>' else 'low'}",
                            zorder=4)
    _text_columns(ax, rows, series, tag, count_header, text_header, label_header)
    ax.set_ylim(-len(rows) + 0.4, 0.6)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)


def _offsets(n: int) -> tuple[float, ...]:
    if n <= 1:
        return (0.0,) * n
    return tuple(SERIES_OFFSET * (1 - 2 * k / (n - 1)) for k in range(n))


def _text_columns(ax: Axes, rows: tuple[ForestRow, ...], series: tuple[Series, ...], tag: str,
                  count_header: str, text_header: str, label_header: str) -> None:
    label_w = max([text_width_pt(r.label) for r in rows] + [text_width_pt(label_header)])
    count_w = max([text_width_pt(r.counts) for r in rows] + [text_width_pt(count_header)])
    text_w = [max([text_width_pt(r.estimates[s].text) for r in rows
                   if r.estimates[s] is not None] + [text_width_pt(series[s].name)])
              for s in range(len(series))]
    # left of the axes: labels (left-aligned), counts (right-aligned)
    count_right = -GAP_PT
    label_left = count_right - count_w - GAP_PT - label_w
    top = 0.0 + 0.9
    _put(ax, 0.0, top, count_right, count_header, "right", f"{tag}-head-counts", bold=True)
    if label_header:
        _put(ax, 0.0, top, label_left, label_header, "left", f"{tag}-head-label", bold=True)
    x = GAP_PT
    for s, ser in enumerate(series):
        _put(ax, 1.0, top, x, ser.name if len(series) > 1 else text_header, "left",
             f"{tag}-head-{s}", bold=True, colour=ser.colour if len(series) > 1 else INK)
        x += text_w[s] + GAP_PT
    note_x = x
    for i, row in enumerate(rows):
        y = -float(i)
        indent = 0.0 if row.header else 8.0
        _put(ax, 0.0, y, label_left + indent, row.label, "left", f"{tag}-label-{i}",
             bold=row.header)
        if row.counts:
            _put(ax, 0.0, y, count_right, row.counts, "right", f"{tag}-counts-{i}")
        x = GAP_PT
        for s, est in enumerate(row.estimates):
            if est is not None:
                muted = est.value is None
                _put(ax, 1.0, y, x, est.text, "left", f"{tag}-text-{s}-{i}",
                     colour=MUTED if muted else INK, italic=muted)
            x += text_w[s] + GAP_PT
        if row.note:
            _put(ax, 1.0, y, note_x, row.note, "left", f"{tag}-note-{i}", colour=MUTED)
    if len(series) > 1:  # one caption over the series columns
        _put(ax, 1.0, top + 0.9, GAP_PT, text_header, "left", f"{tag}-head-text", bold=True)


def _put(ax: Axes, x_frac: float, y: float, dx_pt: float, text: str, ha: str, gid: str, *,
         bold: bool = False, italic: bool = False, colour: str = INK) -> None:
    ax.annotate(text, xy=(x_frac, y), xycoords=("axes fraction", "data"),
                xytext=(dx_pt, 0.0), textcoords="offset points", ha=ha, va="center",
                fontsize=SMALL, fontweight="bold" if bold else "normal",
                fontstyle="italic" if italic else "normal", color=colour,
                annotation_clip=False, gid=gid)


def log_ticks(xlim: tuple[float, float]) -> list[float]:
    candidates = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)
    return [t for t in candidates if xlim[0] <= t <= xlim[1]]
