"""Study folder -> validated Study -> per-patient endpoints -> Results (no output written)."""

from __future__ import annotations

from pathlib import Path

from .analysis.analyse import LATE, Early, analyse
from .data.study import Study, load_study
from .derive.endpoints import Endpoints, derive_endpoints
from .journals import study_profile
from .results import Results
from .version import __version__

__all__ = ["LATE", "Early", "compute", "validate"]


def validate(study_dir: str | Path) -> tuple[Study, Endpoints]:
    """Every check, including those that need the RECIST derivation; raises StudyError."""
    study = load_study(study_dir)
    endpoints = derive_endpoints(study)
    study_profile(study.config.journal, Path(study_dir))  # its own profile file is checked too
    return study, endpoints


def compute(study_dir: str | Path, built_at: str, lock_id: str | None = None,
            early: Early | None = None) -> tuple[Study, Results]:
    study, endpoints = validate(study_dir)
    return study, analyse(study, endpoints, built_at=built_at, generator_version=__version__,
                          lock_id=lock_id, early=early)
