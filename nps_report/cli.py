"""Command line: parses arguments, calls the library, prints. No analysis happens here."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import StudyError
from .paths import REFERENCE_STUDY
from .version import __version__


def built_at_from_env() -> str:
    """SOURCE_DATE_EPOCH if set (reproducible builds), else now, as UTC ISO 8601."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit()
            else dt.datetime.now(dt.UTC))
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nps-report",
        description="Turn a single-arm oncology study folder into a manuscript "
                    "(PDF, Word, results.json, figures, tables).")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
    v = sub.add_parser("validate", help="check a study folder and report every problem",
                       description="Check STUDY against the study contract; exit 0 if valid, "
                                   "2 with one line per problem if not. Writes nothing.")
    v.add_argument("study", nargs="?", type=Path, default=REFERENCE_STUDY,
                   help="study folder (default: the shipped reference study)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        if args.command == "validate":
            return _validate(args)
        return _build(args)
    except StudyError as exc:
        print(exc.report(), file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"nps-report: internal error: {type(exc).__name__}: {exc}\n"
              "The output folder was left as it was. Run again with --debug for the "
              "traceback and report it.", file=sys.stderr)
        return 1


def _validate(args: argparse.Namespace) -> int:
    from .pipeline import validate

    study, _ = validate(args.study)
    n = len(study.patients)
    print(f"{args.study}: valid ({n} patient{'s' if n != 1 else ''}, "
          f"{len(study.assessments)} assessments, {len(study.adverse_events)} adverse events)")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .build import build

    def progress(msg: str) -> None:
        print(f"  {msg}", file=sys.stderr)

    result = build(args.study, args.out, built_at=built_at_from_env(), progress=progress)
    print(f"Built {result.results.n_patients}-patient study into {result.out_dir}/:")
    for path in result.files:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
