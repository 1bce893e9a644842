"""Which folder a build may write: a new one, an empty one, or one an earlier build wrote.

A build replaces its output folder as a whole, so it must never take a folder holding
anything it cannot carry over. A folder is an earlier build's when its
.cache/manifest.json is one of ours (a `.cache/` folder alone proves nothing: many tools
make one). Refused whatever they hold: the root folder, the home folder, the study
folder and every folder above it, and the current folder or one above it.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import CACHE_DIR, MANIFEST
from ..errors import Problem, StudyError

SHOWN = 5  # files named in a refusal
_SHA256 = re.compile(r"[0-9a-f]{64}")


class OutputFolderError(StudyError):
    """The output folder cannot be used; the message names it and why."""

    def report(self) -> str:
        return "\n".join(f"cannot build into {p}" for p in self.problems)


@dataclass(frozen=True)
class Target:
    """Where the build goes: `out` as given, `real` the folder to replace (a symbolic
    link's target: the link stays), and what the last build there wrote (rel -> sha256;
    empty for a new or empty folder)."""

    out: Path
    real: Path
    outputs: dict[str, str] = field(default_factory=dict)
    kept: tuple[str, ...] = ()  # files the last build carried over
    exists: bool = False


def recorded_outputs(manifest: object) -> dict[str, str] | None:
    """The files a manifest says its build wrote, or None if it is not a manifest of ours."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("fingerprint"), dict):
        return None
    outputs = manifest.get("outputs")
    if not isinstance(outputs, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and _SHA256.fullmatch(v)
            for k, v in outputs.items()):
        return None
    return dict(outputs)


def read_own_manifest(folder: Path) -> dict | None:
    """folder/.cache/manifest.json if it is a regular file holding one of our manifests."""
    path = folder / CACHE_DIR / MANIFEST
    try:
        if not stat.S_ISREG(path.lstat().st_mode) or path.stat().st_size > 64 << 20:
            return None
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if recorded_outputs(manifest) is not None else None


def check_output_folder(out: Path, study: Path | None = None) -> Target:
    """The Target for `out`, or OutputFolderError saying why a build must not write there."""
    out = Path(out)
    real = out.resolve()
    refuse_forbidden(out, study)
    if not real.exists():
        return Target(out, real)
    if not real.is_dir():
        raise OutputFolderError([Problem(str(out), "it is a file, not a folder",
                                         expected="a new folder, or an earlier build's "
                                                  "folder")])
    if os.path.ismount(real):
        raise OutputFolderError([Problem(str(out), "it is a mount point, which a build "
                                                   "cannot replace",
                                         expected="a folder inside it, e.g. "
                                                  f"{out / 'build'}")])
    manifest = read_own_manifest(real)
    if manifest is None:
        entries = sorted(os.listdir(real))
        if entries:
            raise OutputFolderError([_foreign(out, real, entries)])
        return Target(out, real, exists=True)
    specials = _special_files(real)
    if specials:
        raise OutputFolderError([Problem(str(out), "it holds files that are not regular "
                                                   "files, folders or links ("
                                         + ", ".join(specials[:SHOWN]) + "), which a build "
                                         "cannot carry over", expected="those moved out")])
    kept = manifest.get("kept", [])
    return Target(out, real, recorded_outputs(manifest) or {},
                  tuple(k for k in kept if isinstance(k, str)) if isinstance(kept, list)
                  else (), exists=True)


def refuse_forbidden(out: Path, study: Path | None) -> None:
    """OutputFolderError when out may never be an output folder, whatever it holds (checked
    before a build answers "up to date", too)."""
    problem = _forbidden(Path(out), Path(out).resolve(), study)
    if problem:
        raise OutputFolderError([Problem(str(out), problem)])


def _forbidden(out: Path, real: Path, study: Path | None) -> str | None:
    """Why out may never be an output folder, whatever it holds."""
    if real == Path(real.anchor):
        return "it is the root folder; give --out a folder of its own, e.g. build"
    home = Path.home().resolve()
    if real == home:
        return "it is your home folder; give --out a folder of its own, e.g. ~/build"
    if study is not None:
        study_real = Path(study).resolve()
        if real == study_real:
            return ("it is the study folder, which holds your data; give --out a folder "
                    "of its own, e.g. " + str(study / "build"))
        if study_real.is_relative_to(real):
            return (f"it holds the study folder {study}; give --out a folder of its own, "
                    "e.g. " + str(Path(study) / "build"))
    cwd = Path.cwd().resolve()
    if cwd.is_relative_to(real):
        return ("it is the current folder or one above it, which a build would replace; "
                "give --out a folder below it, e.g. build")
    return None


def _foreign(out: Path, real: Path, entries: list[str]) -> Problem:
    """Refusal of a non-empty folder no build wrote, naming a few of its files."""
    named = [f"{e}/" if (real / e).is_dir() else e for e in entries[:SHOWN]]
    more = f" and {len(entries) - SHOWN} more" if len(entries) > SHOWN else ""
    why = (" (it has a .cache/ folder, but no manifest nps-report wrote)"
           if CACHE_DIR in entries else "")
    return Problem(str(out), f"not an nps-report build folder, and not empty{why}: it holds "
                             f"{', '.join(named)}{more}",
                   expected="a new or empty folder for --out, or the folder of an earlier "
                            "build: building here would replace files nps-report did not "
                            "write")


def _special_files(folder: Path) -> list[str]:
    """Entries below folder that are neither regular files, folders nor symbolic links."""
    found = []
    for top, dirs, names in os.walk(folder):
        for name in (*dirs, *names):
            mode = os.lstat(os.path.join(top, name)).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
                found.append(os.path.relpath(os.path.join(top, name), folder))
    return sorted(found)


def check_report_folder(dest: Path, names: tuple[str, ...]) -> None:
    """`compare --out DEST` writes a few files into DEST: refused in the root or home folder,
    and where a file of those names exists in a folder no build wrote (it is someone's)."""
    dest = Path(dest)
    real = dest.resolve()
    if real == Path(real.anchor) or real == Path.home().resolve():
        raise OutputFolderError([Problem(str(dest), "it is the root or your home folder; give "
                                                    "--out a folder of its own")])
    taken = [n for n in names if (dest / n).exists() or (dest / n).is_symlink()]
    if taken and read_own_manifest(real) is None:
        raise OutputFolderError([Problem(str(dest), f"it holds {', '.join(taken)}, which "
                                                    "nps-report did not write there",
                                         expected="another --out folder, or those files "
                                                  "moved first")])
