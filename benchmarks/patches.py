"""What each scoped patch of a library's internals buys, measured on and off in one run.

    python benchmarks/patches.py [--reps 21] [--write] [PATCH ...]

For every patch, the same operation is timed with and without it, alternating on/off
and off/on pairs so that the machine's drift falls on both sides. Printed per patch:
the medians, the median of the paired differences and its interquartile range. A gain
whose interquartile range reaches zero is within noise (BENCHMARKS.md, "Library internals").

  png-passthrough   render/pdf.py: write manuscript.pdf of the reference study (in process)
  quick-find-library  render/native_libs.py: `import weasyprint` (a fresh process each time)
  lean-font-subsets figures/_save.py: the four panel PDFs of the reference study (in process)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def paired(reps: int, on: Callable[[], float], off: Callable[[], float]) -> dict[str, float]:
    """Alternate on/off and off/on; medians and the paired differences (off - on, seconds)."""
    ons, offs = [], []
    for i in range(reps):
        if i % 2:
            offs.append(off())
            ons.append(on())
        else:
            ons.append(on())
            offs.append(off())
    diffs = sorted(b - a for a, b in zip(ons, offs, strict=True))
    q1, _, q3 = statistics.quantiles(diffs, n=4)
    return {"on": statistics.median(ons), "off": statistics.median(offs),
            "gain": statistics.median(diffs), "q1": q1, "q3": q3}


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def reference_manuscript(work: Path):  # type: ignore[no-untyped-def]
    """The reference study's Manuscript with its real figures, and its Results."""
    from nps_report.build import build
    from nps_report.paths import REFERENCE_STUDY
    from nps_report.pipeline import compute
    from nps_report.present.tables import all_tables
    from nps_report.render.compose import compose

    out = work / "out"
    build(REFERENCE_STUDY, out, built_at="2025-01-01T00:00:00Z")
    study, results = compute(REFERENCE_STUDY, built_at="2025-01-01T00:00:00Z")
    figures: dict[str, dict[str, Path]] = {}
    for path in sorted((out / "figures").iterdir()):
        figures.setdefault(path.stem, {})[path.suffix[1:]] = path
    return compose(results, all_tables(results), figures, study.config, REFERENCE_STUDY), results


def png_passthrough(reps: int, work: Path) -> dict[str, float]:
    from nps_report.render import pdf

    ms, _ = reference_manuscript(work)
    patched = pdf._png_passthrough
    dest = work / "m.pdf"

    def write(patch: Callable[[], contextlib.AbstractContextManager]) -> float:
        pdf._png_passthrough = patch
        try:
            return timed(lambda: pdf.write_pdf(ms, dest))
        finally:
            pdf._png_passthrough = patched

    for _ in range(2):  # warm: imports, font files in the page cache
        write(patched), write(contextlib.nullcontext)
    return paired(reps, lambda: write(patched), lambda: write(contextlib.nullcontext))


def quick_find_library(reps: int, _work: Path) -> dict[str, float]:
    on = "from nps_report.render.native_libs import import_weasyprint; import_weasyprint()"
    off = "import nps_report.render.native_libs; import weasyprint"
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONWARNINGS="ignore")

    def run(code: str) -> float:
        return timed(lambda: subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                            stderr=subprocess.DEVNULL))

    run(on), run(off)
    return paired(reps, lambda: run(on), lambda: run(off))


def lean_font_subsets(reps: int, work: Path) -> dict[str, float]:
    from nps_report.figures import _save
    from nps_report.figures.files import panel_figures

    _, results = reference_manuscript(work)
    figs = panel_figures(results)
    patched = _save._lean_font_subsets

    def draw(patch: Callable[[], contextlib.AbstractContextManager]) -> float:
        _save._lean_font_subsets = patch
        try:
            return timed(lambda: [_save.vector(fig, "pdf") for fig in figs.values()])
        finally:
            _save._lean_font_subsets = patched

    for _ in range(2):
        draw(patched), draw(contextlib.nullcontext)
    return paired(reps, lambda: draw(patched), lambda: draw(contextlib.nullcontext))


PATCHES = {"png-passthrough": png_passthrough, "quick-find-library": quick_find_library,
           "lean-font-subsets": lean_font_subsets}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=21)
    ap.add_argument("--write", action="store_true", help="write the table into BENCHMARKS.md")
    ap.add_argument("names", nargs="*", metavar="PATCH", help=f"any of {', '.join(PATCHES)}")
    args = ap.parse_args()
    unknown = set(args.names) - set(PATCHES)
    if unknown:
        ap.error(f"unknown patch(es) {sorted(unknown)}; choose from {list(PATCHES)}")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1735689600")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} "
             f"cores, Python {platform.python_version()}, load average {load:.1f} at the "
             f"start; {args.reps} pairs.", "",
             "| patch | with s | without s | gain s (median of pairs) | gain IQR s | verdict |",
             "| --- | ---: | ---: | ---: | --- | --- |"]
    print("\n".join(lines), flush=True)
    for name in args.names or list(PATCHES):
        with tempfile.TemporaryDirectory(prefix="nps-patch-") as work:
            r = PATCHES[name](args.reps, Path(work))
        verdict = "within noise" if r["q1"] <= 0 <= r["q3"] else (
            "gain" if r["gain"] > 0 else "loss")
        lines.append(f"| {name} | {r['on']:.3f} | {r['off']:.3f} | {r['gain']:+.3f} "
                     f"| {r['q1']:+.3f} … {r['q3']:+.3f} | {verdict} |")
        print(lines[-1], flush=True)
    if args.write:
        write_table("\n".join(lines))
    return 0


def write_table(table: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    start, end = "<!-- patches:start -->", "<!-- patches:end -->"
    head, rest = path.read_text(encoding="utf-8").split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{table}\n{end}{tail}", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
