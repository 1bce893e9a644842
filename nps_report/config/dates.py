"""What a date may look like (ISO YYYY-MM-DD), and how anything else was read.

A date is `YYYY-MM-DD` (a one-digit month or day, 2021-3-5, is read too: it cannot
be misread), or that with a midnight time (`2021-03-15 00:00:00`, as pandas, R and
SAS export date-times). Everything else is refused, and the message
says how the text reads and what to write instead: the ISO form when the reading is
certain, both readings when day and month could be swapped. Shared by study.yaml's
data_cutoff and every date column of the tables.
"""

from __future__ import annotations

import datetime as dt
import re

FORMAT = "YYYY-MM-DD"
MIDNIGHT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T]00:00(?::00(?:\.0+)?)?"
                      r"(?:Z|[+-]00:?00)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_TIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[ T](\d{1,2}:\d{2})(?::\d{2}(?:\.\d+)?)?"
                       r"(?:Z|[+-]\d{2}:?\d{2})?$")
_UTC_INSTANT = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC$")  # data/packages.py
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_XY_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")
_D_MON_Y = re.compile(r"^(\d{1,2})[- ]?([A-Za-z]{3,9})\.?[- ,]*(\d{4}|\d{2})"
                      r"(?::\d{2}:\d{2}(?::\d{2})?)?$")
_MON_D_Y = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_TIME = re.compile(r"^\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?$")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (after Excel's 1900 leap day)
FIRST_YEAR, LAST_YEAR = 1678, 2261  # what pandas' datetime64[ns] holds


def parse_date(text: str) -> dt.date | None:
    """The date an accepted text stands for, or None (see explain_date for why)."""
    m = _ISO.match(text) or MIDNIGHT.match(text)
    if not m:
        return None
    try:
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def explain_date(text: str) -> tuple[str, str]:
    """(what the text is, what to write instead) for a text parse_date refused."""
    want = f"a date as {FORMAT}"
    if m := _ISO.match(text):
        year = int(m.group(1))
        if _iso(year, int(m.group(2)), int(m.group(3))) is None:
            return "not a calendar date", f"{want} with a real month and day"
        return (f"year {year} is outside {FIRST_YEAR}-{LAST_YEAR} (a typo?)", want)
    if m := _UTC_INSTANT.match(text):
        return (f"a date-time stored as a UTC instant ({m.group(2)} UTC) in a file that "
                "does not say its time zone, so its day is not certain",
                f"the column saved as dates ({m.group(1)} if the day in UTC is meant): in R "
                "as.Date(), in pandas .dt.date, in Parquet the date32 type")
    if m := _ISO_TIME.match(text):
        day = _iso(*(int(x) for x in m.group(1).split("-")))
        if day:
            return (f"a date with a time of day ({m.group(2)})",
                    f"the date alone: {day}")
    if m := _YMD.match(text):
        day = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if day:
            return "a date written as year/month/day", f"{FORMAT}: {day}"
    if m := _XY_YEAR.match(text):
        return _day_month(int(m.group(1)), int(m.group(2)), m.group(3))
    if m := _D_MON_Y.match(text):
        return _named(int(m.group(1)), m.group(2), m.group(3), "day month year")
    if m := _MON_D_Y.match(text):
        return _named(int(m.group(2)), m.group(1), m.group(3), "month day, year")
    if m := _COMPACT.match(text):
        day = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if day:
            return "a date written without separators (YYYYMMDD)", f"{FORMAT}: {day}"
    if _NUMBER.match(text):
        return _number(float(text))
    if _TIME.match(text):
        return "a time of day, not a date", want
    return "not a date", f"{want}, e.g. 2021-03-15"


def excel_serial(value: float) -> str | None:
    """The ISO date an Excel serial day number stands for, if it is a plausible one."""
    if not 61 <= value < 2958466:  # 1900-03-01 .. 9999-12-31
        return None
    return (EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()


def _number(value: float) -> tuple[str, str]:
    if value.is_integer() and 1900 <= value <= 2100:
        return "a year without month and day", f"a date as {FORMAT}"
    serial = excel_serial(value)
    if serial is not None:
        return (f"a number, not a date: as an Excel date serial number it is {serial}",
                f"{FORMAT} ({serial}), or the column formatted as dates in Excel before saving")
    return "a number, not a date", f"a date as {FORMAT}"


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _spelled(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {MONTHS[d.month - 1].capitalize()} {d.year}"


def _day_month(a: int, b: int, year_text: str) -> tuple[str, str]:
    if len(year_text) == 2:
        return ("a date with a two-digit year (the century is not certain)",
                f"{FORMAT} with the four-digit year")
    year = int(year_text)
    dmy, mdy = _iso(year, b, a), _iso(year, a, b)
    if dmy and mdy and dmy != mdy:
        return (f"day and month could be either way round: {_spelled(dmy)} (day/month/year) "
                f"or {_spelled(mdy)} (month/day/year)", f"{FORMAT}: {dmy} or {mdy}")
    if dmy:
        return f"a date written as day/month/year ({_spelled(dmy)})", f"{FORMAT}: {dmy}"
    if mdy:
        return f"a date written as month/day/year ({_spelled(mdy)})", f"{FORMAT}: {mdy}"
    return "not a calendar date", f"a date as {FORMAT}"


def _named(day: int, month_name: str, year_text: str, order: str) -> tuple[str, str]:
    name = month_name.lower()
    month = next((i for i, m in enumerate(MONTHS, 1) if m.startswith(name) and len(name) >= 3),
                 None)
    if month is None:
        return "not a date", f"a date as {FORMAT}, e.g. 2021-03-15"
    if len(year_text) == 2:
        return ("a date with a two-digit year (the century is not certain)",
                f"{FORMAT} with the four-digit year")
    iso = _iso(int(year_text), month, day)
    if iso is None:
        return "not a calendar date", f"a date as {FORMAT}"
    return (f"a date written as {order} with the month's name ({_spelled(iso)}, as SAS "
            "prints dates)", f"{FORMAT}: {iso}")
