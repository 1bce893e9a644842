"""Read the three tables of a study folder (CSV files or one data.xlsx) as text cells.

After reading, each table's headers are renamed as study.yaml's `columns:` says, the
texts listed under `missing_values` become blank, and empty rows are dropped; row
numbers stay those of the file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import OPTIONAL_TABLES, TABLES, StudyConfig
from ..errors import Problem, StudyError
from .csvfile import read_csv
from .headers import prepare_headers
from .table import Table, apply_missing_values, drop_blank_rows
from .workbook import read_workbook

WORKBOOK = "data.xlsx"
OTHER_WORKBOOKS = ("data.xls", "data.xlsm", "data.ods")
COLUMNS = {
    "patients": ("patient_id", "treatment_start", "treatment_end", "cycles",
                 "progression_date", "death_date", "last_followup"),
    "tumor_assessments": ("patient_id", "assessment_date", "target_sum_mm", "nontarget",
                          "new_lesions"),
    "adverse_events": ("patient_id", "term", "grade"),
    "tumor_lesions": ("patient_id", "assessment_date", "lesion_id", "lesion_type", "site",
                      "nodal", "diameter_mm", "status"),
}
# Optional beside the lesions: the scans' dates (and sums, investigator responses)
LESION_FREE = "tumor_lesions"


@dataclass(frozen=True)
class RawTables:
    """Each table as text with its row numbers, plus where it came from (for messages)."""

    tables: dict[str, Table]
    sources: dict[str, str]  # table -> file name used in messages ("patients.csv")
    hashes: dict[str, str]  # file name -> sha256

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        return {t: table.frame for t, table in self.tables.items()}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_tables(study_dir: Path, config: StudyConfig | None = None) -> RawTables:
    """Read CSVs or the workbook (never both); raise StudyError naming what is wrong.

    tumor_lesions is read when the study has it; tumor_assessments may then be left out
    (read as a table of no scans, which the lesions' own dates then make up)."""
    csvs = {t: study_dir / f"{t}.csv" for t in (*TABLES, *OPTIONAL_TABLES)}
    workbook = study_dir / WORKBOOK
    present = [p.name for p in csvs.values() if p.exists()]
    if workbook.exists() and present:
        raise StudyError([Problem(WORKBOOK, f"the folder holds both {WORKBOOK} and "
                                            f"{', '.join(present)}", value=str(study_dir),
                                  expected=f"either {WORKBOOK} or the three CSV files: move "
                                           "or delete the ones that are not your data")])
    if workbook.exists():
        tables, problems = read_workbook(workbook)
        hashes = {WORKBOOK: sha256(workbook)}
    else:
        tables, problems, hashes = _read_csvs(study_dir, csvs, present)
    if problems:
        raise StudyError(problems)
    if "tumor_assessments" not in tables:  # tumor_lesions alone: the scans are its dates
        tables["tumor_assessments"] = empty_table(
            "tumor_assessments", csvs["tumor_assessments"].name, ("patient_id",
                                                                 "assessment_date"))
    for table in tables.values():
        problems += _prepare(table, config)
    if problems:
        raise StudyError(problems)
    return RawTables(tables, {t: tab.source for t, tab in tables.items()}, hashes)


def _read_csvs(study_dir: Path, csvs: dict[str, Path],
               present: list[str]) -> tuple[dict[str, Table], list[Problem], dict[str, str]]:
    other = [n for n in OTHER_WORKBOOKS if (study_dir / n).exists()]
    if other and not present:
        return {}, [Problem(other[0], "not a workbook this tool reads", expected=f"the "
                            f"workbook saved as Excel .xlsx, named {WORKBOOK}")], {}
    tables, problems, hashes = {}, [], {}
    for table, path in csvs.items():
        if not path.is_file() and (table in OPTIONAL_TABLES or _lesions_replace(table, csvs)):
            continue
        if not path.is_file():
            problems.append(Problem(path.name, "file not found", value=str(path),
                                    expected=f"{path.name} (or all three tables as sheets of "
                                             f"{WORKBOOK})"))
            continue
        raw = path.read_bytes()
        got, found = read_csv(raw, path.name, table)
        problems += found
        if got is not None:
            tables[table] = got
            hashes[path.name] = hashlib.sha256(raw).hexdigest()
    return tables, problems, hashes


def _lesions_replace(table: str, csvs: dict[str, Path]) -> bool:
    return table == "tumor_assessments" and csvs["tumor_lesions"].is_file()


def empty_table(name: str, source: str, columns: tuple[str, ...]) -> Table:
    return Table(name, source, pd.DataFrame({c: pd.Series(dtype=object) for c in columns}),
                 np.zeros(0, dtype=int))


def _prepare(table: Table, config: StudyConfig | None) -> list[Problem]:
    renames = config.columns.for_table(table.name) if config is not None else ()
    problems = prepare_headers(table, renames)
    if config is not None:
        apply_missing_values(table, config.missing_values)
    drop_blank_rows(table)
    return problems
