"""Methods as a Methods section states them, so a reviewer-requested change reads plainly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..present.fmt import fmt_confidence, fmt_num
from ..results import Methods
from ..vocab import KM_CI_NAMES, PROPORTION_CI_NAMES

NAMED = ("proportion_ci", "km_ci")  # values that read as 'the ... interval' in a sentence


def _yes_no(v: Any) -> str:
    return "yes" if v else "no"


def _months_list(v: Any) -> str:
    return ", ".join(fmt_num(m, 0 if float(m).is_integer() else 1) for m in v or [])


# results.json methods key -> (what a reader calls it, how it is written)
METHODS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "proportion_ci": ("Confidence interval for response rates",
                      lambda v: PROPORTION_CI_NAMES.get(v, str(v))),
    "km_ci": ("Confidence interval for Kaplan-Meier medians and rates",
              lambda v: KM_CI_NAMES.get(v, str(v))),
    "level": ("Confidence level", lambda v: fmt_confidence(float(v))),
    "recist_version": ("Response criteria", lambda v: f"RECIST {v}"),
    "confirm_response": ("Confirmation of CR/PR required", _yes_no),
    "sd_min_days": ("Minimum time from treatment start for stable disease, days", str),
    "landmarks_months": ("Landmark times, months", _months_list),
    "min_incidence_pct": ("Adverse-event table: any-grade incidence above, %",
                          lambda v: fmt_num(v, 0 if float(v).is_integer() else 1)),
    "followup_method": ("Median follow-up method", str),
}


def method_lines(methods: Methods) -> dict[str, tuple[str, str]]:
    """key -> (label, text) for every method and software version a build used."""
    out = {key: (label, fmt(getattr(methods, key))) for key, (label, fmt) in METHODS.items()}
    for name, version in methods.software:
        out[f"software.{name}"] = (f"Software: {name}", str(version))
    return out


def method_phrase(key: str, label: str, old: str, new: str) -> str:
    """'the confidence interval for response rates changed from the t interval to the
    Clopper-Pearson exact interval' for the summary paragraph."""
    the = "the " if key in NAMED else ""
    return f"the {label[0].lower()}{label[1:]} changed from {the}{old} to {the}{new}"
