"""Build fingerprints: decide what changed using content hashes, with the standard library only.

The no-op check runs before pandas, matplotlib or WeasyPrint are imported, so this
module must import nothing heavy. A build records its fingerprints in
OUT/.cache/manifest.json; the next build compares them part by part:

  data       study.yaml, the tables, study.lock and the package's code -> Results
  documents  templates and the study's manuscript/*.md                 -> PDF, DOCX
  outputs    every file the build wrote, with its hash                 -> nothing was touched

A manifest that is missing, unreadable, or from another tool version is ignored.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .paths import TEMPLATES
from .version import __version__

CACHE_DIR = ".cache"
MANIFEST = "manifest.json"
RESULTS_PICKLE = "results.pickle"
PACKAGE = Path(__file__).resolve().parent
DATA_FILES = ("study.yaml", "patients.csv", "tumor_assessments.csv", "adverse_events.csv",
              "data.xlsx", "study.lock")


def _hash_files(paths: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path.relative_to(root)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    tool: str
    code: str
    data: str
    documents: str
    options: str

    @property
    def results_key(self) -> str:
        return hashlib.sha256(f"{self.tool}|{self.code}|{self.data}".encode()).hexdigest()


def fingerprint(study_dir: Path, options: dict[str, object] | None = None) -> Fingerprint:
    """Content hashes of everything a build reads; options are CLI choices that shape output."""
    code = _hash_files([p for p in PACKAGE.rglob("*") if p.is_file()
                        and p.suffix in (".py", ".ttf") and "__pycache__" not in p.parts],
                       PACKAGE)
    data = _hash_files([study_dir / n for n in DATA_FILES if (study_dir / n).is_file()],
                       study_dir)
    manuscript = study_dir / "manuscript"
    texts = [p for p in manuscript.rglob("*") if p.is_file()] if manuscript.is_dir() else []
    templates = [p for p in TEMPLATES.rglob("*") if p.is_file()] if TEMPLATES.is_dir() else []
    documents = hashlib.sha256((_hash_files(texts, study_dir) + _hash_files(
        templates, TEMPLATES)).encode()).hexdigest()
    opts = json.dumps(options or {}, sort_keys=True, default=str)
    return Fingerprint(__version__, code, data, documents,
                       hashlib.sha256(opts.encode()).hexdigest())


def read_manifest(out_dir: Path) -> dict | None:
    """The previous build's manifest, or None if absent, corrupt or from another version."""
    try:
        manifest = json.loads((out_dir / CACHE_DIR / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("fingerprint", {}).get("tool") != \
            __version__:
        return None
    return manifest


def write_manifest(out_dir: Path, fp: Fingerprint, study_dir: Path, **extra: str) -> None:
    """Record fingerprints and the hash of every output file (written last, inside staging)."""
    outputs = {str(p.relative_to(out_dir)): file_sha256(p) for p in sorted(out_dir.rglob("*"))
               if p.is_file() and CACHE_DIR not in p.relative_to(out_dir).parts}
    manifest = {"fingerprint": asdict(fp), "study": str(study_dir.resolve()),
                "outputs": outputs, **extra}
    (out_dir / CACHE_DIR).mkdir(exist_ok=True)
    (out_dir / CACHE_DIR / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True),
                                                encoding="utf-8")


def outputs_intact(out_dir: Path, manifest: dict) -> bool:
    """Every recorded output still exists with the same content, and nothing is missing."""
    recorded = manifest.get("outputs")
    if not isinstance(recorded, dict) or not recorded:
        return False
    for rel, digest in recorded.items():
        path = out_dir / rel
        if not path.is_file() or file_sha256(path) != digest:
            return False
    return True


def same_results(manifest: dict, fp: Fingerprint) -> bool:
    """The manifest's build computed its Results from the data and code that fp describes
    (so its results pickle should be reusable; load_results() has the final word)."""
    try:
        return Fingerprint(**manifest["fingerprint"]).results_key == fp.results_key
    except (KeyError, TypeError):
        return False


def is_current(manifest: dict, fp: Fingerprint, study_dir: Path, out_dir: Path) -> bool:
    """The manifest was written for this study with these fingerprints, outputs untouched."""
    return (manifest.get("study") == str(study_dir.resolve())
            and manifest.get("fingerprint") == asdict(fp)
            and outputs_intact(out_dir, manifest))


def up_to_date(study_dir: Path, out_dir: Path, options: dict[str, object] | None = None) -> bool:
    """True when a rebuild would produce exactly what out_dir already holds."""
    manifest = read_manifest(out_dir)
    return manifest is not None and is_current(manifest, fingerprint(study_dir, options),
                                               study_dir, out_dir)
