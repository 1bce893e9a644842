"""How an adverse event's attribution to the drug is read: the values that mean "related".

A statistician's analysis plan fixes which attribution categories count as
treatment-related; the default is NCI CTEP's convention on its five-point scale
(definite, probable and possible are related; unlikely and unrelated are not), with
the yes/no of a single "related?" field. Both lists together must name every value
the column holds: a value in neither (a typo, a category the plan did not foresee)
is refused rather than counted on one side silently. Values are compared without
regard to letter case or white space, as adverse-event terms are.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .at import At

RELATED = ("related", "definitely related", "definite", "probably related", "probable",
           "possibly related", "possible", "yes")
UNRELATED = ("unrelated", "not related", "unlikely related", "unlikely", "no")
EVENT_SCOPES = ("all-cause", "treatment-related")
IF_MISSING = ("refuse", "related", "unrelated")

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def value_key(text: str) -> str:
    """'Possibly  Related ' and 'possibly related' are one value."""
    return " ".join(_ZERO_WIDTH.sub("", str(text)).split()).casefold()


def in_effect(related: tuple[str, ...] | None, unrelated: tuple[str, ...] | None
              ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(related, unrelated): the lists given, a default list less the other list's values."""
    def less(default: tuple[str, ...], given: tuple[str, ...] | None) -> tuple[str, ...]:
        taken = {value_key(v) for v in given or ()}
        return tuple(v for v in default if value_key(v) not in taken)

    return (related if related is not None else less(RELATED, unrelated),
            unrelated if unrelated is not None else less(UNRELATED, related))


def check_lists(related: tuple[str, ...] | None, unrelated: tuple[str, ...] | None,
                attribution_column: str | None, events: str | None, at: At) -> None:
    """A value on both lists, or a column that cannot split a file of related events only."""
    on_related = {value_key(v) for v in related or ()}
    for i, value in enumerate(unrelated or ()):
        if value_key(value) in on_related:
            at.child("unrelated_values").child(i).bad(
                "value listed as both related and unrelated", value,
                "each value on one list only: safety.related_values or "
                "safety.unrelated_values")
    if attribution_column and events == "treatment-related":
        at.child("events").bad(
            "an attribution column cannot split a file of treatment-related events only",
            events, "'all-cause' (adverse_events.csv holds every event, and the column "
                    f"'{attribution_column}' says which are treatment-related), or no "
                    "attribution_column")
