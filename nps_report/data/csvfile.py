"""One CSV file as text cells: UTF-8, comma-separated, row numbers as a spreadsheet shows.

The fast path is pandas' C parser on the raw bytes. Only a file it cannot take as it
is (rows with more cells than the header) is read again with the csv module, to say
which rows are wrong, or to accept trailing empty cells; so is a very wide file, which
the csv module reads in a tenth of the time (pandas pays per column). A file with more
columns, rows or cells than limits.py allows is refused before it is parsed, and the
csv module takes cells of any length, as pandas does.
"""

from __future__ import annotations

import csv
import io
import re
import warnings

import numpy as np
import pandas as pd

from ..config.encoding import RESAVE_CSV, UTF8_BOM, decode_utf8
from ..errors import Problem
from ..limits import table_too_big
from .table import Table

DELIMITERS = {";": "semicolons (as Excel saves CSV where the decimal mark is a comma)",
              "\t": "tabs (a tab-separated text file)", "|": "vertical bars (|)"}
SAVE_AS_CSV = ("commas between values: in Excel use File > Save As > 'CSV UTF-8 (Comma "
               "delimited)'; in R write.csv(); in LibreOffice choose ',' as the field "
               "delimiter")
# UTF-8 of non-breaking and other Unicode spaces that str.strip() removes
UNICODE_SPACES = (b"\xc2\xa0", b"\xe2\x80", b"\xe2\x81\x9f", b"\xe3\x80\x80", b"\xc2\x85")
EDGES = np.array([ord(","), ord("\n"), ord("\r"), ord('"')], dtype=np.uint8)
MAX_RAGGED = 25
WIDE = 10_000  # columns from which the csv module reads faster than pandas


def read_csv(raw: bytes, name: str, table: str) -> tuple[Table | None, list[Problem]]:
    """The table in a CSV file's bytes, or None and the problems that stop it being read."""
    text, problem = decode_utf8(raw, name, RESAVE_CSV)
    if problem is not None:
        return None, [problem]
    assert text is not None
    if b"\0" in raw:
        return None, [Problem(name, "holds NUL bytes: not a text file", expected="the table "
                              "saved as CSV (comma-separated text), " + RESAVE_CSV[2:])]
    if not text or text.isspace():
        return None, [Problem(name, "the file is empty", expected="a header row naming "
                              "the columns, then one row per record")]
    header = _header(text)
    if (problem := _delimiter(header, name)) is not None:
        return None, [problem]
    rows = raw.count(b"\n") - raw.endswith(b"\n")  # the header's line is not a row
    if (problem := table_too_big(name, rows, len(header))) is not None:
        return None, [problem]
    body = raw[len(UTF8_BOM):] if raw.startswith(UTF8_BOM) else raw
    frame, problems = _parse(body, text, header, name)
    if frame is None:
        return None, problems
    if (problem := _unclosed_quote(body, frame, name)) is not None:
        return None, [problem]
    if _padded(body):  # rare and slow: only then
        frame = frame.apply(lambda s: s.str.strip())
    rows = np.arange(len(frame)) + 2
    return Table(table, name, frame, rows, _editor_lines(raw, text, len(frame))), []


def _unclosed_quote(raw: bytes, frame: pd.DataFrame, name: str) -> Problem | None:
    """A quote that opens a cell and never closes swallows the rest of the file into it."""
    if raw.count(b'"') % 2 == 0 or frame.empty:
        return None
    last = frame.iloc[-1]
    if not last.str.contains("\n").any():
        return None
    return Problem(name, "a double quote opens a value that is never closed, so the rest of "
                         "the file reads as one cell", row=len(frame) + 1,
                   expected='a closing " after the value (a quote inside a value is written '
                            'twice: "5"" tall")')


def _padded(raw: bytes) -> bool:
    """Whether some cell may start or end with white space: a space next to a comma, a
    line end or a quote, a tab, or any Unicode space. One vectorised pass over the bytes."""
    arr = np.frombuffer(raw, dtype=np.uint8)
    if not len(arr):
        return False
    if (arr == ord("\t")).any():
        return True
    spaces = np.flatnonzero(arr == ord(" "))
    if len(spaces):
        if spaces[0] == 0 or spaces[-1] == len(arr) - 1:
            return True
        if np.isin(arr[spaces - 1], EDGES).any() or np.isin(arr[spaces + 1], EDGES).any():
            return True
    return not raw.isascii() and any(p in raw for p in UNICODE_SPACES)


def _header(text: str) -> list[str]:
    end = text.find("\n")
    first = text[: end if end >= 0 else len(text)]
    if '"' in first:  # a quoted header cell may hold a comma or a line break
        first = text[:200_000]
    return next(_reader(first), [])


def _reader(text: str):  # type: ignore[no-untyped-def]
    """csv.reader over text, taking a cell as long as the text (its default limit of
    131,072 characters ended in an internal error; pandas has none)."""
    if csv.field_size_limit() < len(text):
        csv.field_size_limit(len(text))
    return csv.reader(io.StringIO(text, newline=""))


def _delimiter(header: list[str], name: str) -> Problem | None:
    if len(header) == 1 and (m := re.fullmatch(r"sep=(.)", header[0].strip())):
        sep = m.group(1)
        return Problem(name, f"the first line is Excel's 'sep={sep}' marker, and the values "
                             f"are separated by {DELIMITERS.get(sep, repr(sep))}",
                       row=1, expected=SAVE_AS_CSV)
    if len(header) != 1:
        return None
    for sep, what in DELIMITERS.items():
        if sep in header[0]:
            return Problem(name, f"values are separated by {what}, not commas", row=1,
                           value=header[0][:80], expected=SAVE_AS_CSV)
    return None


def _parse(body: bytes, text: str, header: list[str],
           name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    if len(header) >= WIDE:
        return _parse_slowly(text, header, name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False,
                                na_filter=False, skip_blank_lines=False, index_col=False,
                                encoding="utf-8")
    except pd.errors.EmptyDataError:
        return pd.DataFrame(columns=header), []
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        return _parse_slowly(text, header, name)
    if frame.shape[1] != len(header):  # a quoted header pandas split otherwise
        return _parse_slowly(text, header, name)
    frame.columns = header
    return frame, []


def _parse_slowly(text: str, header: list[str],
                  name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Rows longer than the header: trailing empty cells are dropped, others reported."""
    records = list(_reader(text))[1:]
    width = len(header)
    ragged = []
    for i, rec in enumerate(records):
        if len(rec) > width:
            if any(c.strip() for c in rec[width:]):
                ragged.append(i)
            else:
                del rec[width:]  # trailing empty cells, as spreadsheets sometimes write
        elif len(rec) < width:
            rec.extend([""] * (width - len(rec)))
    problems = [Problem(name, f"the row has {len(records[i])} cells but the header has "
                              f"{width}", row=i + 2, value=",".join(records[i])[:80],
                        expected="as many cells as headers: a value holding a comma goes in "
                                 'double quotes, e.g. "Smith, J."') for i in ragged[:MAX_RAGGED]]
    if len(ragged) > MAX_RAGGED:
        problems.append(Problem(name, f"{len(ragged) - MAX_RAGGED} more rows with more cells "
                                      "than the header"))
    if problems:
        return None, problems
    return pd.DataFrame(records, columns=header, dtype=object).astype(str), []


def _editor_lines(raw: bytes, text: str, n_rows: int) -> np.ndarray | None:
    """Text-editor line of each record, only when quoted cells span lines."""
    if b'"' not in raw:
        return None
    newline = b"\n" if b"\n" in raw else b"\r"
    n_lines = raw.count(newline) + (0 if raw.endswith(newline) else 1)
    if n_lines == n_rows + 1:
        return None
    reader = _reader(text)
    next(reader, None)
    starts, previous = [], reader.line_num
    for _ in reader:
        starts.append(previous + 1)
        previous = reader.line_num
    return np.asarray(starts[:n_rows]) if len(starts) >= n_rows else None
