"""Run every analysis unit on a validated study and assemble the frozen Results.

The prognostic-factor analysis runs only when study.yaml has `prognostic`; its package is
imported then, so a study without it never loads lifelines.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from ..config import StudyConfig
from ..data.study import Study
from ..derive.endpoints import Endpoints
from ..errors import Notice
from ..results import (
    Methods,
    PatientColumns,
    Prognostic,
    Provenance,
    ResponseRow,
    Results,
    StudyInfo,
    Survival,
)
from ..versions import version_of
from .baseline import describe_baseline
from .concordance import describe_concordance
from .counted import count_patients
from .efficacy import describe_efficacy
from .exposure import describe_exposure
from .flow import describe_flow
from .intervals import interval_notices
from .safety import describe_safety
from .setting import setting
from .survival import band_type, followup, summarise
from .timepoints import describe_timepoints

# What `analyse` adds after calling `early`: the prognostic and cohort analyses
LATE = ("prognostic", "response_by_factor", "cohorts", "by")
Early = Callable[[StudyConfig, Results], None]
SOFTWARE = ("numpy", "pandas", "scipy")
PROGNOSTIC_SOFTWARE = ("lifelines",)  # named only when its Cox models were fitted


def software_versions(extra: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
    """What the Methods name as the analysis software, read where the cache keys read it."""
    found = [("Python", platform.python_version())]
    for dist in ("nps-report", *SOFTWARE, *extra):
        version = version_of(dist)
        if version is not None:
            found.append((dist, version))
    return tuple(found)


def analyse(study: Study, endpoints: Endpoints, *, built_at: str,
            generator_version: str, lock_id: str | None = None,
            early: Early | None = None) -> Results:
    """Results of the study. `early`, if given, is called with the config and the Results
    before the prognostic and cohort analyses (`LATE` holds none yet), so that what reads
    nothing of those (most figures) can start while they run."""
    cfg = study.config
    e = endpoints.patients
    pfs = summarise("pfs", "Progression-free survival", e["pfs_months"].to_numpy(),
                    e["pfs_event"].to_numpy(), cfg)
    os_ = summarise("os", "Overall survival", e["os_months"].to_numpy(),
                    e["os_event"].to_numpy(), cfg)
    fu = followup(e["os_months"].to_numpy(), e["os_event"].to_numpy(), cfg.ci.level)
    concordance, concordance_notices = describe_concordance(e, endpoints.source)
    results = Results(
        study=StudyInfo(cfg.title, cfg.short_title, cfg.drug, cfg.population,
                        cfg.data_cutoff.isoformat() if cfg.data_cutoff else None, len(e),
                        **setting(study.patients, cfg)),
        methods=Methods(
            proportion_ci=cfg.ci.proportion, km_ci=cfg.ci.km, level=cfg.ci.level,
            recist_version="1.1", confirm_response=cfg.recist.confirm_response,
            sd_min_days=cfg.recist.sd_min_days, landmarks_months=cfg.landmarks_months,
            min_incidence_pct=cfg.min_incidence_pct, followup_method="reverse Kaplan-Meier",
            software=software_versions(PROGNOSTIC_SOFTWARE if cfg.prognostic else ()),
            landmark_ci=band_type(cfg.ci.km), ctcae_version=cfg.safety.ctcae_version,
            lesion_level=endpoints.lesion_level, response_source=endpoints.source,
            ae_window_days=cfg.safety.window_after_last_dose_days,
            ae_grading=cfg.safety.grading,
            data_source=study.given.source if study.given is not None else None,
        ),
        baseline=describe_baseline(study.patients, cfg),
        exposure=describe_exposure(study.patients, e, cfg),
        efficacy=describe_efficacy(e, cfg, concordance),
        survival=Survival(pfs, os_, *fu),
        safety=describe_safety(study.adverse_events, len(e), cfg.min_incidence_pct,
                               cfg.safety, study.ae_excluded),
        provenance=Provenance(
            inputs=dict(sorted(study.input_hashes.items())),
            config_hash=hashlib.sha256(repr(cfg).encode()).hexdigest(),
            generator_version=generator_version,
            built_at=built_at,
            lock_id=lock_id,
        ),
        patients=_patient_columns(e),
        timepoints=describe_timepoints(endpoints.scans),
        counted=count_patients(study.patients, e, study.adverse_events, cfg),
        notices=(*study.notices, *endpoints.notices, *concordance_notices),
        flow=describe_flow(study, e),
    )
    if early is not None:
        early(cfg, results)
    prognostic, response, prognostic_notices = _prognostic(study, e, cfg)
    if prognostic is not None or response is not None or prognostic_notices:
        results = replace(results, prognostic=prognostic, response_by_factor=response,
                          notices=(*results.notices, *prognostic_notices))
    if cfg.by is not None:  # each level as a study of its own (analysis/cohorts.py)
        from .cohorts import analyse_cohorts

        def alone(sub: Study, sub_endpoints: Endpoints) -> Results:
            return analyse(sub, sub_endpoints, built_at=built_at,
                           generator_version=generator_version, lock_id=lock_id)

        cohorts, split = analyse_cohorts(study, endpoints, alone)
        results = replace(results, cohorts=cohorts, by=split)
    return replace(results, notices=(*results.notices, *interval_notices(results)))


def _prognostic(study: Study, e: pd.DataFrame, cfg: StudyConfig
                ) -> tuple[Prognostic | None, tuple[ResponseRow, ...] | None,
                           tuple[Notice, ...]]:
    """study.yaml's `prognostic` block run on the study: (Results.prognostic,
    Results.response_by_factor, its notices); None and () without the block."""
    p = cfg.prognostic
    if p is None:
        return None, None, ()
    from .prognostic import analyse_prognostic

    found = analyse_prognostic(e, study.patients, cfg.baseline, p.columns, p.multivariable,
                               references=p.references,
                               endpoint_names=p.endpoints, ci_method=cfg.ci.proportion,
                               level=cfg.ci.level, km_method=cfg.ci.km)
    return found.prognostic, found.response_by_factor, found.notices


def _opt(series: pd.Series) -> tuple[float | None, ...]:
    return tuple(None if v != v else v for v in series.to_numpy(dtype=float).tolist())


def _floats(series: pd.Series) -> tuple[float, ...]:
    return tuple(series.to_numpy(dtype=float).tolist())


def _flags(series: pd.Series) -> tuple[bool, ...]:
    return tuple(series.to_numpy(dtype=bool).tolist())


def _patient_columns(e: pd.DataFrame) -> PatientColumns:
    return PatientColumns(
        patient_id=tuple(e["patient_id"].astype(str).tolist()),
        bor=tuple(e["bor"].astype(str).tolist()),
        best_pct_change=_opt(e["best_pct_change"]),
        has_post_baseline_scan=_flags(e["has_post_baseline_scan"]),
        treatment_months=_floats(e["treatment_months"]),
        on_treatment=_flags(e["on_treatment"]),
        first_response_months=_opt(e["first_response_months"]),
        progression_months=_opt(e["progression_months"]),
        death_months=_opt(e["death_months"]),
        followup_months=_floats(e["os_months"]),
        pfs_months=_floats(e["pfs_months"]),
        pfs_event=_flags(e["pfs_event"]),
        os_event=_flags(e["os_event"]),
        measurable=tuple(None if m is None else bool(m) for m in e["measurable"].tolist()),
    )
