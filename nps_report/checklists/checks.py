"""Machine checks behind checklist items, and how stated facts read in a checklist note.

A check takes the ManuscriptFacts and returns (status, note). Checks live in code only
where a fact alone cannot say it, such as whether the design is named in the title or
abstract; everything else is a fact or a part named in the guideline's data file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# Design nouns first: 'a retrospective case series' is named by 'case series'
DESIGN_TERMS = tuple(re.compile(rf"\b({term})\b", re.IGNORECASE) for term in (
    r"case[- ]series", r"cohort", r"single[- ]arm", r"phase (?:I{1,3}|[123])[ab]?",
    r"retrospective", r"prospective", r"observational"))

FACT_LABELS = {
    "title": "title", "abstract": "abstract", "n_patients": "number of patients",
    "n_centres": "number of centres", "treatment_period": "treatment period",
    "data_cutoff": "data cutoff", "dose_schedule": "dose and schedule",
    "recist_version": "RECIST version", "ctcae_version": "CTCAE version",
    "ae_attribution": "adverse-event attribution (all-cause or treatment-related)",
    "proportion_ci_method": "CI method for proportions",
    "survival_ci_method": "CI method for survival medians",
    "missing_data_rule": "handling of missing assessments",
    "censoring_rule": "censoring rules", "baseline_table": "baseline characteristics table",
    "baseline_missing_reported": "number of missing values per baseline variable",
    "median_followup": "median follow-up", "events_reported": "numbers of events",
    "prognostic_analysis": "subgroup or prognostic-factor analysis",
    "sensitivity_analysis": "sensitivity analysis",
    "categorised_continuous": "continuous variable shown in categories",
}

# Where a missing fact is given, for the note that asks for it
FACT_WHERE = {
    "n_centres": "by naming the patients' centre column under centre_column in study.yaml",
    "data_cutoff": "as data_cutoff in study.yaml",
    "dose_schedule": "under exposure.schedule (and exposure.cycle_days) in study.yaml",
    "ctcae_version": "under safety.ctcae_version in study.yaml",
    "ae_attribution": "under safety.events in study.yaml, or name its attribution_column",
}


def missing_fact_text(name: str) -> str:
    """'State the CTCAE version under safety.ctcae_version in study.yaml.'"""
    where = FACT_WHERE.get(name)
    return f"State the {FACT_LABELS[name]}" + (f" {where}." if where else ".")


# How a yes/no fact that holds reads in a note
FLAG_DONE = {
    "missing_data_rule": "The Methods say how patients without an assessment are counted.",
    "censoring_rule": "The Methods give the censoring rules.",
    "baseline_table": "Baseline characteristics are tabulated.",
    "baseline_missing_reported": "Missing values per variable are reported.",
    "median_followup": "Median follow-up is reported.",
    "events_reported": "The numbers of events are reported.",
}
# Why an item that depends on a yes/no fact does not apply
NOT_APPLICABLE_WHY = {
    "prognostic_analysis": "no subgroup or prognostic-factor analysis is reported",
    "sensitivity_analysis": "no sensitivity analysis is reported",
    "categorised_continuous": "no continuous variable is shown in categories",
}


def fact_text(name: str, value: Any) -> str:
    """'Data cutoff: 2024-12-31.' — how a stated fact reads in the note."""
    label = FACT_LABELS[name]
    if value is True:
        return FLAG_DONE.get(name, f"{label[0].upper()}{label[1:]}: yes.")
    if isinstance(value, tuple):
        value = " to ".join(str(v) for v in value)
    return f"{label[0].upper()}{label[1:]}: {value}."


def design_term(facts: Any) -> tuple[str, str]:
    """Is the design named ('retrospective case series', 'cohort') in the title or abstract?"""
    for where, text in (("title", facts.title), ("abstract", facts.abstract)):
        for term in DESIGN_TERMS:
            found = term.search(text or "")
            if found:
                return "addressed", f"The {where} names the design ({found.group(0)!r})."
    return ("to be completed by the authors",
            "Name the design (e.g. 'retrospective case series') in the title or abstract.")


def dose_modifications(facts: Any) -> tuple[str, str]:
    """The dose modifications allowed: reported when study.yaml names the columns that record
    them (the Methods and an exposure table say what happened); otherwise only the authors'
    Methods can say it."""
    if facts.dose_modifications:
        return "addressed", "Dose modifications are recorded per patient and reported."
    where = ("or name the dose-modification columns under exposure (reduction_column, "
             "interruption_column, discontinuation_column) in study.yaml")
    if facts.parts.get("methods") == "authored":
        return ("authors to confirm", "Check that manuscript/methods.md says which dose "
                f"modifications were allowed, {where}.")
    return ("to be completed by the authors", "Say which dose modifications were allowed in "
            f"manuscript/methods.md, {where}.")


STAGE_WORDS = ("stage",)
PRIOR_WORDS = ("prior", "previous", "before", "line", "pretreat", "pre-treat")


def stage_and_prior_treatment(facts: Any) -> tuple[str, str]:
    """Table 1 gives the disease stage and the treatment before this one (rows so named)."""
    labels = [label.casefold() for label in facts.baseline_labels]
    missing = [what for what, words in (("disease stage", STAGE_WORDS),
                                        ("prior treatment", PRIOR_WORDS))
               if not any(w in label for label in labels for w in words)]
    if not missing:
        return "addressed", "Table 1 gives the disease stage and prior treatment."
    return ("to be completed by the authors", f"Add {' and '.join(missing)} to Table 1 "
            "(baseline in study.yaml), or describe it in the Results.")


CHECKS: dict[str, Callable[[Any], tuple[str, str]]] = {
    "design_term": design_term, "dose_modifications": dose_modifications,
    "stage_and_prior_treatment": stage_and_prior_treatment}
