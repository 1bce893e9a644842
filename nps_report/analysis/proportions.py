"""Confidence intervals for a proportion n/N (ORR, DCR, rates), by the configured method.

Methods: clopper-pearson (exact; R binom.test), wilson (score; R prop.test without
continuity correction), wald, and t (mean of the 0/1 variable with sample SD and
N-1 degrees of freedom, as SPSS and many case series report). Wald and t limits are
clipped to [0, 1]; the t interval is degenerate (p, p) when all or none responded.
"""

from __future__ import annotations

import math

# scipy.special rather than scipy.stats: the same quantile functions, a third of the import time
from scipy.special import betaincinv, ndtri, stdtrit


def proportion_ci(n: int, total: int, method: str, level: float) -> tuple[float | None,
                                                                           float | None]:
    """(low, high) for n successes of total; (None, None) when total is 0."""
    if total <= 0:
        return None, None
    alpha = 1 - level
    p = n / total
    if method == "clopper-pearson":
        low = 0.0 if n == 0 else float(betaincinv(n, total - n + 1, alpha / 2))
        high = 1.0 if n == total else float(betaincinv(n + 1, total - n, 1 - alpha / 2))
        return low, high
    if method == "wilson":
        z = ndtri(1 - alpha / 2)
        denom = 1 + z * z / total
        centre = (p + z * z / (2 * total)) / denom
        half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
        return float(max(0.0, centre - half)), float(min(1.0, centre + half))
    if method == "wald":
        half = ndtri(1 - alpha / 2) * math.sqrt(p * (1 - p) / total)
        return float(max(0.0, p - half)), float(min(1.0, p + half))
    if method == "t":
        if total < 2:
            return None, None
        sd = math.sqrt(p * (1 - p) * total / (total - 1))
        half = stdtrit(total - 1, 1 - alpha / 2) * sd / math.sqrt(total)
        return float(max(0.0, p - half)), float(min(1.0, p + half))
    raise ValueError(f"unknown proportion CI method {method!r}")
