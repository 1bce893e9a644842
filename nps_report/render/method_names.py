"""The authors' text must not credit a method the numbers were not computed with.

A study that switches `ci.km` from log-log to symmetric (to reproduce an SPSS table)
keeps the sentence its authors wrote for the old method: 'the median's CI by Brookmeyer
and Crowley'. Each method named after its authors is matched in the authors' Markdown
and compared with what results.methods says was used; a mismatch is a notice naming the
file, the name, the method in use and whom to cite for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import Notice
from ..results import Methods


@dataclass(frozen=True)
class NamedMethod:
    pattern: re.Pattern[str]  # how the authors name it
    name: str  # what it is
    setting: str  # the study.yaml key that chooses it
    used: tuple[str, ...]  # the setting's values that use it


NAMED = (
    NamedMethod(re.compile(r"\bBrookmeyer\b"), "Brookmeyer and Crowley's interval for the "
                "median (an inverted pointwise interval)", "ci.km", ("log-log", "log", "plain")),
    NamedMethod(re.compile(r"\bClopper\b"), "the Clopper–Pearson interval", "ci.proportion",
                ("clopper-pearson",)),
    NamedMethod(re.compile(r"\bWilson(?:'s)?\s+(?:score|interval|method)", re.IGNORECASE),
                "the Wilson score interval", "ci.proportion", ("wilson",)),
)
IN_USE = {  # what to cite for the method in use
    ("ci.km", "symmetric"): "Collett's symmetric interval (median ± z × SE)",
    ("ci.km", "log-log"): "Brookmeyer and Crowley, with the log–log transformation",
    ("ci.km", "log"): "Brookmeyer and Crowley, with the log transformation",
    ("ci.km", "plain"): "Brookmeyer and Crowley, without transformation",
    ("ci.proportion", "t"): "the t interval for the mean of the binary response",
    ("ci.proportion", "wald"): "the Wald interval",
    ("ci.proportion", "wilson"): "the Wilson score interval",
    ("ci.proportion", "clopper-pearson"): "the Clopper–Pearson exact interval",
}


def method_name_notices(texts: Mapping[str, str], methods: Methods) -> list[Notice]:
    """A notice listing each method the authors' parts name but the build did not use."""
    chosen = {"ci.km": methods.km_ci, "ci.proportion": methods.proportion_ci}
    details = []
    for part, text in texts.items():
        for named in NAMED:
            value = chosen[named.setting]
            if value not in named.used and named.pattern.search(text):
                details.append(f"manuscript/{part}.md names {named.name}, but the numbers use "
                               f"{named.setting}: {value}: {IN_USE[named.setting, value]}")
    if not details:
        return []
    return [Notice("method_citation", "The authors' text credits a method the numbers were "
                   "not computed with; cite the method in use (the generated Statistical "
                   "analysis names it), or change the study.yaml setting.", tuple(details))]
