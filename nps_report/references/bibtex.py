"""Read manuscript/references.bib strictly enough to point at the line of every mistake.

The CSL processor reads the .bib file itself (it knows LaTeX accents, name parts and
title casing); this parser is the gate before it: it finds the keys, their lines and
fields for citation checks, and refuses what a lenient reader would silently get
wrong (a missing comma swallowing the next field, an unclosed brace eating the rest
of the file, two entries with one key, a misspelt entry type), and what would exhaust
the formatter: a `crossref` chain that comes back to itself (pandoc took 23 GB on one),
@string macros that grow beyond any real value, more entries than BIB_ENTRIES.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass

from ..errors import Problem, StudyError
from ..limits import BIB_ENTRIES, control_character

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
ENTRY_TYPES = (
    "article", "book", "booklet", "inbook", "incollection", "inproceedings", "conference",
    "manual", "mastersthesis", "phdthesis", "thesis", "misc", "online", "electronic", "www",
    "webpage", "techreport", "report", "unpublished", "proceedings", "collection",
    "periodical", "patent", "dataset", "software", "reference", "inreference", "mvbook",
    "bookinbook", "suppbook", "mvcollection", "suppcollection", "mvproceedings",
    "mvreference", "suppperiodical", "artwork", "audio", "video", "movie", "music",
    "standard", "letter", "review", "legislation", "legal", "jurisdiction", "set", "xdata")
NAME = re.compile(r"[A-Za-z_][\w:.+\-/']*")
# A line inside a braced value that looks like the next field ('  year = 2009,'): the value's
# closing brace is missing, and the error belongs where the value opened
NEXT_FIELD = re.compile(r"[ \t]*[A-Za-z][\w-]*[ \t]*=[ \t]*([{\"]|\d+[ \t]*,?[ \t]*$)", re.M)
DIGITS = re.compile(r"\d+")
KEY = re.compile(r"[^\s,{}()\"#%'=\\]+")
VALUE_CHARS = 100_000  # one field, @string macros expanded (a real abstract is ~3,000)
LINKS = ("crossref", "xdata")  # fields that name other entries, whose fields they take


@dataclass(frozen=True)
class BibEntry:
    """One reference as written: key, lower-case type and fields, and the line it starts on."""

    key: str
    type: str
    fields: tuple[tuple[str, str], ...]
    line: int

    def get(self, name: str, default: str = "") -> str:
        return next((v for k, v in self.fields if k == name), default)


class BibError(StudyError):
    """The .bib file cannot be read; carries every problem with its line."""


class _Stop(Exception):
    """An error after which the rest of this entry cannot be read."""


class _Reader:
    def __init__(self, text: str, file: str):
        self.text, self.file, self.pos = text, file, 0
        self.strings: dict[str, str] = {m: m for m in MONTHS}
        self.problems: list[Problem] = []
        self._breaks = [m.start() for m in re.finditer("\n", text)]

    def line(self, pos: int | None = None) -> int:
        """1-based line of pos (a search: an entry's line is asked for every entry)."""
        return bisect.bisect_left(self._breaks, self.pos if pos is None else pos) + 1

    def problem(self, message: str, pos: int | None = None) -> None:
        self.problems.append(Problem(f"{self.file}, line {self.line(pos)}", message))

    def fail(self, message: str, pos: int | None = None) -> _Stop:
        self.problem(message, pos)
        return _Stop()

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def name(self, what: str) -> str:
        self.skip_space()
        found = NAME.match(self.text, self.pos)
        if not found:
            raise self.fail(f"expected {what}, found {self._shown()}")
        self.pos = found.end()
        return found.group().lower()

    def expect(self, char: str, after: str) -> None:
        self.skip_space()
        if self.peek() != char:
            raise self.fail(f"expected {char!r} {after}, found {self._shown()}")
        self.pos += 1

    def _shown(self) -> str:
        if self.pos >= len(self.text):
            return "the end of the file"
        return repr(self.text[self.pos:self.pos + 12].split("\n")[0])

    def braced(self, close: str) -> str:
        """Text up to the matching close ('}' or '"'), braces balanced; pos is past the opener."""
        start, depth = self.pos, 0
        opened = self.pos - 1
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}" and depth:
                depth -= 1
            elif char == close and not depth:
                self.pos += 1
                return self.text[start:self.pos - 1]
            elif char == "}":
                raise self.fail("a '}' closes a brace that was never opened in this value")
            elif self.text[self.pos - 1] == "\n" and (
                    char == "@" or NEXT_FIELD.match(self.text, self.pos)):
                break  # a new entry or field starts: this value was never closed
            self.pos += 1
        kind = "brace '{'" if close == "}" else "quote '\"'"
        raise self.fail(f"the {kind} opened here is never closed", opened)

    def value(self, field: str) -> str:
        parts = []
        while True:
            self.skip_space()
            char = self.peek()
            if char in "{\"":
                self.pos += 1
                parts.append(self.braced("}" if char == "{" else '"'))
            elif char.isdigit():
                found = DIGITS.match(self.text, self.pos)
                self.pos = found.end()
                parts.append(found.group())
            elif NAME.match(char or " "):
                start = self.pos
                macro = self.name("a value")
                if macro not in self.strings:
                    close = difflib.get_close_matches(macro, self.strings, n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    raise self.fail(f"field {field!r} uses {macro!r}, which is not defined by "
                                    f"an @string{hint}; put text values in braces", start)
                parts.append(self.strings[macro])
            else:
                raise self.fail(f"expected the value of field {field!r}, found {self._shown()}")
            self.skip_space()
            if sum(map(len, parts)) > VALUE_CHARS:
                raise self.fail(f"field {field!r} is longer than {VALUE_CHARS:,} characters "
                                "(with its @string macros expanded)")
            if self.peek() != "#":
                return "".join(parts)
            self.pos += 1

    def entry(self, at: int) -> BibEntry | None:
        kind = self.name("an entry type after '@'")
        self.skip_space()
        opener = self.peek()
        if opener not in "{(" or not opener:
            raise self.fail(f"expected '{{' after @{kind}, found {self._shown()}")
        self.pos += 1
        close = "}" if opener == "{" else ")"
        if kind == "comment":
            if opener == "{":
                self.braced(close)
            else:
                self._skip_to(")")
            return None
        if kind == "preamble":
            self.value("preamble")
            self.expect(close, "to end the @preamble")
            return None
        if kind == "string":
            name = self.name("a string name")
            self.expect("=", f"after @string name {name!r}")
            self.strings[name] = self.value(name)
            self.expect(close, "to end the @string")
            return None
        if kind not in ENTRY_TYPES:
            close_type = difflib.get_close_matches(kind, ENTRY_TYPES, n=1)
            hint = f" (did you mean @{close_type[0]}?)" if close_type else ""
            raise self.fail(f"unknown entry type @{kind}{hint}", at)
        self.skip_space()
        key = KEY.match(self.text, self.pos)
        if not key:
            raise self.fail(f"the @{kind} entry has no citation key", at)
        self.pos = key.end()
        fields: list[tuple[str, str]] = []
        while True:
            self.skip_space()
            if self.peek() == close:
                self.pos += 1
                break
            if self.peek() != ",":
                after = f"the value of {fields[-1][0]!r}" if fields else f"key {key.group()!r}"
                raise self.fail(f"expected ',' or '{close}' after {after} in entry "
                                f"{key.group()!r}, found {self._shown()}")
            self.pos += 1
            self.skip_space()
            if self.peek() == close:
                self.pos += 1
                break
            start = self.pos
            field = self.name(f"a field name in entry {key.group()!r}")
            self.expect("=", f"after field name {field!r} in entry {key.group()!r}")
            text = self.value(field)
            if any(name == field for name, _ in fields):
                self.problem(f"entry {key.group()!r} has field {field!r} twice", start)
            fields.append((field, text))
        return BibEntry(key.group(), kind, tuple(fields), self.line(at))

    def _skip_to(self, char: str) -> None:
        end = self.text.find(char, self.pos)
        self.pos = len(self.text) if end < 0 else end + 1

    def recover(self) -> None:
        """After a broken entry, continue at the next '@' that starts a line."""
        found = re.compile(r"^\s*@", re.M).search(self.text, self.pos)
        self.pos = found.start() if found else len(self.text)


def parse_bibtex(text: str, file: str) -> tuple[BibEntry, ...]:
    """Every entry of a .bib text; BibError lists every problem, each with its line."""
    if (found := control_character(text)) is not None:
        at = next(i for i, ch in enumerate(text) if control_character(ch))
        raise BibError([Problem(f"{file}, line {text.count(chr(10), 0, at) + 1}",
                                f"holds a control character ({found}) that no document can "
                                "hold; delete it (it may come from copying out of a PDF)")])
    reader = _Reader(text, file)
    entries: list[BibEntry] = []
    while True:
        at = text.find("@", reader.pos)
        if at < 0:
            break
        reader.pos = at + 1
        try:
            entry = reader.entry(at)
        except _Stop:
            reader.recover()
            continue
        if entry:
            entries.append(entry)
            if len(entries) > BIB_ENTRIES:
                raise BibError([Problem(file, f"holds more than {BIB_ENTRIES:,} entries",
                                        expected="the references this manuscript cites")])
    _check_entries(entries, reader)
    _check_links(entries, reader)
    if reader.problems:
        raise BibError(reader.problems)
    return tuple(entries)


def _check_entries(entries: list[BibEntry], reader: _Reader) -> None:
    first: dict[str, BibEntry] = {}
    for entry in entries:
        seen = first.setdefault(entry.key.lower(), entry)
        if seen is not entry:
            same = "" if seen.key == entry.key else f" (as {seen.key!r}; keys ignore case)"
            reader.problems.append(Problem(
                f"{reader.file}, line {entry.line}",
                f"key {entry.key!r} is already used by the entry on line {seen.line}{same}"))
        if not entry.get("title").strip():
            reader.problems.append(Problem(f"{reader.file}, line {entry.line}",
                                           f"entry {entry.key!r} has no title"))
    reader.problems.sort(key=lambda p: int(p.file.rsplit(" ", 1)[1]))


def _check_links(entries: list[BibEntry], reader: _Reader) -> None:
    """A crossref (or xdata) chain that comes back to an entry on it is refused, naming the
    entry and the chain: pandoc follows it without end. One walk of the graph."""
    by_key = {e.key.lower(): e for e in entries}
    graph = {k: [n.strip().lower() for f in LINKS for n in e.get(f).split(",")
                 if n.strip().lower() in by_key] for k, e in by_key.items()}
    done: set[str] = set()
    for start in graph:
        if start in done:
            continue
        path, on_path = [start], {start: 0}
        stack = [iter(graph[start])]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                node = path.pop()
                del on_path[node]
                done.add(node)
                continue
            if nxt in on_path:
                cycle = [by_key[k] for k in (*path[on_path[nxt]:], nxt)]
                reader.problems.append(Problem(
                    f"{reader.file}, line {cycle[0].line}",
                    f"entry {cycle[0].key!r}: its crossref chain comes back to itself ("
                    + " -> ".join(e.key for e in cycle) + ")",
                    expected="crossref naming another entry, which does not refer back"))
            elif nxt not in done:
                on_path[nxt] = len(path)
                path.append(nxt)
                stack.append(iter(graph[nxt]))
    reader.problems.sort(key=lambda p: int(p.file.rsplit(" ", 1)[1]))


def read_bibtex(data: bytes, file: str) -> tuple[BibEntry, ...]:
    """parse_bibtex on a file's bytes, refusing anything but UTF-8 with the fix in the message."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise BibError([Problem(f"{file}, line {line}", "is not UTF-8 text; export it from "
                                "the reference manager as UTF-8 (or save it as UTF-8)")]
                       ) from None
    return parse_bibtex(text, file)
