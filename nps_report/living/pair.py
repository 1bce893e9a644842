"""Which part of the new build is which part of the author's file.

Prose parts and tables pair on (kind, key, index). A number pairs on its key, the
prose part it sits in and its place among that part's numbers of the same key, so the
same quantity printed in the abstract and in the Results pairs twice, correctly;
failing that, on its key and its place among all numbers of that key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..wordxml.record import NUMBER, Part


def _keyed(parts: Iterable[Part], by_name: dict[str, Part], loose: bool
           ) -> dict[tuple, Part]:
    seen: Counter[tuple] = Counter()
    out: dict[tuple, Part] = {}
    for part in parts:
        if part.kind == NUMBER:
            holder = by_name.get(part.container)
            base: tuple = (NUMBER, part.key) if loose else (
                NUMBER, part.key, holder.ident if holder is not None else None)
        else:
            base = part.ident
        out[(*base, seen[base])] = part
        seen[base] += 1
    return out


def pair(old: tuple[Part, ...], new: tuple[Part, ...]) -> dict[str, Part]:
    """Old part name -> its new part, for every old part that has one."""
    old_names, new_names = {p.name: p for p in old}, {p.name: p for p in new}
    out: dict[str, Part] = {}
    taken: set[str] = set()
    for loose in (False, True):
        new_keyed = _keyed([p for p in new if p.name not in taken], new_names, loose)
        for ident, part in _keyed([p for p in old if p.name not in out], old_names,
                                  loose).items():
            match = new_keyed.get(ident)
            if match is not None:
                out[part.name] = match
                taken.add(match.name)
    return out
