"""The output folder is ours or nothing (issue 20): a build writes only into a new folder,
an empty one, or one an earlier build wrote; it keeps a symbolic link a link and the
folder's permissions, and cleans up what a killed build left beside it."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from nps_report.build import build
from nps_report.cli import main
from nps_report.errors import StudyError
from nps_report.outdir.swap import LOCK

from . import build_copies

SMALL = Path(__file__).parent / "studies" / "small"
AT = "2025-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    return build_copies.first_build(tmp_path_factory.mktemp("guard"))


@pytest.fixture()
def built(first_build, tmp_path):
    return build_copies.copy_build(first_build, tmp_path)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


def refused(capsys, study: Path, out: Path) -> str:
    assert main(["build", str(study), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_a_cache_folder_alone_does_not_make_a_folder_ours(tmp_path, capsys, monkeypatch):
    """mkdir -p proj/.cache; echo keep > proj/notes.txt; build --out proj deleted notes.txt."""
    monkeypatch.chdir(tmp_path)
    study = shutil.copytree(SMALL, tmp_path / "study")
    proj = tmp_path / "proj"
    (proj / ".cache").mkdir(parents=True)
    (proj / "notes.txt").write_text("keep")
    (proj / ".cache" / "pip-something").write_text("not ours")
    before = tree(proj)
    err = refused(capsys, study, proj)
    assert (f"cannot build into {proj}: not an nps-report build folder, and not empty (it "
            "has a .cache/ folder, but no manifest nps-report wrote): it holds .cache/, "
            "notes.txt") in err
    assert tree(proj) == before


def test_the_study_folder_and_every_folder_above_it_are_refused(tmp_path, capsys,
                                                                monkeypatch):
    monkeypatch.chdir(tmp_path)
    study = shutil.copytree(SMALL, tmp_path / "projects" / "study")
    before = tree(tmp_path)
    assert "it is the study folder, which holds your data" in refused(capsys, study, study)
    assert f"it holds the study folder {study}" in refused(capsys, study, tmp_path / "projects")
    assert tree(tmp_path) == before


def test_preview_refuses_a_foreign_output_folder_before_it_starts(tmp_path, capsys):
    """Refused at once, not when the page's button (or Ctrl-C) writes an hour later."""
    study = shutil.copytree(SMALL, tmp_path / "study")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "mine.txt").write_text("keep")
    assert main(["preview", str(study), "--out", str(notes)]) == 2
    err = capsys.readouterr().err
    assert f"cannot build into {notes}: not an nps-report build folder" in err
    assert (notes / "mine.txt").read_text() == "keep"


def test_home_root_and_the_current_folder_are_refused_even_with_a_manifest(built, tmp_path,
                                                                           capsys,
                                                                           monkeypatch):
    study, out = built
    home = tmp_path / "home"
    shutil.copytree(out, home, symlinks=True)  # a manifest of ours in HOME changes nothing
    (home / ".ssh").mkdir()
    (home / ".ssh" / "id_ed25519").write_text("PRIVATE KEY")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    assert "it is your home folder" in refused(capsys, study, home)
    assert (home / ".ssh" / "id_ed25519").read_text() == "PRIVATE KEY"
    assert "it is the root folder" in refused(capsys, study, Path("/"))
    here = tmp_path / "work" / "empty"
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    assert "it is the current folder or one above it" in refused(capsys, study, Path("."))
    assert "it is the current folder or one above it" in refused(capsys, study, here.parent)


def test_a_file_is_refused_as_output_folder(tmp_path, capsys):
    study = shutil.copytree(SMALL, tmp_path / "study")
    (tmp_path / "out").write_text("mine")
    assert "it is a file, not a folder" in refused(capsys, study, tmp_path / "out")
    assert (tmp_path / "out").read_text() == "mine"


def test_a_linked_output_folder_stays_a_link_and_keeps_its_permissions(tmp_path):
    study = shutil.copytree(SMALL, tmp_path / "study")
    real = tmp_path / "shared" / "builds" / "v1"
    real.mkdir(parents=True)
    real.chmod(0o750)
    link = tmp_path / "out"
    link.symlink_to(real)
    build(study, link, built_at=AT)
    (study / "manuscript").mkdir()
    (study / "manuscript" / "introduction.md").write_text("Intro.\n")
    build(study, link, built_at=AT)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert (real / "manuscript.pdf").is_file()
    assert stat.S_IMODE(real.stat().st_mode) == 0o750
    assert sorted(p.name for p in real.parent.iterdir()) == ["v1"]  # nothing left beside


def test_a_new_output_folder_gets_the_umask_mode_not_mkdtemps_0700(tmp_path):
    study = shutil.copytree(SMALL, tmp_path / "study")
    old = os.umask(0o027)
    try:
        build(study, tmp_path / "out", built_at=AT)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o750


def test_a_users_link_and_empty_folder_in_the_build_folder_are_kept_as_they_are(built,
                                                                                  tmp_path):
    study, out = built
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    (out / "my-link").symlink_to(secret)
    (out / "drafts").mkdir()
    result = build(study, out, built_at=AT, force=True)
    assert (out / "my-link").is_symlink() and os.readlink(out / "my-link") == str(secret)
    assert (out / "drafts").is_dir()
    assert set(result.kept) == {"my-link", "drafts/"}
    manifest = json.loads((out / ".cache" / "manifest.json").read_text())
    assert "my-link" not in manifest["outputs"]
    assert not any(b"SECRET" in p.read_bytes() for p in out.rglob("*")
                   if p.is_file() and not p.is_symlink())


def leftover(out: Path, kind: str, *, locked: bool = False) -> tuple[Path, int | None]:
    """A staging or set-aside folder as a killed build leaves it."""
    folder = out.with_name(f".{out.name}.nps-{kind}-abc123")
    shutil.copytree(out, folder, symlinks=True)
    lock = folder / ".cache" / LOCK
    lock.write_text("{}")
    if not locked:
        return folder, None
    fd = os.open(lock, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return folder, fd


def test_what_a_killed_build_left_is_removed_and_a_foreign_lookalike_is_not(built, capsys):
    study, out = built
    staging, _ = leftover(out, "new")
    lookalike = out.with_name(f".{out.name}.nps-new-mine")
    lookalike.mkdir()
    (lookalike / "notes.txt").write_text("nothing shows this is nps-report's")
    assert main(["build", str(study), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"removed {staging.name}, left by a build that was stopped" in err
    assert not staging.exists()
    assert (lookalike / "notes.txt").is_file()


def test_a_set_aside_build_is_put_back_when_the_folder_is_missing(built, capsys):
    study, out = built
    before = tree(out)
    aside, _ = leftover(out, "old")
    shutil.rmtree(out)
    assert main(["build", str(study), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert f"put back {out.name}/ from {aside.name}" in captured.err
    assert "Up to date" in captured.out
    assert {k: v for k, v in tree(out).items() if not k.startswith(".cache")} == {
        k: v for k, v in before.items() if not k.startswith(".cache")}


def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(built, capsys):
    study, out = built
    _, fd = leftover(out, "new", locked=True)
    try:
        err = refused(capsys, study, out)
    finally:
        os.close(fd)
    assert "another nps-report build into it is running" in err


def test_a_legacy_set_aside_folder_of_a_finished_process_is_removed(built):
    study, out = built
    dead = 2 ** 22 + 12345  # above pid_max's default: no such process
    legacy = out.with_name(f".{out.name}-old-{dead}")
    shutil.copytree(out, legacy, symlinks=True)
    build(study, out, built_at=AT, force=True)
    assert not legacy.exists()


def test_build_into_a_folder_of_ours_refuses_anything_but_files_folders_and_links(built):
    study, out = built
    os.mkfifo(out / "a-pipe")
    with pytest.raises(StudyError, match="not regular files, folders or links"):
        build(study, out, built_at=AT, force=True)
    assert stat.S_ISFIFO((out / "a-pipe").lstat().st_mode)


def test_compare_never_writes_over_a_file_in_a_folder_no_build_wrote(built, tmp_path, capsys):
    _study, out = built
    mine = tmp_path / "reports"
    mine.mkdir()
    (mine / "changes.csv").write_text("my own spreadsheet")
    assert main(["compare", str(out), str(out), "--out", str(mine)]) == 2
    assert "it holds changes.csv, which nps-report did not write there" in \
        capsys.readouterr().err
    assert (mine / "changes.csv").read_text() == "my own spreadsheet"
    assert main(["compare", str(out), str(out)]) == 0  # into NEW, a build folder: fine
    assert main(["compare", str(out), str(out)]) == 0  # and again
