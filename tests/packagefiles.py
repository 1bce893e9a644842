"""Tables written as the statistics packages keep them, by the packages' own libraries.

SPSS, Stata and SAS transport files are written with pyreadstat (ReadStat, the library
behind R haven), Parquet with pandas (fastparquet; files pyarrow wrote are fixtures):
dates as dates, numbers as doubles, short text columns as value-labelled codes where the
format has value labels (the way SPSS and Stata users keep sex or yes/no), blanks as the
format's missing values. R files are written by R itself (fixtures/packages/*/make.R),
because pyreadr writes dates as text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from .studyfiles import TABLES

DATE_COLUMN = ("_date", "_start", "_end", "followup")
NOT_CODED = ("patient_id", "term")  # free text even where the format has value labels
FORMATS = (".sav", ".dta", ".xpt", ".parquet")


def typed(rows: list[list[str]]) -> tuple[pd.DataFrame, dict[str, dict[float, str]]]:
    """A table's text rows (header first) as typed columns, and value labels for its short
    text columns (codes 1, 2, ... in order of first appearance)."""
    header, body = rows[0], rows[1:]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    labels: dict[str, dict[float, str]] = {}
    for column in header:
        cells = frame[column]
        present = cells[cells.ne("")]
        if column.endswith(DATE_COLUMN):
            frame[column] = [dt.date.fromisoformat(v) if v else None for v in cells]
        elif len(present) and pd.to_numeric(present, errors="coerce").notna().all():
            frame[column] = pd.to_numeric(cells.replace("", None), errors="coerce").astype(float)
        elif column not in NOT_CODED and 0 < present.nunique() <= 6:
            codes = {v: float(i + 1) for i, v in enumerate(dict.fromkeys(present))}
            frame[column] = cells.map(codes).astype(float)
            labels[column] = {c: v for v, c in codes.items()}
        else:
            frame[column] = cells.replace("", None)
    return frame, labels


def write_table(rows: list[list[str]], path: Path, **options: Any) -> Path:
    """One table in the format its suffix names."""
    frame, labels = typed(rows)
    suffix = path.suffix
    if suffix == ".parquet":
        for column, codes in labels.items():
            frame[column] = pd.Categorical(frame[column].map(codes))
        for column in frame.columns:
            if column.endswith(DATE_COLUMN):
                frame[column] = pd.to_datetime(frame[column])
        frame.to_parquet(path, engine="fastparquet", index=False)
        return path
    import pyreadstat

    if suffix == ".sav":
        pyreadstat.write_sav(frame, path, variable_value_labels=labels, **options)
    elif suffix == ".dta":
        pyreadstat.write_dta(frame, path, variable_value_labels=labels, **options)
    elif suffix == ".xpt":  # SAS keeps text as text (formats live in catalogs, not here)
        for column, codes in labels.items():
            frame[column] = frame[column].map(codes)
        pyreadstat.write_xport(frame, path, **options)
    else:
        raise ValueError(suffix)
    return path


def write_tables(folder: Path, formats: dict[str, str],
                 tables: dict[str, list[list[str]]] | None = None) -> Path:
    """Each table in its format ({"patients": ".sav", ...}); a table not named stays CSV
    (written by the caller)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = tables or TABLES
    for table, suffix in formats.items():
        write_table(source[table], folder / f"{table}{suffix}")
    return folder


def csv_rows(path: Path) -> list[list[str]]:
    """A CSV's cells as text, header first (for converting the reference study)."""
    import csv

    with path.open(encoding="utf-8-sig", newline="") as f:
        return [list(r) for r in csv.reader(f)]
