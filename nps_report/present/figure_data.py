"""What each per-patient figure shows, decided once: figures draw it, legends describe it."""

from __future__ import annotations

from dataclasses import dataclass

from ..results import Results

Y_CAP_PCT = 100.0  # waterfall bars above +100% are cut at the axis top
MAX_LABELLED_BARS = 40  # up to this many bars: per-bar patient labels and capped values


@dataclass(frozen=True)
class WaterfallData:
    """Bars sorted from largest increase to largest decrease; patients without a scan apart."""

    labels: tuple[str, ...]
    pct_change: tuple[float, ...]
    bor: tuple[str, ...]
    n_total: int
    not_shown: tuple[str, ...]  # labels of patients without a post-baseline measurement

    @property
    def capped(self) -> int:
        """Bars cut at +Y_CAP_PCT (labelled with their value in the figure)."""
        return sum(v > Y_CAP_PCT for v in self.pct_change)

    @property
    def bars_labelled(self) -> bool:
        return len(self.pct_change) <= MAX_LABELLED_BARS

    @property
    def progressed_after_shrinking(self) -> int:
        """Bars of progressive disease below zero: the target lesions shrank, yet the best
        response was progression (new or non-target lesions, or regrowth from the nadir)."""
        return sum(b == "PD" and v < 0 for b, v in zip(self.bor, self.pct_change, strict=True))


@dataclass(frozen=True)
class SwimmerData:
    """Lanes in drawing order (longest first), at most max_patients of them."""

    indices: tuple[int, ...]  # positions in Results.patients
    labels: tuple[str, ...]
    n_total: int
    limited: bool  # True when only the longest max_patients lanes are drawn


def patient_labels(results: Results, show_ids: bool) -> tuple[str, ...]:
    """patient_id as the data spell it, so a figure names the patient the tables name;
    row numbers ('Pt 1'...) only when study.yaml sets figures.swimmer_show_ids: false."""
    ids = results.patients.patient_id
    return ids if show_ids else tuple(f"Pt {i}" for i in range(1, len(ids) + 1))


def waterfall_data(results: Results, show_ids: bool = True) -> WaterfallData:
    p = results.patients
    labels = patient_labels(results, show_ids)
    drawn = [i for i, v in enumerate(p.best_pct_change) if v is not None]
    drawn.sort(key=lambda i: (-p.best_pct_change[i], i))  # type: ignore[operator]
    missing = tuple(labels[i] for i, v in enumerate(p.best_pct_change) if v is None)
    return WaterfallData(
        labels=tuple(labels[i] for i in drawn),
        pct_change=tuple(float(p.best_pct_change[i]) for i in drawn),  # type: ignore[arg-type]
        bor=tuple(p.bor[i] for i in drawn),
        n_total=len(labels),
        not_shown=missing,
    )


def swimmer_data(results: Results, max_patients: int, show_ids: bool = True) -> SwimmerData:
    p = results.patients
    labels = patient_labels(results, show_ids)
    order = sorted(range(len(labels)), key=lambda i: (-p.followup_months[i], i))
    limited = len(order) > max_patients
    keep = tuple(order[:max_patients])
    return SwimmerData(keep, tuple(labels[i] for i in keep), len(labels), limited)
