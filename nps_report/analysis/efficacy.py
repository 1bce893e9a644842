"""Best overall response counts, ORR and DCR with CIs, time to and duration of response."""

from __future__ import annotations

import pandas as pd

from ..config import StudyConfig
from ..results import Concordance, Efficacy, Proportion
from ..vocab import BOR_ORDER, DISEASE_CONTROL, RESPONSE
from .describe import distribution
from .proportions import proportion_ci
from .survival import summarise


def proportion(n: int, N: int, config: StudyConfig) -> Proportion:
    low, high = proportion_ci(n, N, config.ci.proportion, config.ci.level)
    return Proportion(n, N, n / N if N else None, low, high, config.ci.proportion,
                      config.ci.level)


def describe_efficacy(endpoints: pd.DataFrame, config: StudyConfig,
                      concordance: Concordance | None = None) -> Efficacy:
    """All treated patients are the denominator (NE patients count as non-responders)."""
    N = len(endpoints)
    counts = endpoints["bor"].value_counts()
    bor = {k: int(counts.get(k, 0)) for k in BOR_ORDER}
    responders = endpoints[endpoints["bor"].isin(RESPONSE)]
    dor = None
    if len(responders) and responders["dor_months"].notna().all():  # (a source may not give it)
        dor = summarise("dor", "Duration of response", responders["dor_months"].to_numpy(),
                        responders["dor_event"].to_numpy(), config)
    return Efficacy(
        N=N,
        bor_counts=bor,
        orr=proportion(sum(bor[c] for c in RESPONSE), N, config),
        dcr=proportion(sum(bor[c] for c in DISEASE_CONTROL), N, config),
        n_measurable=int(endpoints["best_pct_change"].notna().sum()),
        n_no_post_baseline_scan=int((~endpoints["has_post_baseline_scan"]).sum()),
        time_to_response=distribution(responders["first_response_months"]) if len(
            responders) else None,
        dor=dor,
        n_non_measurable=int(endpoints["measurable"].eq(False).sum()),
        concordance=concordance,
    )
