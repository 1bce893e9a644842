"""Bounds on every input, checked before a file is parsed: a bomb is refused by a limit
named in the message, never by running out of memory or time.

The limits are generous for real studies (10^5 patients, 10^4 columns, free-text
cells as long as Excel allows) and are stated in the README's "Safety" section. Every
reader of a study file calls these (CSV, workbook, statistics packages, YAML, Markdown,
BibTeX, .docx): the functions return a Problem naming the file and the limit, or None.

    from nps_report import limits
    problem = limits.file_too_big(path, limits.TABLE_BYTES, "patients.sav")
    problem = limits.zip_too_big(path, "data.xlsx", limits.WORKBOOK_UNZIPPED)
    problem = limits.table_too_big("patients.sav", n_rows, n_columns)
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import IO

from .errors import Problem

MiB = 1 << 20

# Tables (CSV, data.xlsx, SPSS/SAS/Stata/R/parquet files)
TABLE_BYTES = 1024 * MiB          # a file on disk
ROWS = 5_000_000                  # data rows of one table (10^5 patients x 50 scans)
COLUMNS = 200_000                 # columns of one table
CELLS = 20_000_000                # rows x columns of one table (~1.5 GB as text cells)
NUMBER = 10**9                    # any number in a table (cycles 10^30 is a typing error)
ID_CHARS = 100                    # a patient_id
LABEL_CHARS = 250                 # a printed text from the data: an AE term (MedDRA's
                                  # longest is 100), a Table 1 level
WORKBOOK_UNZIPPED = 1024 * MiB    # data.xlsx, decompressed
# Zipped parts (data.xlsx, .docx): XML packs well, 20-50x for real files; a ratio above
# this in a part over ZIP_RATIO_FLOOR is a bomb (the sharedStrings one packs 2000x).
ZIP_RATIO = 200
ZIP_RATIO_FLOOR = 4 * MiB
ZIP_MEMBERS = 10_000

# Texts
YAML_BYTES = 1 * MiB              # study.yaml or a journal profile
YAML_NODES = 100_000              # values after every alias (*name) is expanded
YAML_DEPTH = 50                   # nesting of mappings and lists
YAML_INT = 10**9                  # any whole number study.yaml may hold
TEXT_CHARS = 5_000                # one text of study.yaml (a title, an affiliation)
MARKDOWN_BYTES = 128 * 1024       # one manuscript/*.md (a whole manuscript is ~50 KB)
MARKDOWN_TOTAL = 512 * 1024       # all of them together
BIB_BYTES = 8 * MiB               # manuscript/references.bib
BIB_ENTRIES = 5_000
DOCX_UNZIPPED = 512 * MiB         # a .docx given to update, check or compare, decompressed
BUILD_FILE_BYTES = 1024 * MiB     # a file of an earlier build compare reads (results.json)
TITLE_CHARS = 255                 # the title and author list as Word stores them
PANDOC_MEMORY = 1024 * MiB        # pandoc's heap while formatting references
PANDOC_SECONDS = 60


# Characters no document can hold (XML 1.0 forbids them): C0 controls but tab, line feed
# and carriage return, and the non-characters U+FFFE and U+FFFF.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def control_character(text: str) -> str | None:
    """'U+0007' for the first character of text that no document can hold, else None."""
    found = CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def human(n: int) -> str:
    """A byte count as people write it: 1 GiB, 256 KiB, 12 bytes."""
    for unit, size in (("GiB", 1 << 30), ("MiB", MiB), ("KiB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value >= 10 or value.is_integer() \
                else f"{value:.1f} {unit}"
    return f"{n} bytes"


def file_too_big(path: Path, limit: int, name: str, what: str = "file") -> Problem | None:
    """A Problem when the file on disk is larger than `limit` bytes."""
    try:
        size = path.stat().st_size
    except OSError:
        return None  # the reader's own error says why it cannot be opened
    if size <= limit:
        return None
    return Problem(name, f"the {what} is {human(size)}, more than the {human(limit)} "
                         "nps-report reads", expected=f"a {what} under {human(limit)}: keep "
                                                      "only what the study needs in it")


def table_too_big(name: str, rows: int, columns: int) -> Problem | None:
    """A Problem when a table has more rows, columns or cells than nps-report reads."""
    if columns > COLUMNS:
        return Problem(name, f"the table has {columns:,} columns, more than the "
                             f"{COLUMNS:,} nps-report reads",
                       expected="a table with the columns the study uses")
    if rows > ROWS:
        return Problem(name, f"the table has {rows:,} rows, more than the {ROWS:,} "
                             "nps-report reads", expected="one row per record of this table")
    if rows * columns > CELLS:
        return Problem(name, f"the table has {rows:,} rows of {columns:,} columns, more than "
                             f"the {CELLS:,} cells nps-report reads",
                       expected="only the columns the study uses (delete the others, or "
                                "save a copy without them)")
    return None


def zip_too_big(source: Path | bytes | IO[bytes], name: str, max_unzipped: int,
                what: str = "file") -> Problem | None:
    """A Problem when a zip package (xlsx, docx) would unpack to more than max_unzipped
    bytes, holds too many parts, or packs a large part more tightly than real files do.
    Only the zip's central directory is read: nothing is decompressed."""
    try:
        if isinstance(source, bytes):
            source = io.BytesIO(source)
        with zipfile.ZipFile(source) as package:
            infos = package.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return None  # not a zip: the reader says so in its own words
    fix = f"the {what} saved again from Excel, Word or LibreOffice"
    if len(infos) > ZIP_MEMBERS:
        return Problem(name, f"the {what} is a package of {len(infos):,} parts, more than "
                             f"the {ZIP_MEMBERS:,} nps-report opens", expected=fix)
    total = sum(i.file_size for i in infos)
    if total > max_unzipped:
        return Problem(name, f"the {what} unpacks to {human(total)}, more than the "
                             f"{human(max_unzipped)} nps-report reads", expected=fix)
    for info in infos:
        packed = max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_FLOOR and info.file_size / packed > ZIP_RATIO:
            return Problem(name, f"its part {info.filename} unpacks to "
                                 f"{human(info.file_size)} from {human(info.compress_size)} "
                                 f"({info.file_size // packed:,} to 1): a zip bomb, not a "
                                 f"file a program saved", expected=fix)
    return None
