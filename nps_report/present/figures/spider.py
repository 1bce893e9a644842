"""Figure: the spider plot, each patient's percentage change of the target-lesion sum from
baseline at every scan, in months from the first dose, by best overall response (drawn in
figures/spider.py). Read from the per-scan responses behind tables/patient_timepoints.csv
(Results.timepoints), never recomputed."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...config import FigureConfig
from ...results import Results
from ...vocab import DAYS_PER_MONTH
from ..artifact import FigureArtifact, Panel

Y_CAP_PCT = 100.0  # lines above +100% are cut at the top of the axis


@dataclass(frozen=True)
class SpiderLine:
    patient_id: str
    bor: str
    months: tuple[float, ...]  # 0 (baseline) first
    pct_change: tuple[float, ...]  # 0 at baseline


@dataclass(frozen=True)
class SpiderData:
    lines: tuple[SpiderLine, ...]  # patients with measurable disease and a measured scan
    n_total: int
    n_eligible: int = 0  # patients who have a line, before figures.spider_max_patients

    @property
    def limited(self) -> bool:
        """Whether only the longest courses are shown (figures.spider_max_patients)."""
        return self.n_eligible > len(self.lines)

    @property
    def capped(self) -> int:
        """Lines that reach above +Y_CAP_PCT (cut at the top of the axis)."""
        return sum(max(line.pct_change) > Y_CAP_PCT for line in self.lines)

    @property
    def bor(self) -> tuple[str, ...]:
        return tuple(line.bor for line in self.lines)


def spider_data(results: Results, max_patients: int | None = None) -> SpiderData:
    """One line per patient with target lesions at baseline and a post-baseline target sum,
    through the scans that count toward the best overall response (up to the first PD),
    from (0, 0) at the first dose; with `max_patients`, the patients whose measured course
    is longest (the swimmer plot's rule), in patient order. Kept for the last scans and
    patients asked about (the very objects, which a Results changed elsewhere shares): the
    catalogue, the drawing and the legend each ask, and a large study has a million scans."""
    if _last[0] is not results.timepoints or _last[1] is not results.patients:
        _last[:] = [results.timepoints, results.patients, _spider_data(results)]
    data = _last[2]
    if max_patients is None or len(data.lines) <= max_patients:
        return data
    order = sorted(range(len(data.lines)), key=lambda i: (-data.lines[i].months[-1], i))
    keep = sorted(order[:max_patients])
    return SpiderData(tuple(data.lines[i] for i in keep), data.n_total, data.n_eligible)


_last: list = [None, None, None]  # [Results.timepoints, Results.patients, SpiderData]


def _spider_data(results: Results) -> SpiderData:
    tp, p = results.timepoints, results.patients
    if not tp.numbers:
        return SpiderData((), len(p.patient_id))
    ids, days = tp.column("patient_id"), tp.column("day")
    sums, bases = tp.column("target_sum_mm"), tp.column("baseline_sum_mm")
    counted = tp.column("counts_for_bor")
    points: dict[str, list[tuple[float, float]]] = {}
    for pid, day, total, base, counts in zip(ids, days, sums, bases, counted, strict=True):
        if counts and day is not None and total is not None and base and base > 0:
            points.setdefault(pid, []).append((day / DAYS_PER_MONTH, (total - base) / base * 100))
    lines = []
    for pid, bor, measurable in zip(p.patient_id, p.bor, p.measurable, strict=True):
        scans = sorted(points.get(pid, ()))
        if measurable and scans and all(math.isfinite(v) for _, v in scans):
            lines.append(SpiderLine(pid, bor, (0.0, *(m for m, _ in scans)),
                                    (0.0, *(v for _, v in scans))))
    return SpiderData(tuple(lines), len(p.patient_id), len(lines))


PANEL = Panel("spider", "nps_report.figures.spider:spider_figure",
              reads=("timepoints", "patients.patient_id", "patients.bor",
                     "patients.measurable"))


def spider_panels(results: Results, _config: FigureConfig) -> tuple[Panel, ...]:
    return (PANEL,) if spider_data(results).lines else ()


FIGURE = FigureArtifact("spider", "figures/spider.md.j2", spider_panels, section="Efficacy")
