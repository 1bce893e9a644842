"""ADSL's patients as the contract's patients frame: dates, cycles, Table 1 variables,
and treatment exposure as ADSL records it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...config import Rename, StudyConfig
from ...errors import Problem
from .. import extras
from ..columns import Checker
from ..headers import prepare_headers
from ..parse import baseline_columns
from ..table import Table
from .population import SUBJECT, Population
from .times import DAYS_PER_MONTH, Times

# contract column <- ADSL variable (USUBJID and TRTSDT must be there, the others may not)
ADSL_DATES = {"treatment_start": "TRTSDT", "treatment_end": "TRTEDT", "death_date": "DTHDT",
              "last_followup": "LSTALVDT"}


def patients_frame(population: Population, config: StudyConfig, pfs: Times | None,
              os_: Times | None) -> tuple[pd.DataFrame, list[Problem]]:
    """The patients frame of the contract from ADSL: dates, cycles, Table 1 variables.

    Death and progression dates serve the figures only (the times are ADTTE's); a patient
    without LSTALVDT is last known alive at the end of their OS time."""
    adsl = population.adsl
    renames = [Rename("patient_id", SUBJECT)]
    renames += [Rename(name, variable) for name, variable in ADSL_DATES.items()
                if variable in adsl.frame]
    source = config.source
    assert source is not None
    if source.cycles:
        renames.append(Rename("cycles", source.cycles))
    table = Table("patients", adsl.file, adsl.frame.copy(), adsl.table.rows.copy())
    problems = prepare_headers(table, tuple(renames))
    problems += adsl.missing(["TRTSDT"], "the first dose, time zero of the figures")
    if problems:
        return pd.DataFrame(), problems
    c = Checker(table)
    out = pd.DataFrame({"patient_id": table.frame["patient_id"], "_row": table.rows})
    for name in ADSL_DATES:
        out[name] = (c.dates(name, required=name == "treatment_start")
                     if name in table.frame else pd.Series(pd.NaT, index=out.index,
                                                            dtype="datetime64[ns]"))
    out["cycles"] = (c.numbers("cycles", integer=True, minimum=0, required=False)
                     if "cycles" in table.frame else np.nan)
    out["progression_date"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    if pfs is not None:  # a PFS event that is not the death
        death = out["death_date"]
        progressed = pfs.event & pfs.end.notna() & (death.isna() | (pfs.end < death))
        out["progression_date"] = pfs.end.where(progressed)
    if os_ is not None:
        days = pd.to_timedelta(np.round(os_.months * DAYS_PER_MONTH), unit="D")
        last = os_.end.fillna(out["treatment_start"] + days)
        out["last_followup"] = out["last_followup"].fillna(last)
    baseline_columns(c, table.frame, config, out)
    extras.patient_columns(c, config, out)
    return out, problems + c.problems


def exposure(patients: pd.DataFrame, population: Population) -> tuple[np.ndarray,
                                                                        np.ndarray]:
    """Treatment duration in months and whether still on treatment, as ADSL has them.

    TRTDURD where ADSL has it (the sponsor's), else TRTEDT - TRTSDT + 1 days as ADaM counts
    it. A blank TRTEDT means still on treatment only for a patient alive whose end-of-
    treatment (EOTSTT) or, without it, end-of-study status (EOSSTT) is ONGOING (or who has
    neither): then through LSTALVDT. Otherwise the duration is unknown (not counted in
    the median), never negative."""
    adsl = population.adsl.frame.reset_index(drop=True)
    p = patients.reset_index(drop=True)
    start, end = p["treatment_start"], p["treatment_end"]
    status = next((adsl[v].str.strip().str.upper() for v in ("EOTSTT", "EOSSTT")
                   if v in adsl), None)
    ongoing = end.isna() & p["death_date"].isna()
    if status is not None:
        ongoing &= status.eq("ONGOING")
    days = (end.where(~ongoing, p["last_followup"]) - start).dt.days + 1
    if "TRTDURD" in adsl:
        given = pd.to_numeric(adsl["TRTDURD"].where(adsl["TRTDURD"].ne("")), errors="coerce")
        days = given.where(given.notna() & ~ongoing, days)
    months = (days / DAYS_PER_MONTH).where(days > 0)
    return months.to_numpy(dtype=float), ongoing.to_numpy(dtype=bool)
