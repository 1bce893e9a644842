"""study.yaml `flow:`: what happened before the first dose, for the patient-flow diagram.

    flow:
      screened: 41
      excluded: {No measurable disease at baseline: 6, Declined: 3}

Both keys are optional: without `screened` the study screened those excluded and those
treated; the rest of the diagram (treated, evaluable, discontinued) comes from the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .at import At, Invalid, text_of
from .kinds import COUNT, Kind
from .reader import key


@dataclass(frozen=True)
class ReasonCounts(Kind):
    """A mapping of reason -> whole number of patients, in the order written."""

    expected: str = ("a mapping of reason to number of patients, e.g. {Declined: 3, "
                     "No measurable disease at baseline: 6}")

    def read(self, value: Any, at: At) -> tuple[tuple[str, int], ...]:
        if not isinstance(value, dict):
            raise Invalid(self.expected)
        out: list[tuple[str, int]] = []
        for reason, n in value.items():
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                at.child(reason).bad("invalid value", n, "a whole number of patients >= 0")
                continue
            text = text_of(reason, at.child(reason)).strip()
            if not text:
                at.child(reason).bad("empty reason", reason, "the reason patients were "
                                     "excluded, e.g. Declined", at_key=True)
                continue
            out.append((text, n))
        return tuple(out)


@dataclass(frozen=True)
class FlowConfig:
    screened: int | None = key(COUNT, None)
    excluded: tuple[tuple[str, int], ...] = key(ReasonCounts(), ())
