"""Every figure file of a build: the four panels, and the composites pasted from them.

Each panel is drawn once per format from one Figure whose layout is computed
once and then frozen; panels that share a composite share their axes edges
(the waterfall's and the swimmer's left and right edges, the two Kaplan-Meier
plots' top and bottom), so a composite is its panel files pasted under strips of
panel letters (assemble.py), and Figure 1B is the very swimmer file in figures/.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path

from matplotlib.figure import Figure
from PIL import Image

from ..config import FigureConfig
from ..present.figure_data import FIGURE_PANELS, FIGURES
from ..results import Results
from ._save import (
    FORMATS,
    RASTER,
    check_formats,
    encode_raster,
    freeze_layout,
    raster,
    vector,
)
from .assemble import stitch_pdf, stitch_raster, stitch_svg
from .composite import (
    DEFAULT_CONFIG,
    km_figure,
    label_strip,
    swimmer_figure,
    waterfall_figure,
)

COMPOSITES = tuple(FIGURE_PANELS)  # figure1, figure2
STACKED = {"figure1": True, "figure2": False}  # panels one under another, or side by side
LETTERS = "ABCDEFGH"

_STITCH: dict[str, Callable] = {"pdf": stitch_pdf, "svg": stitch_svg}


def panel_figures(results: Results, config: FigureConfig = DEFAULT_CONFIG) -> dict[str, Figure]:
    """The four panels, laid out, frozen and edge-aligned with their composite partners."""
    figs = {"waterfall": waterfall_figure(results, config),
            "swimmer": swimmer_figure(results, config),
            "km_pfs": km_figure(results, "pfs", config),
            "km_os": km_figure(results, "os", config)}
    for fig in figs.values():
        freeze_layout(fig)
    for name in COMPOSITES:
        align_axes([figs[p] for p in FIGURE_PANELS[name]], vertical=STACKED[name])
    return figs


def align_axes(figs: list[Figure], vertical: bool) -> None:
    """Give each figure's axes the widest margins among them, in inches: left and right for
    panels stacked one under another, top and bottom for panels side by side."""
    boxes = [(fig, fig.axes[0], fig.get_size_inches()) for fig in figs]
    lo_i, hi_i = (0, 2) if vertical else (1, 3)  # x0/x1 or y0/y1 in Bbox.extents

    def margins(ax, size) -> tuple[float, float]:
        extents = ax.get_position().extents
        dim = size[0] if vertical else size[1]
        return extents[lo_i] * dim, (1 - extents[hi_i]) * dim

    low = max(margins(ax, size)[0] for _f, ax, size in boxes)
    high = max(margins(ax, size)[1] for _f, ax, size in boxes)
    for _fig, ax, size in boxes:
        x0, y0, x1, y1 = ax.get_position().extents
        if vertical:
            x0, x1 = low / size[0], 1 - high / size[0]
        else:
            y0, y1 = low / size[1], 1 - high / size[1]
        ax.set_position((x0, y0, x1 - x0, y1 - y0))


class FigureSet:
    """One study's figures, each panel, strip and composite rendered at most once per format,
    so a composite reuses its panels' renderings whichever is written first.

    With an `encoder` (a one-thread pool), PNG and TIFF files are compressed and written
    on that thread while this one goes on drawing: Pillow's encoders release the GIL, and
    compression was a quarter of the figures' cost. Call `wait()` before reading them."""

    def __init__(self, results: Results, config: FigureConfig = DEFAULT_CONFIG,
                 encoder: Executor | None = None) -> None:
        self.figs = panel_figures(results, config)
        self._strips: dict[tuple[str, int], Figure] = {}
        self._rendered: dict[tuple[str, str], Image.Image | bytes] = {}
        self._encoder = encoder
        self._pending: list[Future] = []

    def write(self, dest: Path, names: tuple[str, ...] = FIGURES,
              formats: tuple[str, ...] = FORMATS) -> dict[str, dict[str, Path]]:
        """Write the named figures in the given formats into dest; {figure: {format: path}}."""
        formats = check_formats(formats)
        dest = Path(dest)
        dest.mkdir(parents=True, exist_ok=True)
        written: dict[str, dict[str, Path]] = {}
        for name in names:
            for fmt in formats:
                path = written.setdefault(name, {})[fmt] = dest / f"{name}.{fmt}"
                if fmt in RASTER:
                    self._later(_write_raster, path, self._get(name, "raster"), fmt)
                else:
                    path.write_bytes(self._get(name, fmt))
        return written

    def then(self, fn: Callable[[], None]) -> None:
        """Call fn once every file handed over so far is written, and only if all of them
        were: on the encoder thread (which runs in order), so this thread goes on drawing."""
        before = list(self._pending)

        def after() -> None:
            for future in before:
                future.result()  # re-raises: fn is not called after a failed write
            fn()

        self._later(after)

    def wait(self) -> None:
        """Block until every file handed to the encoder is written; re-raises its errors."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()

    def _later(self, fn: Callable, *args: object) -> None:
        if self._encoder is None:
            fn(*args)
        else:
            self._pending.append(self._encoder.submit(fn, *args))

    def _get(self, name: str, kind: str) -> Image.Image | bytes:
        """A panel's or composite's rendering: "raster" (RGB image), "pdf" or "svg" bytes."""
        if (name, kind) not in self._rendered:
            if name in FIGURE_PANELS:
                tiles = [[self._render(key, fig, kind) for key, fig in row]
                         for row in self._rows(name)]
                self._rendered[name, kind] = (stitch_raster(tiles) if kind == "raster"
                                              else _STITCH[kind](tiles))
            else:
                self._render(name, self.figs[name], kind)
        return self._rendered[name, kind]

    def _rows(self, name: str) -> list[list[tuple[str, Figure]]]:
        """The composite's rows of (key, figure): a letter strip above each row of panels."""
        panels = FIGURE_PANELS[name]
        rows = [[p] for p in panels] if STACKED[name] else [list(panels)]
        out: list[list[tuple[str, Figure]]] = []
        for i, row in enumerate(rows):
            if (name, i) not in self._strips:
                first = sum(len(r) for r in rows[:i])  # letters run on across rows
                widths = [self.figs[p].get_figwidth() for p in row]
                self._strips[name, i] = label_strip(
                    tuple((LETTERS[first + j], sum(widths[:j])) for j in range(len(row))),
                    sum(widths))
            out += [[(f"{name}-strip{i}", self._strips[name, i])],
                    [(p, self.figs[p]) for p in row]]
        return out

    def _render(self, key: str, fig: Figure, kind: str) -> Image.Image | bytes:
        if (key, kind) not in self._rendered:
            self._rendered[key, kind] = raster(fig) if kind == "raster" else vector(fig, kind)
        return self._rendered[key, kind]


def _write_raster(path: Path, image: Image.Image, fmt: str) -> None:
    path.write_bytes(encode_raster(image, fmt))


def write_figures(results: Results, dest: Path, config: FigureConfig = DEFAULT_CONFIG,
                  names: tuple[str, ...] = FIGURES,
                  formats: tuple[str, ...] = FORMATS) -> dict[str, dict[str, Path]]:
    """Write the named figures (default: all) in the given formats (default: all) into dest;
    returns {figure: {format: path}}. A file is the same bytes whichever other figures and
    formats are asked for, in this process or another."""
    return FigureSet(results, config).write(dest, names, formats)
