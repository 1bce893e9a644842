"""Cohorts (study.yaml `by:`): the study split by the levels of a categorical Table 1 row,
each level analysed as a study of its patients alone.

A cohort is the study with only its patients' rows (patients, scans, lesions, adverse
events and what was left out of them), analysed by the same code, so that each number
of results.json `cohorts.<level>` is the number a build of those patients alone gives
(tests/test_cohorts.py builds them and compares). What belongs to the whole study stays
at the top level: the prognostic-factor models (the cohort column is constant within a
cohort), the patient flow (screening happens before a patient has a cohort), notices.
Patients without a value in the `by:` column are refused, naming their rows: a cohort
column that leaves patients out would make the cohorts not add up to the study.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from ..config import StudyConfig, by_row
from ..data.study import Study
from ..derive.endpoints import Endpoints
from ..errors import Problem, StudyError
from ..results import CohortSplit, Results
from .prognostic.curves import level_curves


def cohort_masks(study: Study) -> list[tuple[str, np.ndarray]]:
    """(level label, patients of the level) for each level with patients, in Table 1's order;
    StudyError naming the rows of patients without a value."""
    cfg = study.config
    item = by_row(cfg)
    assert item is not None and item.column is not None  # config/cohorts.py checked `by:`
    values = study.patients[item.column].fillna("").astype(str)
    missing = values.eq("").to_numpy()
    if missing.any():
        rows = study.patients["_row"].to_numpy()[missing]
        raise StudyError([Problem(
            study.sources.get("patients", "patients.csv"), "no value in the cohort column "
            "(study.yaml by:)", row=int(r), column=item.column, value="",
            expected=f"one of the levels of {item.label!r} for every patient: cohorts must "
                     "add up to the study (or remove `by:`)") for r in rows[:20]])
    groups = item.levels or tuple((v, (v,)) for v in dict.fromkeys(values))
    masks = [(label, values.isin(raw).to_numpy()) for label, raw in groups]
    return [(label, mask) for label, mask in masks if mask.any()]


def cohort_study(study: Study, endpoints: Endpoints, mask: np.ndarray
                 ) -> tuple[Study, Endpoints]:
    """The study and its endpoints with only the patients of `mask`, as if they were all."""
    ids = set(study.patients.loc[mask, "patient_id"].astype(str))

    def only(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None or "patient_id" not in frame:
            return frame
        return frame[frame["patient_id"].astype(str).isin(ids)].reset_index(drop=True)

    cfg: StudyConfig = replace(study.config, by=None, flow=None, prognostic=None)
    sub = replace(study, config=cfg, patients=study.patients[mask].reset_index(drop=True),
                  assessments=only(study.assessments), adverse_events=only(
                      study.adverse_events), lesions=only(study.lesions),
                  ae_excluded=study.ae_excluded.only(ids), screening=None, notices=(),
                  given=None if study.given is None else replace(
                      study.given, values=study.given.values[mask].reset_index(drop=True)))
    sub_endpoints = replace(endpoints, patients=endpoints.patients[mask].reset_index(drop=True),
                            scans=only(endpoints.scans), notices=())
    return sub, sub_endpoints


def analyse_cohorts(study: Study, endpoints: Endpoints,
                    analyse: Callable[[Study, Endpoints], Results]
                    ) -> tuple[dict[str, Results], CohortSplit] | tuple[None, None]:
    """Each level's Results by `analyse` (the whole study's analysis, without `by:`), and the
    split: its levels and their KM curves at shared ticks; (None, None) without `by:`."""
    cfg = study.config
    if cfg.by is None:
        return None, None
    item = by_row(cfg)
    masks = cohort_masks(study)
    cohorts = {label: analyse(*cohort_study(study, endpoints, mask)) for label, mask in masks}
    e = endpoints.patients
    labels = np.full(len(e), None, dtype=object)
    for label, mask in masks:
        labels[mask] = label
    curves = {ep: level_curves(ep, tuple(label for label, _ in masks), labels,
                               e[f"{ep}_months"].to_numpy(), e[f"{ep}_event"].to_numpy(),
                               cfg.ci.km, cfg.ci.level) for ep in ("pfs", "os")}
    assert item is not None and item.column is not None
    return cohorts, CohortSplit(item.column, item.label, tuple(cohorts), curves["pfs"],
                                curves["os"])
