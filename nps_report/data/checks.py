"""Checks across columns and tables, on the data as of the cutoff (what counts).

last_followup is the last date the patient was known alive: the death date or any
earlier day for a patient who died (ADaM's LSTALVDT), never after the death.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import Problem, did_you_mean
from .columns import MAX_PER_CHECK


def _iso(value: object) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _report(problems: list[Problem], source: str, frame: pd.DataFrame, mask: pd.Series,
            column: str, message: str, expected: str, other: pd.Series | None = None,
            shown: dict[str, str] | None = None) -> None:
    idx = np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))
    name = (shown or {}).get(column, column)
    for i in idx[:MAX_PER_CHECK]:
        hint = f" ({_iso(other.iloc[i])})" if other is not None else ""
        problems.append(Problem(source, message, row=int(frame["_row"].iloc[i]), column=name,
                                value=_iso(frame[column].iloc[i]), expected=expected + hint))
    if len(idx) > MAX_PER_CHECK:
        problems.append(Problem(source, f"{len(idx) - MAX_PER_CHECK} more rows: {message}",
                                column=name))


def patient_dates(p: pd.DataFrame, source: str, shown: dict[str, str]) -> list[Problem]:
    """The order of each patient's own dates."""
    start, death = p["treatment_start"], p["death_date"]
    prog, last, end = p["progression_date"], p["last_followup"], p["treatment_end"]
    checks = (
        ("death_date", death < start, "death before treatment_start",
         "a date on or after treatment_start", start),
        ("progression_date", prog < start, "progression before treatment_start",
         "a date on or after treatment_start", start),
        ("progression_date", prog > death, "progression after death",
         "a date on or before death_date", death),
        ("treatment_end", end < start, "treatment_end before treatment_start",
         "a date on or after treatment_start", start),
        ("treatment_end", end > death, "treatment_end after death",
         "a date on or before death_date", death),
        ("last_followup", last < start, "last_followup before treatment_start",
         "a date on or after treatment_start", start),
        ("last_followup", last < prog, "last_followup before progression_date",
         "a date on or after every event of the patient: the last date known alive, on or "
         "after progression_date", prog),
        ("last_followup", last > death, "last_followup after death_date",
         "the death date or an earlier date (last_followup is the last date the patient "
         "was known alive)", death),
    )
    problems: list[Problem] = []
    for column, mask, message, expected, other in checks:
        _report(problems, source, p, mask, column, message, expected, other, shown)
    return problems


def event_dates(events: pd.DataFrame, patients: pd.DataFrame, column: str, what: str,
                source: str, shown: dict[str, str]) -> list[Problem]:
    """Scans and adverse events of a patient must not postdate the death."""
    if column not in events or events.empty or patients.empty:
        return []
    death = events["patient_id"].map(patients.drop_duplicates("patient_id")
                                     .set_index("patient_id")["death_date"])
    problems: list[Problem] = []
    _report(problems, source, events, events[column] > death, column,
            f"{what} after the patient's death_date", "a date on or before death_date",
            death, shown)
    return problems


def known_patients(events: pd.DataFrame, patients: pd.DataFrame, source: str,
                   patients_source: str, shown: dict[str, str]) -> list[Problem]:
    if events.empty or patients.empty:
        return []
    known = set(patients["patient_id"])
    unknown = ~events["patient_id"].isin(known)
    problems: list[Problem] = []
    if not unknown.any():
        return problems
    options = sorted(known)
    idx = np.flatnonzero(unknown.to_numpy())
    name = shown.get("patient_id", "patient_id")
    for i in idx[:MAX_PER_CHECK]:
        value = events["patient_id"].iloc[i]
        close = did_you_mean(value, options)
        hint = close[close.find("(did"):] if "(did" in close else f"(not in {patients_source})"
        problems.append(Problem(source, "unknown patient_id", row=int(events["_row"].iloc[i]),
                                column=name, value=value,
                                expected=f"a patient_id listed in {patients_source} {hint}"))
    if len(idx) > MAX_PER_CHECK:
        problems.append(Problem(source, f"{len(idx) - MAX_PER_CHECK} more rows with unknown "
                                "patient_id", column=name))
    return problems


def stopped_on_treatment(p: pd.DataFrame, source: str, column: str | None,
                         shown: dict[str, str]) -> list[Problem]:
    """A patient stopped for toxicity has a last dose: a blank treatment_end says otherwise."""
    if column is None or "_discontinuation" not in p:
        return []
    mask = p["_discontinuation"] & p["treatment_end"].isna()
    idx = np.flatnonzero(mask.to_numpy(dtype=bool))
    name, end = shown.get(column, column), shown.get("treatment_end", "treatment_end")
    problems = [Problem(source, f"says treatment was stopped because of toxicity, but "
                                f"{end} is blank (still on treatment)",
                        row=int(p["_row"].iloc[i]), column=name,
                        expected=f"the date of the last dose in {end}, or 'no' in {name}")
                for i in idx[:MAX_PER_CHECK]]
    if len(idx) > MAX_PER_CHECK:
        problems.append(Problem(source, f"{len(idx) - MAX_PER_CHECK} more rows stopped "
                                        "because of toxicity but still on treatment",
                                column=name))
    return problems
