"""Every figure file of a build: each panel the catalogue declares, and each figure pasted
from its panels.

Each panel is drawn once per format from one Figure whose layout is computed once
and then frozen; panels that share a figure share their axes edges (the left and
right edges of panels in one column, the top and bottom of panels in one row), so
a multi-panel figure is its panel files pasted under strips of panel letters
(assemble.py), and Figure 1B is the very swimmer file in figures/. A figure with
one panel is that panel's file under the figure's name, without a letter.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from importlib import import_module
from pathlib import Path

from matplotlib.figure import Figure
from PIL import Image

from ..config import FigureConfig
from ..present.artifact import Catalogue, Panel
from ..present.catalogue import CATALOGUE
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
from .composite import DEFAULT_CONFIG, label_strip

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_STITCH: dict[str, Callable] = {"pdf": stitch_pdf, "svg": stitch_svg}


def draw_panel(panel: Panel, results: Results, config: FigureConfig) -> Figure:
    """The panel's Figure, from the drawing function its declaration names."""
    module, _, name = panel.draw.partition(":")
    return getattr(import_module(module), name)(results, config, *panel.args)


def layout(panels: tuple[Panel, ...], columns: int) -> list[list[Panel]]:
    """Rows of panels, `columns` to a row, in letter order."""
    return [list(panels[i:i + columns]) for i in range(0, len(panels), max(columns, 1))]


def align_axes(figs: list[Figure], vertical: bool) -> None:
    """Give each figure's axes the widest margins among them, in inches: left and right for
    panels one under another (vertical), top and bottom for panels side by side."""
    boxes = [(fig, fig.axes[0], fig.get_size_inches()) for fig in figs if fig.axes]
    if len(boxes) < 2:
        return
    lo_i, hi_i = (0, 2) if vertical else (1, 3)  # x0/x1 or y0/y1 in Bbox.extents

    def margins(ax, size) -> tuple[float, float]:
        extents = ax.get_position().extents
        dim = size[0] if vertical else size[1]
        return extents[lo_i] * dim, (1 - extents[hi_i]) * dim

    low = max(margins(ax, size)[0] for _f, ax, size in boxes)
    high = max(margins(ax, size)[1] for _f, ax, size in boxes)
    for _fig, ax, size in boxes:
        before = ax.get_position().extents
        x0, y0, x1, y1 = before
        if vertical:
            x0, x1 = low / size[0], 1 - high / size[0]
        else:
            y0, y1 = low / size[1], 1 - high / size[1]
        if any(abs(a - b) > 1e-9 for a, b in zip((x0, y0, x1, y1), before, strict=True)):
            # moved only where the margins differ: a round trip through inches would shift
            # the position by a rounding error, and with it the file's clip-path ids
            ax.set_position((x0, y0, x1 - x0, y1 - y0))


class FigureSet:
    """One study's figures, each panel, strip and figure rendered at most once per format,
    so a figure reuses its panels' renderings whichever is written first.

    With an `encoder` (a one-thread pool), PNG and TIFF files are compressed and written
    on that thread while this one goes on drawing: Pillow's encoders release the GIL, and
    compression was a quarter of the figures' cost. Call `wait()` before reading them."""

    def __init__(self, results: Results, config: FigureConfig = DEFAULT_CONFIG,
                 encoder: Executor | None = None, catalogue: Catalogue = CATALOGUE) -> None:
        self.results, self.config = results, config
        self.figures = {f.key: f for f in catalogue.figures}
        self.chosen = {key: panels for key, panels in catalogue.panels(results, config).items()
                       if panels}
        self.panels = {p.key: p for panels in self.chosen.values() for p in panels}
        self._figs: dict[str, Figure] = {}
        self._strips: dict[tuple[str, int], Figure] = {}
        self._rendered: dict[tuple[str, str], Image.Image | bytes] = {}
        self._encoder = encoder
        self._pending: list[Future] = []

    @staticmethod
    def panel_counts(results: Results, config: FigureConfig, catalogue: Catalogue,
                     names: tuple[str, ...]) -> dict[str, int]:
        """The named figures' shares of the drawing work, in their order: a panel each,
        and one more for the pasted file of a figure of several panels."""
        chosen = catalogue.panels(results, config)
        return {n: len(chosen[n]) + (len(chosen[n]) > 1) for n in names}

    @property
    def names(self) -> tuple[str, ...]:
        """Every file stem this set writes: the figures, then their panels."""
        return tuple(dict.fromkeys((*self.chosen, *self.panels)))

    def write(self, dest: Path, names: tuple[str, ...] | None = None,
              formats: tuple[str, ...] = FORMATS) -> dict[str, dict[str, Path]]:
        """Write the named figures (default: all) in the given formats into dest;
        returns {name: {format: path}}."""
        formats = check_formats(formats)
        dest = Path(dest)
        dest.mkdir(parents=True, exist_ok=True)
        written: dict[str, dict[str, Path]] = {}
        for name in self.names if names is None else names:
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

    def figure(self, panel_key: str) -> Figure:
        """A panel's matplotlib Figure, laid out, frozen and edge-aligned with its partners."""
        if panel_key not in self._figs:
            for key, panels in self.chosen.items():
                if panel_key in (p.key for p in panels):
                    self._draw_figure(key)
        return self._figs[panel_key]

    def _draw_figure(self, key: str) -> None:
        rows = layout(self.chosen[key], self.figures[key].columns)
        for panel in (p for row in rows for p in row):
            if panel.key not in self._figs:
                self._figs[panel.key] = freeze_layout(
                    draw_panel(panel, self.results, self.config))
        for row in rows:
            align_axes([self._figs[p.key] for p in row], vertical=False)
        for column in range(max(len(r) for r in rows)):
            align_axes([self._figs[r[column].key] for r in rows if len(r) > column],
                       vertical=True)

    def _later(self, fn: Callable, *args: object) -> None:
        if self._encoder is None:
            fn(*args)
        else:
            self._pending.append(self._encoder.submit(fn, *args))

    def _get(self, name: str, kind: str) -> Image.Image | bytes:
        """A panel's or figure's rendering: "raster" (RGB image), "pdf" or "svg" bytes."""
        if (name, kind) not in self._rendered:
            if name in self.chosen and name not in self.panels:
                panels = self.chosen[name]
                if len(panels) == 1:
                    self._rendered[name, kind] = self._get(panels[0].key, kind)
                else:
                    tiles = [[self._render(k, fig, kind) for k, fig in row]
                             for row in self._rows(name)]
                    self._rendered[name, kind] = (stitch_raster(tiles) if kind == "raster"
                                                  else _STITCH[kind](tiles))
            elif name in self.panels:
                self._render(name, self.figure(name), kind)
            else:
                raise KeyError(f"no figure or panel {name!r} in this study (have: "
                               f"{', '.join(self.names)})")
        return self._rendered[name, kind]

    def _rows(self, name: str) -> list[list[tuple[str, Figure]]]:
        """The figure's rows of (key, figure): a letter strip above each row of panels."""
        rows = layout(self.chosen[name], self.figures[name].columns)
        out: list[list[tuple[str, Figure]]] = []
        for i, row in enumerate(rows):
            if (name, i) not in self._strips:
                first = sum(len(r) for r in rows[:i])  # letters run on across rows
                widths = [self.figure(p.key).get_figwidth() for p in row]
                self._strips[name, i] = label_strip(
                    tuple((LETTERS[first + j], sum(widths[:j])) for j in range(len(row))),
                    sum(widths))
            out += [[(f"{name}-strip{i}", self._strips[name, i])],
                    [(p.key, self.figure(p.key)) for p in row]]
        return out

    def _render(self, key: str, fig: Figure, kind: str) -> Image.Image | bytes:
        if (key, kind) not in self._rendered:
            self._rendered[key, kind] = raster(fig) if kind == "raster" else vector(fig, kind)
        return self._rendered[key, kind]


def _write_raster(path: Path, image: Image.Image, fmt: str) -> None:
    path.write_bytes(encode_raster(image, fmt))


def panel_figures(results: Results, config: FigureConfig = DEFAULT_CONFIG,
                  catalogue: Catalogue = CATALOGUE) -> dict[str, Figure]:
    """Every panel of the study's figures, laid out, frozen and edge-aligned."""
    figures = FigureSet(results, config, catalogue=catalogue)
    return {key: figures.figure(key) for key in figures.panels}


def write_figures(results: Results, dest: Path, config: FigureConfig = DEFAULT_CONFIG,
                  names: tuple[str, ...] | None = None, formats: tuple[str, ...] = FORMATS,
                  catalogue: Catalogue = CATALOGUE) -> dict[str, dict[str, Path]]:
    """Write the named figures (default: all) in the given formats (default: all) into dest;
    returns {name: {format: path}}. A file is the same bytes whichever other figures and
    formats are asked for, in this process or another."""
    return FigureSet(results, config, catalogue=catalogue).write(dest, names, formats)
