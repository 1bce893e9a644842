"""A table kept in a statistics package's file, as the text cells a CSV of it would hold.

SPSS (.sav, .zsav), SAS (.sas7bdat, .xpt), Stata (.dta) and R (.rds, .rda) files are
read with pyreadstat and pyreadr, Parquet with fastparquet; each is imported only when
such a file is read, so a CSV study never loads them. What the file says about its
values is taken as the package means it:

- a labelled value is its label (SPSS and Stata value labels, R factor levels, a SAS
  format from a catalog `<name>.sas7bcat` beside the data set): `1 = Male` is `Male`;
- a value the file declares missing (SPSS user-missing codes, SAS `.A`-`.Z` and `._`,
  Stata `.a`-`.z`) is a blank cell;
- a date is YYYY-MM-DD, and a date-time counts as its date (in its own time zone; a
  Parquet date-time stored as a UTC instant whose zone the file does not say in a form
  fastparquet reads, and that is not at midnight UTC, is written as `2021-01-09 23:30
  UTC`, which a date column refuses rather than guess the day);
- a number holding a whole value is an integer (3.0 is 3); other numbers keep every
  digit (the shortest text that reads back as the same double);
- text is read in the encoding the file declares; a SAS transport file declares none,
  and one whose text is not UTF-8 is read as WLATIN1 (Windows-1252), as SAS on Windows
  writes it.

The cells then go through the same header, `columns:` and `missing_values` rules and
the same checks as a CSV's. Rows are numbered as the packages number them: the first
record is row 1.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem
from ..inputs import PACKAGE_FORMATS
from .table import Table

# what the user installs when a reader is missing (they are runtime dependencies, so this
# only happens in an environment assembled by hand)
READERS = {".sav": "pyreadstat", ".zsav": "pyreadstat", ".sas7bdat": "pyreadstat",
           ".xpt": "pyreadstat", ".dta": "pyreadstat", ".parquet": "fastparquet",
           ".rds": "pyreadr", ".rda": "pyreadr", ".rdata": "pyreadr"}
SAVE_AGAIN = {
    ".sav": "the file saved again from SPSS (File > Save As > SPSS Statistics .sav)",
    ".zsav": "the file saved again from SPSS (File > Save As > SPSS Statistics .sav)",
    ".sas7bdat": "a SAS data set readable by SAS itself, or the data set written as a "
                 "transport file (.xpt) with PROC EXPORT or xportr",
    ".xpt": "a SAS transport file (version 5 or 8) as PROC CPORT, xportr or "
            "haven::write_xpt() write it",
    ".dta": "the file saved again from Stata (save, or export as Stata 13 or later)",
    ".parquet": "a Parquet file as pandas, R arrow or polars write it",
    ".rds": "one data frame saved with saveRDS()",
    ".rda": "data frames saved with save()",
    ".rdata": "data frames saved with save()",
}


# Bounds on what is read (limits.py's, as every reader of a table), checked from the file's
# size and, where the format records it, its shape before the cells are read.
from ..limits import CELLS, COLUMNS, ROWS, TABLE_BYTES  # noqa: E402


def read_package_file(path: Path, table: str, source: str | None = None
                      ) -> tuple[Table | None, list[Problem]]:
    """The table held in a statistics package's file, or None and why it cannot be read.

    `source` is the name messages give the file (default: its name); `table` is the
    table's (or ADaM data set's) name, used to pick the object of an .rda file."""
    name = source or path.name
    suffix = path.suffix.lower()
    if (problem := _too_big(path, suffix, name)) is not None:
        return None, [problem]
    try:
        with warnings.catch_warnings():
            # fastparquet 2026.9 and pyreadr 0.5.8 fill a date column's gaps with
            # numpy.datetime64("NaT"), a NaT without a unit, which numpy 2.5 deprecates:
            # the gaps are NaT all the same
            warnings.filterwarnings("ignore", "The 'generic' unit for NumPy timedelta",
                                    DeprecationWarning, r"(fastparquet|pyreadr)\.")
            frame = _read(path, suffix, table, name)
    except _Unreadable as exc:
        return None, [exc.problem]
    except ImportError as exc:
        return None, [Problem(name, f"{PACKAGE_FORMATS[suffix]} needs the library "
                                    f"{READERS[suffix]}, which is not installed ({exc})",
                              expected=f'it installed with nps-report: pip install '
                                       f'"{READERS[suffix]}", or the table saved as CSV')]
    except Exception as exc:  # the readers raise many types for a damaged or foreign file
        return None, [_unreadable(name, suffix, exc)]
    if (problem := _too_many(name, *frame.shape)) is not None:
        return None, [problem]
    return as_table(frame, table, name), []


def _too_big(path: Path, suffix: str, name: str) -> Problem | None:
    """A file larger than nps-report reads, or one whose header or metadata says it holds
    more rows, columns or cells (a compressed R file: more than it may unpack to)."""
    try:
        size = path.stat().st_size
        if size > TABLE_BYTES:
            return Problem(name, f"the file is {size / (1 << 20):,.0f} MB, more than the "
                                 f"{TABLE_BYTES >> 20:,} MB nps-report reads",
                           expected="a file of the table alone, under that size")
        if suffix in (".rds", ".rda", ".rdata"):
            with path.open("rb") as f:
                if f.read(2) == b"\x1f\x8b":  # gzip: its last 4 bytes are the size unpacked
                    f.seek(-4, 2)
                    if int.from_bytes(f.read(4), "little") > TABLE_BYTES:
                        return Problem(name, "the file unpacks to more than the "
                                             f"{TABLE_BYTES >> 20:,} MB nps-report reads",
                                       expected="a file of the table alone")
            return None
        rows, columns = _shape(path, suffix)
    except Exception:  # the reader says in its own words why the file cannot be read
        return None
    return _too_many(name, rows, columns)


def _shape(path: Path, suffix: str) -> tuple[int, int]:
    if suffix == ".parquet":
        from fastparquet import ParquetFile

        with path.open("rb") as file:
            parquet = ParquetFile(file)
            return int(parquet.count()), len(parquet.columns)
    import pyreadstat

    read = {".sav": pyreadstat.read_sav, ".zsav": pyreadstat.read_sav,
            ".dta": pyreadstat.read_dta, ".xpt": pyreadstat.read_xport,
            ".sas7bdat": pyreadstat.read_sas7bdat}[suffix]
    _, meta = read(str(path), metadataonly=True)
    return int(meta.number_rows or 0), int(meta.number_columns or 0)


def _too_many(name: str, rows: int, columns: int) -> Problem | None:
    if columns > COLUMNS or rows > ROWS or rows * columns > CELLS:
        return Problem(name, f"the table has {rows:,} rows of {columns:,} columns, more than "
                             f"nps-report reads ({ROWS:,} rows, {COLUMNS:,} columns, "
                             f"{CELLS:,} cells)", expected="only the rows and columns the "
                                                          "study uses")
    return None


def as_table(frame: pd.DataFrame, table: str, source: str) -> Table:
    """A frame of typed values as a Table of text cells (record 1 = row 1)."""
    text = pd.DataFrame({i: column_text(frame.iloc[:, i]) for i in range(frame.shape[1])},
                        index=range(len(frame)))
    text.columns = [str(c) for c in frame.columns]
    return Table(table, source, text, np.arange(1, len(frame) + 1))


class _Unreadable(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def _unreadable(name: str, suffix: str, exc: Exception) -> Problem:
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return Problem(name, f"cannot be read as {PACKAGE_FORMATS[suffix]} "
                         f"({type(exc).__name__}{': ' + detail if detail else ''})",
                   expected=SAVE_AGAIN[suffix])


def _read(path: Path, suffix: str, table: str, name: str) -> pd.DataFrame:
    if suffix == ".parquet":
        return _read_parquet(path)
    if suffix in (".rds", ".rda", ".rdata"):
        return _read_r(path, suffix, table, name)
    import pyreadstat

    if suffix in (".sav", ".zsav"):
        frame, _ = pyreadstat.read_sav(str(path), apply_value_formats=True)
    elif suffix == ".dta":
        frame, _ = pyreadstat.read_dta(str(path), apply_value_formats=True)
    elif suffix == ".xpt":
        try:
            frame, _ = pyreadstat.read_xport(str(path))
        except UnicodeDecodeError:  # a transport file does not say its encoding; SAS on
            # Windows writes WLATIN1, which is what text that is not UTF-8 almost always is
            frame, _ = pyreadstat.read_xport(str(path), encoding="WINDOWS-1252")
    else:
        frame, _ = pyreadstat.read_sas7bdat(str(path), catalog_file=_catalog(path))
    return frame


def _read_parquet(path: Path) -> pd.DataFrame:
    from fastparquet import ParquetFile

    with path.open("rb") as file:
        parquet = ParquetFile(file)  # (given a name, fastparquet leaves its file open)
        frame = parquet.to_pandas(index=False)
    for element in parquet.schema.schema_elements[1:]:
        stamp = getattr(getattr(element, "logicalType", None), "TIMESTAMP", None)
        name = element.name
        if (stamp is not None and stamp.isAdjustedToUTC and name in frame.columns
                and pd.api.types.is_datetime64_dtype(frame[name].dtype)):  # zone not known
            frame[name] = _utc_instants(frame[name])
    return frame


def _utc_instants(values: pd.Series) -> pd.Series:
    """UTC instants of an unknown zone: the date where it is midnight UTC (dates kept as
    date-times), else the instant itself, which no date column accepts."""
    midnight = values.dt.normalize().eq(values)
    text = values.dt.strftime("%Y-%m-%d %H:%M UTC")
    return text.where(~midnight, values.dt.strftime("%Y-%m-%d")).fillna("").astype(object)


def _catalog(path: Path) -> str | None:
    """A SAS format catalog of the same name beside the data set (`patients.sas7bcat`)."""
    for candidate in path.parent.iterdir():
        if candidate.stem == path.stem and candidate.suffix.lower() == ".sas7bcat":
            return str(candidate)
    return None


def _read_r(path: Path, suffix: str, table: str, name: str) -> pd.DataFrame:
    import pyreadr

    objects = pyreadr.read_r(str(path))
    frames = {k: v for k, v in objects.items() if isinstance(v, pd.DataFrame)}
    if suffix == ".rds":
        if not frames:
            raise _Unreadable(Problem(name, "does not hold a data frame",
                                      expected=SAVE_AGAIN[suffix]))
        return next(iter(frames.values()))
    named = [k for k in frames if k is not None and k.casefold() == table.casefold()]
    if len(frames) == 1:
        return next(iter(frames.values()))
    if len(named) == 1:
        return frames[named[0]]
    found = sorted(str(k) for k in frames)
    raise _Unreadable(Problem(name, "holds no data frame" if not frames else
                              f"holds {len(frames)} data frames and none is named '{table}'",
                              value=found or None,
                              expected=f"one data frame, or one named {table}"))


# ---- cells as text -------------------------------------------------------------------

def column_text(values: pd.Series) -> np.ndarray:
    """One column's cells as text, vectorised by dtype; mixed columns value by value."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        labels = column_text(pd.Series(np.asarray(dtype.categories, dtype=object)))
        codes = values.cat.codes.to_numpy()
        return np.where(codes >= 0, labels[np.maximum(codes, 0)] if len(labels) else "", "")
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return values.dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object)
    if pd.api.types.is_bool_dtype(dtype) and not values.isna().any():
        return np.where(values.to_numpy(dtype=bool), "TRUE", "FALSE").astype(object)
    if pd.api.types.is_integer_dtype(dtype):
        return values.astype("Int64").astype(str).replace("<NA>", "").to_numpy(dtype=object)
    if pd.api.types.is_float_dtype(dtype):
        return _floats(values.to_numpy(dtype=float))
    uniques = pd.unique(values.to_numpy(dtype=object))
    if len(uniques) > len(values) // 2:
        return np.array([cell_text(v) for v in values.to_numpy(dtype=object)], dtype=object)
    mapping = {_key(u): cell_text(u) for u in uniques}
    return np.array([mapping[_key(v)] for v in values.to_numpy(dtype=object)], dtype=object)


def _key(value: Any) -> Any:
    """A dict key for a cell (NaN is not equal to itself)."""
    return ("nan",) if isinstance(value, float) and math.isnan(value) else (type(value), value)


def _floats(x: np.ndarray) -> np.ndarray:
    out = np.full(len(x), "", dtype=object)
    finite = np.isfinite(x)
    whole = finite & (np.mod(x, 1, where=finite, out=np.ones_like(x)) == 0) & (
        np.abs(np.where(finite, x, 0)) < 2**53)
    out[whole] = x[whole].astype(np.int64).astype(str)
    other = ~whole & ~np.isnan(x)
    out[other] = [repr(float(v)) for v in x[other]]
    return out


def cell_text(value: Any) -> str:
    """One value of a package's file as the text a CSV of it would hold."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").strip()
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating | decimal.Decimal):
        number = float(value)
        if math.isnan(number):
            return ""
        return _floats(np.array([number]))[0]
    if isinstance(value, dt.datetime):  # pandas Timestamps too: the date, in its own zone
        return "" if pd.isna(value) else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return "" if np.isnat(value) else str(value.astype("datetime64[D]"))
    if isinstance(value, float) or pd.isna(value):
        return ""
    return str(value).strip()
