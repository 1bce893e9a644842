"""Read the three tables of a study folder as text cells: CSV files, statistics packages'
files (packages.py) or one data.xlsx.

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
from ..inputs import WORKBOOK, table_files
from ..inside import check_file
from ..limits import TABLE_BYTES, WORKBOOK_UNZIPPED, zip_too_big
from .csvfile import read_csv
from .headers import prepare_headers
from .table import Table, apply_missing_values, drop_blank_rows
from .workbook import read_workbook

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
    """Read each table from its one file (a CSV, a statistics package's file, or a sheet
    of the workbook); raise StudyError naming what is wrong.

    tumor_lesions is read when the study has it; tumor_assessments may then be left out
    (read as a table of no scans, which the lesions' own dates then make up)."""
    files = {t: table_files(study_dir, t) for t in (*TABLES, *OPTIONAL_TABLES)}
    workbook = study_dir / WORKBOOK
    if (problems := _two_formats(files, workbook.exists(), study_dir)):
        raise StudyError(problems)
    if workbook.exists() or workbook.is_symlink():
        problem = check_file(study_dir, workbook, limit=TABLE_BYTES, what="workbook") or \
            zip_too_big(workbook, WORKBOOK, WORKBOOK_UNZIPPED, "workbook")
        if problem is not None:
            raise StudyError([problem])
        tables, problems = read_workbook(workbook)
        hashes = {WORKBOOK: sha256(workbook)}
    else:
        tables, problems, hashes = _read_files(study_dir, files)
    if problems:
        raise StudyError(problems)
    if "tumor_assessments" not in tables:  # tumor_lesions alone: the scans are its dates
        tables["tumor_assessments"] = empty_table(
            "tumor_assessments", "tumor_assessments.csv", ("patient_id", "assessment_date"))
    for table in tables.values():
        problems += _prepare(table, config)
    if problems:
        raise StudyError(problems)
    return RawTables(tables, {t: tab.source for t, tab in tables.items()}, hashes)


def _two_formats(files: dict[str, list[Path]], workbook: bool,
                 study_dir: Path) -> list[Problem]:
    """One file per table: the workbook counts as a file of each of its sheets."""
    names = {t: [p.name for p in paths] for t, paths in files.items()}
    csvs = [n for found in names.values() for n in found if n.lower().endswith(".csv")]
    if workbook and csvs and len(csvs) == sum(len(f) for f in names.values()):
        return [Problem(WORKBOOK, f"the folder holds both {WORKBOOK} and {', '.join(csvs)}",
                        value=str(study_dir),
                        expected=f"either {WORKBOOK} or the three CSV files: move or delete "
                                 "the ones that are not your data")]
    problems = []
    for table, found in names.items():
        found = ([f"{WORKBOOK} (its sheet '{table}')"] if workbook else []) + found
        if len(found) > 1:
            problems.append(Problem(found[-1], f"the table '{table}' is in {len(found)} "
                                               f"files: {' and '.join(found)}",
                                    expected="one file per table: move or delete the ones "
                                             "that are not your data"))
    return problems


def _read_files(study_dir: Path, files: dict[str, list[Path]]
                ) -> tuple[dict[str, Table], list[Problem], dict[str, str]]:
    present = [p.name for paths in files.values() for p in paths]
    other = [n for n in OTHER_WORKBOOKS if (study_dir / n).exists()]
    if other and not present:
        return {}, [Problem(other[0], "not a workbook this tool reads", expected=f"the "
                            f"workbook saved as Excel .xlsx, named {WORKBOOK}")], {}
    tables, problems, hashes = {}, [], {}
    for table, paths in files.items():
        if not paths and (table in OPTIONAL_TABLES or _lesions_replace(table, files)):
            continue
        if not paths:
            problems.append(Problem(f"{table}.csv", "file not found",
                                    value=str(study_dir / f"{table}.csv"),
                                    expected=f"{table}.csv, or the table as {table}.sav, "
                                             ".sas7bdat, .xpt, .dta, .parquet or .rds (or all "
                                             f"three tables as sheets of {WORKBOOK})"))
            continue
        path = paths[0]  # (a link out of the study is refused, not skipped)
        if (problem := check_file(study_dir, path, limit=TABLE_BYTES)) is not None:
            problems.append(problem)
            continue
        got, found, digest = read_table_file(path, table)
        problems += found
        if got is not None:
            tables[table] = got
            hashes[path.name] = digest
    return tables, problems, hashes


def read_table_file(path: Path, table: str, source: str | None = None
                    ) -> tuple[Table | None, list[Problem], str]:
    """One table from its file, and the file's sha256: a CSV, or a statistics package's
    file (whose readers are imported only here, when such a file is read)."""
    if path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        return (*read_csv(raw, source or path.name, table), hashlib.sha256(raw).hexdigest())
    from .packages import read_package_file

    return (*read_package_file(path, table, source), sha256(path))


def _lesions_replace(table: str, files: dict[str, list[Path]]) -> bool:
    return table == "tumor_assessments" and bool(files["tumor_lesions"])


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
