"""Which patients each count counts, worked out beside the counts from the same data.

An auditor's question of any number in the manuscript is "which patients?": the
responders behind the ORR, the patients with a grade 3 hand-foot syndrome, the events
behind a Kaplan-Meier median, the patients of a baseline level. The answer is found
here, where the patient-level tables are, by the rules the counting units use
(efficacy.py, safety.py, baseline.py, exposure.py, survival.py), and carried in
Results.counted as a packed bit per row of the per-patient endpoints
(tables/patient_endpoints.csv order). tests/test_provenance.py checks every set's
size against its count.

Sets are named by the Key of the quantity (results/keys.py), with a few named parts a
count has no field for: `.events` and `.censored` of a survival summary, `.events` and
`.at_risk` of a landmark.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import BaselineItem, StudyConfig
from ..data.columns import YES_NO
from ..results import Counted
from ..results.keys import Key
from ..vocab import BOR_ORDER, DISEASE_CONTROL, RESPONSE
from .concordance import assessed_by_both


def count_patients(patients: pd.DataFrame, endpoints: pd.DataFrame, aes: pd.DataFrame,
                   config: StudyConfig) -> Counted:
    """Every count's patients, as row numbers of `endpoints` (0-based, file order)."""
    sets: dict[Key, np.ndarray] = {}
    ids = endpoints["patient_id"].astype(str).to_numpy()
    everyone = np.ones(len(endpoints), dtype=bool)
    sets[Key.parse("study.n_patients")] = everyone
    bor = endpoints["bor"].astype(str)
    for code in BOR_ORDER:
        sets[Key.parse("efficacy.bor_counts").entry(code)] = bor.eq(code).to_numpy()
    responders = bor.isin(RESPONSE).to_numpy()
    sets[Key.parse("efficacy.orr")] = responders
    sets[Key.parse("efficacy.dcr")] = bor.isin(DISEASE_CONTROL).to_numpy()
    sets[Key.parse("efficacy.N")] = everyone
    sets[Key.parse("efficacy.n_no_post_baseline_scan")] = ~endpoints[
        "has_post_baseline_scan"].to_numpy(dtype=bool)
    sets[Key.parse("efficacy.n_measurable")] = endpoints["best_pct_change"].notna().to_numpy()
    sets[Key.parse("efficacy.n_non_measurable")] = endpoints["measurable"].eq(False).to_numpy()
    sets[Key.parse("efficacy.time_to_response")] = responders
    if "bor_investigator" in endpoints:  # derived vs investigator, as concordance.py counts
        both, agree = assessed_by_both(endpoints)
        at = Key.parse("efficacy.concordance")
        sets[at.field("n")] = both
        sets[at.field("n_agree")] = agree
        sets[at.field("n_differ")] = both & ~agree
    if responders.any():
        dor_event = endpoints["dor_event"].fillna(False).to_numpy(dtype=bool)
        sets[Key.parse("efficacy.dor")] = responders
        sets[Key.parse("efficacy.dor.events")] = responders & dor_event
        sets[Key.parse("efficacy.dor.censored")] = responders & ~dor_event
    for name in ("pfs", "os"):
        time = endpoints[f"{name}_months"].to_numpy(dtype=float)
        event = endpoints[f"{name}_event"].to_numpy(dtype=bool)
        summary = Key.parse("survival").field(name)
        sets[summary] = everyone
        sets[summary.field("events")] = event
        sets[summary.field("censored")] = ~event
        for months in config.landmarks_months:
            at = summary.field("landmarks").item(float(months))
            sets[at.field("events")] = event & (time <= months)
            sets[at.field("at_risk")] = time >= months
    # reverse Kaplan-Meier: follow-up is 'observed' for the patients alive at last contact
    sets[Key.parse("survival.followup")] = ~endpoints["os_event"].to_numpy(dtype=bool)
    severity = config.safety.grading == "severity"
    _safety(sets, aes, ids, Key.parse("safety"), severity)
    if "_related" in aes and config.safety.attribution_column:
        _safety(sets, aes[aes["_related"].to_numpy(dtype=bool)], ids,
                Key.parse("safety.related"), severity)
    by_id = patients.set_index(patients["patient_id"].astype(str)).reindex(ids)
    for item in config.baseline:
        _baseline(sets, by_id, item)
    _exposure(sets, by_id, endpoints, config)
    return Counted({str(key): np.packbits(np.asarray(mask, dtype=bool)).tobytes()
                    for key, mask in sets.items()}, len(endpoints))


def _safety(sets: dict[Key, np.ndarray], aes: pd.DataFrame, ids: np.ndarray,
            base: Key, severity: bool = False) -> None:
    """Per term, the patients by their worst grade for it (as safety._tally counts them)."""
    index = pd.Index(ids)
    none = np.zeros(len(ids), dtype=bool)

    def mask(patient_ids: pd.Index | pd.Series) -> np.ndarray:
        out = none.copy()
        out[index.get_indexer(pd.Index(patient_ids).astype(str))] = True
        return out

    worst_any = aes.groupby("patient_id")["grade"].max() if len(aes) else pd.Series(
        dtype=int)
    sets[base.field("n_any")] = mask(worst_any.index)
    sets[base.field("n_grade3plus")] = mask(worst_any.index[worst_any.to_numpy() >= 3])
    sets[base.field("N")] = ~none
    if aes.empty:
        return
    worst = aes.groupby(["term", "patient_id"], sort=False)["grade"].max().reset_index()
    for term, group in worst.groupby("term", sort=False):
        at = base.field("all_terms").item(term)
        grades = group["grade"].astype(int).to_numpy()
        sets[at.field("any")] = mask(group["patient_id"])
        for g in range(1, 6):
            sets[at.field(f"grade{g}")] = mask(group["patient_id"][grades == g])
        sets[at.field("grade3plus")] = mask(group["patient_id"][grades >= 3])
        if severity:  # the keys a severity row is printed under (results.SeverityRow)
            for g, name in enumerate(("mild", "moderate", "severe"), start=1):
                sets[at.field(name)] = sets[at.field(f"grade{g}")]


def _baseline(sets: dict[Key, np.ndarray], patients: pd.DataFrame, item: BaselineItem) -> None:
    """The patients of each Table 1 level, its missing ones, and those with a value."""
    at = Key.parse("baseline").item(item.label)
    sets[at.field("N")] = np.ones(len(patients), dtype=bool)
    if item.type == "continuous":
        values = pd.to_numeric(patients[item.column].replace("", None), errors="coerce")
        sets[at.field("summary")] = values.notna().to_numpy()
        sets[at.field("n_missing")] = values.isna().to_numpy()
        return
    if item.type == "multi":
        for column, label in item.columns:
            yes = patients[column].fillna("").str.lower().map(YES_NO).eq(True)
            sets[at.field("levels").item(label)] = yes.to_numpy()
        blank = patients[[c for c, _ in item.columns]].fillna("").eq("").all(axis=1)
        sets[at.field("n_missing")] = blank.to_numpy()
        return
    values = patients[item.column].fillna("")
    missing = values.eq("")
    groups = item.levels or tuple((v, (v,)) for v in dict.fromkeys(values[~missing]))
    for label, raw in groups:
        sets[at.field("levels").item(label)] = values.isin(raw).to_numpy()
    sets[at.field("n_missing")] = missing.to_numpy()


def _exposure(sets: dict[Key, np.ndarray], patients: pd.DataFrame, endpoints: pd.DataFrame,
              config: StudyConfig) -> None:
    cfg = config.exposure
    at = Key.parse("exposure")
    cycles = pd.to_numeric(patients["cycles"], errors="coerce")
    sets[at.field("N")] = np.ones(len(patients), dtype=bool)
    sets[at.field("cycles")] = cycles.notna().to_numpy()
    sets[at.field("n_at_least_threshold")] = (cycles >= cfg.cycles_threshold).to_numpy()
    sets[at.field("n_ongoing")] = endpoints["on_treatment"].to_numpy(dtype=bool)
    sets[at.field("treatment_months")] = endpoints["treatment_months"].notna().to_numpy()
    if cfg.dose_column and cfg.dose_column in patients.columns:
        doses = patients[cfg.dose_column].replace("", None)
        for level in doses.dropna().unique():
            sets[at.field("dose_levels").item(str(level))] = doses.eq(level).to_numpy()
    for what, name in (("reduction", "n_dose_reduced"), ("interruption", "n_interrupted"),
                       ("discontinuation", "n_discontinued")):
        column = f"_{what}"
        if column in patients:
            sets[at.field(name)] = patients[column].fillna(False).to_numpy(dtype=bool)
