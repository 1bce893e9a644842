"""Data lock: study.lock freezes the inputs; a locked study whose data changed refuses to build."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from nps_report.cli import main
from nps_report.errors import StudyError
from nps_report.lock import LOCK_FILE, LockError, lock_study, unlock_study, verify_lock

SMALL = Path(__file__).parent / "studies" / "small"
WHEN = "2025-02-01T09:00:00Z"
INPUTS = ("adverse_events.csv", "patients.csv", "study.yaml", "tumor_assessments.csv")


@pytest.fixture
def study(tmp_path: Path) -> Path:
    dest = tmp_path / "study"
    shutil.copytree(SMALL, dest)
    return dest


def locked(study: Path) -> dict:
    lock_study(study, locked_at=WHEN, generator_version="9.9")
    return json.loads((study / LOCK_FILE).read_text())


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_lock_records_the_hash_of_every_input_the_cutoff_version_and_time(study):
    lock = locked(study)
    assert lock["files"] == {name: sha(study / name) for name in INPUTS}
    assert lock["data_cutoff"] == "2021-12-31"
    assert (lock["generator_version"], lock["locked_at"]) == ("9.9", WHEN)
    assert len(lock["lock_id"]) == 12 and int(lock["lock_id"], 16) >= 0


def test_the_lock_id_names_the_data_not_the_moment_it_was_locked(study):
    first = locked(study)["lock_id"]
    unlock_study(study)
    lock, new = lock_study(study, locked_at="2030-01-01T00:00:00Z", generator_version="1")
    assert new and lock.lock_id == first
    unlock_study(study)
    (study / "patients.csv").write_text((study / "patients.csv").read_text() + "\n")
    assert lock_study(study, locked_at=WHEN, generator_version="1")[0].lock_id != first


def test_locking_a_locked_study_again_keeps_the_original_lock(study):
    first = locked(study)
    lock, new = lock_study(study, locked_at="2031-01-01T00:00:00Z", generator_version="2")
    assert not new and lock.locked_at == WHEN
    assert json.loads((study / LOCK_FILE).read_text()) == first


def test_an_unchanged_locked_study_verifies(study):
    lock_id = locked(study)["lock_id"]
    assert verify_lock(study).lock_id == lock_id


def test_an_unlocked_study_has_nothing_to_verify(study):
    assert verify_lock(study) is None


def test_a_locked_study_whose_data_changed_refuses_to_build_naming_each_file(
        study, tmp_path, capsys):
    locked(study)
    (study / "patients.csv").write_text(
        (study / "patients.csv").read_text().replace("2021-04-15,2021-09-01", "2021-05-15,"
                                                     "2021-09-01"))
    (study / "study.yaml").write_text((study / "study.yaml").read_text() + "\n# edited\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous build")

    code = main(["build", str(study), "--out", str(out)])

    err = capsys.readouterr().err
    assert code == 2
    assert "the study is locked" in err and "2 input files differ from the lock" in err
    assert "  - patients.csv: changed since the study was locked" in err
    assert "  - study.yaml: changed since the study was locked" in err
    assert "adverse_events.csv" not in err and "tumor_assessments.csv" not in err
    assert f"run `nps-report unlock {study}`" in err and "restore the locked files" in err
    assert "Nothing was written." in err and "Traceback" not in err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "study"]  # no staging left


def test_removed_and_added_inputs_are_named(study):
    locked(study)
    (study / "adverse_events.csv").unlink()
    (study / "data.xlsx").write_bytes(b"not really a workbook")
    with pytest.raises(LockError) as caught:
        verify_lock(study)
    report = caught.value.report()
    assert "  - adverse_events.csv: removed since the study was locked" in report
    assert "  - data.xlsx: added since the study was locked" in report


def test_unlock_is_explicit_and_lets_changed_data_build(study, capsys):
    locked(study)
    (study / "adverse_events.csv").write_text(
        (study / "adverse_events.csv").read_text() + "A3,Nausea,1,2021-03-10\n")
    assert main(["unlock", str(study)]) == 0
    assert "unlocked (lock " in capsys.readouterr().out
    assert not (study / LOCK_FILE).exists()
    assert verify_lock(study) is None
    assert main(["unlock", str(study)]) == 0
    assert "was not locked" in capsys.readouterr().out


def test_locking_over_changed_data_refuses_until_unlocked(study):
    locked(study)
    (study / "study.yaml").write_text((study / "study.yaml").read_text() + "\n")
    with pytest.raises(LockError, match=r"study\.yaml: changed since the study was locked"):
        lock_study(study, locked_at=WHEN, generator_version="1")


def test_a_hand_edited_or_unreadable_lock_is_refused(study):
    lock = locked(study)
    lock["files"]["patients.csv"] = "0" * 64
    (study / LOCK_FILE).write_text(json.dumps(lock))
    with pytest.raises(LockError, match="edited by hand"):
        verify_lock(study)
    (study / LOCK_FILE).write_text("{not json")
    with pytest.raises(LockError, match=r"study\.lock: cannot be read"):
        verify_lock(study)


def test_an_invalid_study_is_not_locked(study):
    (study / "patients.csv").write_text("patient_id\n")
    with pytest.raises(StudyError):
        lock_study(study, locked_at=WHEN, generator_version="1")
    assert not (study / LOCK_FILE).exists()


def test_lock_command_prints_the_lock_id_and_every_hash(study, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1738400400")
    assert main(["lock", str(study)]) == 0
    out = capsys.readouterr().out
    lock = json.loads((study / LOCK_FILE).read_text())
    assert f"locked (lock {lock['lock_id']}, data cutoff 2021-12-31, " \
           "locked 2025-02-01T09:00:00Z)" in out
    assert all(f"{name}  sha256 {sha(study / name)}" in out for name in INPUTS)
