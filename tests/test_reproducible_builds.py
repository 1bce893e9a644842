"""Two builds of one study with one SOURCE_DATE_EPOCH give the same bytes, whatever the output
folder and the working directory: manuscript.pdf, results.json, every figure and table
byte for byte, manuscript.docx part by part (its zip stamps the time of writing on each
member; the XML inside is what the contract fixes)."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from nps_report.cli import main
from nps_report.paths import REFERENCE_STUDY

EPOCH = "1735689600"  # 2025-01-01T00:00:00Z


def outputs(folder: Path) -> dict[str, Path]:
    """Every file a build wrote, by relative path; the cache records paths and is not output."""
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(folder).parts}


def docx_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[Path, Path]:
    """The reference study built twice: `out` from one folder with the study named by its
    absolute path; a deeper absolute output path from another folder, the study named
    relative to it."""
    first_cwd = tmp_path_factory.mktemp("first")
    second_cwd = tmp_path_factory.mktemp("second") / "somewhere" / "else"
    second_cwd.mkdir(parents=True)
    second_out = tmp_path_factory.mktemp("elsewhere") / "a much" / "longer path" / "build"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        mp.chdir(first_cwd)
        assert main(["build", str(REFERENCE_STUDY), "--out", "out"]) == 0
        mp.chdir(second_cwd)
        relative_study = os.path.relpath(REFERENCE_STUDY, second_cwd)
        assert main(["build", relative_study, "--out", str(second_out)]) == 0
    return first_cwd / "out", second_out


def test_both_builds_write_the_same_files(builds):
    first, second = builds
    assert list(outputs(first)) == list(outputs(second))
    assert {"manuscript.pdf", "manuscript.docx", "results.json"} <= set(outputs(first))
    assert any(name.startswith("figures/") for name in outputs(first))


def test_every_file_but_the_docx_zip_is_byte_identical(builds):
    first, second = outputs(builds[0]), outputs(builds[1])
    different = [name for name, path in first.items()
                 if not name.endswith(".docx") and path.read_bytes() != second[name].read_bytes()]
    assert different == []


def test_the_docx_parts_are_identical(builds):
    first, second = (docx_parts(b / "manuscript.docx") for b in builds)
    assert list(first) == list(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_no_output_names_a_folder_of_either_build(builds):
    first, second = builds
    leaks = [str(first.parent), str(second.parent), "file:", str(Path.cwd())]
    for name, path in outputs(second).items():
        data = (b"".join(docx_parts(path).values()) if name.endswith(".docx")
                else path.read_bytes())
        found = [leak for leak in leaks if leak.encode() in data]
        assert found == [], f"{name} holds {found}"


def test_results_json_records_the_epoch_not_the_clock(builds):
    results = json.loads((builds[0] / "results.json").read_text(encoding="utf-8"))
    assert results["provenance"]["built_at"] == "2025-01-01T00:00:00Z"
