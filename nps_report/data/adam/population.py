"""ADSL: the patients analysed, by the population flag and the arm or arms study.yaml names.

A patient outside the population or the arm is left out without a word (a screen failure
is not an error); an arm that no patient of the population has is refused, with the arms
there are. Without `arm:` every patient of the population is included, and the build
says how many arms were pooled and how large each was.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...config import SourceConfig
from ...errors import Notice, Problem, StudyError, did_you_mean
from .datasets import Dataset

SUBJECT = "USUBJID"
ARM_VARIABLES = ("TRT01A", "ARM", "ACTARM", "TRT01P")  # what a pooled build counts by


@dataclass(frozen=True)
class Population:
    """The ADSL rows of the patients analysed, in ADSL's order, and how they were chosen."""

    adsl: Dataset
    everyone: frozenset[str]  # every subject of ADSL, in the population or not
    flag: str
    arm_variable: str | None
    arms: tuple[tuple[str, int], ...]  # (arm, patients) included
    pooled: bool  # no `arm:` in study.yaml: every arm of the population

    @property
    def ids(self) -> pd.Series:
        return self.adsl.frame[SUBJECT]

    def notice(self) -> Notice | None:
        if not self.pooled or len(self.arms) < 2:
            return None
        n = sum(k for _, k in self.arms)
        return Notice("adam_arms_pooled", f"All {n} patients of the population ({self.flag} = "
                      f"Y in {self.adsl.file}) were analysed together: {len(self.arms)} arms "
                      f"({self.arm_variable}) pooled. To report one arm, name it in "
                      "study.yaml: source: {arm: {variable: "
                      f"{self.arm_variable}, value: ...}}}}.",
                      tuple(f"{arm}: {k} patient{'s' if k != 1 else ''}"
                            for arm, k in self.arms))


def select(adsl: Dataset, source: SourceConfig) -> Population:
    """The population and arm; StudyError naming ADSL's variable and value otherwise."""
    flag = source.population
    arm = source.arm
    adsl.require([SUBJECT, flag, *([arm.variable] if arm else [])],
                  "source.population and source.arm in study.yaml")
    frame = adsl.frame
    ids = frame[SUBJECT]
    problems = adsl.rows_where(ids.eq("").to_numpy(), SUBJECT, "missing value",
                               "each patient's unique subject identifier")
    problems += adsl.rows_where((ids.ne("") & ids.duplicated()).to_numpy(), SUBJECT,
                                "a subject on two rows of ADSL", "one row per subject")
    problems += adsl.not_flags(flag, "source.population in study.yaml")
    if problems:
        raise StudyError(problems)
    inside = frame[flag].str.strip().eq("Y").to_numpy()
    if not inside.any():
        raise StudyError([Problem(adsl.file, f"no patient has {flag} = Y", column=flag,
                                  value=sorted(set(frame[flag]))[:10],
                                  expected="the ADSL flag of the analysed population "
                                           "(source.population in study.yaml) set to Y")])
    chosen = inside
    variable = arm.variable if arm else next((v for v in ARM_VARIABLES if v in frame), None)
    if arm is not None:
        values = frame[arm.variable].str.strip()
        present = list(dict.fromkeys(values[inside]))
        unknown = [v for v in arm.chosen if v not in present]
        if unknown:
            raise StudyError([Problem(adsl.file, "no patient of the population is in this "
                                                 "arm", column=arm.variable, value=v,
                                      expected=did_you_mean(v, present) + " (source.arm in "
                                               "study.yaml)") for v in unknown])
        chosen = inside & values.isin(arm.chosen).to_numpy()
    kept = adsl.keep(chosen)
    arms: tuple[tuple[str, int], ...] = ()
    if variable is not None:
        counts = kept.frame[variable].str.strip().value_counts(sort=False)
        arms = tuple((str(a), int(k)) for a, k in counts.items())
    return Population(kept, frozenset(ids), flag, variable, arms, arm is None)


def not_in_adsl(dataset: Dataset, population: Population) -> list[Problem]:
    """Rows of another data set whose subject ADSL does not have: refused, named."""
    ids = dataset.frame[SUBJECT]
    unknown = ~ids.isin(population.everyone).to_numpy()
    return dataset.rows_where(unknown, SUBJECT, f"a subject that is not in "
                              f"{population.adsl.file}", f"every subject of {dataset.role} in "
                              "ADSL")


def of_population(dataset: Dataset, population: Population) -> Dataset:
    """The rows of the patients analysed (others are outside the population or arm)."""
    return dataset.keep(dataset.frame[SUBJECT].isin(set(population.ids)).to_numpy())


def index_of(ids: pd.Series, population: Population) -> np.ndarray:
    """Each id's position in the population's order."""
    order = pd.Series(np.arange(len(population.ids)), index=population.ids.to_numpy())
    return order.reindex(ids.to_numpy()).to_numpy()
