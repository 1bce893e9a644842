"""Shared summaries of a numeric column (median, quartiles, range) as plain floats."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..results import Distribution


def distribution(values: pd.Series) -> Distribution:
    """Median (R's default type-7 quartiles), range, mean and SD; missing values counted."""
    num = pd.to_numeric(values, errors="coerce")
    present = num.dropna().to_numpy(dtype=float)
    n_missing = int(num.isna().sum())
    if len(present) == 0:
        return Distribution(0, n_missing, None, None, None, None, None, None, None)
    q1, med, q3 = np.percentile(present, [25, 50, 75])
    sd = float(np.std(present, ddof=1)) if len(present) > 1 else None
    return Distribution(len(present), n_missing, float(med), float(q1), float(q3),
                        float(present.min()), float(present.max()), float(present.mean()), sd)
