"""Problems found in a study folder, reported all at once with the fix in the message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what was found, what was expected."""

    file: str
    message: str
    row: int | None = None  # row as a spreadsheet shows it (header is row 1); line in YAML
    column: str | None = None
    value: object = None
    expected: str | None = None

    def __str__(self) -> str:
        where = self.file
        yaml = self.file.endswith((".yaml", ".yml"))
        if self.row is not None:
            where += f", {'line' if yaml else 'row'} {self.row}"
        if self.column is not None:
            where += f", {'key' if yaml else 'column'} '{self.column}'"
        text = f"{where}: {self.message}"
        if self.value is not None:
            text += f" (found {self.value!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text


@dataclass(frozen=True)
class Notice:
    """Something a build did or found that the user must hear about, though nothing is wrong
    enough to refuse: a rule applied to their data (adverse-event terms merged, events after
    the data cutoff ignored) or a statistical caveat (few events per variable). Printed in
    the build output and listed in results.json."""

    code: str  # stable identifier, e.g. "ae_terms_merged"
    message: str  # one sentence, complete without the details
    details: tuple[str, ...] = ()  # one line each, e.g. "'hypertension ' -> 'Hypertension'"

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"    {d}" for d in self.details)])


class StudyError(Exception):
    """Raised when a study folder cannot be used; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found in the study:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


def did_you_mean(value: str, options: Iterable[str]) -> str:
    """Format the valid options, naming the closest one first when there is one."""
    options = list(options)
    close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
    listed = ", ".join(repr(o) for o in options)
    if close:
        return f"one of {listed} (did you mean {close[0]!r}?)"
    return f"one of {listed}"
