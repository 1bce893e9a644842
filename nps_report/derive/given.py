"""Endpoints a source gives already derived (data/given.py) put in place of the derived ones.

Times and censoring from ADTTE replace those computed from dates; the sponsor's best
overall response replaces the one derived from scans. Duration of response, where the
source gives it, must cover exactly the responders: a responder without a record, or a
record for a patient who did not respond, would make the reported median another
population's than the sponsor's tables show, so either is refused, named.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.given import GIVEN_COLUMNS, Given
from ..errors import Problem, StudyError
from ..vocab import RESPONSE

SHOW = 25


def apply_given(endpoints: pd.DataFrame, given: Given) -> pd.DataFrame:
    """endpoints with the given columns in place (patients in the same order)."""
    values = given.values
    if not (values["patient_id"].to_numpy() == endpoints["patient_id"].to_numpy()).all():
        raise ValueError("given endpoints are not in the patients' order")
    out = endpoints.copy()
    for column in GIVEN_COLUMNS:
        if column in values:
            out[column] = values[column].to_numpy()
    if "dor_months" in values:
        _check_duration_of_response(out, given)
    else:  # not given: not reported (derived from the given PFS, it would tie out to nothing)
        out["dor_months"] = np.nan
        out["dor_event"] = False
    return out


def _check_duration_of_response(out: pd.DataFrame, given: Given) -> None:
    responder = out["bor"].isin(RESPONSE).to_numpy()
    has = out["dor_months"].notna().to_numpy()
    problems = []
    for mask, message, expected in (
            (responder & ~has, f"no {given.dor_parameter} record for a responder",
             "a duration-of-response record for every patient whose best overall response "
             "is CR or PR"),
            (~responder & has, f"a {given.dor_parameter} record for a patient who did not "
             "respond", "duration-of-response records for the responders only (is the "
             "response parameter the one the sponsor's duration of response is based on, "
             "e.g. confirmed responses?)")):
        for i in np.flatnonzero(mask)[:SHOW]:
            problems.append(Problem(str(given.dor_file), message, column="USUBJID",
                                    value=str(out["patient_id"].iloc[i]),
                                    expected=f"{expected}; best overall response "
                                             f"{out['bor'].iloc[i]}"))
    if problems:
        raise StudyError(problems)
