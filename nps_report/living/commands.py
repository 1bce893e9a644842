"""`nps-report update` and `nps-report check`: files in, a report printed, an exit code out."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from ..wordxml.record import BuildIdentity
from .check import check_docx
from .package import Docx, LivingError
from .update import update_docx
from .update.job import AUTHOR

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
INS, DEL, AUTHOR_ATTR = f"{W}ins", f"{W}del", f"{W}author"

MANUSCRIPT = "manuscript.docx"


def build_manuscript(build_dir: Path) -> Docx:
    """BUILD_DIR/manuscript.docx (a .docx given directly is taken as it is)."""
    path = build_dir if build_dir.suffix.lower() == ".docx" else build_dir / MANUSCRIPT
    if not path.is_file():
        why = "is not a folder" if not build_dir.is_dir() else f"has no {MANUSCRIPT}"
        raise LivingError(f"{build_dir}: {why}; give the folder `nps-report build` wrote "
                          "(e.g. --build build)")
    return Docx.read(path)


def edited_manuscript(path: Path) -> Docx:
    if path.is_dir():
        raise LivingError(f"{path}: a folder; give your edited .docx")
    if not path.is_file():
        raise LivingError(f"{path}: no such file")
    return Docx.read(path)


def default_out(edited: Path) -> Path:
    return edited.with_name(f"{edited.stem}-updated.docx")


def run_update(edited_path: Path, build_dir: Path, out: Path | None, *, date: str) -> int:
    out = out or default_out(edited_path)
    if out.is_dir():  # --out a folder: the file goes into it, named as by default
        out = out / default_out(edited_path).name
    try:
        build = build_manuscript(build_dir)
        edited = edited_manuscript(edited_path)
        _refuse_to_overwrite(out, edited_path, Path(build.path))
        pending = ours(edited.root)
        result = update_docx(edited, build, date=date)
    except LivingError as exc:
        print(f"nps-report update: {exc}", file=sys.stderr)
        return 2
    _write(out, result.docx)
    since = result.since.short() if result.since else "?"
    to = result.build.short() if result.build else "?"
    print(f"{edited_path} (from {since})\n  brought to {build_dir} ({to})")
    if result.since and result.build:
        _older(result.since, result.build, edited_path, build_dir)
    marks = ours(Docx.from_bytes(result.docx, str(out)).root)
    print(f"Wrote {out}: {marks} tracked change{'s' if marks != 1 else ''} by nps-report; "
          f"{edited_path} is unchanged.")
    if pending:
        print(f"({edited_path} already held {pending} tracked change"
              f"{'s' if pending != 1 else ''} by nps-report from an earlier update, not yet "
              "accepted: they are brought to this build with the rest.)")
    print("In Word: Review > Accept all takes the new values, Reject all gives your file back.")
    if result.updated:
        print("\nUpdated (as tracked changes):")
        for note in result.updated:
            print(f"  {note}")
    if result.reported:
        print("\nLeft as you have it — look at these:")
        for note in result.reported:
            print(f"  {note}")
    if not result.updated and not result.reported:
        print("\nNothing to update: every generated part already has the build's values.")
    print(f"\nThen `nps-report check {out} --build {build_dir}` lists the numbers you typed "
          "yourself that went stale.")
    return 0


def run_check(edited_path: Path, build_dir: Path) -> int:
    try:
        build = build_manuscript(build_dir)
        result = check_docx(edited_manuscript(edited_path), build)
    except LivingError as exc:
        print(f"nps-report check: {exc}", file=sys.stderr)
        return 2
    where = f"{build_dir} ({result.new.build.short()})"
    _older(result.old.build, result.new.build, edited_path, build_dir)
    if not result.findings:
        print(f"{edited_path}: every number matches {where}.")
        return 0
    k = len(result.findings)
    print(f"{edited_path}: {k} number{'s' if k != 1 else ''} or part{'s' if k != 1 else ''} "
          f"do{'es' if k == 1 else ''} not match {where}:")
    for finding in result.findings:
        print(f"  {finding}")
    if any(f.generated for f in result.findings):
        print(f"\n`nps-report update {edited_path} --build {build_dir}` brings the generated "
              "parts up to date as tracked changes; the numbers you typed are yours to change.")
    else:
        print("\nThese are numbers you typed or typed over: `nps-report update` keeps your "
              "words as you wrote them, so change these by hand.")
    return 1


def ours(root) -> int:
    """Tracked changes by nps-report in a document (pending, from an earlier update)."""
    return sum(1 for el in root.iter(INS, DEL) if el.get(AUTHOR_ATTR) == AUTHOR)


def _older(since: BuildIdentity, build: BuildIdentity, edited: Path, build_dir: Path) -> None:
    """Say so when the build is older than the one the file came from: an easy mix-up."""
    if build.built_at and since.built_at and build.built_at < since.built_at:
        print(f"Note: {build_dir} was built ({build.built_at}) before the build {edited} came "
              f"from ({since.built_at}); is it the right folder?")


def _refuse_to_overwrite(out: Path, edited: Path, build: Path) -> None:
    if not out.exists():
        return
    for path, what in ((edited, "the file it updates"), (build, "the build's manuscript")):
        if out.resolve() == path.resolve():
            raise LivingError(f"{out}: update never writes over {what}; give another --out")


def _write(dest: Path, data: bytes) -> None:
    """Written beside dest and moved into place: never a half-written file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
