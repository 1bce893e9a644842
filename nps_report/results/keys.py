"""Keys: the one grammar of a path into Results."""

from __future__ import annotations

from typing import Any


def landmark_key(months: float) -> str:
    """The results.json key of a landmark: '6', '12', '1.5'."""
    return str(int(months)) if float(months).is_integer() else f"{months:g}"


def item_key(item: Any, index: int) -> str:
    """How an item of a tuple is named in a key: its `__key__` field (a term, a label, a
    landmark's months), a number by its value (landmark times), a (name, version) pair by
    its name; anything else by its position."""
    attr = getattr(type(item), "__key__", None)
    if attr is not None:
        item = getattr(item, attr)
    elif isinstance(item, tuple) and item and not hasattr(item, "_fields"):
        item = item[0]
    elif not isinstance(item, int | float) or isinstance(item, bool):
        return str(index)
    return landmark_key(item) if isinstance(item, float) else str(item)



def factor_level(factor: str, level: str | None) -> str:
    """A row's identity in a Results key: 'ecog=2' for a level, 'age' for a continuous factor
    (prognostic.os.univariable[ecog=2], response_by_factor[met_liver=yes])."""
    return factor if level is None else f"{factor}={level}"

