"""Hostile and careless inputs (issue 20): every one is refused by a limit the tool checks,
quickly, with the file, row or key and the fix, or is built as it should be; never an
internal error, never a bomb that runs out of memory or time.

Each case is a small fixture written here; the limits themselves are in limits.py."""

from __future__ import annotations

import io
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from nps_report import limits
from nps_report.cli import main
from nps_report.config.yamlfile import bounded_load
from nps_report.errors import StudyError
from nps_report.pipeline import validate
from nps_report.references.bibtex import BibError, parse_bibtex
from nps_report.references.csl import StyleError, style_path

from . import living_docs as docs
from .studyfiles import YAML, csv_bytes, rows_of, write_study, write_workbook

SMALL = Path(__file__).parent / "studies" / "small"


def refused(folder: Path, seconds: float = 20) -> str:
    """The report of a study validate refuses (a StudyError, nothing else), within seconds."""
    start = time.monotonic()
    with pytest.raises(StudyError) as caught:
        validate(folder)
    assert time.monotonic() - start < seconds
    return str(caught.value)


def cli(args: list[str], capsys) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    return code, captured.err


# --- study.yaml ---------------------------------------------------------------------------

LAUGHS = "lol:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  {b}: &{b} [{', '.join(['*' + a] * 9)}]\n"
    for a, b in zip("abcdefgh", "bcdefghi", strict=True))


def test_a_billion_laughs_study_yaml_is_refused_in_milliseconds(tmp_path):
    folder = write_study(tmp_path / "s", YAML + LAUGHS)
    start = time.monotonic()
    report = refused(folder)
    assert time.monotonic() - start < 5
    assert "study.yaml, line" in report and "aliases (*name) expand to more than 100,000" \
        in report


def test_a_billion_laughs_journal_profile_is_refused():
    with pytest.raises(StudyError, match="aliases"):
        bounded_load("name: x\n" + LAUGHS, "mine.yaml")


@pytest.mark.parametrize("text, found", [
    ("deep: " + "[" * 60 + "]" * 60 + "\n", "nested more than 50 levels deep"),
    ("deep: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    ("me: &me [*me]\n", "an alias refers to itself"),
], ids=["deep", "deeper than Python's stack", "self"])
def test_deep_or_self_referring_yaml_is_refused(tmp_path, text, found):
    assert found in refused(write_study(tmp_path / "s", YAML + text))


def test_a_study_yaml_over_its_size_limit_is_refused(tmp_path):
    padding = "# " + "x" * 78 + "\n"
    folder = write_study(tmp_path / "s", YAML + padding * (limits.YAML_BYTES // 80 + 10))
    assert "study.yaml: the study.yaml is 1.0 MiB, more than the 1 MiB" in refused(folder)


@pytest.mark.parametrize("line, key, found", [
    ("safety: {min_incidence_pct: .inf}", "safety.min_incidence_pct", "YAML reads .inf as "
                                                                       "infinity"),
    ("landmarks_months: [6, .nan]", "landmarks_months[2]", "YAML reads .nan as not-a-number"),
    ("exposure: {cycles_threshold: 1000000000000000000000000000000}",
     "exposure.cycles_threshold", "too large a number"),
    ("exposure: {cycle_days: 9223372036854775808}", "exposure.cycle_days",
     "too large a number"),
], ids=["inf", "nan", "10^30", "2^63"])
def test_special_and_huge_numbers_in_study_yaml_are_refused_naming_the_key(tmp_path, line,
                                                                           key, found):
    text = YAML.replace("safety: {min_incidence_pct: 5}\n", "").replace(
        "landmarks_months: [6]\n", "") + line + "\n"
    report = refused(write_study(tmp_path / "s", text))
    assert f"key '{key}': {found}" in report


def test_a_title_yaml_reads_as_not_a_number_is_refused(tmp_path):
    text = YAML.replace("title: Drug Y in advanced disease", "title: !!float nan")
    report = refused(write_study(tmp_path / "s", text))
    assert "study.yaml, line 1, key 'title': YAML reads nan as not-a-number" in report
    assert 'write it in quotes, "nan"' in report


def test_a_control_character_in_a_yaml_text_is_refused(tmp_path):
    text = YAML.replace("title: Drug Y in advanced disease", 'title: "Drug Y\\a in disease"')
    report = refused(write_study(tmp_path / "s", text))
    assert "key 'title': holds a control character (U+0007)" in report


# --- the tables ---------------------------------------------------------------------------

def test_impossible_cycle_counts_are_refused_naming_the_cell(tmp_path):
    patients = rows_of("patients")
    patients[1][3] = "1" + "0" * 30
    patients[2][3] = str(2 ** 63)
    report = refused(write_study(tmp_path / "s", patients=patients))
    assert "patients.csv, row 2, column 'cycles': too large a number" in report
    assert "patients.csv, row 3, column 'cycles': too large a number" in report
    assert "9223372036854776000" not in report


@pytest.mark.parametrize("ragged", [False, True], ids=["pandas", "csv module"])
def test_a_quoted_cell_longer_than_the_csv_modules_limit_is_read(tmp_path, ragged):
    patients = rows_of("patients")
    patients[0].append("notes")
    for row in patients[1:]:
        row.append("")
    patients[1][-1] = ("A long note, with commas,\nand lines. " * 6000)[:200_000]
    text = csv_bytes(patients)
    if ragged:  # a trailing empty cell sends the file to the csv module
        text = text.replace("\r\n", ",\r\n", 2)
    study, _ = validate(write_study(tmp_path / "s", patients=text))
    assert len(study.patients) == 4


def test_a_header_of_100000_columns_validates_in_seconds_and_a_million_is_refused(tmp_path):
    patients = rows_of("patients")
    extra = 100_000
    wide = [patients[0] + [f"x{i}" for i in range(extra)]] + [
        row + ["1"] * extra for row in patients[1:]]
    folder = write_study(tmp_path / "wide", patients=csv_bytes(wide))
    start = time.monotonic()
    study, _ = validate(folder)
    assert len(study.patients) == 4 and time.monotonic() - start < 30
    header = ",".join(patients[0] + [f"y{i}" for i in range(1_000_000)]) + "\n"
    report = refused(write_study(tmp_path / "wider", patients=header), seconds=10)
    assert "patients.csv: the table has 1,000,009 columns, more than the 200,000" in report


def test_rows_and_cells_beyond_the_limits_are_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "ROWS", 3)
    report = refused(write_study(tmp_path / "s"))
    assert "patients.csv: the table has 4 rows, more than the 3 nps-report reads" in report
    monkeypatch.setattr(limits, "ROWS", 5_000_000)
    monkeypatch.setattr(limits, "CELLS", 20)
    assert "more than the 20 cells" in refused(tmp_path / "s")


@pytest.mark.parametrize("column, value, found", [
    ("term", "Rash\x07 maculo-papular", "column 'term': holds a control character"),
    ("patient_id", "A\x1b1", "column 'patient_id': holds a control character"),
    ("patient_id", "P" * 101, "column 'patient_id': longer than 100 characters"),
    ("term", "Fatigue " * 40, "column 'term': longer than 250 characters"),
], ids=["term", "id", "long id", "long term"])
def test_text_no_document_can_print_is_refused_naming_the_cell(tmp_path, column, value,
                                                               found):
    table = "adverse_events" if column == "term" else "patients"
    rows = rows_of(table)
    rows[1][rows[0].index(column)] = value
    if table == "patients":
        events = rows_of("adverse_events")
        events[1][0] = value
        report = refused(write_study(tmp_path / "s", patients=rows, adverse_events=events))
    else:
        report = refused(write_study(tmp_path / "s", adverse_events=rows))
    assert found in report and "row 2" in report


@pytest.mark.parametrize("name", ["data.xlsx", "patients.csv"])
def test_a_folder_named_as_a_data_file_is_refused(tmp_path, name):
    folder = write_study(tmp_path / "s")
    (folder / name).unlink(missing_ok=True)
    (folder / name).mkdir()
    if name == "data.xlsx":
        for table in ("patients", "tumor_assessments", "adverse_events"):
            (folder / f"{table}.csv").unlink()
    assert f"{name}: is a folder, not a" in refused(folder)


def bomb_workbook(path: Path, unzipped: int) -> Path:
    """A workbook whose sharedStrings part unpacks to `unzipped` bytes of one repeated
    string: a few hundred KB on disk."""
    write_workbook(path)
    with zipfile.ZipFile(path) as book:
        parts = {i.filename: book.read(i) for i in book.infolist()}
    shared = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
              b'openxmlformats.org/spreadsheetml/2006/main">')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
        with book.open("xl/sharedStrings.xml", "w") as out:
            out.write(shared)
            chunk = b"<si><t>lol</t></si>" * 50_000
            for _ in range(unzipped // len(chunk)):
                out.write(chunk)
            out.write(b"</sst>")
    return path


def test_a_shared_strings_bomb_is_refused_from_the_zip_directory(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "study.yaml").write_text(YAML)
    bomb_workbook(folder / "data.xlsx", 64 * limits.MiB)
    assert (folder / "data.xlsx").stat().st_size < 2 * limits.MiB
    report = refused(folder, seconds=10)
    unzipped = zipfile.ZipFile(folder / "data.xlsx").getinfo("xl/sharedStrings.xml").file_size
    assert f"data.xlsx: its part xl/sharedStrings.xml unpacks to {limits.human(unzipped)}" \
        in report
    assert "a zip bomb" in report


def test_a_zip_over_the_unpacked_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "WORKBOOK_UNZIPPED", 1000)
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "study.yaml").write_text(YAML)
    write_workbook(folder / "data.xlsx")
    problem = limits.zip_too_big(folder / "data.xlsx", "data.xlsx", 1000, "workbook")
    assert problem is not None and "unpacks to" in problem.message


# --- the authors' files -------------------------------------------------------------------

def authored(folder: Path, name: str, text: str) -> Path:
    path = folder / "manuscript" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def compose_check(folder: Path) -> str:
    """The AuthoredParts read a build does, refused with a StudyError."""
    from nps_report.render.authored import AuthoredParts

    with pytest.raises(StudyError) as caught:
        AuthoredParts.read(folder, ("introduction", "discussion", "conclusions"))
    return str(caught.value)


def test_markdown_beyond_the_limits_is_refused(tmp_path):
    folder = write_study(tmp_path / "s")
    authored(folder, "discussion.md", "word " * (limits.MARKDOWN_BYTES // 5 + 10))
    assert "manuscript/discussion.md: the Markdown file is 128 KiB, more than the 128 KiB" \
        in compose_check(folder)
    parts = ("introduction", "discussion", "conclusions", "methods", "abstract_background")
    for part in parts:
        authored(folder, f"{part}.md", "word " * (limits.MARKDOWN_BYTES // 5 - 10))
    from nps_report.render.authored import AuthoredParts

    with pytest.raises(StudyError, match="come to more than 512 KiB together"):
        AuthoredParts.read(folder, parts)


def test_a_control_character_in_a_markdown_file_is_refused_with_its_line(tmp_path):
    folder = write_study(tmp_path / "s")
    authored(folder, "discussion.md", "First line.\n\nSecond \x0c line.\n")
    assert "manuscript/discussion.md, line 3: holds a control character (U+000C)" in \
        compose_check(folder)


def test_a_crossref_cycle_is_refused_naming_the_entry():
    bib = ("@article{self, title={A}, crossref={self}}\n"
           "@article{one, title={B}, crossref={two}}\n"
           "@article{two, title={C}, crossref={one}}\n"
           "@book{fine, title={D}}\n@article{child, title={E}, crossref={fine}}\n")
    with pytest.raises(BibError) as caught:
        parse_bibtex(bib, "manuscript/references.bib")
    report = str(caught.value)
    assert "line 1: entry 'self': its crossref chain comes back to itself (self -> self)" \
        in report
    assert "line 2: entry 'one': its crossref chain comes back to itself (one -> two -> one)" \
        in report
    assert "child" not in report


@pytest.fixture()
def fake_pandoc(tmp_path):
    """A 'pandoc' that records its arguments, then behaves as the test asks."""
    def make(body: str) -> tuple[Path, Path]:
        args = tmp_path / "args.txt"
        script = tmp_path / "pandoc"
        script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {args}\n{body}\n')
        script.chmod(0o755)
        return script, args
    return make


def test_pandoc_runs_sandboxed_with_a_heap_limit_and_is_stopped_in_time(fake_pandoc,
                                                                      monkeypatch):
    """A crossref loop took pandoc to 23 GB for two minutes: whatever pandoc meets, it runs
    with --sandbox, a heap limit and a timeout, and the user hears which one stopped it."""
    from nps_report.references import csl

    script, args = fake_pandoc("exec sleep 30")
    monkeypatch.setattr(csl, "PANDOC_SECONDS", 1)
    start = time.monotonic()
    code, _, err = csl._run_pandoc(str(script), b"@book{a, title={A}}", "references.bib",
                                   style_path("nlm-citation-sequence"), "[@a]", "en-US")
    assert time.monotonic() - start < 10
    assert code == 1 and "did not finish within 1 s (stopped)" in err
    given = args.read_text().split("\n")
    assert given[:3] == ["+RTS", f"-M{limits.PANDOC_MEMORY >> 20}m", "-RTS"]
    assert "--sandbox" in given

    script, _ = fake_pandoc("echo 'pandoc: Heap exhausted;' >&2; exit 251")
    code, _, err = csl._run_pandoc(str(script), b"@book{a, title={A}}", "references.bib",
                                   style_path("nlm-citation-sequence"), "[@a]", "en-US")
    assert code == 251
    assert err.startswith(f"it needed more than {limits.PANDOC_MEMORY >> 20} MB of memory")


def test_bibtex_string_macros_cannot_grow_without_bound():
    lines = ["@string{a = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}"]
    lines += [f"@string{{{b} = {a} # {a} # {a} # {a}}}"
              for a, b in zip("abcdefghijk", "bcdefghijkl", strict=True)]
    bib = "\n".join(lines) + "\n@article{x, title = l}\n"
    start = time.monotonic()
    with pytest.raises(BibError, match="longer than 100,000 characters"):
        parse_bibtex(bib, "references.bib")
    assert time.monotonic() - start < 5


def test_a_large_bibliography_parses_in_linear_time():
    bib = "".join(f"@article{{k{i}, title={{Title {i}}}, year={{2020}}}}\n"
                  for i in range(limits.BIB_ENTRIES))
    start = time.monotonic()
    assert len(parse_bibtex(bib, "references.bib")) == limits.BIB_ENTRIES
    assert time.monotonic() - start < 10
    with pytest.raises(BibError, match="more than 5,000 entries"):
        parse_bibtex(bib + "@article{extra, title={X}}\n", "references.bib")


@pytest.mark.parametrize("style", ["../../../../etc/passwd", "/etc/ssl/x", "a/b"])
def test_a_csl_style_is_an_id_never_a_path(style):
    with pytest.raises(StyleError, match="is not a style id"):
        style_path(style)


# --- nothing outside the study is read --------------------------------------------------

@pytest.fixture()
def secret(tmp_path) -> Path:
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text("root:x:0:0:SECRET-LINE\n")
    return path


@pytest.mark.parametrize("link", ["manuscript/discussion.md", "manuscript/references.bib",
                                  "manuscript/templates/results.md.j2", "manuscript",
                                  "patients.csv", "study.yaml", "journal.yaml",
                                  "tumor_lesions.csv"])
def test_a_link_out_of_the_study_is_refused_naming_it(tmp_path, secret, link, capsys,
                                                      monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = write_study(tmp_path / "s")
    if link == "journal.yaml":
        (folder / "study.yaml").write_text(YAML + "journal: journal.yaml\n")
    target = folder / link
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    target.symlink_to(secret if link != "manuscript" else secret.parent)
    code, err = cli(["build", str(folder), "--out", str(tmp_path / "out")], capsys)
    assert code == 2
    assert f"{link}: a symbolic link to {secret if link != 'manuscript' else secret.parent}, " \
           "outside the study folder" in err
    assert "SECRET-LINE" not in err and not (tmp_path / "out").exists()


def test_a_link_between_files_of_the_study_is_fine(tmp_path):
    folder = write_study(tmp_path / "s")
    (folder / "exports").mkdir()
    (folder / "patients.csv").rename(folder / "exports" / "patients-v2.csv")
    (folder / "patients.csv").symlink_to(Path("exports") / "patients-v2.csv")
    study, _ = validate(folder)
    assert len(study.patients) == 4


def test_a_journal_profile_outside_the_study_needs_an_absolute_path(tmp_path):
    from nps_report.journals import study_profile

    shipped = (Path(__file__).parent.parent / "nps_report" / "journals" / "default.yaml")
    outside = tmp_path / "shared" / "house-style.yaml"
    outside.parent.mkdir()
    shutil.copy(shipped, outside)
    folder = write_study(tmp_path / "s")
    with pytest.raises(StudyError, match=r"journal '\.\./shared/house-style\.yaml' climbs "
                                         "out of the study folder"):
        study_profile("../shared/house-style.yaml", folder)
    assert study_profile(str(outside), folder).id == "house-style"


# --- commands given odd paths ---------------------------------------------------------

def test_init_under_a_file_says_so(tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    code, err = cli(["init", str(tmp_path / "afile" / "study")], capsys)
    assert code == 2 and f"{tmp_path / 'afile'} is a file, not a folder" in err


def test_update_out_a_folder_writes_the_file_into_it(tmp_path, capsys):
    build = tmp_path / "build"
    build.mkdir()
    docs.write("new", build / "manuscript.docx")
    edited = docs.edited(docs.write("old", tmp_path / "old.docx"), tmp_path / "paper.docx")
    (tmp_path / "answers").mkdir()
    code, _ = cli(["update", str(edited), "--build", str(build), "--out",
                   str(tmp_path / "answers")], capsys)
    assert code == 0 and (tmp_path / "answers" / "paper-updated.docx").is_file()


def docx_bomb(path: Path) -> Path:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w") as out:
            for _ in range(64):
                out.write(b"\0" * limits.MiB)
    path.write_bytes(data.getvalue())
    return path


@pytest.mark.parametrize("command", ["update", "check"])
def test_a_docx_zip_bomb_is_refused_before_it_unpacks(tmp_path, capsys, command):
    build = tmp_path / "build"
    build.mkdir()
    docs.write("new", build / "manuscript.docx")
    bomb = docx_bomb(tmp_path / "paper.docx")
    start = time.monotonic()
    code, err = cli([command, str(bomb), "--build", str(build)], capsys)
    assert code == 2 and time.monotonic() - start < 10
    assert "word/document.xml unpacks to 64 MiB" in err and "zip bomb" in err


def test_compare_refuses_a_docx_zip_bomb_in_a_build_folder_before_it_unpacks(tmp_path,
                                                                            capsys):
    for name in ("old", "new"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "results.json").write_text("{}")
    docx_bomb(tmp_path / "old" / "manuscript.docx")
    code, err = cli(["compare", str(tmp_path / "old"), str(tmp_path / "new")], capsys)
    assert code == 2
    assert "manuscript.docx: its part word/document.xml unpacks to 64 MiB" in err


# --- text that used to end in an internal error, built -------------------------------------

AUTHORS = [f"Firstname{i} Lastname-Longname{i}" for i in range(30)]
TITLE = ("Drug Y for patients with recurrent, metastatic or otherwise advanced disease "
         "after two or more earlier lines: ") * 3


@pytest.fixture(scope="module")
def odd_build(tmp_path_factory):
    """Patient ids matplotlib would read as math, 30 authors, a 300-character title."""
    root = tmp_path_factory.mktemp("odd")
    ids = {"A1": r"$\foo$", "A2": "<$5k and >$10k", "A3": r"a_b^c{d}", "A4": "%s {0} %%"}
    tables = {}
    for table in ("patients", "tumor_assessments", "adverse_events"):
        rows = rows_of(table)
        for row in rows[1:]:
            row[0] = ids[row[0]]
        tables[table] = rows
    yaml = YAML.replace("title: Drug Y in advanced disease", f'title: "{TITLE.strip()}"') + (
        "manuscript:\n  authors: [" + ", ".join(AUTHORS) + "]\n"
        "figures: {swimmer_show_ids: true}\n")
    study = write_study(root / "study", yaml, **tables)
    code = main(["build", str(study), "--out", str(root / "out")])
    return code, root / "out"


def test_ids_with_dollars_and_a_long_title_and_author_list_build(odd_build):
    from docx import Document

    code, out = odd_build
    assert code == 0
    doc = Document(str(out / "manuscript.docx"))
    props = doc.core_properties
    assert len(props.title) == 255 and props.title.endswith("…")
    assert len(props.author) == 255 and props.author.startswith(AUTHORS[0])
    body = "\n".join(p.text for p in doc.paragraphs)
    assert TITLE.strip() in body and AUTHORS[-1] in body
    ids = (out / "tables" / "patient_endpoints.csv").read_text()
    assert r"$\foo$" in ids and "<$5k and >$10k" in ids


def test_text_drawn_from_the_data_is_never_read_as_math():
    from nps_report.figures._style import new_figure, style

    with style():
        fig = new_figure(3, 2)
        ax = fig.add_subplot()
        label = ax.text(0.1, 0.5, "<$5k and >$10k")
        odd = ax.text(0.1, 0.2, r"$\foo$")
        fig.canvas.draw()  # mathtext would raise on \foo and drop the dollars of the other
    assert not label.get_parse_math() and not odd.get_parse_math()
    assert label.get_text() == "<$5k and >$10k"
