"""provenance.json: the record of every number of results.json, written with every build.

    {"format": 1, "patient_file": "tables/patient_endpoints.csv",
     "records": {"efficacy.orr.estimate": {"value": 0.1333, "label": "...", "method": "...",
                                           "set": "efficacy.orr"}, ...},
     "sets": {"efficacy.orr": ["P03", "P11", ...], ...}}

Keys are data-keys (keys.py), the ones the preview's page carries in `data-key`; a
record's `set` names its patients in `sets` (each distinct set written once: a large
study's thousands of ids are not repeated under every key that counts them). The
change report and the DOCX can point to a number by the same key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from itertools import compress
from pathlib import Path
from typing import Any

from ..present.labels import describe
from ..results import Results
from ..results.keys import Key
from .keys import FRACTION_OF, PCT, walk
from .records import method, model_path, patient_set

FORMAT = 1


def numeric_keys(results: Results) -> Iterator[str]:
    """The data-key of every number results.json holds (and of each count's derived
    percentage where results.json keeps none), in results.json order."""
    yield from map(str, _walk(results, Key()))


def _walk(node: Any, key: Key) -> Iterator[Key]:
    if isinstance(node, bool) or node is None or isinstance(node, str):
        return
    if isinstance(node, int | float):
        yield key
        return
    if getattr(type(node), "__untracked__", False):
        return
    if is_dataclass(node):
        names = [f.name for f in fields(node) if f.metadata.get("json", True)]
        for name in (*names, *getattr(type(node), "__json_properties__", ())):
            value = getattr(node, name)
            yield from _walk(value, key.field(name))
            if isinstance(value, int) and not isinstance(value, bool) and not any(
                    isinstance(node, t) and n == name for (t, n), _ in FRACTION_OF.items()) \
                    and name not in ("N", "n", "df", "months"):
                yield key.field(name).field(PCT.name)
        return
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, key.entry(str(k)))
            if isinstance(v, int):
                yield key.entry(str(k)).field(PCT.name)
        return
    if isinstance(node, tuple) and node and is_dataclass(node[0]):
        for i, item in enumerate(node):
            yield from _walk(item, key.member(item, i))


def provenance(results: Results) -> dict[str, Any]:
    """The provenance.json document."""
    ids = results.patients.patient_id
    records: dict[str, dict[str, Any]] = {}
    sets: dict[str, list[str]] = {}
    canonical: dict[bytes, str] = {}
    for key in numeric_keys(results):
        data_key = Key.parse(key)
        try:
            nodes = walk(results, data_key)
        except (KeyError, TypeError, ZeroDivisionError):
            continue
        value = nodes[-1]
        name = patient_set(results, data_key)
        if name is None and _derived(nodes):
            continue  # a percentage of something that counts no patients (a threshold)
        if name is not None:
            packed = results.counted.sets[name]
            name = canonical.setdefault(packed, name)
            if name not in sets:
                sets[name] = list(compress(ids, results.counted.flags(name) or b""))
        records[key] = {"value": None if value is None else (
            float(value) if isinstance(value, float) else value),
            "label": describe(results, str(model_path(data_key))),
            "method": method(results, data_key, nodes), "set": name}
    return {"format": FORMAT, "patient_file": "tables/patient_endpoints.csv",
            "records": records, "sets": sets}


def _derived(nodes: list[Any]) -> bool:
    return len(nodes) > 1 and isinstance(nodes[-2], int) and not is_dataclass(nodes[-2])


def write_provenance(results: Results, path: Path) -> None:
    """One record and one set a line: readable, and a large study's sets stay cheap."""
    doc = provenance(results)

    def lines(mapping: dict[str, Any]) -> str:
        return ",\n".join(f"  {json.dumps(k, ensure_ascii=False)}: "
                          f"{json.dumps(v, ensure_ascii=False, allow_nan=False)}"
                          for k, v in mapping.items())

    path.write_text(f'{{"format": {doc["format"]}, "patient_file": '
                    f'{json.dumps(doc["patient_file"])},\n"records": {{\n'
                    f'{lines(doc["records"])}\n}},\n"sets": {{\n{lines(doc["sets"])}\n}}}}\n',
                    encoding="utf-8")
