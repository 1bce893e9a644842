"""Read the three tables of a study folder (CSV files or one data.xlsx) as text, untouched."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import Problem, StudyError

PADDING = (b" ,", b", ", b" \n", b"\n ", b" \r", b"\t")
TABLES = ("patients", "tumor_assessments", "adverse_events")
WORKBOOK = "data.xlsx"


@dataclass(frozen=True)
class RawTables:
    """Each table as strings exactly as written, plus where it came from (for messages)."""

    frames: dict[str, pd.DataFrame]
    sources: dict[str, str]  # table -> file name used in messages ("patients.csv")
    hashes: dict[str, str]  # file name -> sha256


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel cells as stripped strings; blanks as ''; integral floats lose their '.0'."""

    def cell(v: object) -> str:
        if v is None or (isinstance(v, float) and v != v):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if hasattr(v, "date") and hasattr(v, "hour"):  # Excel datetime cell
            return v.date().isoformat()  # type: ignore[union-attr]
        return str(v).strip()

    frame = frame.copy()
    frame.columns = [str(c).strip() for c in frame.columns]
    for col in frame.columns:
        frame[col] = frame[col].map(cell)
    return frame


def read_tables(study_dir: Path) -> RawTables:
    """Read CSVs if present, else the workbook; raise StudyError naming what is missing."""
    csvs = {t: study_dir / f"{t}.csv" for t in TABLES}
    workbook = study_dir / WORKBOOK
    if not any(p.exists() for p in csvs.values()) and workbook.exists():
        return _read_workbook(workbook)
    problems = []
    frames, sources, hashes = {}, {}, {}
    for table, path in csvs.items():
        if not path.is_file():
            problems.append(Problem(path.name, "file not found", value=str(path),
                                    expected=f"{path.name} (or all three tables as sheets of "
                                             f"{WORKBOOK})"))
            continue
        try:
            raw = path.read_bytes()
            frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False,
                                encoding="utf-8-sig")
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
            problems.append(Problem(path.name, f"cannot be read as CSV: {exc}"))
            continue
        frame.columns = [c.strip() for c in frame.columns]
        if raw.startswith(b" ") or any(p in raw for p in PADDING):  # rare and slow: only then
            frame = frame.apply(lambda s: s.str.strip())
        frames[table] = frame
        sources[table] = path.name
        hashes[path.name] = hashlib.sha256(raw).hexdigest()
    if problems:
        raise StudyError(problems)
    return RawTables(frames, sources, hashes)


def _read_workbook(path: Path) -> RawTables:
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise StudyError([Problem(path.name, f"cannot be read as an Excel workbook: {exc}")]
                         ) from None
    missing = [t for t in TABLES if t not in sheets]
    if missing:
        raise StudyError([Problem(path.name, f"sheet '{t}' not found", value=sorted(sheets),
                                  expected=f"sheets named {', '.join(TABLES)}")
                          for t in missing])
    frames = {t: _as_text(sheets[t]) for t in TABLES}
    sources = {t: f"{path.name} [{t}]" for t in TABLES}
    return RawTables(frames, sources, {path.name: sha256(path)})
