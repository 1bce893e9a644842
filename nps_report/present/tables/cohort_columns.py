"""A table with a column per cohort (study.yaml `by:`) and the total: the table's own builder
run on each cohort's Results (results.cohorts, each a study of its own), its cells keyed
under cohorts.<level>, beside the whole study's. The first value column becomes a column
per cohort; any further one (a CI) a row under it, so the table keeps to the page width."""

from __future__ import annotations

from collections.abc import Callable

from ...results import Results
from ...results.keys import Key, UnknownKey
from ..cohorts import cohort_name
from ..fmt import DEFAULT, Style
from .spec import Row, TableSpec

Builder = Callable[[Results, Style], TableSpec]
COHORTS = Key.parse("cohorts")


def by_cohort(build: Builder, results: Results, style: Style = DEFAULT,
              part: Callable[[Results, Results, Style], TableSpec] | None = None
              ) -> TableSpec:
    """`build`'s table, with a column per cohort when the study has `by:`; `part(cohort,
    whole, style)` builds a cohort's table where it must follow the whole study's (the
    adverse events it lists), `build` otherwise."""
    total = build(results, style)
    if not results.cohorts or results.by is None:
        return total
    parts = {level: part(c, results, style) if part else build(c, style)
             for level, c in results.cohorts.items()}
    nb = "\u00a0"  # a header wraps between the name and its count, never inside either
    header = (total.header[0],
              *(f"{cohort_name(results.by, lv).replace(' ', nb)} (n{nb}={nb}{c.n_patients})"
                for lv, c in results.cohorts.items()),
              f"Total (N{nb}={nb}{results.n_patients})")
    found = {level: _by_identity(spec) for level, spec in parts.items()}
    rows: list[Row] = []
    for identity, row in _by_identity(total).items():
        others = [found[level].get(identity) for level in parts]
        for j in range(1, max(len(row.cells), 2)):
            cells, keys = [], []
            for level, other in zip(parts, others, strict=True):
                cell, key = _cell(other, j)
                key = key and _under(results, level, key)
                cells.append(cell)
                keys.append(key)
            cell, key = _cell(row, j)
            if j == 1:
                rows.append(Row((row.cells[0], *cells, cell), row.kind, (None, *keys, key),
                                row.marks))
            elif cell or any(cells):  # a further column: a row of its own
                rows.append(Row((total.header[j], *cells, cell), "item", (None, *keys, key),
                                name=f"{row.cells[0].removesuffix(', n (%)')}, "
                                     f"{total.header[j]}"))
    # the total's cells are named as in the table without cohorts: a change report
    # compares them with a build before `by:` row by row
    names = ("", *(cohort_name(results.by, lv) for lv in results.cohorts), "")
    return TableSpec(total.key, header, tuple(rows), labels=names, footnotes=total.footnotes)


def _by_identity(spec: TableSpec) -> dict[tuple[str, str, str, int], Row]:
    """Rows by (group above, kind, label, occurrence): the same row in every cohort's table."""
    out: dict[tuple[str, str, str, int], Row] = {}
    group = ""
    for row in spec.rows:
        if row.kind != "item":
            group = row.cells[0] if row.kind == "group" else ""
        n = 0
        while (group, row.kind, row.cells[0], n) in out:
            n += 1
        out[group, row.kind, row.cells[0], n] = row
    return out


def _cell(row: Row | None, j: int) -> tuple[str, Key | None]:
    if row is None or j >= len(row.cells):
        return "", None
    return row.cells[j], row.keys[j] if j < len(row.keys) else None


def _under(results: Results, level: str, key: Key) -> Key | None:
    """The cohort's key under cohorts.<level>; None where it names nothing there (a row the
    cohort's own table would not have, shown as a zero)."""
    at = Key((*COHORTS.entry(level).steps, *key.steps), key.format)
    try:
        at.path.resolve(results)
    except UnknownKey:
        return None
    return at
