"""Fuzzed CSV, study.yaml and Markdown (issue 20): whatever a user's tools write, the answer
is a build or a clear refusal (StudyError; exit 2 on the command line), never an internal
error, and nothing outside the output folder is touched.

Examples are derandomised (the same every run, so CI cannot flake) and few; most are
checked by validation or by composing the documents, a handful by whole builds."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nps_report.cli import main
from nps_report.errors import StudyError
from nps_report.pipeline import validate

from .studyfiles import TABLES, YAML, rows_of

SMALL = Path(__file__).parent / "studies" / "small"
FEW = settings(max_examples=40, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow])

# Text as exports hold it, and as hostile files hold it: quotes, separators, line breaks,
# control characters, numbers too large, dollar signs, non-Latin letters, long runs.
TRICKY = ["", " ", '"', '""', ",", ";", "\n", "\r\n", "\t", "\x00", "\x07", "\x1b", "\ufeff",
          "\u00a0", "NA", ".", "1e400", "-1", "10" + "0" * 30, str(2 ** 63), "2021-02-30",
          "15/03/2021", "$\\foo$", "<$5k and >$10k", "{{ x }}", "{% x %}", "=1+1", "é", "中文",
          "x" * 300]
cells = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12),
                  st.text(st.characters(max_codepoint=0x7F), max_size=40))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


def write_tables(folder: Path, tables: dict[str, list[list[str]]], raw: bool) -> None:
    for name, rows in tables.items():
        if raw:  # as a careless tool joins cells: no quoting at all
            text = "\n".join(",".join(row) for row in rows) + "\n"
        else:
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\r\n").writerows(rows)
            text = buf.getvalue()
        (folder / f"{name}.csv").write_bytes(text.encode("utf-8", "surrogatepass"))


def refused_or_valid(folder: Path, figures: dict | None = None) -> None:
    """Validation refuses with a StudyError naming each problem, or the study analyses and
    its documents compose and write (figures: PNGs to embed; without, validation only)."""
    before = snapshot(folder)
    try:
        validate(folder)
    except StudyError as exc:
        assert exc.problems and all(p.file and p.message for p in exc.problems)
        assert "Traceback" not in str(exc)
    else:
        if figures is not None:
            documents(folder, figures)
    assert snapshot(folder) == before  # nothing in the study is written


def documents(folder: Path, figures: dict) -> None:
    from nps_report.outputs import write_data_files
    from nps_report.pipeline import compute
    from nps_report.render import compose_documents, write_docx_file

    study, results = compute(folder, "2025-01-01T00:00:00Z")
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp)
        tables = write_data_files(results, dest)
        manuscript = compose_documents(results, tables, figures, study.config, folder)
        write_docx_file(manuscript, dest / "manuscript.docx")


# Half the edits go to the text the documents print (AE terms: column 1 of rows 1-3),
# half anywhere (a header, a date, a number, an id)
edits = st.lists(st.one_of(
    st.tuples(st.just("adverse_events"), st.integers(1, 3), st.just(1), cells),
    st.tuples(st.sampled_from(sorted(TABLES)), st.integers(0, 10), st.integers(0, 9), cells)),
    min_size=1, max_size=4)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=edits, raw=st.booleans(), extra=st.lists(cells, max_size=3))
def test_fuzzed_csv_cells_are_read_or_refused(figure_files, edits, raw, extra):
    tables = {name: rows_of(name) for name in TABLES}
    for name, row, column, value in edits:
        rows = tables[name]
        row = row % len(rows)
        rows[row][column % len(rows[row])] = value
    for header in extra:  # extra columns, headers as typed
        tables["patients"][0].append(header)
        for row in tables["patients"][1:]:
            row.append("x")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "study"
        folder.mkdir()
        (folder / "study.yaml").write_text(YAML)
        write_tables(folder, tables, raw)
        refused_or_valid(folder, figure_files)


YAML_VALUES = [".inf", "-.inf", ".nan", "!!float nan", "1e999", "1" + "0" * 30, "-1", "0",
               "yes", "No", "~", "null", "[]", "{}", "[1, 2", "{a: 1", "&a [*a]", "*undefined",
               '"\\a"', "'", "2021-02-30", "2021-02-03", "|\n  text", "!!python/object:os.system",
               "!!binary aGk=", "<<: *x", "\t", '"' + "x" * 6000 + '"', "[" * 80 + "]" * 80]
yaml_values = st.one_of(st.sampled_from(YAML_VALUES), st.text(max_size=20))
KEYS = ["title", "drug", "population", "data_cutoff", "landmarks_months", "ci",
        "safety", "recist", "baseline", "journal", "missing_values", "columns", "manuscript",
        "exposure", "figures", "prognostic", "centre_column", "unknown_key"]


@FEW
@given(changes=st.lists(st.tuples(st.sampled_from(KEYS), yaml_values), min_size=1,
                        max_size=4))
def test_fuzzed_study_yaml_is_read_or_refused(changes):
    lines = YAML.splitlines()
    for key, value in changes:
        lines = [line for line in lines if not line.startswith(f"{key}:")]
        lines.append(f"{key}: {value}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "study"
        shutil.copytree(SMALL, folder)
        (folder / "study.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8",
                                           errors="surrogatepass")
        refused_or_valid(folder)


MARKDOWN = ["# ", "**", "*", "_", "`", "```", "[@key]", "[x](file:///etc/passwd)",
            "![x](/etc/passwd)", "<script>", "<img src=x>", "==", "^", "~", "\\", "| a | b |",
            "1. ", "- ", "> ", "\n\n", "\x07", "\x00", "\ufffe", "$$", "&amp;", "{{ 1 }}"]
markdown = st.lists(st.one_of(st.sampled_from(MARKDOWN), st.text(max_size=20)), max_size=30)


@pytest.fixture(scope="module")
def figure_files(composed) -> dict:
    return {p.stem: {"png": p} for p in (composed[1] / "figures").glob("*.png")}


@pytest.fixture(scope="module")
def composed(tmp_path_factory):
    """The small study's Results and tables, to compose documents around fuzzed text."""
    from nps_report.build import build

    root = tmp_path_factory.mktemp("fuzz")
    out = build(shutil.copytree(SMALL, root / "study"), root / "out",
                built_at="2025-01-01T00:00:00Z").out_dir
    return root / "study", out


@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(parts=st.lists(markdown, min_size=1, max_size=2))
def test_fuzzed_markdown_is_written_or_refused(composed, parts):
    from nps_report.cache import fingerprint
    from nps_report.config import load_config
    from nps_report.outputs import write_data_files
    from nps_report.render import compose_documents, write_docx_file
    from nps_report.resultcache import load_results

    study, out = composed
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "study"
        shutil.copytree(study, folder)
        (folder / "manuscript").mkdir()
        for name, pieces in zip(("introduction", "discussion"), parts, strict=False):
            (folder / "manuscript" / f"{name}.md").write_text(
                "".join(pieces), encoding="utf-8", errors="surrogatepass")
        cached = load_results(out, fingerprint(study), study)
        assert cached is not None
        config, results = cached
        assert config == load_config(folder)
        dest = Path(tmp) / "dest"
        dest.mkdir()
        tables = write_data_files(results, dest)
        figures = {p.stem: {"png": p} for p in (out / "figures").glob("*.png")}
        try:
            manuscript = compose_documents(results, tables, figures, config, folder)
            write_docx_file(manuscript, dest / "manuscript.docx")
        except StudyError as exc:
            assert "manuscript/" in str(exc)
        assert sorted(p.name for p in Path(tmp).iterdir()) == ["dest", "study"]


@settings(max_examples=3, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(edits=edits)
def test_a_few_fuzzed_studies_build_or_are_refused_whole(edits):
    tables = {name: rows_of(name) for name in TABLES}
    for name, row, column, value in edits:
        rows = tables[name]
        rows[1 + row % (len(rows) - 1)][column % len(rows[0])] = value
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "study"
        folder.mkdir()
        (folder / "study.yaml").write_text(YAML)
        write_tables(folder, tables, raw=False)
        before = snapshot(folder)
        import contextlib
        import io as _io

        err = _io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["build", str(folder), "--out", str(root / "out")])
        assert code in (0, 2), err.getvalue()
        assert "internal error" not in err.getvalue()
        assert snapshot(folder) == before
        assert sorted(p.name for p in root.iterdir()) == (
            ["out", "study"] if code == 0 else ["study"])
