"""Issue 25: what a journal's profile asks is applied, and the checklist points into the PDF.

A fresh `nps-report init` study built for BMC Cancer (whose profile asks for line numbers)
and for the default profile (which does not): line numbers in the PDF margin and in
Word's own numbering exactly when the profile (or study.yaml) asks; the checklist's page
and line of each item are the PDF's, read here from the PDF's text with poppler.
"""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from nps_report.build import build

from .test_print_size import init_for

AT = "2025-01-01T00:00:00Z"
SUBSECTIONS = ("Patients and treatment", "Response and safety assessment",
               "Statistical analysis")


@pytest.fixture(scope="module", params=["bmc-cancer", "default"])
def built(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    study = init_for(tmp / "study", request.param, prognostic=False)
    return request.param, build(study, tmp / "out", built_at=AT).out_dir


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf),
                           "-"], capture_output=True, text=True, check=True).stdout


def checklist_rows(out: Path) -> list[dict[str, str]]:
    with (out / "checklist.csv").open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_line_numbers_are_in_the_pdf_and_the_word_file_when_the_journal_asks(built):
    journal, out = built
    numbered = journal == "bmc-cancer"
    text = page_text(out / "manuscript.pdf", 3)
    labelled = re.findall(r"^\s*(\d+)\s{2,}\S", text, re.MULTILINE)
    assert bool(labelled) == numbered
    sect = Document(str(out / "manuscript.docx")).sections[0]._sectPr
    assert (sect.find(qn("w:lnNumType")) is not None) == numbered


def test_the_checklist_gives_the_page_and_line_of_each_item_as_the_pdf_prints_them(built):
    journal, out = built
    rows = checklist_rows(out)
    assert list(rows[0]) == ["item", "recommendation", "section", "page", "line", "status",
                             "note"]
    placed = [r for r in rows if r["page"]]
    assert len(placed) >= len(rows) - 6  # every item but those not applicable
    for row in placed:
        text = page_text(out / "manuscript.pdf", int(row["page"]))
        # the section's heading, or the generated subsection or declaration the item names
        headings = (row["section"] if row["section"] != "Title page" else "Drug Y",
                    *SUBSECTIONS, "Funding", "Ethics", "Competing interests",
                    "Conflicts of interest")
        assert any(h in text for h in headings), (row["item"], row["page"])
        if journal == "bmc-cancer":  # the heading's own line carries the line number given
            (line,) = [t for t in text.splitlines() if re.match(rf"\s*{row['line']}\s", t)]
            assert any(h in line for h in headings), (row["item"], line)
        else:
            assert row["line"] == ""
    # the generated subsection an item names, not just its section: 12a is in Statistical
    # analysis, which the PDF prints on that page
    stats = next(r for r in rows if r["item"] in ("12a", "CS11"))
    assert "Statistical analysis" in page_text(out / "manuscript.pdf", int(stats["page"]))


def test_the_word_checklist_repeats_its_header_and_keeps_each_row_on_one_page(built):
    journal, out = built
    table = Document(str(out / "checklist.docx")).tables[0]
    first = table.rows[0]._tr.trPr
    assert first.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
    header = [c.text for c in table.rows[0].cells]
    assert ("Line" in header) == (journal == "bmc-cancer")
    assert "Page" in header


def blind_study(tmp_path: Path) -> Path:
    """An init study for a journal of its own whose profile asks for blind review."""
    import yaml

    study = init_for(tmp_path / "study", "blind.yaml", prognostic=False)
    profile = yaml.safe_load((Path(__file__).parent.parent / "nps_report" / "journals" /
                              "default.yaml").read_text(encoding="utf-8"))
    profile["review"] = {"blind": True}  # default.yaml lists acknowledgments (optional)
    (study / "blind.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    (study / "manuscript" / "acknowledgments.md").write_text(
        "We thank Dr Zed Quillfeather for reading the manuscript.\n", encoding="utf-8")
    text = (study / "study.yaml").read_text(encoding="utf-8").replace(
        "  authors: [A. Author, B. Author]",
        "  authors: [{name: Ada Quinteros, email: ada@example.org, corresponding: true, "
        "affiliations: [1]}, {name: Bea Ostrander, affiliations: [1]}]\n"
        "  affiliations: [Department of Oncology, Hillview Hospital]")
    (study / "study.yaml").write_text(text, encoding="utf-8")
    return study


def test_blind_review_names_nobody_in_the_manuscript_and_everyone_on_its_title_page(tmp_path):
    import zipfile

    from pypdf import PdfReader

    out = build(blind_study(tmp_path), tmp_path / "out", built_at=AT).out_dir
    names = ("Ada Quinteros", "Bea Ostrander", "Hillview", "Zed Quillfeather",
             "ada@example.org")
    pdf_text = subprocess.run(["pdftotext", str(out / "manuscript.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
    with zipfile.ZipFile(out / "manuscript.docx") as z:
        package = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                           if n.endswith(".xml") or n.endswith(".rels"))
    meta = str(PdfReader(out / "manuscript.pdf").metadata)
    for name in names:
        assert name not in pdf_text and name not in package and name not in meta, name
    assert "/Author" not in meta
    assert "<dc:creator></dc:creator>" in package or "<dc:creator/>" in package
    page = subprocess.run(["pdftotext", str(out / "title_page.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert all(name in page for name in names)
    assert "Drug Y in advanced disease" in page and "Word count: abstract" in page
    with zipfile.ZipFile(out / "title_page.docx") as z:
        core = z.read("docProps/core.xml").decode("utf-8")
    assert "Quinteros" not in core  # no names in the title page's properties either


def test_study_yaml_can_turn_blind_review_off(tmp_path):
    study = blind_study(tmp_path)
    text = (study / "study.yaml").read_text(encoding="utf-8").replace(
        "manuscript:\n", "manuscript:\n  blind_review: false\n")
    (study / "study.yaml").write_text(text, encoding="utf-8")
    out = build(study, tmp_path / "out", built_at=AT).out_dir
    assert not (out / "title_page.pdf").exists()
    pdf_text = subprocess.run(["pdftotext", str(out / "manuscript.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
    assert "Ada Quinteros" in pdf_text


def test_a_journal_that_prints_whole_percentages_below_100_patients_gets_them(tmp_path):
    """profile numbers: {whole_percent_below_n: 100, abstract_counts: true} on a study of 4."""
    import yaml

    study = init_for(tmp_path / "study", "numbers.yaml", prognostic=False)
    profile = yaml.safe_load((Path(__file__).parent.parent / "nps_report" / "journals" /
                              "default.yaml").read_text(encoding="utf-8"))
    profile["numbers"] = {"whole_percent_below_n": 100, "abstract_counts": True}
    (study / "numbers.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    out = build(study, tmp_path / "out", built_at=AT).out_dir
    text = re.sub(r"\s+", " ", subprocess.run(
        ["pdftotext", str(out / "manuscript.pdf"), "-"], capture_output=True, text=True,
        check=True).stdout)
    # the abstract: n/N beside the rates, whole percentages (1 of 4 patients responded)
    assert "The objective response rate (ORR) was 25% (1/4; 95% CI 1–81)" in text
    assert "disease control rate (DCR) 75% (3/4; 95% CI" in text
    assert not re.search(r"\d+\.\d%", text)  # no percentage with a decimal anywhere
    with (out / "tables" / "efficacy.csv").open(encoding="utf-8") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert "1 (25)" in cells and "3 (75)" in cells
    docx_text = " ".join(p.text for p in Document(str(out / "manuscript.docx")).paragraphs)
    assert "25% (1/4; 95% CI 1–81)" in docx_text
