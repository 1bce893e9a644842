"""manuscript.docx carries its bindings (hidden bookmarks) and the record of what it printed.

The bookmarks are read back with an lxml walk independent of nps_report.living, so a
writer that put a bookmark around the wrong runs fails here, not only in update."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from nps_report.living.package import Docx
from nps_report.present.tables import Row, TableSpec
from nps_report.render.docx_writer import write_docx
from nps_report.render.model import Block, FigureLegend, Manuscript, Run, Table
from nps_report.wordxml.record import NS, BuildIdentity, from_xml, to_xml

from . import living_docs as docs
from .revision_xml import bookmark_texts, document_xml, w


@pytest.fixture(scope="module")
def old(tmp_path_factory) -> Path:
    return docs.write("old", tmp_path_factory.mktemp("writer") / "manuscript.docx")


WJ = "\u2060"  # word joiner: keeps a range on one line in Word


def record_of(path: Path):
    return Docx.read(path).record()


def test_every_bound_part_is_a_hidden_bookmark_around_exactly_its_text(old):
    record = record_of(old)
    texts = bookmark_texts(document_xml(old.read_bytes()))
    assert set(texts) == {p.name for p in record.parts}
    for part in record.parts:
        assert texts[part.name] == ("" if part.kind == "table" else part.text), part


def test_the_record_lists_each_part_with_its_key_text_and_place(old):
    """The record holds each text as Word shows it: no invisible characters (issue 25)."""
    parts = [(p.kind, p.key, p.text, p.container, p.at)
             for p in record_of(old).parts if p.kind != "table"]
    assert "3.8–30.7" in {p.text for p in record_of(old).parts}
    assert not any(WJ in p.text for p in record_of(old).parts)
    assert parts == [
        ("number", "efficacy.orr:pct_ci", "13.3%", "", 0),
        ("number", "survival.pfs:median", "5.7", "", 0),
        ("paragraph", "results.response", "The best overall response was partial response "
         "in 4 patients (13.3%) and stable disease in 18 (60.0%); no patient had a complete "
         "response.", "", 0),
        ("number", "efficacy.bor_counts.PR:count", "4", "_nps3", 50),
        ("number", "efficacy.bor_counts.PR:pct", "13.3%", "_nps3", 62),
        ("number", "efficacy.bor_counts.SD:count", "18", "_nps3", 91),
        ("number", "efficacy.bor_counts.SD:pct", "60.0%", "_nps3", 95),
        ("paragraph", "results.orr", "The objective response rate (ORR) was 13.3% (95% CI "
         "3.8–30.7).", "", 0),
        ("number", "efficacy.orr:pct_ci", "13.3%", "_nps8", 38),
        ("number", "efficacy.orr:ci", "3.8–30.7", "_nps8", 52),
        ("paragraph", "results.pfs", "The median progression-free survival (PFS) was 5.7 "
         "months (95% CI 4.7–6.7).", "", 0),
        ("number", "survival.pfs:median", "5.7", "_nps11", 47),
        ("number", "survival.pfs:ci", "4.7–6.7", "_nps11", 66),
        ("paragraph", "results.os", "The median overall survival was 11.5 months.", "", 0),
        ("number", "survival.os:median", "11.5", "_nps14", 32),
        ("paragraph", "results.safety", "Grade 3 adverse events occurred in 9 (30.0%) of "
         "patients (Table 2).", "", 0),
        ("number", "safety.grade3:n_pct", "9 (30.0%)", "_nps16", 35),
        ("paragraph", "results.safety_severe", "No grade 4 or 5 adverse events occurred.", "",
         0),
        ("table-title", "baseline", "Baseline characteristics", "", 0),
        ("table-title", "adverse_events", "Adverse events by highest grade", "", 0),
        ("table-note", "adverse_events", "Listed if any-grade incidence > 5%.", "", 0),
        ("legend", "figure1", "Tumor response. Waterfall plot of the best change in 28 "
         "patients.", "", 0),
        ("number", "efficacy.waterfall:n", "28", "_nps24", 53),
        ("legend", "figure2", "Survival. Kaplan–Meier estimates of PFS and OS.", "", 0),
    ]


def test_a_numbers_offset_points_at_it_in_its_paragraphs_text(old):
    record = record_of(old)
    by_name = record.by_name()
    for part in record.parts:
        if part.kind == "number" and part.container:
            holder = by_name[part.container].text
            assert holder[part.at:part.at + len(part.text)] == part.text


def test_tables_record_their_cells_and_are_found_by_a_point_in_the_first_cell(old):
    table = next(p for p in record_of(old).parts if p.kind == "table" and p.key == "baseline")
    assert [(r.kind, r.cells) for r in table.rows] == [
        ("header", ("Characteristic", "Patients (N = 30)")), ("group", ("Sex, n (%)", "")),
        ("item", ("Male", "25 (83.3)")), ("item", ("Female", "5 (16.7)"))]
    assert table.label == "Table 1"
    root = document_xml(old.read_bytes())
    start = next(el for el in root.iter(w("bookmarkStart")) if el.get(w("name")) == table.name)
    assert start.getnext().tag == w("bookmarkEnd")  # a point
    cell = next(a for a in start.iterancestors() if a.tag == w("tc"))
    assert "".join(cell.itertext()) == "Characteristic"


def test_labels_come_from_the_writer_call_and_default_to_the_table_and_figure(old):
    labels = {(p.kind, p.key): p.label for p in record_of(old).parts}
    assert labels["number", "survival.pfs:median"] == "Median PFS"
    assert labels["paragraph", "results.response"] == "Best overall response paragraph"
    assert labels["paragraph", "results.orr"] == ""
    assert labels["table", "adverse_events"] == "Table 2"
    assert labels["table-title", "adverse_events"] == "Table 2 title"
    assert labels["legend", "figure2"] == "Figure 2 legend"


def test_bookmark_names_are_hidden_unique_and_within_words_limit(old):
    root = document_xml(old.read_bytes())
    starts = list(root.iter(w("bookmarkStart")))
    names = [s.get(w("name")) for s in starts]
    assert len(set(names)) == len(names) == 26
    assert all(n.startswith("_nps") and len(n) <= 40 for n in names)
    ids = [s.get(w("id")) for s in starts]
    assert sorted(e.get(w("id")) for e in root.iter(w("bookmarkEnd"))) == sorted(ids)


def test_the_record_is_a_custom_xml_part_with_item_properties_and_a_named_build(old):
    with zipfile.ZipFile(old) as pkg:
        names = pkg.namelist()
        record = next(n for n in names if n.startswith("customXml/item")
                      and NS.encode() in pkg.read(n))
        props = record.replace("/item", "/itemProps")
        assert props in names
        assert NS.encode() in pkg.read(props)
        custom = etree.fromstring(pkg.read("docProps/custom.xml"))
    value = custom.find(".//{*}lpwstr").text
    assert value == ("nps-report 0.1.0, built 2025-01-01T00:00:00Z, results "
                     + record_of(old).build.results_digest[:12])


def test_a_build_identity_passed_in_is_recorded(tmp_path):
    build = BuildIdentity("ab" * 32, "2024-12-31", "nps-report 9.9", "2025-02-02T00:00:00Z")
    path = write_docx(docs.manuscript("old"), tmp_path / "m.docx", build=build)
    assert record_of(path).build == build
    with zipfile.ZipFile(path) as pkg:
        assert b"data cutoff 2024-12-31" in pkg.read("docProps/custom.xml")


def test_a_manuscript_without_keys_still_binds_its_tables_and_legends(tmp_path):
    spec = TableSpec("efficacy", ("Outcome", "n (%)"), (Row(("ORR", "4 (13.3)"), "plain"),))
    ms = Manuscript("T", (), (), "2025-01-01T00:00:00Z", "nps-report 0.1.0", False, (
        Block((Run("Plain prose, 4 patients."),)),
        Table(1, (Run("Efficacy"),), spec, (Block((Run("CI: Clopper–Pearson."),)),)),
        FigureLegend(1, (Run("Response"),), (Run("Waterfall plot."),))))
    record = record_of(write_docx(ms, tmp_path / "m.docx"))
    assert [(p.kind, p.key, p.text) for p in record.parts] == [
        ("table-title", "efficacy", "Efficacy"), ("table", "efficacy", ""),
        ("table-note", "efficacy", "CI: Clopper–Pearson."),
        ("legend", "figure1", "Response. Waterfall plot.")]
    assert len(record.build.results_digest) == 64


def test_markup_characters_and_line_breaks_survive_in_the_record(tmp_path):
    ms = Manuscript("T", (), (), "2025-01-01T00:00:00Z", "g", False, (
        Block((Run("Term "), Run("A&B <x> \"q\"", binding="safety.term:name"),
               Run("\n"), Run("  two spaces")), binding="p.one"),))
    record = record_of(write_docx(ms, tmp_path / "m.docx"))
    assert [(p.kind, p.text) for p in record.parts] == [
        ("paragraph", "Term A&B <x> \"q\"\n  two spaces"), ("number", "A&B <x> \"q\"")]
    assert from_xml(to_xml(record)) == record


def test_writing_twice_gives_the_same_document_and_record(tmp_path):
    a = docs.write("old", tmp_path / "a.docx").read_bytes()
    b = docs.write("old", tmp_path / "b.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(a)) as x, zipfile.ZipFile(io.BytesIO(b)) as y:
        for name in x.namelist():
            assert x.read(name) == y.read(name), name
