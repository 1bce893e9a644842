"""Writing a build's files into a staging folder, reusing what an earlier build already made.

Reuse is decided by content hashes (see cache.py): Results are reused when the
data and code are unchanged, figures when the values they draw are unchanged.
Anything that cannot be proven identical is made again.
"""

from __future__ import annotations

import csv
import hashlib
import json
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

from .cache import CACHE_DIR, RESULTS_PICKLE, Fingerprint, file_sha256
from .config import StudyConfig
from .present.tables import TableSpec, all_tables
from .results import Results

Progress = Callable[[str], None]
PICKLE_FORMAT = 1


def write_data_files(results: Results, dest: Path) -> dict[str, TableSpec]:
    """results.json, the table CSVs and the per-patient endpoints."""
    (dest / "results.json").write_text(
        json.dumps(results.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tables = all_tables(results)
    (dest / "tables").mkdir(exist_ok=True)
    for key, spec in tables.items():
        (dest / "tables" / f"{key}.csv").write_text(spec.to_csv(), encoding="utf-8")
    write_patient_endpoints(results, dest / "tables" / "patient_endpoints.csv")
    return tables


def write_patient_endpoints(results: Results, path: Path) -> None:
    """The derived per-patient dataset behind every figure and number (unrounded)."""
    rows = results.patients.rows()
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["patient_id"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)


def figures_key(results: Results, config: StudyConfig, fp: Fingerprint) -> str:
    """Hash of exactly what the figures draw: per-patient values, survival, figure options.

    repr() of the frozen dataclasses is canonical (floats print exactly); pickle bytes
    are not, since they depend on which objects happen to be shared."""
    payload = repr((results.patients, results.survival, config.figures)).encode()
    return hashlib.sha256(fp.code.encode() + payload).hexdigest()


def reuse_figures(previous_out: Path, manifest: dict | None, key: str,
                  dest: Path) -> dict[str, dict[str, Path]] | None:
    """Copy the previous build's figures if they were drawn from the same values, intact."""
    if not manifest or manifest.get("figures_key") != key:
        return None
    recorded = {rel: digest for rel, digest in manifest.get("outputs", {}).items()
                if rel.startswith("figures/")}
    figures: dict[str, dict[str, Path]] = {}
    for rel, digest in recorded.items():
        source = previous_out / rel
        if not source.is_file() or file_sha256(source) != digest:
            return None
    if not recorded:
        return None
    for rel in recorded:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(previous_out / rel, target)
        stem, fmt = Path(rel).stem, Path(rel).suffix.lstrip(".")
        figures.setdefault(stem, {})[fmt] = target
    return figures


def save_results(dest: Path, fp: Fingerprint, config: StudyConfig, results: Results) -> None:
    (dest / CACHE_DIR).mkdir(exist_ok=True)
    with (dest / CACHE_DIR / RESULTS_PICKLE).open("wb") as fh:
        pickle.dump((PICKLE_FORMAT, fp.results_key, config, results), fh, protocol=5)


def load_results(out: Path, fp: Fingerprint) -> tuple[StudyConfig, Results] | None:
    """Results of the previous build if computed from the same data and code; else None.

    The pickle is our own file in the user's output folder; any failure to read it
    (corrupt, truncated, older format) means it is ignored and everything is recomputed.
    """
    try:
        with (out / CACHE_DIR / RESULTS_PICKLE).open("rb") as fh:
            version, key, config, results = pickle.load(fh)
    except Exception:  # any unreadable cache entry is simply not used
        return None
    if version != PICKLE_FORMAT or key != fp.results_key:
        return None
    if not isinstance(results, Results) or not isinstance(config, StudyConfig):
        return None
    return config, results
