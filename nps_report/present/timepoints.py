"""tables/patient_timepoints.csv from Results.timepoints: every scan, so that a reviewer can
follow each best overall response (analysis/timepoints.py says what the columns hold).

Sums and their changes are in millimetres as typed (rounded to 6 decimals, which only
removes the float noise of adding tenths: 20.400000000000002 is 20.4); percentages are
unrounded. Written in chunks with the csv module, each distinct number printed once, so
that 400,000 scans take about a second and the memory stays that of one chunk.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..results import Timepoints

COLUMNS = (
    "patient_id", "assessment_date", "day", "target_sum_mm", "change_from_baseline_mm",
    "pct_change_from_baseline", "nadir_mm", "change_from_nadir_mm", "pct_change_from_nadir",
    "target_lesions_not_evaluated", "target_response", "nontarget_response", "new_lesions",
    "overall_response", "counts_for_bor", "investigator_response")
MM_DECIMALS = 6
CHUNK = 50_000


def write_timepoints(timepoints: Timepoints, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for rows in _chunks(timepoints):
            writer.writerows(rows)


def _chunks(tp: Timepoints) -> Iterator[Any]:
    import numpy as np  # (this layer imports no analysis stack at module level)

    n = len(tp)
    num = {name: np.frombuffer(values, dtype=float) for name, values in tp.numbers}
    missing = np.full(n, np.nan)
    texts = {name: (np.array([*labels, ""], dtype=object), np.frombuffer(codes, np.int32))
             for name, labels, codes in tp.texts}
    for at in range(0, n, CHUNK):
        part = slice(at, min(at + CHUNK, n))

        def get(name: str, part: slice = part) -> Any:
            return num.get(name, missing)[part]

        total, base, nadir = (np.round(get(k), MM_DECIMALS)
                              for k in ("target_sum_mm", "baseline_sum_mm", "nadir_mm"))
        with np.errstate(invalid="ignore", divide="ignore"):
            pct_base = np.where(base > 0, (total - base) / base * 100, np.nan)
            pct_nadir = np.where(nadir > 0, (total - nadir) / nadir * 100, np.nan)
        dates = get("assessment_date")
        shown = np.where(np.isnan(dates), 0, dates).astype(np.int64).astype("datetime64[D]")
        values = {
            "assessment_date": np.datetime_as_string(shown).tolist(),
            "day": _numbers(get("day"), whole=True),
            "target_sum_mm": _numbers(total),
            "change_from_baseline_mm": _numbers(np.round(total - base, MM_DECIMALS)),
            "pct_change_from_baseline": _numbers(pct_base), "nadir_mm": _numbers(nadir),
            "change_from_nadir_mm": _numbers(np.round(total - nadir, MM_DECIMALS)),
            "pct_change_from_nadir": _numbers(pct_nadir),
            "target_lesions_not_evaluated": _numbers(get("target_lesions_not_evaluated"),
                                                     whole=True),
            "new_lesions": _yes_no(get("new_lesions")),
            "counts_for_bor": _yes_no(get("counts_for_bor")),
        }
        for name, (labels, codes) in texts.items():
            values[name] = labels[codes[part]].tolist()
        size = part.stop - part.start
        yield zip(*(values.get(c, [""] * size) for c in COLUMNS), strict=True)


def _numbers(numbers: Any, whole: bool = False) -> list[Any]:
    """Numbers as Python prints them (repr: unrounded), whole ones without decimals when
    `whole`, NaN as blank. Each distinct value is printed once: scans repeat sums, nadirs
    and their changes, so this costs a fraction of printing every cell."""
    import numpy as np

    values, where = np.unique(numbers, return_inverse=True)  # NaN sorts last
    if whole:
        texts = ["" if v != v else str(int(v)) for v in values.tolist()]
    else:
        texts = ["" if v != v else repr(v) for v in values.tolist()]
    return np.array(texts, dtype=object)[where.reshape(-1)].tolist()


def _yes_no(flags: Any) -> list[str]:
    """1 / 0 / NaN as yes / no / blank."""
    import numpy as np

    return np.where(np.isnan(flags), "", np.where(flags > 0, "yes", "no")).tolist()
