"""ADRS: best overall response as the sponsor derived it (PARAMCD BOR, or what study.yaml
names), one record per patient.

AVALC is CR, PR, SD, PD or NE; NON-CR/NON-PD (disease without target lesions) counts as
SD, as the contract counts it for DCR; MISSING, NE, a blank or no record count as NE
(a non-responder). Any other value is refused, named. Timepoint responses (PARAMCD OVR)
and lesions (ADTR) are the investigator's and the lesions' routes (recist.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...config.source import ResponseSource
from ...errors import Notice, Problem, StudyError, did_you_mean
from ..columns import Checker
from .datasets import Dataset
from .parameter import parameter_rows
from .population import SUBJECT, Population, index_of

AS_GIVEN = {"CR": "CR", "PR": "PR", "SD": "SD", "PD": "PD", "NE": "NE",
            "NON-CR/NON-PD": "SD", "NONCR/NONPD": "SD", "MISSING": "NE"}
NOT_ASSESSED = ("MISSING", "")


@dataclass(frozen=True)
class GivenResponse:
    """Best overall response per patient of the population (population order)."""

    paramcd: str
    file: str
    flag: str | None
    bor: pd.Series  # CR, PR, SD, PD, NE
    assessed: pd.Series  # a record with a response other than MISSING
    response_date: pd.Series  # ADT of a CR or PR record (NaT otherwise)
    counted: tuple[str, ...]  # how values were counted, for the build's notice

    def notice(self) -> Notice:
        return Notice("adam_response", f"Best overall response was taken as recorded in "
                      f"{self.file} (PARAMCD {self.paramcd}"
                      f"{f', {self.flag} = Y' if self.flag else ''}):", self.counted)


def _key(text: str) -> str:
    return "".join(text.split()).upper().replace("_", "-")


def read_best_response(adrs: Dataset, spec: ResponseSource,
                       population: Population) -> GivenResponse:
    where = "source.response in study.yaml"
    assert spec.paramcd is not None
    adrs.require([SUBJECT, "PARAMCD", "AVALC", *([spec.flag] if spec.flag else [])], where)
    rows, problems = parameter_rows(
        adrs, spec.paramcd, population, where, "one best overall response per subject "
        "(timepoint responses are given as paramcd: OVR; or name a flag that picks one "
        "record: source.response.flag, e.g. ANL01FL)", spec.flag)
    ids = rows.frame[SUBJECT]
    text = rows.frame["AVALC"].str.strip()
    keys = text.map(_key)
    given = keys.map(AS_GIVEN).where(keys.ne(""), "NE")
    options = ["CR", "PR", "SD", "PD", "NE", "NON-CR/NON-PD", "MISSING"]
    problems += rows.rows_where(given.isna().to_numpy(), "AVALC", "not a best overall "
                                "response", "", values=text)
    problems = [p if p.column != "AVALC" or p.row is None else
                Problem(p.file, p.message, p.row, p.column, p.value,
                        did_you_mean(str(p.value), options)) for p in problems]
    if problems:
        raise StudyError(problems)
    n = len(population.ids)
    at = index_of(ids, population)
    bor = pd.Series(["NE"] * n, dtype=object)
    bor.iloc[at] = given.to_numpy()
    assessed = pd.Series(np.zeros(n, dtype=bool))
    assessed.iloc[at] = ~keys.isin(NOT_ASSESSED).to_numpy()
    response_date = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    if "ADT" in rows.frame:
        c = Checker(rows.table)
        adt = c.dates("ADT", required=False)
        if c.problems:
            raise StudyError(c.problems)
        response_date.iloc[at] = adt.where(given.isin(["CR", "PR"]).to_numpy()).to_numpy()
    counted = _counted(keys, n - len(ids))
    return GivenResponse(spec.paramcd, adrs.file, spec.flag, bor, assessed, response_date,
                         counted)


def _counted(keys: pd.Series, n_without: int) -> tuple[str, ...]:
    out = []
    for key, what in (("NON-CR/NON-PD", "NON-CR/NON-PD, counted as SD"),
                      ("NONCR/NONPD", "NON-CR/NON-PD, counted as SD"),
                      ("MISSING", "MISSING, counted as NE (not assessed)"),
                      ("", "blank, counted as NE")):
        k = int(keys.eq(key).sum())
        if k:
            out.append(f"{what}: {k} patient{'s' if k != 1 else ''}")
    if n_without:
        out.append(f"no record, counted as NE: {n_without} patient"
                   f"{'s' if n_without != 1 else ''}")
    return tuple(out)
