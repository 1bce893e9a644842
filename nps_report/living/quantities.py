"""Every reported quantity of two records (a bound number's key, a table cell) with the
forms it was printed in before and the form it has now, and when a number the author typed
is one of those forms (at the precision it is written with)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from ..results.keys import Key, UnknownKey
from ..wordxml.record import NUMBER, TABLE, Part, Record
from .mentions import COUNT, P_VALUE, PCT, RATIO, VALUE, Mention, mentions
from .naming import naming
from .tables import column_name, column_names, row_paths, shown

N_PATIENTS = Key.parse("study.n_patients")
# bound numbers that name rather than measure: no author's typed number is one of them
NAMES = tuple(map(Key.parse, ("methods.software", "study.title", "study.short_title")))


def quantity_path(binding: str) -> Key | None:
    """Where in Results the number a binding printed is (None for a citation's number,
    'cite:table:efficacy', which is no Results value)."""
    try:
        return Key.parse(binding).path
    except UnknownKey:
        return None


@dataclass(frozen=True)
class Facet:
    """One value of a printed form: its role and value as printed."""

    role: str  # PCT, COUNT, VALUE, RANGE, P_VALUE
    text: str  # as printed ('13.3', '4', '0.4–26.2')
    values: tuple[Decimal, ...]


def facets(printed: str, percent: bool = False) -> list[Facet]:
    """The values of a printed form, in order, by what they are; percent: it stands in a
    column of percentages ('ORR, % (95% CI)': '16.7 (0.6–32.7)'), whose first decimal is
    one."""
    out = []
    for m in mentions(printed, printed=True):
        if m.role == RATIO:
            continue
        role = PCT if percent and m.role == VALUE and not out else m.role
        out.append(Facet(role, m.text, m.values))
    return out


PERCENT_COLUMN = re.compile(r"(?:^|[\s,(])%(?![^(]*CI\))|\brate\b|percent", re.I)


def same_value(a: Decimal, b: Decimal) -> bool:
    """Equal at the precision of the less precise of the two ('13' and '13.3', '13.33' and
    '13.3' are; '13' and '13.6' are not)."""
    q = Decimal(1).scaleb(-min(places(a), places(b)))
    return a.quantize(q, ROUND_HALF_UP) == b.quantize(q, ROUND_HALF_UP)


def places(d: Decimal) -> int:
    """Decimal places a number is written with."""
    exponent = d.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def agrees(mention: Mention, facet: Facet, population: set[int]) -> bool:
    """Does the author's number say the same as this printed value?"""
    if mention.role == RATIO:
        n, total = mention.values
        if facet.role == PCT and total:
            pct = Decimal(100) * n / total
            q = Decimal(1).scaleb(-places(facet.values[0]))
            return pct.quantize(q, ROUND_HALF_UP) == facet.values[0]
        return facet.role == COUNT and n == facet.values[0] and int(total) in population
    if mention.role != facet.role or len(mention.values) != len(facet.values):
        return False
    if mention.role == COUNT:
        return mention.values == facet.values
    if mention.role == PCT or mention.role == P_VALUE:
        return same_value(mention.values[0], facet.values[0])
    if any(places(v) == 0 for v in mention.values) and not any(
            places(v) == 0 for v in facet.values):
        return False  # a whole number is not a rounded median or interval
    return all(same_value(a, b) for a, b in zip(mention.values, facet.values, strict=True))


# -- reported quantities --------------------------------------------------------------------


@dataclass
class Quantity:
    label: str
    names: frozenset[str]
    old: list[str]  # every printed form it had in an earlier build
    new: str | None  # its printed form now (None: no longer reported)
    phrase: str = ""  # a table column header ('grade 3'), which names only beside its row
    group: str = ""  # the value it prints a form of: its count and its % are one finding
    percent: bool = False  # a table column of percentages

    @cached_property
    def old_facets(self) -> list[list[Facet]]:
        return [facets(text, self.percent) for text in self.old]

    @cached_property
    def new_facets(self) -> list[Facet]:
        return facets(self.new, self.percent) if self.new is not None else []


@dataclass
class Stale:
    quantity: Quantity
    printed: str  # the earlier form it matched
    was: Facet
    now: Facet | None  # the same value in the new form


def _moved(old: list[Facet], new: list[Facet]) -> list[tuple[Facet, Facet | None]]:
    """Each value of an old form with its counterpart in the new form (same role, same
    place among that role's values), for those whose value moved."""
    out = []
    seen: Counter[str] = Counter()
    by_role: dict[str, list[Facet]] = {}
    for f in new:
        by_role.setdefault(f.role, []).append(f)
    for f in old:
        k = seen[f.role]
        seen[f.role] += 1
        twins = by_role.get(f.role, [])
        twin = twins[k] if k < len(twins) else None
        if twin is None or twin.values != f.values:
            out.append((f, twin))
    return out


@dataclass
class Index:
    quantities: list[Quantity] = field(default_factory=list)
    population: set[int] = field(default_factory=set)  # denominators the study has

    @classmethod
    def of(cls, old: Record, new: Record) -> Index:
        index = cls()
        index.quantities = _number_quantities(old, new) + _cell_quantities(old, new)
        for part in (*old.parts, *new.parts):
            if part.kind == NUMBER and quantity_path(part.key) == N_PATIENTS:
                index.population.update(int(v) for v in re.findall(r"\d+", part.text))
            if part.kind == NUMBER:
                index.population.update(_denominators(part.text))
        return index

    @cached_property
    def weight(self) -> dict[str, float]:
        """How much a word says: rare across quantities, much; in most of them, nothing."""
        df = Counter(w for q in self.quantities for w in q.names)
        total = max(len(self.quantities), 1)
        return {w: max(math.log(total / k), 0.0) for w, k in df.items()}

    def stale(self, mention: Mention) -> list[Stale]:
        out = []
        for q in self.quantities:
            new = q.new_facets
            if any(agrees(mention, f, self.population) for f in new):
                continue  # still right
            for printed, old in zip(q.old, q.old_facets, strict=True):
                for was, now in _moved(old, new):
                    if agrees(mention, was, self.population):
                        out.append(Stale(q, printed, was, now))
                        break
                else:
                    continue
                break
        return out

    def current(self, mention: Mention) -> list[Quantity]:
        return [q for q in self.quantities
                if any(agrees(mention, f, self.population) for f in q.new_facets)]


def _denominators(printed: str) -> set[int]:
    """N of every 'n (p%)' in a printed form: n / p, when it is a whole number."""
    out = set()
    for m in re.finditer(r"(\d+)\D{0,12}?\((\d+(?:\.\d+)?)%?\)", printed):
        n, pct = int(m.group(1)), float(m.group(2))
        if pct > 0:
            total = round(n * 100 / pct)
            if abs(n * 100 / total - pct) < 0.051 * 2:
                out.add(total)
    return out


def _number_quantities(old: Record, new: Record) -> list[Quantity]:
    olds: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for part in old.parts:
        if part.kind == NUMBER:
            olds.setdefault(part.key, []).append(part.text)
            labels[part.key] = part.label
    for (kind, key, _, _), texts in old.earlier_texts().items():
        if kind == NUMBER:
            olds.setdefault(key, []).extend(sorted(texts))
    news: dict[str, list[Part]] = {}
    for part in new.parts:
        if part.kind == NUMBER:
            news.setdefault(part.key, []).append(part)
    out = []
    for key in {**olds, **{k: [] for k in news}}:
        fresh = news.get(key, [])
        label = (fresh[0].label if fresh else "") or labels.get(key, "") or key
        path = quantity_path(key)
        if path is None or any(name.covers(path) for name in NAMES):
            continue
        names = naming(label, key)
        printed = list(dict.fromkeys(olds.get(key, [])))
        out.append(Quantity(label, names, printed, fresh[0].text if fresh else None,
                            group=str(path)))
    return out


def _cells(part: Part) -> list[tuple[str, str, str]]:
    if not part.rows:
        return []
    headers = column_names(part.rows[0].cells)
    out = []
    for path, row in list(zip(row_paths(part.rows), part.rows, strict=True))[1:]:
        for c, text in enumerate(row.cells[1:], start=1):
            if text.strip():
                out.append((path, column_name(headers, c), text))
    return out


def _cell_quantities(old: Record, new: Record) -> list[Quantity]:
    now: dict[tuple[str, str, str], str] = {}
    tables: dict[str, Part] = {}
    for part in new.parts:
        if part.kind == TABLE:
            tables[part.key] = part
            for path, column, text in _cells(part):
                now[(part.key, path, column)] = text
    before: dict[tuple[str, str, str], list[str]] = {}
    for part in old.parts:
        if part.kind == TABLE:
            tables.setdefault(part.key, part)
            for path, column, text in _cells(part):
                before.setdefault((part.key, path, column), []).append(text)
    for (kind, key, row, column), texts in old.earlier_texts().items():
        if kind == TABLE:
            before.setdefault((key, row, column), []).extend(sorted(texts))
    out = []
    for cell in {**before, **dict.fromkeys(now)}:
        key, path, column = cell
        table = tables[key]
        label = f"{table.label or 'Table'}, {path}, {shown(column)}"
        names = naming(path)  # the row names the quantity; the column only beside it
        out.append(Quantity(label, names, list(dict.fromkeys(before.get(cell, []))),
                            now.get(cell), column.lower(), group="\x1f".join(cell),
                            percent=any(PERCENT_COLUMN.search(t) is not None
                                        for t in (column, path.split(" › ")[-1]))))
    return out


# -- the author's text ------------------------------------------------------------------------
