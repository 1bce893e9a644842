"""ADTTE: a time-to-event parameter exactly as the sponsor derived it.

AVAL is the time and CNSR the censoring (0 = event, any other whole number = censored,
its value the reason), in the unit AVALU gives (DAYS, WEEKS, MONTHS, YEARS) or, where
AVALU is absent or blank, in `unit:` from study.yaml. Nothing is re-derived from dates
and nothing is re-censored at the data cutoff: the manuscript's times are the TLGs'.
Months are days / 30.4375 (as R's AVAL / 30.4375), weeks x 7 / 30.4375, years x 12.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...config.source import TimeToEvent
from ...errors import Problem, StudyError
from ..columns import Checker
from .datasets import Dataset
from .parameter import parameter_rows
from .population import SUBJECT, Population, index_of

DAYS_PER_MONTH = 30.4375
DAYS_PER = {"days": 1.0, "weeks": 7.0}  # then / 30.4375, as R's AVAL / 30.4375
MONTHS_PER = {"months": 1.0, "years": 12.0}
UNIT_WORDS = {"day": "days", "days": "days", "week": "weeks", "weeks": "weeks",
              "month": "months", "months": "months", "year": "years", "years": "years"}


@dataclass(frozen=True)
class Times:
    """One ADTTE parameter for the patients analysed (population order)."""

    key: str  # the study.yaml key: pfs, os, duration_of_response
    paramcd: str
    file: str
    units: tuple[str, ...]  # the units found (AVALU) or given (unit:)
    from_avalu: bool  # the data set has AVALU
    months: pd.Series  # per patient; NaN where the patient has no record (allowed only
    event: pd.Series  # for duration of response)
    start: pd.Series  # STARTDT (NaT without one)
    end: pd.Series  # ADT (NaT without one)

    @property
    def has_record(self) -> pd.Series:
        return self.months.notna()


def read_times(adtte: Dataset, spec: TimeToEvent, key: str, population: Population,
               every_patient: bool = True) -> Times:
    """The parameter's AVAL in months and CNSR as events, per patient of the population."""
    where = f"source.{key} in study.yaml"
    adtte.require([SUBJECT, "PARAMCD", "AVAL", "CNSR"], where)
    rows, problems = parameter_rows(adtte, spec.paramcd, population, where,
                                    f"one record per subject and parameter in {adtte.role}")
    ids = rows.frame[SUBJECT]
    if every_patient:
        absent = ~population.ids.isin(set(ids))
        problems += [Problem(adtte.file, f"no {spec.paramcd} record for a patient analysed",
                             column=SUBJECT, value=v,
                             expected=f"a record with PARAMCD {spec.paramcd} for every "
                                      f"patient with {population.flag} = Y")
                     for v in population.ids[absent].iloc[:25]]
    c = Checker(rows.table)
    aval = c.numbers("AVAL", integer=False, minimum=0)
    cnsr = c.numbers("CNSR", integer=True, minimum=0)
    problems += c.problems
    to_months, units, unit_problems = _units(rows, spec, where)
    problems += unit_problems
    if problems:
        raise StudyError(problems)
    at = index_of(ids, population)
    n = len(population.ids)

    def spread(values: np.ndarray, fill: object) -> pd.Series:
        out = pd.Series([fill] * n, dtype=object if fill is None else None)
        out.iloc[at] = values
        return out

    months = spread(to_months(aval).to_numpy(dtype=float), np.nan).astype(float)
    event = spread(cnsr.eq(0).to_numpy(), False).astype(bool)
    dates = {}
    for variable in ("STARTDT", "ADT"):
        if variable in rows.frame:
            day = c.dates(variable, required=False)
            dates[variable] = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
            dates[variable].iloc[at] = day.to_numpy()
        else:
            dates[variable] = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    if c.problems:  # (a date that cannot be read: only ever used for the figures)
        raise StudyError(c.problems)
    return Times(key, spec.paramcd, adtte.file, units, "AVALU" in rows.frame, months, event,
                 dates["STARTDT"], dates["ADT"])


def _units(rows: Dataset, spec: TimeToEvent, where: str
           ) -> tuple[Callable[[pd.Series], pd.Series], tuple[str, ...], list[Problem]]:
    """AVAL -> months, row by row; the units used; problems."""
    given = spec.unit
    if "AVALU" in rows.frame:
        text = rows.frame["AVALU"].str.strip()
        unit = text.str.casefold().map(UNIT_WORDS)
        problems = rows.rows_where((text.ne("") & unit.isna()).to_numpy(), "AVALU",
                                   "not a unit of time", "DAYS, WEEKS, MONTHS or YEARS")
        if given is not None:
            clash = unit.notna() & unit.ne(given)
            problems += rows.rows_where(clash.to_numpy(), "AVALU",
                                        f"AVALU disagrees with unit: {given} ({where})",
                                        "one unit: remove unit: from study.yaml where AVALU "
                                        "says it")
        unit = unit.where(text.ne(""), given)
    elif given is None:
        return _none, (), [Problem(
            rows.file, f"the unit of AVAL is not given: {rows.role} has no AVALU",
            column="AVALU", value=spec.paramcd, expected=_unit_fix(spec, where))]
    else:
        unit = pd.Series([given] * len(rows.frame), index=rows.frame.index, dtype=object)
        problems = []
    blank = unit.isna()
    if blank.any():
        problems += rows.rows_where(blank.to_numpy(), "AVALU", "the unit of AVAL is not "
                                    "given", _unit_fix(spec, where))
        return _none, (), problems

    def months(aval: pd.Series) -> pd.Series:
        days = aval * unit.map(DAYS_PER).astype(float)
        return (days / DAYS_PER_MONTH).where(unit.isin(list(DAYS_PER)),
                                             aval * unit.map(MONTHS_PER).astype(float))

    return months, tuple(dict.fromkeys(unit)), problems


def _none(aval: pd.Series) -> pd.Series:
    return aval * np.nan


def _unit_fix(spec: TimeToEvent, where: str) -> str:
    key = where.split(" ")[0].removeprefix("source.")
    return (f"AVALU (DAYS, WEEKS, MONTHS or YEARS), or the unit in study.yaml: {key}: "
            f"{{paramcd: {spec.paramcd}, unit: days}}")
