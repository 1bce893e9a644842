"""A validated study: config and typed tables; every input problem found before any statistic.

Order matters: cells are typed, then the data cutoff is applied (cutoff.py), and only
then are dates checked against each other, so that only what counts is checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..config import StudyConfig, read_config
from ..errors import Notice, Problem, StudyError
from ..results import AEExclusions
from . import checks
from .cutoff import apply_cutoff, cut_lesions
from .emergent import treatment_emergent
from .given import Given
from .lesions import parse_lesions
from .load import RawTables, read_tables, sha256
from .parse import (
    missing_like_values,
    parse_adverse_events,
    parse_assessments,
    parse_patients,
)
from .screening import read_screening
from .terms import ctcae_check, map_terms, merge_spellings, merge_terms


@dataclass(frozen=True)
class Study:
    """Typed tables as of the data cutoff (dates as datetime64, flags as bool), where they
    came from, and what the user must be told about how they were read."""

    path: Path
    config: StudyConfig
    patients: pd.DataFrame
    assessments: pd.DataFrame
    adverse_events: pd.DataFrame
    sources: dict[str, str]
    input_hashes: dict[str, str]
    notices: tuple[Notice, ...] = ()
    # tumor_lesions (data/lesions.py TYPED_COLUMNS) when the study gives lesions
    lesions: pd.DataFrame | None = None
    # adverse events left out as not treatment-emergent, or counted without an onset
    ae_excluded: AEExclusions = field(default_factory=AEExclusions)
    # endpoints a source gives already derived (ADaM: data/adam/), used as they are
    given: Given | None = None
    screening: pd.DataFrame | None = None  # screening.csv, when the study has one


def load_study(study_dir: str | Path) -> Study:
    """Read and validate a study folder; raise StudyError listing every problem found."""
    study_dir = Path(study_dir)
    if not study_dir.is_dir():
        raise StudyError([Problem(str(study_dir), "study folder not found",
                                  expected="a folder with study.yaml, patients.csv, "
                                           "tumor_assessments.csv and adverse_events.csv")])
    config, problems = read_config(study_dir)
    if config is not None and config.source is not None:
        from .adam import load_adam_study  # the ADaM readers only for such a study

        return load_adam_study(study_dir, config, problems)
    try:
        raw = read_tables(study_dir, config)
    except StudyError as exc:
        raise StudyError(problems + exc.problems) from None
    patients, p_problems = parse_patients(raw.tables["patients"], config)
    lesions = None
    if "tumor_lesions" in raw.tables and config is not None:
        lesions, l_problems = parse_lesions(raw.tables["tumor_lesions"], config.recist)
        problems += l_problems
    assessments, a_problems = parse_assessments(raw.tables["tumor_assessments"],
                                                with_lesions="tumor_lesions" in raw.tables)
    aes, e_problems, attributed = parse_adverse_events(raw.tables["adverse_events"], config)
    problems += p_problems + a_problems + e_problems
    excluded, emergent = AEExclusions(), ()
    notices: list[Notice] = [attributed] if attributed is not None else []
    if (undeclared := missing_like_values(raw.tables["patients"], config)) is not None:
        notices.append(undeclared)
    if not patients.empty:
        cutoff = config.data_cutoff if config is not None else None
        patients, assessments, aes, cut = apply_cutoff(patients, assessments, aes, cutoff)
        if lesions is not None:
            lesions, cut = cut_lesions(lesions, cutoff, cut)
        notices += [cut] if cut else []
        problems += _cross_checks(raw, patients, assessments, aes,
                                  config.exposure.discontinuation_column if config else None,
                                  lesions)
        if not problems and config is not None:
            aes, excluded, emergent = treatment_emergent(
                aes, patients, config.safety.window_after_last_dose_days,
                raw.sources["adverse_events"])
        if "term" in aes:
            notices += adverse_event_terms(aes, config, raw.sources["adverse_events"])
        if "_centre" in patients:
            patients["_centre"], merged = merge_spellings(
                patients["_centre"], raw.sources["patients"], "centres_merged", "Centres",
                "centre")
            notices += [merged] if merged else []
        notices += emergent  # (after the others: their order in results.json stays)
    screening, s_problems, s_hash = read_screening(study_dir, config, patients.get(
        "patient_id", pd.Series(dtype=str)))
    problems += s_problems
    if problems or config is None:
        raise StudyError(problems)
    hashes = dict(raw.hashes) | s_hash
    hashes["study.yaml"] = sha256(study_dir / "study.yaml")
    return Study(study_dir, config, patients, assessments, aes, raw.sources, hashes,
                 tuple(notices), lesions, excluded, screening=screening)


def _cross_checks(raw: RawTables, patients: pd.DataFrame, assessments: pd.DataFrame,
                  aes: pd.DataFrame, discontinuation: str | None = None,
                  lesions: pd.DataFrame | None = None) -> list[Problem]:
    src, shown = raw.sources, {t: tab.shown for t, tab in raw.tables.items()}
    problems = checks.patient_dates(patients, src["patients"], shown["patients"])
    problems += checks.stopped_on_treatment(patients, src["patients"], discontinuation,
                                            shown["patients"])
    dated = [("tumor_assessments", assessments, "assessment_date", "assessment"),
             ("adverse_events", aes, "onset_date", "adverse event onset")]
    if lesions is not None:
        dated.insert(1, ("tumor_lesions", lesions, "assessment_date", "lesion assessment"))
    for table, events, column, what in dated:
        problems += checks.known_patients(events, patients, src[table], src["patients"],
                                          shown[table])
        problems += checks.event_dates(events, patients, column, what, src[table],
                                       shown[table])
    return problems


def adverse_event_terms(aes: pd.DataFrame, config: StudyConfig | None,
                        source: str) -> list[Notice]:
    """The terms made one (case, spacing), renamed as safety.term_map says and checked
    against CTCAE v5.0, in place; the notices saying what was done."""
    aes["term"], merged = merge_terms(aes["term"], source)
    notices = [merged] if merged else []
    if config is not None:
        aes["term"], mapped = map_terms(aes["term"], config.safety.term_map, source)
        notices += mapped
        if _graded_by_ctcae_v5(config):
            notices += filter(None, [ctcae_check(aes["term"], source)])
    return notices


def _graded_by_ctcae_v5(config: StudyConfig) -> bool:
    """Terms are checked against CTCAE v5.0 unless study.yaml names another version (whose
    list nps-report does not ship) or grades severity instead (safety.grading)."""
    version = config.safety.ctcae_version
    grading = getattr(config.safety, "grading", "ctcae")  # safety.grading (contract v3)
    return grading == "ctcae" and (version is None or version.split(".")[0] == "5")
