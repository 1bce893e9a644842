"""Patient flow: screening and exclusions as study.yaml `flow:` or screening.csv give them,
the rest counted from the data (contract v3, section 5)."""

from __future__ import annotations

import pandas as pd

from ..data.extras import DISCONTINUATION_REASON as REASON_COLUMN
from ..data.study import Study
from ..errors import Problem, StudyError
from ..results import NOT_RECORDED, Flow, ReasonCount


def describe_flow(study: Study, endpoints: pd.DataFrame) -> Flow | None:
    """The flow of a study with `flow:` or screening.csv (None without either); StudyError
    when the counts before the first dose cannot hold the patients treated."""
    cfg = study.config.flow
    treated = len(endpoints)
    if study.screening is not None:
        s = study.screening
        excluded, screened, source = (by_reason(s.loc[~s["included"], "exclusion_reason"]),
                                      len(s), "screening.csv")
    elif cfg is not None:
        excluded = list(cfg.excluded)
        screened = cfg.screened if cfg.screened is not None else (
            treated + sum(n for _, n in excluded))
        source = "study.yaml"
        if screened < treated + sum(n for _, n in excluded):
            raise StudyError([Problem(
                "study.yaml", "fewer patients screened than excluded and treated together",
                column="flow.screened", value=screened,
                expected=f"at least {treated + sum(n for _, n in excluded)}: the "
                         f"{sum(n for _, n in excluded)} excluded under flow.excluded and "
                         f"the {treated} treated patients of patients.csv")])
    else:
        return None
    on_treatment = endpoints["on_treatment"].to_numpy(dtype=bool)
    discontinued = by_reason(_reasons(study.patients)[~on_treatment])
    return Flow(
        screened=screened,
        excluded=tuple(ReasonCount(r, n) for r, n in excluded),
        treated=treated,
        evaluable_response=int(endpoints["has_post_baseline_scan"].sum()),
        evaluable_safety=treated,
        on_treatment=int(on_treatment.sum()),
        discontinued=tuple(ReasonCount(r, n) for r, n in discontinued),
        n_excluded=sum(n for _, n in excluded),
        n_discontinued=sum(n for _, n in discontinued),
        source=source,
    )


def _reasons(patients: pd.DataFrame) -> pd.Series:
    """Each patient's discontinuation_reason ('' where blank or without the column)."""
    if REASON_COLUMN not in patients:
        return pd.Series("", index=patients.index)
    return patients[REASON_COLUMN].fillna("").astype(str).str.strip()


def by_reason(reasons: pd.Series) -> list[tuple[str, int]]:
    """Patients by reason, most first, ties as first written; blank reasons are counted as
    'Not recorded', listed last."""
    reasons = reasons.fillna("").astype(str).str.strip().replace("", NOT_RECORDED)
    counts = reasons.value_counts(sort=False)
    first = {r: i for i, r in reversed(list(enumerate(reasons)))}
    order = sorted(counts.index, key=lambda r: (r == NOT_RECORDED, -counts[r], first[r]))
    return [(str(r), int(counts[r])) for r in order]
