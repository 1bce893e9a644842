"""A build killed at any step leaves the previous build or the new one, and the next build
cleans up (issue 20); signals, a full disk and a file-size limit end a build with one line,
nothing written, no staging or temporary folder and no child process left."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import nps_report.build as build_module
import nps_report.render as render
from nps_report.build import build
from nps_report.cache import outputs_intact, read_manifest
from nps_report.cli import main
from nps_report.outdir import swap

from . import build_copies

SMALL = Path(__file__).parent / "studies" / "small"
AT = "2025-01-01T00:00:00Z"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    return build_copies.first_build(tmp_path_factory.mktemp("crash"))


@pytest.fixture()
def built(first_build, tmp_path):
    """A study and its build in this test's folder, and a prose edit pending, so the next
    build only makes the documents (a second or so) and then swaps."""
    study, out = build_copies.copy_build(first_build, tmp_path)
    (study / "manuscript").mkdir()
    (study / "manuscript" / "introduction.md").write_text("A new introduction.\n")
    return study, out


def complete(out: Path) -> str:
    """'old' or 'new' for a folder holding a whole build (every output as recorded)."""
    manifest = read_manifest(out)
    assert manifest is not None and outputs_intact(out, manifest), sorted(os.listdir(out))
    return "new" if _docx_has(out, "A new introduction") else "old"


def _docx_has(out: Path, text: str) -> bool:
    from docx import Document

    return any(text in p.text for p in Document(str(out / "manuscript.docx")).paragraphs)


def beside(out: Path) -> list[str]:
    """Staging and set-aside folders next to out (what a killed build leaves)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}"))


class Crash(BaseException):
    pass


STAGES = ["staging-created", "staging-written", "exchanged", "removing", "swapped"]
FALLBACK = ["staging-written", "set-aside", "renamed-in", "removing", "swapped"]


@pytest.mark.parametrize("fallback, stage", [(False, s) for s in STAGES]
                         + [(True, s) for s in FALLBACK],
                         ids=[*STAGES, *(f"fallback-{s}" for s in FALLBACK)])
def test_an_error_at_every_step_of_the_swap_leaves_a_whole_build(built, monkeypatch,
                                                                 fallback, stage):
    study, out = built

    fired = []

    def crash(at: str) -> None:
        if at == stage and not fired:  # once: the clean-up after it goes through the hook too
            fired.append(at)
            raise Crash(at)

    monkeypatch.setattr(swap, "checkpoint", crash)
    if fallback:
        monkeypatch.setattr(swap, "exchange", lambda a, b: False)
    with pytest.raises(Crash):
        build(study, out, built_at=AT)
    state = complete(out)
    assert state == ("new" if stage in ("exchanged", "removing", "swapped", "renamed-in")
                     else "old")
    assert beside(out) == []  # an error (not a kill) cleans up at once
    monkeypatch.setattr(swap, "checkpoint", lambda at: None)
    build(study, out, built_at=AT)
    assert complete(out) == "new" and beside(out) == []


KILLED = textwrap.dedent("""\
    import os, signal, sys
    from nps_report.outdir import swap
    stage, fallback = sys.argv[3], sys.argv[4] == "fallback"
    def kill(at):
        if at == stage:
            os.kill(os.getpid(), signal.SIGKILL)
    swap.checkpoint = kill
    if fallback:
        swap.exchange = lambda a, b: False
    from nps_report.build import build
    build(sys.argv[1], sys.argv[2], built_at="2025-01-01T00:00:00Z")
    """)


@pytest.mark.parametrize("fallback, stage", [(False, "staging-written"), (False, "exchanged"),
                                             (False, "removing"), (True, "set-aside")],
                         ids=["before the exchange", "after it", "removing the old build",
                              "fallback, no folder in place"])
def test_a_build_killed_outright_is_cleaned_up_by_the_next(built, fallback, stage, capsys):
    study, out = built
    done = subprocess.run([sys.executable, "-c", KILLED, str(study), str(out), stage,
                           "fallback" if fallback else "exchange"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert beside(out), "a killed build leaves its staging (or set-aside) folder"
    if fallback:
        assert not out.exists()  # the moment the fallback cannot avoid: the next build heals
    else:
        assert complete(out) == ("old" if stage == "staging-written" else "new")
    assert main(["build", str(study), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert ("put back" if fallback else "left by a build that was stopped") in err
    assert complete(out) == "new" and beside(out) == []


# --- signals and the machine --------------------------------------------------------------

SIGNALLED = textwrap.dedent("""\
    import os, signal, sys
    import nps_report.render as render
    # MARKER-{marker}
    how = sys.argv[3]
    original = render.write_docx_file
    def write_docx_file(*args, **kwargs):
        if how == "term":
            os.kill(os.getpid(), signal.SIGTERM)
        else:  # Ctrl-C reaches the whole process group, the worker too
            os.killpg(os.getpgid(0), signal.SIGINT)
        return original(*args, **kwargs)
    render.write_docx_file = write_docx_file
    from nps_report.cli import main
    sys.exit(main(["build", sys.argv[1], "--out", sys.argv[2], "--force"]))
    """)


def alive_with(marker: str) -> list[int]:
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if marker.encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


@pytest.mark.parametrize("how, code, name", [("term", 143, "SIGTERM"), ("int", 130, "SIGINT")])
def test_a_signal_ends_the_build_with_one_line_and_leaves_nothing(built, tmp_path, how, code,
                                                                  name):
    study, out = built
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    marker = f"nps-signal-test-{os.getpid()}-{how}"
    done = subprocess.run([sys.executable, "-c", SIGNALLED.replace("{marker}", marker),
                           str(study), str(out), how], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, start_new_session=True,
                          env={**os.environ, "TMPDIR": str(tmp)})
    assert done.returncode == code, done.stderr
    lines = [x for x in done.stderr.splitlines() if not x.startswith("  ")]
    assert lines == [f"interrupted ({name}); nothing was written: {out}/ is as it was"]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert beside(out) == [] and list(tmp.iterdir()) == []
    assert alive_with(marker) == []


def test_a_full_disk_in_the_build_is_one_line_naming_the_folder(built, monkeypatch, capsys):
    study, out = built
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full(_manuscript, dest):
        raise OSError(errno.ENOSPC, "No space left on device", str(dest))

    monkeypatch.setattr(render, "write_docx_file", full)
    assert main(["build", str(study), "--out", str(out)]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"nps-report: {out}/: No space left on device (free some space); nothing was "
        f"written: {out}/ is as it was")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert beside(out) == []


def disk_full(_results, dest, *_args, **_kwargs):
    """draw_figures on a full disk (module level: the job is pickled to the worker)."""
    raise OSError(errno.ENOSPC, "No space left on device", str(dest / "km_os.png"))


def test_a_full_disk_in_the_worker_is_one_line_too(built, monkeypatch, capfd):
    study, out = built
    monkeypatch.setattr(build_module, "draw_figures", disk_full)
    assert main(["build", str(study), "--out", str(out), "--force"]) == 1
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        f"nps-report: {out}/: No space left on device (free some space); nothing was "
        f"written: {out}/ is as it was")
    assert beside(out) == []


def test_a_read_only_parent_is_one_line_naming_it(built, monkeypatch, capsys):
    study, out = built
    if os.geteuid() != 0:  # root writes anywhere: then the error is made by hand
        out.parent.chmod(0o555)
    else:
        mkdtemp = swap.tempfile.mkdtemp

        def read_only(*args, dir=None, **kwargs):  # only the output folder's parent
            if dir is not None and Path(dir) == out.parent:
                raise OSError(errno.EROFS, "Read-only file system", dir)
            return mkdtemp(*args, dir=dir, **kwargs)

        monkeypatch.setattr(swap.tempfile, "mkdtemp", read_only)
    try:
        assert main(["build", str(study), "--out", str(out)]) == 1
    finally:
        out.parent.chmod(0o755)
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith(f"nps-report: {out.parent}: ")
    assert err.endswith(f"; nothing was written: {out}/ is as it was")
    complete(out)


def test_a_file_size_limit_is_one_line_not_a_crash(tmp_path):
    study = shutil.copytree(SMALL, tmp_path / "study")
    limit = 64 * 1024

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run([sys.executable, "-m", "nps_report", "build", str(study), "--out",
                           str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, preexec_fn=small_files,
                          env={**os.environ, "NPS_REPORT_NO_CACHE": "1"})
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"nps-report: {tmp_path / 'out'}/: File too large (raise the file-size limit "
        f"(ulimit -f) or free space); nothing was written: {tmp_path / 'out'}/ is as it was")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study"]


COMMITTING = textwrap.dedent("""\
    import os, signal, sys
    from nps_report.outdir import swap
    def term(at):
        if at == "exchanged":  # in the middle of the commit: the signal waits for its end
            os.kill(os.getpid(), signal.SIGTERM)
    swap.checkpoint = term
    from nps_report.cli import main
    sys.exit(main(["build", sys.argv[1], "--out", sys.argv[2]]))
    """)


def test_a_signal_during_the_swap_waits_for_it_and_says_the_build_was_written(built):
    study, out = built
    done = subprocess.run([sys.executable, "-c", COMMITTING, str(study), str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 143, done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"interrupted (SIGTERM) after the build was written into {out}/")
    assert complete(out) == "new" and beside(out) == []
