"""The records of one PARAMCD in a BDS data set (ADRS, ADTTE), for the patients analysed.

A parameter without records is refused with the parameters there are; a subject missing
from ADSL is refused; subjects outside the population or arm are left out; a subject
with two records of a one-record parameter is refused (the hint says how to pick one).
"""

from __future__ import annotations

from ...errors import Problem, StudyError, did_you_mean
from .datasets import Dataset
from .population import SUBJECT, Population, not_in_adsl, of_population


def parameter_rows(dataset: Dataset, paramcd: str, population: Population, where: str,
                   one_record: str | None, flag: str | None = None
                   ) -> tuple[Dataset, list[Problem]]:
    """(the population's records of paramcd, where flag = Y if given; the problems).
    `one_record` says how to pick one where a subject has two; None: several are allowed
    (timepoints)."""
    codes = dataset.frame["PARAMCD"].str.strip()
    mask = codes.eq(paramcd)
    if flag:
        mask &= dataset.frame[flag].str.strip().eq("Y")
    rows = dataset.keep(mask.to_numpy())
    if rows.frame.empty:
        found = list(dict.fromkeys(codes[codes.ne("")]))
        raise StudyError([Problem(dataset.file, "no records of this parameter" + (
            f" with {flag} = Y" if flag else ""), column="PARAMCD", value=paramcd,
                                  expected=f"{did_you_mean(paramcd, found)} ({where})")])
    problems = not_in_adsl(rows, population)
    rows = of_population(rows, population)
    if one_record is not None:
        ids = rows.frame[SUBJECT]
        problems += rows.rows_where(ids.duplicated(keep=False).to_numpy(), SUBJECT,
                                    f"the subject has two {paramcd} records", one_record)
    return rows, problems
