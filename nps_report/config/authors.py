"""`manuscript.authors` and `journal` in study.yaml: the kinds that read them.

An author is a name, or a mapping with the name, the numbers of their affiliations
(1-based, into `manuscript.affiliations`), whether they are the corresponding author,
their e-mail and ORCID iD; plain names still work. `journal` names a shipped journal
profile (nps_report/journals/) or a profile file of the study's own ('my-journal.yaml').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from ..errors import did_you_mean
from ..paths import GUIDELINES, JOURNAL_PROFILES, shipped_ids
from .at import At, Invalid, text_of
from .kinds import Kind

ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Author:
    name: str
    affiliations: tuple[int, ...] = ()  # numbers into manuscript.affiliations, from 1
    corresponding: bool = False
    email: str | None = None
    orcid: str | None = None  # the 16-digit iD, 0000-0002-1825-0097

    def __str__(self) -> str:
        return self.name


AUTHOR_KEYS = tuple(f.name for f in fields(Author))
EXAMPLE = ("- {name: A. Author, affiliations: [1, 2], corresponding: true, "
           "email: a.author@example.org}")


@dataclass(frozen=True)
class Authors(Kind):
    expected: str = f"a list of names, or of mappings such as {EXAMPLE}"

    def read(self, value: Any, at: At) -> tuple[Author, ...]:
        if not isinstance(value, list):
            raise Invalid(self.expected)
        out = [a for i, item in enumerate(value) if (a := _author(item, at.child(i)))]
        if sum(a.corresponding for a in out) > 1:
            at.bad("more than one corresponding author",
                   [a.name for a in out if a.corresponding],
                   "corresponding: true on one author only")
        return tuple(out)


def _author(item: Any, at: At) -> Author | None:
    if not isinstance(item, dict):
        if isinstance(item, list):
            at.bad("invalid value", item, "a name, or a mapping with name and affiliations")
            return None
        return Author(text_of(item, at))
    for key in item:
        if key not in AUTHOR_KEYS:
            at.child(key).bad("unknown key", None, did_you_mean(str(key), AUTHOR_KEYS),
                              at_key=True)
    name = item.get("name")
    if name is None or isinstance(name, list | dict) or not str(name).strip():
        at.child("name").bad("missing value" if name is None else "invalid value", name,
                             "the author's name as it should print, e.g. A. Author")
        return None
    affiliations = item.get("affiliations", [])
    if not isinstance(affiliations, list):
        affiliations = [affiliations]
    numbers = []
    for j, n in enumerate(affiliations):
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            at.child("affiliations").child(j).bad(
                "invalid value", n, "the number of an entry of manuscript.affiliations "
                "(1 for the first)")
        else:
            numbers.append(n)
    corresponding = item.get("corresponding", False)
    if not isinstance(corresponding, bool):
        at.child("corresponding").bad("invalid value", corresponding, "true or false")
        corresponding = False
    email = _matching(item, "email", EMAIL, at, "an e-mail address, e.g. a.author@example.org")
    orcid = _matching(item, "orcid", ORCID, at, "an ORCID iD, e.g. 0000-0002-1825-0097")
    if orcid:
        orcid = ORCID.match(orcid).group(1)  # type: ignore[union-attr]
    if corresponding and not email:
        at.child("email").bad("missing value", None, "the corresponding author's e-mail, "
                              "which the title page prints")
    return Author(text_of(name, at.child("name")), tuple(numbers), corresponding, email, orcid)


def _matching(item: dict, key: str, pattern: re.Pattern[str], at: At,
              expected: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    text = str(value).strip()
    if not pattern.match(text):
        at.child(key).bad("invalid value", value, expected)
        return None
    return text


@dataclass(frozen=True)
class JournalName(Kind):
    """A shipped profile's name, or a .yaml file of the study's own (read at build time)."""

    expected: str = "the name of a journal profile"

    def read(self, value: Any, at: At) -> str:
        name = text_of(value, at).strip()
        shipped = shipped_ids(JOURNAL_PROFILES)
        if name.endswith((".yaml", ".yml")) or name in shipped:
            return name
        raise Invalid(did_you_mean(name, shipped)
                      + ", or the file name of your own profile (my-journal.yaml)",
                      "unknown journal profile")


@dataclass(frozen=True)
class GuidelineName(Kind):
    """A shipped reporting guideline's id (nps_report/checklists/*.yaml)."""

    expected: str = "the id of a reporting guideline"

    def read(self, value: Any, at: At) -> str:
        name = text_of(value, at).strip()
        shipped = shipped_ids(GUIDELINES)
        if name in shipped:
            return name
        raise Invalid(did_you_mean(name, shipped), "unknown reporting guideline")
