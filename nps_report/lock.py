"""Data lock: study.lock records the SHA-256 of every input, so a locked study cannot drift.

Locking is the moment the authors freeze the data cut. A build of a locked study
re-hashes the inputs first and refuses, naming each file that differs, before
anything is read or written; `unlock` is the explicit way out. The lock id is a
short hash of the locked content (files and data cutoff), so locking the same
data twice gives the same id and the manuscript can cite it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem, StudyError
from .inputs import input_files
from .limits import YAML_BYTES  # a lock is a few hundred bytes of JSON

LOCK_FILE = "study.lock"
FORMAT = 1


@dataclass(frozen=True)
class Lock:
    lock_id: str
    files: dict[str, str]  # file name -> sha256
    data_cutoff: str | None
    generator_version: str
    locked_at: str

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "lock_id": self.lock_id,
                           "data_cutoff": self.data_cutoff, "files": self.files,
                           "generator_version": self.generator_version,
                           "locked_at": self.locked_at}, indent=2) + "\n"


class LockError(StudyError):
    """A locked study whose inputs differ from the lock (or whose lock is unreadable)."""

    def __init__(self, study_dir: Path, head: str, problems: list[Problem], advice: str):
        self.study_dir, self.head, self.advice = study_dir, head, advice
        super().__init__(problems)

    def report(self) -> str:
        return "\n".join([f"{self.study_dir}: {self.head}",
                          *(f"  - {p}" for p in self.problems), self.advice])


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_hashes(study_dir: Path) -> dict[str, str]:
    """Every file a build can read (inputs.py): study.yaml, the tables in whatever format,
    an ADaM source's data sets."""
    return {name: _sha256(path) for name, path in input_files(study_dir).items()}


def lock_id_of(files: dict[str, str], data_cutoff: str | None) -> str:
    """Content id: same files and cutoff -> same id, whoever locks them and when."""
    canon = json.dumps({"files": dict(sorted(files.items())), "data_cutoff": data_cutoff},
                       sort_keys=True)
    return hashlib.sha256(canon.encode()).hexdigest()[:12]


def read_lock(study_dir: Path) -> Lock | None:
    """The study's lock, or None if it is not locked; LockError if study.lock is unreadable."""
    path = Path(study_dir) / LOCK_FILE
    if not path.is_file():
        return None
    try:
        if path.stat().st_size > YAML_BYTES:
            raise ValueError(f"larger than {YAML_BYTES} bytes")
        d: Any = json.loads(path.read_text(encoding="utf-8"))
        lock = Lock(str(d["lock_id"]), {str(k): str(v) for k, v in d["files"].items()},
                    d.get("data_cutoff"), str(d.get("generator_version", "")),
                    str(d.get("locked_at", "")))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LockError(Path(study_dir), "the study lock cannot be used:",
                        [Problem(LOCK_FILE, f"cannot be read ({exc})")],
                        f"Restore study.lock, or run `nps-report unlock {study_dir}` and lock "
                        "the study again.") from None
    if lock.lock_id != lock_id_of(lock.files, lock.data_cutoff):
        raise LockError(Path(study_dir), "the study lock cannot be used:",
                        [Problem(LOCK_FILE, "was edited by hand: its lock_id does not match "
                                            "its file hashes")],
                        f"Restore study.lock, or run `nps-report unlock {study_dir}` and lock "
                        "the study again.")
    return lock


def lock_study(study_dir: str | Path, *, locked_at: str,
               generator_version: str) -> tuple[Lock, bool]:
    """Validate the study, then write study.lock; (lock, False) if it was already locked.

    Refuses (LockError) when an existing lock records other data: unlock first."""
    from .pipeline import validate  # a lock of invalid data would be useless

    study_dir = Path(study_dir)
    study, _ = validate(study_dir)
    files = input_hashes(study_dir)
    cutoff = study.config.data_cutoff.isoformat() if study.config.data_cutoff else None
    existing = read_lock(study_dir)
    if existing is not None:
        verify_lock(study_dir)  # same data: keep the original lock and its date
        return existing, False
    lock = Lock(lock_id_of(files, cutoff), files, cutoff, generator_version, locked_at)
    (study_dir / LOCK_FILE).write_text(lock.to_json(), encoding="utf-8")
    return lock, True


def unlock_study(study_dir: str | Path) -> tuple[bool, Lock | None]:
    """Remove study.lock: (whether there was one, the lock if it was readable)."""
    path = Path(study_dir) / LOCK_FILE
    if not path.is_file():
        return False, None
    try:
        lock = read_lock(Path(study_dir))
    except LockError:
        lock = None  # an unreadable lock can still be removed
    path.unlink()
    return True, lock


def verify_lock(study_dir: str | Path) -> Lock | None:
    """None if unlocked; the lock if every input matches it; else LockError naming each file."""
    study_dir = Path(study_dir)
    lock = read_lock(study_dir)
    if lock is None:
        return None
    now = input_hashes(study_dir)
    problems = []
    for name in sorted(set(lock.files) | set(now)):
        if name not in now:
            problems.append(Problem(name, "removed since the study was locked"))
        elif name not in lock.files:
            problems.append(Problem(name, "added since the study was locked"))
        elif now[name] != lock.files[name]:
            problems.append(Problem(name, "changed since the study was locked (sha256 was "
                                          f"{lock.files[name][:12]}…, is {now[name][:12]}…)"))
    if not problems:
        return lock
    n = len(problems)
    head = (f"the study is locked (lock {lock.lock_id}, data cutoff "
            f"{lock.data_cutoff or 'not set'}, locked {lock.locked_at}) and {n} input "
            f"file{'s' if n != 1 else ''} differ{'s' if n == 1 else ''} from the lock:")
    raise LockError(study_dir, head, problems,
                    f"To build from the new data, run `nps-report unlock {study_dir}` "
                    f"(and `nps-report lock {study_dir}` to lock it again); otherwise "
                    "restore the locked files.")
