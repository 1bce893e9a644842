"""Treatment exposure: cycles, duration, starting dose, and dose modifications for toxicity."""

from __future__ import annotations

from ...results import Results
from ...vocab import MODIFICATION_NAMES
from ..fmt import DEFAULT, Style, fmt_median_range, fmt_n_pct
from .spec import Row, TableSpec


def exposure_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    """Median (range) of cycles and months on treatment, n (%) of the rest; a dose
    modification row only for the columns study.yaml names."""
    ex = results.exposure
    N = ex.N

    def n_pct(n: int) -> str:
        return fmt_n_pct(n, n / N if N else None, style)

    rows = [
        Row(("Cycles received, median (range)", fmt_median_range(ex.cycles, None, style)),
            "plain", (None, "exposure.cycles")),
        Row((f"≥{ex.cycles_threshold} cycles, n (%)", n_pct(ex.n_at_least_threshold)),
            "plain", (None, "exposure.n_at_least_threshold")),
        Row(("Duration of treatment, months, median (range)",
             fmt_median_range(ex.treatment_months, 1, style)), "plain",
            (None, "exposure.treatment_months")),
    ]
    if ex.dose_levels:
        unit = f" ({ex.dose_unit})" if ex.dose_unit else ""
        rows.append(Row((f"Starting dose{unit}, n (%)", ""), "group"))
        rows += [Row((lv.label, fmt_n_pct(lv.n, lv.pct, style)), "item",
                      (None, f"exposure.dose_levels[{lv.label}]")) for lv in ex.dose_levels]
    recorded = [(f, label) for f, label in MODIFICATION_NAMES.items()
                if getattr(ex, f) is not None]
    if recorded:
        rows.append(Row(("Because of adverse events, n (%)", ""), "group"))
        rows += [Row((label, n_pct(getattr(ex, f))), "item", (None, f"exposure.{f}"))
                 for f, label in recorded]
    rows.append(Row(("On treatment at the data cutoff, n (%)", n_pct(ex.n_ongoing)), "plain",
                    (None, "exposure.n_ongoing")))
    return TableSpec("exposure", ("Exposure", f"Patients (N = {N})"), tuple(rows))

