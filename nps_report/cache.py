"""Build fingerprints and the manifest: what the last build in a folder was made from.

The no-op check runs before pandas, matplotlib or WeasyPrint are imported, so this
module imports nothing heavy. A build records in OUT/.cache/manifest.json:

  fingerprint  the static key of every stage (graph.py: code, library versions,
               Python), the study's data files (inputs.py), templates and manuscript/
               texts
  figures      each figure's key (its panels' Results fields and settings)
  documents    the documents' key
  outputs      every file the build wrote, with its hash

A manifest that is missing, unreadable, or from another tool version is ignored, and
so is one this user did not write or others may change (trusted_file): what a build
reuses must come from the user's own earlier build, never from whoever else can write
a shared folder. The study's files are hashed only if they are its own (inside.py): a
symbolic link out of the study is refused before anything is read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import graph
from .errors import Notice, StudyError
from .inputs import input_files
from .inside import check_file, files_under
from .limits import YAML_BYTES
from .paths import TEMPLATES
from .usercache import trusted_file
from .version import __version__

CACHE_DIR = ".cache"
MANIFEST = "manifest.json"
RESULTS_CACHE = "results.json"  # the Results and per-patient columns (outputs.save_results)
CACHE_MODE = 0o644  # whatever the umask: a file others may change is not trusted
LOCK_FILE = "study.lock"
TEXTS = "manuscript"  # the authors' Markdown, references and template overrides


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_cache_file(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    os.chmod(path, CACHE_MODE)


def _data_files(study_dir: Path) -> dict[str, Path]:
    """The study's data files that exist (inputs.py's list: CSVs, package files, an ADaM
    folder's data sets) and its lock, by name; StudyError for one inside the study that is
    not its own regular file (a link out of the study, a folder named data.xlsx). An ADaM
    folder study.yaml names outside the study is read as told."""
    files = input_files(study_dir)
    lock = study_dir / LOCK_FILE
    if lock.exists() or lock.is_symlink():
        files[LOCK_FILE] = lock
    problems = []
    for name, path in list(files.items()):
        if name.startswith("../") or Path(name).is_absolute():
            continue
        problem = check_file(study_dir, path)
        if problem is not None:
            del files[name]
            problems.append(problem)
    if problems:
        raise StudyError(problems)
    return files


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
    data = graph.hash_named(_data_files(study_dir))
    stages = {s.name: graph.static_key(s, __version__) for s in graph.STAGES}
    opts = json.dumps(options or {}, sort_keys=True, default=str)
    texts = graph.hash_files(files_under(study_dir, study_dir / TEXTS), study_dir)
    journal = _journal_file(study_dir)
    if journal is not None:  # the study's own profile (or one named by its absolute path)
        texts = graph.digest(texts, str(journal), journal.read_bytes())
    shipped = [p for p in templates.rglob("*") if p.is_file()]  # the package's own
    return Fingerprint(__version__, data, texts, graph.hash_files(shipped, templates), stages,
                       hashlib.sha256(opts.encode()).hexdigest())


_NAMES_A_FILE = re.compile(rb"journal\s*:\s*['\"]?[^\n'\"#]*(\.ya?ml|/)")


def _journal_file(study_dir: Path) -> Path | None:
    """The journal profile file study.yaml names, when it names a file (not a shipped
    profile): what the documents are made from, so its edits must rebuild them. Whatever
    stops it being read is left to the build, which says so."""
    yaml_file = study_dir / "study.yaml"
    try:
        raw = yaml_file.read_bytes() if yaml_file.is_file() else b""
    except OSError:
        return None
    if not _NAMES_A_FILE.search(raw):  # a shipped profile: no YAML to parse (the no-op check)
        return None
    import yaml

    from .config.yamlfile import bounded_load

    try:
        data = bounded_load(raw.decode("utf-8-sig"), "study.yaml")
    except (yaml.YAMLError, UnicodeDecodeError, StudyError):
        return None
    name = data.get("journal") if isinstance(data, dict) else None
    if not isinstance(name, str) or not (name.endswith((".yaml", ".yml")) or "/" in name):
        return None
    path = Path(name) if Path(name).is_absolute() else study_dir / name
    inside = Path(name).is_absolute() or check_file(study_dir, path, limit=YAML_BYTES) is None
    return path if inside and path.is_file() and path.stat().st_size <= YAML_BYTES else None


def read_manifest(out_dir: Path) -> dict | None:
    """The previous build's manifest, or None if absent, corrupt, from another version, or
    not this user's own (trusted_file)."""
    path = out_dir / CACHE_DIR / MANIFEST
    if not trusted_file(path):
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("fingerprint"), dict) \
            or manifest["fingerprint"].get("tool") != __version__:
        return None
    return manifest


def output_hashes(out_dir: Path) -> dict[str, str]:
    """Every regular file of a build folder (outside .cache; links are not followed) by
    relative path, with its hash."""
    return {p.relative_to(out_dir).as_posix(): file_sha256(p) for p in build_files(out_dir)}


def build_files(out_dir: Path) -> list[Path]:
    """The regular files of a build folder outside .cache, sorted (links not followed)."""
    found = []
    for top, dirs, names in os.walk(out_dir):
        if Path(top) == out_dir and CACHE_DIR in dirs:
            dirs.remove(CACHE_DIR)
        found += [Path(top) / n for n in names
                  if stat.S_ISREG(os.lstat(os.path.join(top, n)).st_mode)]
    return sorted(found)


def write_manifest(out_dir: Path, fp: Fingerprint, study_dir: Path, *,
                   figures: dict[str, str], documents: str,
                   kept: tuple[str, ...] = (), notices: tuple[Notice, ...] = ()) -> None:
    """Record fingerprints and the hash of every output file (written last, inside staging).

    `kept` are files carried over from the previous folder that this build did not
    write (an author's edited copy); they are listed, not claimed as outputs."""
    outputs = {k: v for k, v in output_hashes(out_dir).items() if k not in kept}
    manifest = {"written_by": "nps-report", "fingerprint": asdict(fp),
                "study": str(study_dir.resolve()),
                "outputs": outputs, "figures": figures, "documents": documents,
                "kept": sorted(kept), "notices": [asdict(n) for n in notices]}
    (out_dir / CACHE_DIR).mkdir(exist_ok=True)
    write_cache_file(out_dir / CACHE_DIR / MANIFEST,
                     json.dumps(manifest, indent=1, sort_keys=True))


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
        if path.is_symlink() or not path.is_file() or file_sha256(path) != digest:
            return False
    return True


def same_fingerprint(manifest: dict, fp: Fingerprint) -> bool:
    return manifest.get("fingerprint") == asdict(fp)


def same_results(manifest: dict, fp: Fingerprint) -> bool:
    """The manifest's build computed its Results from the data, code and libraries fp
    describes (so its cached Results should be reusable; their own check has the final word)."""
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
