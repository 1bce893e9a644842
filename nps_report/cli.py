"""Command line: parses arguments, calls the library, prints. No analysis happens here."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import StudyError
from .interrupts import Interrupted, handled
from .paths import REFERENCE_STUDY
from .version import __version__, version_report


def built_at_from_env() -> str:
    """SOURCE_DATE_EPOCH if set (reproducible builds), else now, as UTC ISO 8601."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit()
            else dt.datetime.now(dt.UTC))
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")


class _VersionAction(argparse.Action):
    """--version: the tool's, Python's and the key libraries' versions, read only when asked
    (from package metadata: nothing is imported)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show the versions of nps-report, Python and the key libraries")

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        print(version_report())
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nps-report",
        description="Turn a single-arm oncology study folder into a manuscript "
                    "(PDF, Word, results.json, figures, tables).")
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("--debug", action="store_true",
                        help="show the Python traceback of unexpected errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    b = sub.add_parser("build", help="validate, analyse and write every output",
                       description="Validate STUDY, analyse it and write manuscript.pdf, "
                                   "manuscript.docx, results.json, figures/ and tables/ "
                                   "into --out, all or nothing.")
    b.add_argument("study", nargs="?", type=Path, default=REFERENCE_STUDY,
                   help="study folder (default: the shipped reference study)")
    b.add_argument("--out", type=Path, default=Path("build"),
                   help="output folder (default: build/)")
    b.add_argument("--force", action="store_true",
                   help="rebuild everything, ignoring what the last build in --out can reuse")
    b.add_argument("--compare-to", type=Path, metavar="OLD_BUILD_DIR",
                   help="an earlier build folder: also write changes.csv/.html/.docx and "
                        "manuscript-tracked.docx (revision marks against it); may be --out "
                        "itself")
    c = sub.add_parser("compare", help="report what changed between two build folders",
                       description="Write changes.csv, changes.html, changes.docx and "
                                   "manuscript-tracked.docx comparing build NEW with OLD.")
    c.add_argument("old", type=Path, help="the earlier build folder")
    c.add_argument("new", type=Path, help="the later build folder")
    c.add_argument("--out", type=Path, help="where to write the report (default: NEW)")
    for name, text in (("lock", "freeze the data: record the SHA-256 of every input in "
                                "STUDY/study.lock; locked studies refuse to build if an input "
                                "changes"),
                       ("unlock", "remove STUDY/study.lock so changed data can be built")):
        sp = sub.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        sp.add_argument("study", nargs="?", type=Path, default=REFERENCE_STUDY,
                        help="study folder (default: the shipped reference study)")
    i = sub.add_parser("init", help="start a new study folder from a small example, or for "
                                    "a sponsor's ADaM data sets",
                       description="Write a commented study.yaml, the three tables with four "
                                   "example patients, and manuscript/introduction.md into "
                                   "FOLDER; it validates and builds as it is. With --from-adam "
                                   "DIR, write a study.yaml that reads the ADaM data sets in "
                                   "DIR where they are, guessing the usual variables and "
                                   "marking each guess to check.")
    i.add_argument("folder", type=Path, help="the new study folder (must not exist yet)")
    i.add_argument("--from-adam", type=Path, metavar="DIR",
                   help="a folder of ADaM data sets (adsl, adrs, adtte, adae as .xpt, "
                        ".sas7bdat, .parquet, .csv or .rds)")
    u = sub.add_parser("update", help="bring an edited manuscript.docx up to date with a build",
                       description="Write UPDATED.docx: EDITED.docx with every generated "
                                   "number, table and legend brought to BUILD_DIR's values as "
                                   "tracked changes by nps-report; your own text is left as it "
                                   "is and EDITED.docx is never modified.")
    u.add_argument("edited", type=Path, metavar="EDITED.docx",
                   help="your manuscript, made from an earlier build and edited in Word")
    u.add_argument("--build", type=Path, required=True, metavar="BUILD_DIR",
                   help="the build folder with the new manuscript.docx")
    u.add_argument("--out", type=Path, metavar="UPDATED.docx",
                   help="where to write (default: EDITED-updated.docx beside EDITED.docx)")
    k = sub.add_parser("check", help="list the numbers of an edited manuscript.docx that a "
                                     "build has changed",
                       description="List every number in EDITED.docx that does not match "
                                   "BUILD_DIR: generated numbers out of date, and numbers in "
                                   "your own text that were an earlier value of a changed "
                                   "quantity. Exit 0 if none, 1 if some, 2 on an input error.")
    k.add_argument("edited", type=Path, metavar="EDITED.docx", help="your manuscript")
    k.add_argument("--build", type=Path, required=True, metavar="BUILD_DIR",
                   help="the build folder to check against")
    p = sub.add_parser("preview", help="the manuscript as a live web page while you edit",
                       description="Serve STUDY's manuscript on http://127.0.0.1:PORT/, "
                                   "rebuilt when a file of the study changes; point at a "
                                   "number to see its results.json key, value, method and "
                                   "patients. Writes nothing into STUDY; the PDF and DOCX go "
                                   "into --out when the page asks or when the preview stops.")
    p.add_argument("study", nargs="?", type=Path, default=REFERENCE_STUDY,
                   help="study folder (default: the shipped reference study)")
    p.add_argument("--port", type=int, help="port on 127.0.0.1 (default: 8000, or the next "
                                            "free one)")
    p.add_argument("--out", type=Path, default=Path("build"),
                   help="where the PDF and DOCX are written (default: build/)")
    p.add_argument("--open", action="store_true", help="open the page in the web browser")
    v = sub.add_parser("validate", help="check a study folder and report every problem",
                       description="Check STUDY against the study contract; exit 0 if valid, "
                                   "2 with one line per problem if not. Writes nothing.")
    v.add_argument("study", nargs="?", type=Path, default=REFERENCE_STUDY,
                   help="study folder (default: the shipped reference study)")
    return parser


def run() -> None:
    """The console entry point: main() with the collector tuned for one short-lived run.

    A build allocates millions of objects that live until exit (the imported libraries
    above all), so CPython's default collection every 700 allocations re-scans them
    over and over, and at exit tears them all down. Collecting every 10,000 allocations
    and freezing what is left before exit took about 0.15 s off a 2 s build
    (BENCHMARKS.md); cyclic garbage is still collected, only less often."""
    gc.set_threshold(10_000, 10, 10)
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        commands = {"init": _init, "validate": _validate, "lock": _lock, "unlock": _unlock,
                    "compare": _compare, "build": _build, "update": _update, "check": _check,
                    "preview": _preview}
        with handled():
            return commands[args.command](args)
    except StudyError as exc:
        print(exc.report(), file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Interrupted) as exc:
        stop = exc if isinstance(exc, Interrupted) else Interrupted(2)
        if stop.after_commit:
            print(f"interrupted ({stop}) after the build was written into {args.out}/",
                  file=sys.stderr)
        else:
            print(f"interrupted ({stop}); nothing was written"
                  + (f": {args.out}/ is as it was" if args.command == "build" else ""),
                  file=sys.stderr)
        return stop.exit_code
    except Exception as exc:
        if args.debug:
            raise
        if isinstance(exc, OSError) and exc.errno is not None:
            print(f"nps-report: {_machine_error(exc, args)}", file=sys.stderr)
            return 2 if args.command == "check" else 1
        print(f"nps-report: internal error: {type(exc).__name__}: {exc}\n"
              "The output folder was left as it was. Run again with --debug for the "
              "traceback and report it.", file=sys.stderr)
        return 2 if args.command == "check" else 1  # check's 1 means "stale numbers"


# What the machine, not the input, can make a command fail with: said in one line.
_FIXES = {errno.ENOSPC: "free some space", errno.EDQUOT: "free some space in your quota",
          errno.EFBIG: "raise the file-size limit (ulimit -f) or free space",
          errno.EROFS: "choose a folder on a writable disk",
          errno.EACCES: "check the folder's permissions", errno.EPERM: "check the permissions"}


def _machine_error(exc: OSError, args: argparse.Namespace) -> str:
    """'build/: No space left on device (free some space); nothing was written: build/ is
    as it was', naming the folder the user gave rather than the staging folder in it."""
    where = str(exc.filename or "")
    out = getattr(args, "out", None) if args.command == "build" else None
    if out is not None and (not where or f".{Path(out).name}.nps-" in where
                            or where.startswith(str(out))):
        where = f"{out}/"
    fix = _FIXES.get(exc.errno or 0)
    return (f"{where + ': ' if where else ''}{exc.strerror or os.strerror(exc.errno or 0)}"
            + (f" ({fix})" if fix else "") + "; nothing was written"
            + (f": {out}/ is as it was" if out is not None else ""))


def _init(args: argparse.Namespace) -> int:
    if args.from_adam is not None:
        from .scaffold_adam import init_from_adam

        for path in init_from_adam(args.folder, args.from_adam):
            print(f"  {path}")
        print(f"Next: check the lines marked CHECK in {args.folder}/study.yaml, then\n"
              f"  nps-report validate {args.folder}   (says where each number comes from)\n"
              f"  nps-report build {args.folder} --out {args.folder}-build")
        return 0
    from .scaffold import init_study

    for path in init_study(args.folder):
        print(f"  {path}")
    print(f"Next: edit {args.folder}/study.yaml and the CSVs, then\n"
          f"  nps-report validate {args.folder}\n  nps-report build {args.folder} --out "
          f"{args.folder}-build")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .pipeline import validate

    study, endpoints = validate(args.study)
    n = len(study.patients)
    if study.given is None:
        lesions = "" if study.lesions is None else f"{len(study.lesions)} lesion measurements, "
        print(f"{args.study}: valid ({n} patient{'s' if n != 1 else ''}, {lesions}"
              f"{len(study.assessments)} assessments, {len(study.adverse_events)} adverse "
              "events)")
    else:
        print(f"{args.study}: valid ({n} patient{'s' if n != 1 else ''} and "
              f"{len(study.adverse_events)} adverse events counted, from the ADaM data sets "
              f"in {study.config.source.adam if study.config.source else ''})")
        print("Where each reported number comes from:")
        for line in study.given.lineage:
            print(f"  {line}")
    _print_notices((*study.notices, *endpoints.notices))
    return 0


def _print_notices(notices: Sequence[object]) -> None:
    """What the build did to the data that the user must hear (errors.Notice)."""
    for notice in notices:
        print(f"Note: {notice}")


def _build(args: argparse.Namespace) -> int:
    from .outdir import clean_after_crash

    # before the no-op check: a build a crash had set aside may be put back
    for done in clean_after_crash(args.out, args.study):
        print(f"  {done}", file=sys.stderr)
    state = "none"
    if not args.force and args.compare_to is None:
        from .cache import previous_build  # standard library only: decided before pandas loads

        state = previous_build(args.study, args.out)
        if state == "current":
            print(f"Up to date: nothing changed since the last build of {args.study} into "
                  f"{args.out}/ (use --force to rebuild anyway).")
            return 0
    from .outdir import private_tempdir

    with private_tempdir():  # before the worker forks: its temporary files go there too
        return _build_now(args, state)


def _build_now(args: argparse.Namespace, state: str) -> int:
    worker = None
    if state == "results":
        # Most likely a prose edit, with only the documents to make: WeasyPrint loads
        # in a worker while the build's own modules load here (BENCHMARKS.md).
        from .parallel import Worker, preload_pdf

        worker = Worker.start(preload_pdf)
    from .build import build

    def progress(msg: str) -> None:
        print(f"  {msg}", file=sys.stderr)

    # the headline numbers of the build already there (a prose edit cannot move them)
    previous = _previous_results(args.out) if state != "results" else None
    result = build(args.study, args.out, built_at=built_at_from_env(),
                   compare_to=args.compare_to, force=args.force, progress=progress,
                   worker=worker)
    print(f"Built {result.results.n_patients}-patient study into {result.out_dir}/:")
    for path in result.files:
        print(f"  {path}")
    _print_notices(result.notices)
    for rel, why in result.kept.items():
        print(f"\nKept {result.out_dir / rel}: {why}.")
        if rel.endswith(".docx") and "edited" in why:
            print(f"Bring it up to date with: nps-report update {result.out_dir / rel} "
                  f"--build {result.out_dir}")
    if result.changes is not None:
        if not (result.out_dir / "manuscript-tracked.docx").exists():
            print(f"(no manuscript-tracked.docx: {args.compare_to} has no manuscript.docx)")
        print(f"\nChanges since {args.compare_to}:\n{result.changes.summary}")
    if (previous is not None and previous.study.title == result.results.study.title
            and previous.provenance.inputs != result.results.provenance.inputs):
        from .compare.headlines import headline_lines

        edited = next((result.out_dir / rel for rel, why in result.kept.items()
                       if rel.endswith(".docx") and "edited" in why), None)
        print("\n" + "\n".join(headline_lines(previous, result.results, result.out_dir,
                                              edited)))
    return 0


def _previous_results(out: Path):  # -> Results | None
    """The results of the build already in `out`, if it is one this version can read."""
    path = out / "results.json"
    if not path.is_file():
        return None
    import json

    from .codec import CodecError
    from .results import Results

    try:
        return Results.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, CodecError):
        return None


def _preview(args: argparse.Namespace) -> int:
    from .outdir import check_output_folder
    from .preview import preview

    check_output_folder(args.out, args.study)  # refused now, not after an hour of editing
    return preview(args.study, args.out, args.port or 8000, args.port is not None, args.open,
                   echo=lambda msg: print(msg, flush=True))


def _lock(args: argparse.Namespace) -> int:
    from .lock import lock_study

    lock, new = lock_study(args.study, locked_at=built_at_from_env(),
                           generator_version=__version__)
    print(f"{args.study}: {'locked' if new else 'already locked'} (lock {lock.lock_id}, data "
          f"cutoff {lock.data_cutoff or 'not set'}, locked {lock.locked_at}); hashed:")
    for name, digest in lock.files.items():
        print(f"  {name}  sha256 {digest}")
    return 0


def _unlock(args: argparse.Namespace) -> int:
    from .lock import unlock_study

    removed, lock = unlock_study(args.study)
    what = f"lock {lock.lock_id}" if lock else "an unreadable study.lock"
    print(f"{args.study}: unlocked ({what} removed)" if removed
          else f"{args.study}: was not locked")
    return 0


def _update(args: argparse.Namespace) -> int:
    from .living.commands import run_update

    return run_update(args.edited, args.build, args.out, date=built_at_from_env())


def _check(args: argparse.Namespace) -> int:
    from .living.commands import run_check

    return run_check(args.edited, args.build)


def _compare(args: argparse.Namespace) -> int:
    from .compare import TRACKED, compare_builds, load_build
    from .outdir.guard import check_report_folder

    old, new = load_build(args.old), load_build(args.new)
    dest = args.out or args.new
    check_report_folder(dest, ("changes.csv", "changes.html", "changes.docx", TRACKED))
    dest.mkdir(parents=True, exist_ok=True)
    result = compare_builds(old, new, dest, built_at=built_at_from_env())
    for path in result.files:
        print(f"  {path}")
    if result.tracked is None:
        print("  (no manuscript-tracked.docx: a build has no manuscript.docx)")
    print(result.report.summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
