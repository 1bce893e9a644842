"""data.xlsx as text cells, reading each cell by its Excel type (openpyxl, not read_excel).

pandas.read_excel turns the text "NA" or "None" into missing and cannot tell an
error cell from text; here every cell is turned into the text a CSV would hold:
date cells become YYYY-MM-DD (with the time if they have one, which the date check
then refuses), whole numbers lose their ".0", booleans are TRUE/FALSE as Excel
writes them to CSV. Error cells (#N/A) and formulas without a saved result are
refused: read as blank they would silently change numbers.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..config import OPTIONAL_TABLES, TABLES
from ..errors import Problem
from ..vocab import letters
from .table import Table

MAX_CELL_PROBLEMS = 25


def read_workbook(path: Path) -> tuple[dict[str, Table], list[Problem]]:
    """Each of the three sheets as a Table; problems for what cannot be read."""
    import openpyxl

    name = path.name
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # zipfile, XML and openpyxl raise many types for a bad file
        return {}, [_unreadable(name, exc)]
    try:
        sheets = _find_sheets(book.sheetnames, name)
        if isinstance(sheets, list):
            return {}, sheets
        tables, problems, formulas = {}, [], {}
        for table, sheet in sheets.items():
            source = f"{name} [{sheet}]"
            cells, found = _read_sheet(book[sheet], source, problems)
            tables[table] = cells
            formulas[table] = found
        if any(formulas.values()):
            _cached_results(path, sheets, tables, formulas, problems)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError,
            SyntaxError) as exc:  # a damaged sheet (XML ParseError is a SyntaxError)
        return {}, [_unreadable(name, exc)]
    finally:
        book.close()
    return {t: _as_table(t, f"{name} [{sheets[t]}]", c) for t, c in tables.items()}, problems


def _unreadable(name: str, exc: Exception) -> Problem:
    return Problem(name, f"cannot be read as an Excel workbook ({type(exc).__name__}: {exc})",
                   expected="a .xlsx file saved by Excel or LibreOffice (not .xls, not "
                            "password-protected)")


def _find_sheets(names: list[str], file: str) -> dict[str, str] | list[Problem]:
    """Sheet names as Excel itself compares them: case and surrounding spaces do not count.

    A tumor_lesions sheet is optional; with it, tumor_assessments may be left out."""
    found, problems = {}, []
    for table in (*OPTIONAL_TABLES, *TABLES):
        match = [s for s in names if s == table] or [
            s for s in names if s.strip().casefold() == table]
        if len(match) == 1:
            found[table] = match[0]
        elif table in OPTIONAL_TABLES or (table == "tumor_assessments"
                                          and "tumor_lesions" in found and not match):
            continue
        else:
            problems.append(Problem(file, f"sheet '{table}' not found", value=names,
                                    expected=f"sheets named {', '.join(TABLES)}"))
    return problems or found


Cells = list[tuple[int, list[Any]]]  # (spreadsheet row, cell texts)


def _read_sheet(ws: Any, source: str, problems: list[Problem]) -> tuple[Cells, list]:
    """Text of every non-empty row; formula cells noted as (row index, column) to resolve."""
    ws.reset_dimensions()  # read-only mode trusts the stored size, which some writers omit
    rows: Cells = []
    formulas: list[tuple[int, int]] = []
    errors = 0
    for r, row in enumerate(ws.iter_rows(), start=1):
        texts = []
        pending = len(formulas)
        for c, cell in enumerate(row):
            kind = cell.data_type
            if kind == "f":
                formulas.append((len(rows), c))
                texts.append("")
            elif kind == "e":
                errors += 1
                if errors <= MAX_CELL_PROBLEMS:
                    problems.append(Problem(
                        source, f"an Excel error value in cell {letters(c)}{r}", row=r,
                        value=cell.value, expected="a value, or an empty cell (fix the formula "
                                                   "or paste the values you mean)"))
                texts.append("")
            else:
                texts.append(cell_text(cell.value, strip=bool(rows)))  # headers: as written
        if any(t.strip() for t in texts) or len(formulas) > pending:
            rows.append((r, texts))
    if errors > MAX_CELL_PROBLEMS:
        problems.append(Problem(source, f"{errors - MAX_CELL_PROBLEMS} more Excel error "
                                        "values"))
    return rows, formulas


def cell_text(value: Any, strip: bool = True) -> str:
    """An Excel cell as the text a CSV of it would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip() if strip else value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"  # as Excel shows it
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _cached_results(path: Path, sheets: dict[str, str], tables: dict[str, Cells],
                    formulas: dict[str, list], problems: list[Problem]) -> None:
    """Formula cells take the result Excel saved with them; none saved is refused."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for table, spots in formulas.items():
            if not spots:
                continue
            ws = book[sheets[table]]
            ws.reset_dimensions()
            values = {r: [c.value for c in row] for r, row in enumerate(ws.iter_rows(), 1)}
            missing = 0
            for i, c in spots:
                r, texts = tables[table][i]
                row = values.get(r, [])
                value = row[c] if c < len(row) else None
                if value is None:
                    missing += 1
                    if missing <= MAX_CELL_PROBLEMS:
                        problems.append(Problem(
                            f"{path.name} [{sheets[table]}]",
                            f"cell {letters(c)}{r} holds a formula with no saved result",
                            row=r, expected="the workbook opened and saved once in Excel or "
                                            "LibreOffice (which store each formula's result), "
                                            "or the formulas replaced by their values"))
                else:
                    texts[c] = cell_text(value)
    finally:
        book.close()


def _as_table(table: str, source: str, cells: Cells) -> Table:
    """First non-empty row = headers; cells past the last header are kept if they hold text."""
    if not cells:
        return Table(table, source, pd.DataFrame(), np.zeros(0, dtype=int))
    _, header = cells[0]
    body = cells[1:]
    width = max([len(header), *(len(t) for _, t in body)])
    header = header + [""] * (width - len(header))
    records = [t + [""] * (width - len(t)) for _, t in body]
    frame = pd.DataFrame(records, columns=header, dtype=object)
    if records:
        frame = frame.astype(str)
    return Table(table, source, frame, np.asarray([r for r, _ in body], dtype=int))
