"""Treatment exposure: cycles, duration, starting dose, and dose modifications for toxicity."""

from __future__ import annotations

from ...results import Results
from ...results.keys import Key
from ...vocab import MODIFICATION_NAMES
from ..artifact import TableArtifact
from ..fmt import DEFAULT, Style
from ..formats import cell
from .spec import Row, TableSpec

EXPOSURE = Key.parse("exposure")


def exposure_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    """Median (range) of cycles and months on treatment, n (%) of the rest; a dose
    modification row only for the columns study.yaml names."""
    ex = results.exposure
    N = ex.N

    def n_pct(name: str) -> tuple[str, Key]:  # a count of patients, of all of them
        return cell("n_pct", getattr(ex, name), N, style=style), \
            EXPOSURE.field(name).printed("n_pct")

    def median_range(name: str, decimals: int | None = None) -> tuple[str, Key]:
        return cell("median_range", getattr(ex, name), decimals, style=style), \
            EXPOSURE.field(name).printed("median_range")

    rows = [
        Row(*plain("Cycles received, median (range)", median_range("cycles"))),
        Row(*plain(f"≥{ex.cycles_threshold} cycles, n (%)", n_pct("n_at_least_threshold"))),
        Row(*plain("Duration of treatment, months, median (range)",
                   median_range("treatment_months", 1))),
    ]
    if ex.dose_levels:
        unit = f" ({ex.dose_unit})" if ex.dose_unit else ""
        rows.append(Row((f"Starting dose{unit}, n (%)", ""), "group"))
        doses = EXPOSURE.field("dose_levels")
        rows += [Row((lv.label, cell("n_pct", lv, style=style)), "item",
                     (None, doses.item(lv.label).printed("n_pct"))) for lv in ex.dose_levels]
    recorded = [(f, label) for f, label in MODIFICATION_NAMES.items()
                if getattr(ex, f) is not None]
    if recorded:
        rows.append(Row(("Because of adverse events, n (%)", ""), "group"))
        rows += [Row(*plain(label, n_pct(f), "item")) for f, label in recorded]
    rows.append(Row(*plain("On treatment at the data cutoff, n (%)", n_pct("n_ongoing"))))
    return TableSpec("exposure", ("Exposure", f"Patients (N = {N})"), tuple(rows))


def plain(label: str, printed: tuple[str, Key], kind: str = "plain"
          ) -> tuple[tuple[str, str], str, tuple[None, Key]]:
    """A two-column row's cells, kind and keys: its label, and a value with its key."""
    return (label, printed[0]), kind, (None, printed[1])


def has_dose_modifications(results: Results) -> bool:
    """The study names a dose-modification column: the exposure table applies."""
    return results.exposure.modifications_recorded


TABLE = TableArtifact("exposure", "tables/exposure.md.j2", exposure_table, reads=("exposure",),
                      applies=has_dose_modifications, section="Treatment exposure",
                      name="Treatment exposure")
