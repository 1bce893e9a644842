"""Which part of the new build is which part of the author's file.

Tables, captions, notes, legends and pictures pair on their key (and place). Generated
paragraphs are keyed by their section and order ('para:results:5'); where the new build
has as many paragraphs in a section as the old one they pair in order, and where it has
more or fewer (a paragraph the data added or took away), they pair by their words, so
that the paragraph after an insertion is not rewritten into its neighbour.

A number pairs on its key, the prose part it sits in (as paired above) and its place
among that part's numbers of the same key, so the same quantity printed in the abstract
and in the Results pairs twice, correctly; failing that, on its key and its place among
all numbers of that key.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from ..compare.align import align, similarity
from ..wordxml.record import NUMBER, PARAGRAPH, Part

ORDINAL = re.compile(r":\d+$")
SIMILAR = 0.3  # paragraphs of one section this alike are one paragraph, edited


def _family(part: Part) -> tuple:
    if part.kind == PARAGRAPH and ORDINAL.search(part.key):
        return (PARAGRAPH, ORDINAL.sub("", part.key))
    return part.ident


def _blocks(old: list[Part], new: list[Part]) -> dict[str, Part]:
    families: dict[tuple, tuple[list[Part], list[Part]]] = defaultdict(lambda: ([], []))
    for part in old:
        families[_family(part)][0].append(part)
    for part in new:
        families[_family(part)][1].append(part)
    out: dict[str, Part] = {}
    for olds, news in families.values():
        by_key = {n.key: n for n in news}
        if len(olds) == len(news) and {o.key for o in olds} == set(by_key):
            out.update({o.name: by_key[o.key] for o in olds})
            continue
        if len(olds) == len(news):
            out.update({o.name: n for o, n in zip(olds, news, strict=True)})
            continue
        def similar(i: int, j: int, olds: list[Part] = olds, news: list[Part] = news
                    ) -> float:
            return similarity(olds[i].text, news[j].text)

        for i, j in align([p.text for p in olds], [p.text for p in news], similar, SIMILAR):
            if i is not None and j is not None:
                out[olds[i].name] = news[j]
    return out


def _numbers(parts: Iterable[Part], holder_of: dict[str, str | None]) -> dict[tuple, Part]:
    seen: Counter[tuple] = Counter()
    out: dict[tuple, Part] = {}
    for part in parts:
        base = (part.key, holder_of.get(part.container))
        out[(*base, seen[base])] = part
        seen[base] += 1
    return out


def pair(old: tuple[Part, ...], new: tuple[Part, ...]) -> dict[str, Part]:
    """Old part name -> its new part, for every old part that has one."""
    out = _blocks([p for p in old if p.kind != NUMBER], [p for p in new if p.kind != NUMBER])
    # numbers: in their paired prose part first (named by the new part), then by key alone
    old_holder: dict[str, str | None] = {name: match.name for name, match in out.items()}
    new_holder: dict[str, str | None] = {p.name: p.name for p in new if p.kind != NUMBER}
    old_numbers = [p for p in old if p.kind == NUMBER]
    new_numbers = [p for p in new if p.kind == NUMBER]
    taken: set[str] = set()
    for loose in (False, True):
        holders_old: dict[str, str | None] = {} if loose else old_holder
        holders_new: dict[str, str | None] = {} if loose else new_holder
        keyed_new = _numbers([p for p in new_numbers if p.name not in taken], holders_new)
        keyed_old = _numbers([p for p in old_numbers if p.name not in out], holders_old)
        for ident, part in keyed_old.items():
            if ident[1] is None and not loose and part.container:
                continue  # its prose part has no partner: pair it by key alone
            match = keyed_new.get(ident)
            if match is not None:
                out[part.name] = match
                taken.add(match.name)
    return out
