"""Writing a build's files into a staging folder, reusing what an earlier build already made.

Reuse is decided by cache keys (graph.py, cache.py): Results are reused when the
data, code and libraries are unchanged; a figure when the Results fields its
panels declare, its settings, the figure code and libraries are unchanged; the
documents when everything they are made from is unchanged. Anything that cannot be
proven identical is made again.

The Results themselves are kept for the next build by resultcache.py.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .cache import Fingerprint, file_sha256
from .config import FigureConfig, StudyConfig
from .config.model import FIGURE_FORMATS
from .graph import digest
from .present.artifact import Catalogue, FigureArtifact, Panel
from .present.catalogue import CATALOGUE
from .present.fmt import Style
from .present.tables import TableSpec
from .present.timepoints import write_timepoints
from .provenance.export import write_provenance
from .results import Results
from .results.keys import Key

TIMEPOINTS_CSV = "patient_timepoints.csv"
DOCUMENTS = ("manuscript.pdf", "manuscript.docx", "checklist.csv", "checklist.docx")
PATIENTS = Key.parse("patients")  # the per-patient columns, which repr(Results) leaves out
TITLE_PAGE_FILES = ("title_page.pdf", "title_page.docx")  # blind review only


def write_data_files(results: Results, dest: Path, catalogue: Catalogue = CATALOGUE,
                     style: Style | None = None, timepoints: bool = True
                     ) -> dict[str, TableSpec]:
    """results.json, the CSV of every table that applies, the per-patient endpoints,
    provenance.json (where each number comes from: provenance/export.py) and (unless the
    caller writes them later, while the figures are drawn) the timepoints."""
    (dest / "results.json").write_text(
        json.dumps(results.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
        encoding="utf-8")
    tables = catalogue.build_tables(results, style)  # the journal's percentages
    (dest / "tables").mkdir(exist_ok=True)
    for key, spec in tables.items():
        (dest / "tables" / f"{key}.csv").write_text(spec.to_csv(), encoding="utf-8")
    write_patient_endpoints(results, dest / "tables" / "patient_endpoints.csv")
    write_provenance(results, dest / "provenance.json")
    if timepoints:
        write_patient_timepoints(results, dest / "tables" / TIMEPOINTS_CSV)
    return tables


def write_patient_endpoints(results: Results, path: Path) -> None:
    """The derived per-patient dataset behind every figure and number (unrounded)."""
    rows = results.patients.rows()
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["patient_id"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)


def write_patient_timepoints(results: Results, path: Path) -> None:
    """Every scan's sums and responses, so that each best overall response can be followed."""
    write_timepoints(results.timepoints, path)


class ValueDigests:
    """Digests of Results values at the keys panels declare they read, each computed once per
    build.

    repr() of the frozen dataclasses and tuples is canonical (floats print exactly);
    pickle bytes are not, since they depend on which objects happen to be shared."""

    def __init__(self, results: Results, earlier: ValueDigests | None = None) -> None:
        """`earlier`: the digests of Results this one was made from by replacing fields
        (the build's early figures, analysis.analyse): a value that is the very same
        object has the same digest (at 100,000 patients a digest takes a tenth of a
        second)."""
        self.results = results
        self._seen: dict[Key, tuple[object, str]] = {}
        self._earlier = earlier._seen if earlier is not None else {}

    def __call__(self, key: Key) -> str:
        if key not in self._seen:
            value = key.resolve(self.results)
            before = self._earlier.get(key)
            self._seen[key] = (value, before[1] if before is not None and before[0] is value
                               else digest(repr(value)))
        return self._seen[key][1]


@dataclass(frozen=True)
class FigurePlan:
    """The study's figures: which panels each shows, their cache keys, what must be drawn."""

    panels: dict[str, tuple[Panel, ...]]  # figure key -> panels (figures with none left out)
    keys: dict[str, str]  # figure key -> cache key
    reused: dict[str, dict[str, Path]] = field(default_factory=dict)  # copied from before
    to_draw: tuple[str, ...] = ()  # figure keys
    formats: tuple[str, ...] = FIGURE_FORMATS  # each figure file's (figures.formats)

    def files(self, dest: Path, names: Iterable[str]) -> dict[str, dict[str, Path]]:
        """{name: {format: path}} of the given figures and their panels in dest."""
        out = {}
        for name in names:
            for stem in (name, *(p.key for p in self.panels[name] if p.key != name)):
                out[stem] = {fmt: dest / f"{stem}.{fmt}" for fmt in self.formats}
        return out


def figure_key(artifact: FigureArtifact, panels: tuple[Panel, ...], config: FigureConfig,
               values: ValueDigests, fp: Fingerprint) -> str:
    parts = [fp.stage("figures"), artifact.key, str(artifact.columns), repr(config)]
    for p in panels:
        parts += [p.key, p.draw, repr(p.args), *(f"{r}={values(r)}" for r in p.reads)]
    return digest(*parts)


def figure_keys(results: Results, config: FigureConfig, catalogue: Catalogue,
                fp: Fingerprint, values: ValueDigests,
                keep: Callable[[tuple[Panel, ...]], bool] = lambda _panels: True
                ) -> dict[str, tuple[tuple[Panel, ...], str]]:
    """Each figure the study shows, whose panels `keep` accepts -> (its panels, its cache
    key): what the plan, the executor decision and the early figures compare with the last
    build's manifest."""
    keyed = {}
    for artifact in catalogue.figures:
        panels = artifact.panels(results, config)
        if panels and keep(panels):
            keyed[artifact.key] = (panels, figure_key(artifact, panels, config, values, fp))
    return keyed


def plan_figures(results: Results, config: FigureConfig, catalogue: Catalogue,
                 fp: Fingerprint, values: ValueDigests, previous_out: Path,
                 manifest: dict | None, dest: Path) -> FigurePlan:
    """Key every figure; copy into dest/figures those the last build drew from the same
    inputs (each figure with its panels' files, or none of them)."""
    keyed = figure_keys(results, config, catalogue, fp, values)
    panels = {name: shown for name, (shown, _key) in keyed.items()}
    keys = {name: key for name, (_shown, key) in keyed.items()}
    formats = config.file_formats
    plan = FigurePlan(panels, keys, formats=formats)
    recorded = (manifest or {}).get("figures", {})
    reused: dict[str, dict[str, Path]] = {}
    for name, key in keys.items():
        files = plan.files(dest / "figures", [name])
        rels = [path.relative_to(dest) for formats in files.values()
                for path in formats.values()]
        if manifest and recorded.get(name) == key and _copy_intact(previous_out, manifest,
                                                                   dest, rels):
            reused.update(files)
    return FigurePlan(panels, keys, reused, tuple(n for n in keys if n not in reused),
                      formats)


def documents_key(results: Results, config: StudyConfig, fp: Fingerprint, plan: FigurePlan,
                  values: ValueDigests) -> str:
    """Everything the manuscript files are made from (built_at included: it is printed)."""
    return digest(fp.stage("documents"), fp.stage("tables"), fp.templates, fp.texts,
                  repr(results), values(PATIENTS), repr(config),
                  *(f"{k}={v}" for k, v in sorted(plan.keys.items())))


def reuse_documents(previous_out: Path, manifest: dict | None, key: str, dest: Path) -> bool:
    """Copy the last build's manuscript files (and the journal's figure files made with
    them) into dest if made from the same inputs."""
    if not manifest or manifest.get("documents") != key:
        return False
    # the journal's figure files (render/submission.py) are made with the documents
    submission = [r for r in manifest.get("outputs", {}) if r.startswith("submission/")]
    title_page = [r for r in TITLE_PAGE_FILES if r in manifest.get("outputs", {})]
    return _copy_intact(previous_out, manifest, dest,
                        [Path(d) for d in (*DOCUMENTS, *title_page, *sorted(submission))])


def _copy_intact(previous_out: Path, manifest: dict, dest: Path, rels: list[Path]) -> bool:
    """Copy the files if each is recorded in the manifest and unchanged; else copy none."""
    recorded = manifest.get("outputs", {})
    for rel in rels:
        source = previous_out / rel
        if recorded.get(rel.as_posix()) is None or source.is_symlink() or not source.is_file() \
                or file_sha256(source) != recorded[rel.as_posix()]:
            return False
    for rel in rels:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(previous_out / rel, dest / rel)
    return True
