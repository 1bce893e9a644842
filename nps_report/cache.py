"""Build fingerprints and the manifest: what the last build in a folder was made from.

The no-op check runs before pandas, matplotlib or WeasyPrint are imported, so this
module imports nothing heavy. A build records in OUT/.cache/manifest.json:

  fingerprint  the static key of every stage (graph.py: code, library versions,
               Python), the study's data files, templates and manuscript/ texts
  figures      each figure's key (its panels' Results fields and settings)
  documents    the documents' key
  outputs      every file the build wrote, with its hash

A manifest that is missing, unreadable, or from another tool version is ignored.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import graph
from .errors import Notice
from .paths import TEMPLATES
from .version import __version__

CACHE_DIR = ".cache"
MANIFEST = "manifest.json"
RESULTS_PICKLE = "results.pickle"
DATA_FILES = ("study.yaml", "patients.csv", "tumor_assessments.csv", "adverse_events.csv",
              "tumor_lesions.csv", "data.xlsx", "study.lock")
TEXTS = "manuscript"  # the authors' Markdown, references and template overrides


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


@dataclass(frozen=True)
class Fingerprint:
    tool: str
    data: str  # the study's data files and study.yaml
    texts: str  # the study's manuscript/ folder
    templates: str  # the package's templates
    stages: dict[str, str] = field(default_factory=dict)  # stage name -> static key
    options: str = ""

    @property
    def results_key(self) -> str:
        return graph.digest(self.stages["results"], self.data, self.options)

    def stage(self, name: str) -> str:
        return self.stages[name]


def fingerprint(study_dir: Path, options: dict[str, object] | None = None,
                templates: Path | None = None) -> Fingerprint:
    """Content hashes of everything a build reads, and every stage's static key."""
    templates = TEMPLATES if templates is None else templates
    data = graph.hash_files([study_dir / n for n in DATA_FILES if (study_dir / n).is_file()],
                            study_dir)
    stages = {s.name: graph.static_key(s, __version__) for s in graph.STAGES}
    opts = json.dumps(options or {}, sort_keys=True, default=str)
    return Fingerprint(__version__, data, graph.hash_files(_tree(study_dir / TEXTS), study_dir),
                       graph.hash_files(_tree(templates), templates), stages,
                       hashlib.sha256(opts.encode()).hexdigest())


def read_manifest(out_dir: Path) -> dict | None:
    """The previous build's manifest, or None if absent, corrupt or from another version."""
    try:
        manifest = json.loads((out_dir / CACHE_DIR / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("fingerprint"), dict) \
            or manifest["fingerprint"].get("tool") != __version__:
        return None
    return manifest


def output_hashes(out_dir: Path) -> dict[str, str]:
    """Every file of a build folder (outside .cache) by relative path, with its hash."""
    return {p.relative_to(out_dir).as_posix(): file_sha256(p) for p in sorted(out_dir.rglob("*"))
            if p.is_file() and CACHE_DIR not in p.relative_to(out_dir).parts}


def write_manifest(out_dir: Path, fp: Fingerprint, study_dir: Path, *,
                   figures: dict[str, str], documents: str,
                   kept: tuple[str, ...] = (), notices: tuple[Notice, ...] = ()) -> None:
    """Record fingerprints and the hash of every output file (written last, inside staging).

    `kept` are files carried over from the previous folder that this build did not
    write (an author's edited copy); they are listed, not claimed as outputs."""
    outputs = {k: v for k, v in output_hashes(out_dir).items() if k not in kept}
    manifest = {"fingerprint": asdict(fp), "study": str(study_dir.resolve()),
                "outputs": outputs, "figures": figures, "documents": documents,
                "kept": sorted(kept), "notices": [asdict(n) for n in notices]}
    (out_dir / CACHE_DIR).mkdir(exist_ok=True)
    (out_dir / CACHE_DIR / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True),
                                                encoding="utf-8")


def manifest_notices(manifest: dict | None) -> tuple[Notice, ...]:
    """The documents' notices the last build recorded (documents reused: the same ones)."""
    try:
        return tuple(Notice(n["code"], n["message"], tuple(n.get("details", ())))
                     for n in (manifest or {}).get("notices", []))
    except (KeyError, TypeError):
        return ()


def outputs_intact(out_dir: Path, manifest: dict) -> bool:
    """Every recorded output still exists with the same content."""
    recorded = manifest.get("outputs")
    if not isinstance(recorded, dict) or not recorded:
        return False
    for rel, digest in recorded.items():
        path = out_dir / rel
        if not path.is_file() or file_sha256(path) != digest:
            return False
    return True


def same_fingerprint(manifest: dict, fp: Fingerprint) -> bool:
    return manifest.get("fingerprint") == asdict(fp)


def same_results(manifest: dict, fp: Fingerprint) -> bool:
    """The manifest's build computed its Results from the data, code and libraries fp
    describes (so its results pickle should be reusable; it has the final word)."""
    try:
        return Fingerprint(**manifest["fingerprint"]).results_key == fp.results_key
    except (KeyError, TypeError):
        return False


def is_current(manifest: dict, fp: Fingerprint, study_dir: Path, out_dir: Path) -> bool:
    """The manifest was written for this study with these fingerprints, outputs untouched."""
    return (manifest.get("study") == str(study_dir.resolve()) and same_fingerprint(manifest, fp)
            and outputs_intact(out_dir, manifest))


def up_to_date(study_dir: Path, out_dir: Path, options: dict[str, object] | None = None) -> bool:
    """True when a rebuild would produce exactly what out_dir already holds."""
    return previous_build(study_dir, out_dir, options) == "current"


def previous_build(study_dir: Path, out_dir: Path,
                   options: dict[str, object] | None = None) -> str:
    """What the last build into out_dir leaves for the next one, from its manifest alone
    (before pandas loads): "current" when a rebuild would write exactly what is there,
    "results" when the data, code and libraries of its Results are the same (the authors'
    texts or the templates changed, or an output file was touched), else "none"."""
    manifest = read_manifest(out_dir)
    if manifest is None or manifest.get("study") != str(study_dir.resolve()):
        return "none"
    fp = fingerprint(study_dir, options)
    if same_fingerprint(manifest, fp) and outputs_intact(out_dir, manifest):
        return "current"
    return "results" if same_results(manifest, fp) else "none"
