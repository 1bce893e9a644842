"""Where and when the patients were treated: centres, treatment period, staging system.

The facts a Methods section states about the setting, taken from the data where the
data hold them (centres from study.yaml's centre_column, the period from the first
and last treatment_start) and from study.yaml where only the authors know them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..config import StudyConfig


def setting(patients: pd.DataFrame, config: StudyConfig) -> dict[str, Any]:
    """StudyInfo's setting fields: n_centres, first_start, last_start, staging."""
    starts = patients["treatment_start"].dropna()
    return {
        "n_centres": int(patients["_centre"].nunique()) if "_centre" in patients else None,
        "first_start": _iso(starts.min()) if len(starts) else None,
        "last_start": _iso(starts.max()) if len(starts) else None,
        "staging": config.staging,
    }


def _iso(value: pd.Timestamp) -> str:
    return pd.Timestamp(value).date().isoformat()
