"""Text files a user hands us (the CSVs, study.yaml) are UTF-8; anything else is named.

Excel on Windows saves "CSV (Comma delimited)" in the Windows code page and "Unicode
Text" as UTF-16; read as UTF-8 such files either fail deep inside a parser or, worse,
give mangled text. So the bytes are checked first and the message says what was found
and how to save the file again.
"""

from __future__ import annotations

from ..errors import Problem

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

RESAVE_CSV = ("a UTF-8 file: in Excel use File > Save As > 'CSV UTF-8 (Comma delimited)'; "
              "in LibreOffice tick 'Edit filter settings' and pick 'Unicode (UTF-8)'; in R "
              "write.csv(..., fileEncoding = \"UTF-8\")")
RESAVE_TEXT = ("a UTF-8 file: in Notepad use Save As with Encoding 'UTF-8'; in other editors "
               "choose UTF-8 when saving")


def decode_utf8(raw: bytes, name: str, resave: str) -> tuple[str | None, Problem | None]:
    """The text of a UTF-8 file (BOM dropped), or a Problem saying what the bytes look like."""
    head = raw[:200]
    if raw.startswith(UTF16_BOMS) or (len(head) > 1 and head.count(b"\0") * 4 > len(head)):
        return None, Problem(name, "saved as UTF-16 (what Excel calls 'Unicode Text'), "
                                   "not UTF-8", expected=resave)
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM):]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, _not_utf8(raw, exc.start, name, resave)


def _not_utf8(raw: bytes, pos: int, name: str, resave: str) -> Problem:
    line_no = raw.count(b"\n", 0, pos) + 1
    start = raw.rfind(b"\n", 0, pos) + 1
    end = raw.find(b"\n", pos)
    line = raw[start:end if end >= 0 else len(raw)].rstrip(b"\r")
    byte = raw[pos]
    try:
        shown = line.decode("cp1252")
        guess = (f"it reads as Windows-1252/Latin-1 text (Western European, as Excel on "
                 f"Windows saves 'CSV (Comma delimited)'): {shown[:80]!r}")
    except UnicodeDecodeError:
        guess = "perhaps another code page (GBK, Shift-JIS, Windows-1251, ...)"
    return Problem(name, f"not UTF-8 text: byte 0x{byte:02X} on line {line_no} is not valid "
                         f"UTF-8; {guess}", expected=resave)
