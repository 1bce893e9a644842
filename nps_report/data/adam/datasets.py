"""An ADaM folder's data sets, found by name and read as text cells like any table.

`adsl.xpt`, `ADSL.sas7bdat`, `adsl.parquet`, `adsl.rds` ... (the name in any case, one
file per data set) or the file a block of `source:` names with `dataset:`. Every
refusal names the data set's file, and the variable and value where there is one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import Problem, StudyError, did_you_mean
from ...inputs import ADAM_SUFFIXES, relative_name
from ..columns import MAX_PER_CHECK
from ..load import read_table_file
from ..table import Table, apply_missing_values, drop_blank_rows


@dataclass
class Dataset:
    """One ADaM data set: its role (ADSL), its file as messages name it, its text cells."""

    role: str
    table: Table
    digest: str

    @property
    def file(self) -> str:
        return self.table.source

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame

    def missing(self, variables: Iterable[str], key: str) -> list[Problem]:
        """A problem for each variable the data set lacks (`key`: the study.yaml key that
        names it, or what needs it)."""
        present = [str(c) for c in self.frame.columns]
        return [Problem(self.file, f"{self.role} variable not found ({key})", column=v,
                        expected=f"a variable of {self.role}: "
                                 f"{did_you_mean(v, present) if present else 'none found'}")
                for v in variables if v not in self.frame.columns]

    def require(self, variables: Iterable[str], key: str) -> None:
        problems = self.missing(variables, key)
        if problems:
            raise StudyError(problems)

    def not_flags(self, variable: str, key: str) -> list[Problem]:
        """A problem per row whose flag is not Y, N or blank (an ADaM flag): a "yes" or a
        1 would otherwise leave the patient or event out without a word."""
        text = self.frame[variable].str.strip()
        return self.rows_where(~text.isin(["Y", "N", ""]).to_numpy(), variable,
                               f"not an ADaM flag ({key})", "Y, N or blank")

    def rows_where(self, mask: np.ndarray, variable: str, message: str, expected: str,
                   values: pd.Series | None = None) -> list[Problem]:
        """A problem per row where mask holds (MAX_PER_CHECK, then a count)."""
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        shown = values if values is not None else self.frame[variable]
        out = [Problem(self.file, message, row=int(self.table.rows[i]), column=variable,
                       value=shown.iloc[i], expected=expected) for i in idx[:MAX_PER_CHECK]]
        if len(idx) > MAX_PER_CHECK:
            out.append(Problem(self.file, f"{len(idx) - MAX_PER_CHECK} more rows: {message}",
                               column=variable))
        return out

    def keep(self, mask: np.ndarray) -> Dataset:
        """A copy holding only the rows where mask is True (row numbers kept)."""
        table = Table(self.table.name, self.table.source, self.frame, self.table.rows.copy(),
                      shown=dict(self.table.shown))
        table.keep(np.asarray(mask, dtype=bool))
        return Dataset(self.role, table, self.digest)


def dates_from_datetimes(table: Table) -> None:
    """A date variable the data set holds only as a date-time (TRTSDTM without TRTSDT, as
    random.cdisc.data and some sponsors keep ADSL and ADAE) is read from the date-time:
    its date, as a date-time in a date column counts (the readers give the date). Messages
    name the date-time variable."""
    frame = table.frame
    for name in list(frame.columns):
        date = name[:-1]
        if name.endswith("DTM") and date not in frame.columns:
            frame[date] = frame[name].str.strip().str.split(r"[ T]", n=1, regex=True).str[0]
            table.shown[date] = name


class Folder:
    """The ADaM folder of a study: data sets read once each, on first use."""

    def __init__(self, path: Path, study_dir: Path, missing_values: tuple[str, ...]):
        self.path = path
        self.study_dir = study_dir
        self.missing_values = missing_values
        self.read: dict[str, Dataset] = {}

    def dataset(self, role: str, name: str | None = None) -> Dataset:
        """The data set of this role (ADSL, ADRS, ...), from the file `name` or the role's
        own name; StudyError naming what was looked for when it is not there."""
        stem = (name or role).casefold()
        if stem in self.read:
            return self.read[stem]
        files = self._files(stem)
        key = f"dataset: {name}" if name else role.lower()
        if not files:
            raise StudyError([Problem(
                relative_name(self.path, self.study_dir),
                f"{role} not found (source.adam in study.yaml)", value=stem,
                expected=f"{stem}.xpt (or .sas7bdat, .parquet, .csv, .rds, .rda) in this "
                         f"folder; a file of another name is given as {key}")])
        if len(files) > 1:
            names = " and ".join(p.name for p in files)
            raise StudyError([Problem(relative_name(files[-1], self.study_dir),
                                      f"{role} is in {len(files)} files: {names}",
                                      expected="one file per data set: move or delete the "
                                               "others")])
        path = files[0]
        source = relative_name(path, self.study_dir)
        table, problems, digest = read_table_file(path, stem, source)
        if table is None or problems:
            raise StudyError(problems)
        table.frame.columns = [str(c).strip() for c in table.frame.columns]
        apply_missing_values(table, self.missing_values)
        drop_blank_rows(table)
        dates_from_datetimes(table)
        dataset = Dataset(role, table, digest)
        self.read[stem] = dataset
        return dataset

    def _files(self, stem: str) -> list[Path]:
        try:
            names = sorted(os.listdir(self.path))
        except OSError:
            raise StudyError([Problem("study.yaml", "the ADaM folder is not there",
                                      column="source.adam", value=str(self.path),
                                      expected="the folder holding the ADaM data sets, "
                                               "relative to the study folder")]) from None
        return [self.path / n for n in names
                if Path(n).stem.casefold() == stem
                and Path(n).suffix.lower() in ADAM_SUFFIXES]

    @property
    def hashes(self) -> dict[str, str]:
        return {d.file: d.digest for d in self.read.values()}
