"""Study folders written as users' tools write them: the csv module, openpyxl, raw bytes.

Never pandas writing our own format, so that what the tests read is what a
spreadsheet, R or SAS would hand over. The base study is tests/studies/small.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

YAML = """\
title: Drug Y in advanced disease
drug: drug Y
population: patients with advanced disease
data_cutoff: 2021-12-31
landmarks_months: [6]
baseline:
  - {column: age, label: Age (years), type: continuous}
  - {column: sex, label: Sex, type: categorical, levels: [Male, Female]}
"""
PATIENTS = [
    ["patient_id", "treatment_start", "treatment_end", "cycles", "progression_date",
     "death_date", "last_followup", "age", "sex"],
    ["A1", "2021-01-10", "2021-04-20", "5", "2021-04-15", "2021-09-01", "2021-09-01", "61",
     "Male"],
    ["A2", "2021-02-01", "", "14", "", "", "2021-12-01", "54", "Female"],
    ["A3", "2021-03-05", "2021-05-01", "3", "", "2021-05-20", "2021-05-20", "70", "Male"],
    ["A4", "2021-03-20", "2021-07-01", "5", "2021-06-30", "", "2021-11-30", "45", "Female"],
]
ASSESSMENTS = [
    ["patient_id", "assessment_date", "target_sum_mm", "nontarget", "new_lesions"],
    ["A1", "2021-01-05", "50", "non-CR/non-PD", "no"],
    ["A1", "2021-02-25", "45", "non-CR/non-PD", "no"],
    ["A1", "2021-04-15", "60", "non-CR/non-PD", "no"],
    ["A2", "2021-01-25", "80", "none", "no"],
    ["A2", "2021-03-15", "50", "none", "no"],
    ["A2", "2021-05-10", "48", "none", "no"],
    ["A3", "2021-03-01", "30", "non-CR/non-PD", "no"],
    ["A4", "2021-03-18", "40", "non-CR/non-PD", "no"],
    ["A4", "2021-05-05", "38", "non-CR/non-PD", "no"],
    ["A4", "2021-06-30", "38", "non-CR/non-PD", "yes"],
]
ADVERSE_EVENTS = [
    ["patient_id", "term", "grade", "onset_date"],
    ["A1", "Fatigue", "2", "2021-02-01"],
    ["A2", "Hypertension", "3", "2021-03-01"],
    ["A2", "Hypertension", "1", "2021-02-10"],
]
TABLES = {"patients": PATIENTS, "tumor_assessments": ASSESSMENTS,
          "adverse_events": ADVERSE_EVENTS}


def rows_of(table: str) -> list[list[str]]:
    """A fresh copy of a base table (header first), to edit."""
    return [list(r) for r in TABLES[table]]


def csv_bytes(rows: list[list[Any]], *, delimiter: str = ",", newline: str = "\r\n",
              quoting: int = csv.QUOTE_MINIMAL) -> str:
    """The text Excel or R would write (csv module, CRLF like Excel by default)."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=newline, quoting=quoting
               ).writerows(rows)
    return buf.getvalue()


def write_study(folder: Path, yaml: str = YAML, *, encoding: str = "utf-8",
                **tables: list[list[Any]] | str | bytes) -> Path:
    """study.yaml and the three CSVs; a table given as str or bytes is written as is."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "study.yaml").write_text(yaml, encoding="utf-8")
    for name, base in TABLES.items():
        content = tables.get(name, base)
        path = folder / f"{name}.csv"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            text = content if isinstance(content, str) else csv_bytes(content)
            path.write_bytes(text.encode(encoding))
    return folder


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]] | None = None,
                   **cells: Any) -> Path:
    """data.xlsx with openpyxl: values keep their Python types (dates, numbers, bools).

    cells: {"patients!B2": value} style overrides are given as keyword
    sheet__CELL=value (e.g. patients__B2=datetime.date(2021, 1, 10))."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in (sheets or {t: rows_of(t) for t in TABLES}).items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    for spec, value in cells.items():
        sheet, ref = spec.split("__")
        book[sheet][ref] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def typed_tables() -> dict[str, list[list[Any]]]:
    """The base tables with real Excel types: date cells, number cells, text cells."""
    import datetime as dt

    def cell(header: str, text: str) -> Any:
        if text == "":
            return None
        if header.endswith(("_date", "_start", "_end", "followup")):
            return dt.datetime.fromisoformat(text)
        if header in ("cycles", "age", "grade", "target_sum_mm"):
            return float(text)  # Excel holds every number as a double
        return text

    out = {}
    for name, rows in TABLES.items():
        header = rows[0]
        out[name] = [list(header)] + [[cell(h, v) for h, v in zip(header, r, strict=True)]
                                for r in rows[1:]]
    return out
