"""One look for every figure: bundled fonts, sizes and response colours, applied as a context.

Nothing here changes matplotlib's global rcParams: drawing and saving run inside
`style()`, so a figure is a function of its data alone and two builds in one
process (or in two processes) draw the same thing. The only global touched is
matplotlib's font list, to which the bundled Liberation Sans files are added once
(the machines we build on have no Arial, and a fallback font would change glyphs
and therefore bytes).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

from ..present.fmt import fmt_num
from ..present.page import FigureFrame, figure_frame
from ..vocab import bor_name

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "Liberation Sans"
FONT_FILES = ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
              "LiberationSans-Italic.ttf")

# Okabe-Ito (colour-blind safe): responses in blues, stable disease orange,
# progression vermillion, not evaluable grey. The same colour means the same BOR
# in the waterfall, the swimmer plot and anything added later.
BOR_COLOURS = {"CR": "#0072B2", "PR": "#56B4E9", "SD": "#E69F00", "PD": "#D55E00",
               "NE": "#999999"}
# Printed in grey (a greyscale journal, a photocopy) PR and SD are the same shade, so the
# categories that a shade alone does not tell apart carry a hatch as well, in colour and
# in greyscale; `figures.colour: greyscale` draws shades at least 15% apart in lightness.
BOR_GREYS = {"CR": "#1A1A1A", "PR": "#6B6B6B", "SD": "#C8C8C8", "PD": "#3F3F3F",
             "NE": "#E6E6E6"}
BOR_HATCHES = {"SD": "////", "PD": "xxxx", "NE": "...."}
INK = "#000000"
MUTED = "#555555"

# Sizes in points and inches; >= 7 pt everywhere (journal minimum).
SMALL = 7.0
BASE = 8.0
PANEL_LABEL = 10.0
CHAR_EM = 0.52  # mean glyph width of Liberation Sans in ems, for layout estimates
# Drawn at the size they print at (present/page.py): a full-width figure is the page's
# text width, a half-width panel half of it; a study's journal may narrow both (frame()).
FULL_WIDTH = FigureFrame().width_in
HALF_WIDTH = FigureFrame().half_width_in

_RC = {
    "font.family": FONT,
    "font.size": BASE,
    "axes.labelsize": BASE,
    "axes.titlesize": BASE,
    "xtick.labelsize": SMALL,
    "ytick.labelsize": SMALL,
    "legend.fontsize": SMALL,
    "legend.frameon": False,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 3.0,
    "ytick.major.size": 3.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": True,
    "lines.linewidth": 1.0,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "text.usetex": False,
    # Text comes from the data (patient ids, levels): '$5k' is text, never mathtext
    "text.parse_math": False,
    # PDF: TrueType (Type 42) subsets, so text stays text (searchable, editable) and
    # the glyphs are embedded.
    "pdf.fonttype": 42,
    # SVG: glyphs as paths. The SVG then looks the same in every viewer, in WeasyPrint
    # and in Word whatever fonts are installed; with 'none' a machine without
    # Liberation Sans substitutes another font and labels can overrun the at-risk row.
    # Each glyph is stored once and reused, so files stay small.
    "svg.fonttype": "path",
    "svg.hashsalt": "nps-report",
    "hatch.linewidth": 0.6,
}

_registered = False


def register_fonts() -> None:
    """Put the bundled Liberation Sans files first in matplotlib's font list (once).

    Machines often have their own Liberation Sans (1.x or 2.x, from fonts-liberation
    or fonts-liberation2) under the same family name, and matplotlib takes the first
    exact match in its list; appending ours would leave the system copy in charge and
    make the output depend on the machine. So the list is rebuilt with ours in front;
    addfont() clears matplotlib's lookup cache after the last of ours goes in.
    """
    global _registered
    if _registered:
        return
    manager = font_manager.fontManager
    ours = {str(FONT_DIR / name) for name in FONT_FILES}
    others = [f for f in manager.ttflist if f.fname not in ours]
    manager.ttflist = []
    for name in FONT_FILES:
        manager.addfont(str(FONT_DIR / name))
    manager.ttflist.extend(others)
    _registered = True


def font_file(weight: str = "normal") -> str:
    """The file matplotlib draws 'Liberation Sans' text from (the bundled one)."""
    register_fonts()
    return str(font_manager.findfont(font_manager.FontProperties(family=FONT, weight=weight),
                                     fallback_to_default=False))


@contextmanager
def style() -> Iterator[None]:
    """Draw and save inside this: fonts, sizes and backend settings without global state."""
    register_fonts()
    with matplotlib.rc_context(_RC):
        yield


def new_figure(width: float, height: float) -> Figure:
    """A figure on the Agg canvas (headless, no pyplot state), laid out by constrained layout."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(w_pad=0.04, h_pad=0.04, wspace=0.06, hspace=0.06)
    return fig


def axes_size_pt(ax) -> tuple[float, float]:
    """Width and height of the axes in points (before layout: an estimate, for placement)."""
    fig = ax.get_figure()
    pos = ax.get_position()
    return pos.width * fig.get_figwidth() * 72, pos.height * fig.get_figheight() * 72


def text_width_pt(text: str, size: float = SMALL) -> float:
    """Estimated printed width; Liberation Sans glyphs average about CHAR_EM ems."""
    return len(text) * CHAR_EM * size


def tick_text(decimals: int):
    """Tick formatter through the fmt module (true minus sign, half-up rounding)."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: fmt_num(value, decimals))


def set_month_ticks(ax, ticks: list[float]) -> None:
    """Fixed month ticks, labelled without decimals when all are whole months."""
    from matplotlib.ticker import FixedLocator

    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(tick_text(0 if all(float(t).is_integer() for t in ticks)
                                           else 1))
    ax.xaxis.get_major_ticks()  # create tick labels inside the style context


def bor_label(bor: str) -> str:
    """Legend text for a BOR category, the same in every figure: 'Partial response (PR)'."""
    return f"{bor_name(bor)} ({bor})"


def bor_colour(bor: str, greyscale: bool = False) -> str:
    palette = BOR_GREYS if greyscale else BOR_COLOURS
    return palette.get(bor, palette["NE"])


def bor_hatch(bor: str) -> str | None:
    """The hatch that tells the category apart where its shade does not; None: plain."""
    return BOR_HATCHES.get(bor)


def hatch_ink(fill: str) -> str:
    """Hatch lines that show on the fill: white on a dark shade, black on a light one."""
    r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return "#FFFFFF" if 0.299 * r + 0.587 * g + 0.114 * b < 140 else "#000000"


def hatched_runs(bors: Sequence[str], sizes: Sequence[float]
                 ) -> Iterator[tuple[str, list[int]]]:
    """(hatch, positions) of each hatched category's bars of non-zero size, in order of first
    appearance: a plot draws them again, unfilled, so the hatch takes its own ink whatever
    matplotlib's release does with edge colours (waterfall and swimmer alike)."""
    for b in dict.fromkeys(bors):
        hatch = bor_hatch(b)
        picked = [i for i, (bor, size) in enumerate(zip(bors, sizes, strict=True))
                  if bor == b and size]
        if hatch and picked:
            yield hatch, picked


def bor_patch(bor: str, greyscale: bool = False, label: str | None = None):
    """A legend handle: the category's fill with its hatch."""
    from matplotlib.patches import Patch

    fill = bor_colour(bor, greyscale)
    hatch = bor_hatch(bor)
    return Patch(facecolor=fill, edgecolor=hatch_ink(fill) if hatch else fill, linewidth=0,
                 hatch=hatch, label=bor_label(bor) if label is None else label)


def frame(config) -> FigureFrame:
    """The study's figure frame from its FigureConfig (figures.width_mm, max_height_mm)."""
    return figure_frame(getattr(config, "width_mm", None),
                        getattr(config, "max_height_mm", None))
