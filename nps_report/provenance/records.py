"""The record of one number: its key, unrounded value, how it was computed, whom it counts.

    {"key": "efficacy.orr.estimate", "value": 0.1333, "label": "Objective response rate",
     "method": "4 of 30 patients ...; responders: best overall response CR or PR",
     "patients": ["P03", ...], "rows": [4, ...], "set": "efficacy.orr"}

`patients` are the patient_ids the number counts (for an ORR, the responders; for a
Kaplan-Meier median, the patients with an event), `rows` their lines in
tables/patient_endpoints.csv (the header is line 1). The sets come from
Results.counted (found by the analysis); this module only names which set a key reads.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from ..present.labels import describe
from ..results import (
    AERow,
    BaselineVariable,
    Distribution,
    Landmark,
    LevelCount,
    Proportion,
    Results,
    SeverityRow,
    SurvivalSummary,
)
from ..results.keys import Key, Step
from ..vocab import BOR_NAMES, KM_CI_TEXT, PROPORTION_CI_TEXT, RESPONSE
from .keys import walk

PATIENT_FILE = "tables/patient_endpoints.csv"
EVENTS = {"pfs": "progression or death", "os": "death", "dor": "progression or death"}


def record(results: Results, key: str) -> dict[str, Any]:
    """The provenance record of a data-key; KeyError if the key names nothing."""
    data_key = Key.parse(key)
    steps = data_key.steps
    if len(steps) > 2 and steps[0].name == "cohorts" and results.cohorts:
        return _cohort_record(results, key, steps[1].name, Key(steps[2:], data_key.format))
    nodes = walk(results, data_key)
    value = nodes[-1]
    if isinstance(value, float):
        value = float(value)
    elif is_dataclass(value) or isinstance(value, tuple | dict):
        raise KeyError(f"{key} names a group of values, not one number")
    name = patient_set(results, data_key)
    rows = results.counted.rows(name) if name else None
    ids = results.patients.patient_id
    out: dict[str, Any] = {"key": key, "value": value,
                           "label": describe(results, str(model_path(data_key))),
                           "method": method(results, data_key, nodes),
                           "patients": [ids[i] for i in rows] if rows is not None else [],
                           "rows": [i + 2 for i in rows] if rows is not None else [],
                           "set": name, "patient_file": PATIENT_FILE}
    return out


def _cohort_record(results: Results, key: str, level: str, inner: Key) -> dict[str, Any]:
    """A cohort's number (cohorts.<level>...) as its own study's record, its patients' rows
    those of the whole study's patient_endpoints.csv."""
    cohort = results.cohorts[level] if results.cohorts and level in results.cohorts else None
    if cohort is None:
        raise KeyError(f"{key}: the study has no cohort {level!r}")
    found = record(cohort, str(inner))
    row_of = {pid: i for i, pid in enumerate(results.patients.patient_id)}
    return {**found, "key": key, "rows": [row_of[p] + 2 for p in found["patients"]],
            "set": None}


def model_path(key: Key) -> Key:
    """The Results path of a data-key: an adverse event is in all_terms, listed or not."""
    return Key(tuple(Step("all_terms") if s == Step("adverse_events") else s
                     for s in key.steps))


def patient_set(results: Results, key: Key) -> str | None:
    """The name of the Results.counted set a data-key's number counts, if any."""
    path = model_path(key)
    leaf = path.steps[-1].name if path.steps else ""
    candidates: list[str] = []
    nodes = walk(results, path)
    owner = nodes[-2] if len(nodes) > 1 else None
    holder = Key(path.steps[:-1])
    base = str(holder)
    if leaf == "pct" and not (is_dataclass(owner) and "pct" in {f.name for f in fields(owner)}):
        candidates.append(base)  # a count's derived percentage counts the count's patients
    if isinstance(owner, SurvivalSummary):
        if leaf in ("n_events", "median", "ci_low", "ci_high"):
            candidates.append(str(holder.field("events")))
        elif leaf == "n_censored":
            candidates.append(str(holder.field("censored")))
    elif isinstance(owner, Landmark):
        candidates.append(str(holder.field("at_risk" if leaf == "n_at_risk" else "events")))
    elif isinstance(owner, AERow | SeverityRow) and leaf == "pct_any":
        candidates.append(str(holder.field("any")))
    elif isinstance(owner, Proportion) and leaf == "N":
        candidates.append("study.n_patients")
    if path.steps[:1] == (Step("survival"),) and path.steps[1:2] and \
            path.steps[1].name.startswith("followup"):  # followup_median and its limits
        candidates.append("survival.followup")
    candidates += [str(Key(path.steps[:i])) for i in range(len(path.steps), 0, -1)]
    return next((c for c in candidates if c in results.counted.sets), None)


def method(results: Results, key: Key, nodes: list[Any]) -> str:
    """How the number was computed, in a sentence an auditor can check."""
    path = str(model_path(key))
    leaf = key.steps[-1].name if key.steps else ""
    owner = nodes[-2] if len(nodes) > 1 else None
    level = f"{results.methods.level * 100:g}%"
    if isinstance(owner, Proportion):
        what = _proportion_what(path)
        if leaf in ("ci_low", "ci_high"):
            return (f"{level} confidence interval ({'lower' if leaf == 'ci_low' else 'upper'} "
                    f"limit) by {PROPORTION_CI_TEXT.get(owner.method, owner.method)}, "
                    f"for {owner.n} of {owner.N} patients; {what}")
        if leaf == "estimate":
            return f"{owner.n} / {owner.N} patients; {what}"
        return f"count of patients; {what}"
    if isinstance(owner, SurvivalSummary):
        events = EVENTS.get(owner.endpoint, "an event")
        if leaf == "median":
            return (f"Kaplan–Meier median of {owner.label.lower()}, as R survfit (where the "
                    f"curve is flat at 0.5, the midpoint); events: {events}; "
                    f"{owner.n_events} events in {owner.n} patients")
        if leaf in ("ci_low", "ci_high"):
            return (f"{owner.level * 100:g}% confidence interval of the median by "
                    f"{KM_CI_TEXT.get(owner.method, owner.method)}")
        if leaf == "n_events":
            return f"patients with an event ({events})"
        if leaf == "n_censored":
            return "patients censored (no event observed by their last assessment or contact)"
    if isinstance(owner, Landmark):
        return (f"Kaplan–Meier estimate at {owner.months:g} months with a pointwise "
                f"{level} confidence interval ({results.methods.landmark_ci} band); "
                f"patients: those with an event by then")
    if isinstance(owner, AERow):
        return _ae_method(leaf, owner, results)
    if isinstance(owner, LevelCount) and len(nodes) > 3 and isinstance(nodes[-4],
                                                                       BaselineVariable):
        variable = nodes[-4]
        return (f"patients whose {variable.label} is {owner.label}, of {variable.N} "
                f"(patients.csv)" + (" as a percentage" if leaf == "pct" else ""))
    if isinstance(owner, Distribution):
        return f"{leaf} over the {owner.n} patients with a value"
    if path.startswith("efficacy.bor_counts."):
        code = key.steps[2].name
        return (f"patients whose best overall response (RECIST 1.1) is "
                f"{BOR_NAMES.get(code, code).lower()}"
                + (f", of {results.efficacy.N} treated" if leaf == "pct" else ""))
    if path == "survival.followup_median":
        return "reverse Kaplan–Meier median of overall survival time (deaths censor follow-up)"
    if leaf == "pct":
        return "the count as a percentage of its denominator (all treated patients unless " \
               "the row says otherwise)"
    if leaf == "level":
        return "confidence level (study.yaml ci.level)"
    return describe(results, path)


def _proportion_what(path: str) -> str:
    if path.startswith("efficacy.orr"):
        return f"responders: best overall response {' or '.join(RESPONSE)} (RECIST 1.1)"
    if path.startswith("efficacy.dcr"):
        return "disease control: best overall response CR, PR or SD (RECIST 1.1)"
    return "the patients counted"


def _ae_method(leaf: str, row: AERow, results: Results) -> str:
    scale = f"CTCAE v{results.methods.ctcae_version}" if results.methods.ctcae_version else \
        "CTCAE"
    once = "each patient counted once per term, at the highest grade recorded"
    if leaf in ("any", "pct_any"):
        return f"patients with {row.term} of any grade ({scale}; {once})"
    if leaf == "grade3plus":
        return f"patients with {row.term} of grade ≥3 ({scale}; {once})"
    grade = leaf.removeprefix("grade")
    return f"patients whose worst {row.term} was grade {grade} ({scale}; {once})"
