"""Treatment-emergent adverse events: only events with onset on or after the first dose count.

An adverse event with onset before treatment_start belongs to the disease or an earlier
treatment, not to the drug; with `safety.window_after_last_dose_days: N`, one with onset
more than N days after treatment_end is not counted either (a patient still on treatment,
treatment_end blank, has no upper limit). An event without onset_date cannot be placed,
and counts. Applied after the data cutoff and after the date checks (so that an event
dated after a death is still refused), and the user is told who and how many.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import Notice
from ..results import AEExclusions

SHOW_PATIENTS = 8

def _per_patient(ids: pd.Series) -> str:
    counts = ids.value_counts(sort=False)
    shown = [f"{pid} ({n})" for pid, n in counts.iloc[:SHOW_PATIENTS].items()]
    more = len(counts) - SHOW_PATIENTS
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _events(n: int) -> str:
    return f"{n} adverse event{'s' if n != 1 else ''}"


def treatment_emergent(aes: pd.DataFrame, patients: pd.DataFrame, window_days: int | None,
                       source: str) -> tuple[pd.DataFrame, AEExclusions, tuple[Notice, ...]]:
    """The events that count, what was left out or counted without an onset, and notices."""
    if aes.empty or "patient_id" not in aes:
        return aes, AEExclusions(), ()
    onset = aes["onset_date"] if "onset_date" in aes else pd.Series(pd.NaT, index=aes.index)
    by_id = patients.drop_duplicates("patient_id").set_index("patient_id")
    start = aes["patient_id"].map(by_id["treatment_start"])
    before = (onset < start).fillna(False).to_numpy(dtype=bool)
    after = pd.Series(False, index=aes.index).to_numpy()
    if window_days is not None:
        limit = aes["patient_id"].map(by_id["treatment_end"]) + pd.Timedelta(window_days, "D")
        after = ((onset > limit).fillna(False) & ~before).to_numpy(dtype=bool)
    keep = ~before & ~after
    without = onset.isna().to_numpy() & keep
    notices = []
    left_out = []
    if before.any():
        left_out.append(f"{_events(int(before.sum()))} with onset before treatment_start: "
                        f"{_per_patient(aes['patient_id'][before])}")
    if after.any():
        left_out.append(f"{_events(int(after.sum()))} with onset more than {window_days} days "
                        f"after treatment_end (safety.window_after_last_dose_days): "
                        f"{_per_patient(aes['patient_id'][after])}")
    if left_out:
        notices.append(Notice("ae_not_treatment_emergent", f"Adverse events in {source} that "
                              "are not treatment-emergent were not counted (patient, events):",
                              tuple(left_out)))
    if without.any():
        what = ("has no onset_date column" if "onset_date" not in aes
                else "gives no onset_date for them")
        notices.append(Notice(
            "ae_without_onset", f"{_events(int(without.sum()))} counted as treatment-emergent "
            f"although {source} {what}, so they could not be checked against the treatment "
            "dates (patient, events):", (_per_patient(aes["patient_id"][without]),)))
    ids = aes["patient_id"].astype(str).to_numpy()
    events = tuple((str(ids[i]), kind) for kind, mask in (
        ("before_treatment", before), ("after_window", after), ("without_onset", without))
        for i in np.flatnonzero(mask))
    counts = AEExclusions(int(before.sum()), int(after.sum()), int(without.sum()),
                          events=events)
    kept = aes if keep.all() else aes[keep].reset_index(drop=True)
    return kept, counts, tuple(notices)
