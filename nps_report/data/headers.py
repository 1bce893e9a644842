"""Headers: `columns:` renames from study.yaml, repeated headers, near-miss suggestions.

Headers are compared exactly, after surrounding spaces are removed and the renames
applied. A header that would match a required column but for case, spaces or
underscores is not taken silently: the message says so and shows both fixes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from ..config import FILE as YAML_FILE
from ..config import Rename
from ..errors import Problem
from ..vocab import letters
from .table import Table


def _norm(header: str) -> str:
    return re.sub(r"[\s_.\-]+", "", header).casefold()


def header_hint(wanted: str, present: Iterable[str]) -> str:
    present = [h for h in present if h]
    same = [h for h in present if _norm(h) == _norm(wanted)]
    if same:
        return (f"did you mean '{same[0]}'? It differs from '{wanted}' only in case, spaces "
                "or underscores")
    close = difflib.get_close_matches(wanted, present, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "columns found: " + (", ".join(present) or "none")


def missing_column(table: Table, column: str) -> Problem:
    """A required column is absent: the nearest header, and both ways to fix it."""
    present = [str(h) for h in table.frame.columns]
    hint = header_hint(column, present)
    fix = ""
    if hint.startswith("did you mean"):
        found = hint.split("'")[1]
        fix = (f"; rename it in the file, or map it in {YAML_FILE}: columns: {{{table.name}: "
               f"{{{column}: \"{found}\"}}}}")
    return Problem(table.source, "required column missing", column=column,
                   expected=f"a column named '{column}' ({hint}){fix}")


def prepare_headers(table: Table, renames: tuple[Rename, ...]) -> list[Problem]:
    """Strip and rename the headers in place; problems for what is ambiguous (a header
    written twice, perhaps once with a trailing space, or a rename onto a taken name)."""
    written = [str(h) for h in table.frame.columns]
    names = [h.strip() for h in written]
    problems: list[Problem] = []
    for r in renames:
        at = [i for i, h in enumerate(names) if h == r.header]
        if not at:
            problems.append(Problem(
                YAML_FILE, f"header '{r.header}' not found in {table.source}", row=r.line,
                column=f"columns.{table.name}.{r.name}", value=r.header,
                expected=f"a header of {table.source} ({header_hint(r.header, names)})"))
        elif r.name != r.header and r.name in names:
            problems.append(Problem(
                table.source, f"two columns would be '{r.name}': '{r.name}' itself and "
                              f"'{r.header}', mapped to it in {YAML_FILE}", column=r.name,
                expected="one of them: delete or rename the other, or remove the mapping"))
        else:
            for i in at:
                names[i] = r.name
            table.shown[r.name] = r.header
    keep = []
    at_names: dict[str, list[int]] = {}  # one pass: a header row may hold 10^5 names
    for i, name in enumerate(names):
        at_names.setdefault(name, []).append(i)
    for i, name in enumerate(names):
        if not name:
            continue  # a column without a header is not read
        dupes = at_names[name]
        if dupes[0] == i:
            keep.append(i)
        elif i == dupes[1]:  # ambiguous even where the study does not read it
            shown = " and ".join(f"{letters(j)} ({written[j]!r})" for j in dupes)
            problems.append(Problem(
                table.source, f"{len(dupes)} columns are named '{name}'", column=name,
                value=shown, expected="one column per name: rename or delete the others "
                                      "(surrounding spaces do not make names differ)"))
    table.frame = table.frame.iloc[:, keep]
    table.frame.columns = [names[i] for i in keep]
    return problems
