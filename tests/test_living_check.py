"""nps-report check: every number of an edited manuscript that a build no longer prints,
generated or typed by the author, with what it was, what it is now and where."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from nps_report.living.check import check_docx
from nps_report.living.mentions import mentions
from nps_report.living.naming import naming
from nps_report.living.package import Docx
from nps_report.living.quantities import Index, Quantity
from nps_report.living.typed import find_stale
from nps_report.living.update import update_docx

from . import living_docs as docs
from .revision_xml import accepted_docx

FINDINGS = [
    ("out of date", "Objective response rate", "13.3%", "16.7%",
     "Abstract: «Results: The ORR was 13.3% and the median PFS 5.7 months.»", ""),
    ("out of date", "Median PFS", "5.7", "6.1",
     "Abstract: «Results: The ORR was 13.3% and the median PFS 5.7 months.»", ""),
    ("out of date", "Best overall response paragraph",
     "The best overall response was partial response in 4 patients (13.3%) and stable "
     "disease in 18 (60.0%); no patient had a complete response.",
     "The best overall response was complete response in 1 patient (3.3%), partial response "
     "in 4 patients (13.3%) and stable disease in 17 (56.7%).",
     "Results: «The best overall response was partial response in 4 patients (13.3%) and "
     "stable disease in 18 (60.0%); no patient had a complete response.»", ""),
    ("out of date", "Stable disease", "18", "17",
     "Results: «…response in 4 patients (13.3%) and stable disease in 18 (60.0%); no patient "
     "had a complete response.»", ""),
    ("out of date", "Stable disease (%)", "60.0%", "56.7%",
     "Results: «…in 4 patients (13.3%) and stable disease in 18 (60.0%); no patient had a "
     "complete response.»", ""),
    ("typed over", "Objective response rate", "13 %", "16.7%",
     "Results: «The objective response rate (ORR) was 13 % (95% CI 3.8–30.7).»", "13.3%"),
    ("out of date", "Objective response rate, 95% CI", "3.8–30.7", "5.6–34.7",
     "Results: «The objective response rate (ORR) was 13 % (95% CI 3.8–30.7).»", ""),
    ("out of date", "Median PFS", "5.7", "6.1",
     "Results: «Median PFS reached 5.7 months (95% CI 4.7–6.7).»", ""),
    ("out of date", "Median PFS, 95% CI", "4.7–6.7", "5.0–7.2",
     "Results: «Median PFS reached 5.7 months (95% CI 4.7–6.7).»", ""),
    ("out of date", "Grade 3 adverse events", "9 (30.0%)", "10 (33.3%)",
     "Results: «Grade 3 adverse events occurred in 9 (30.0%) of patients (Table 2).»", ""),
    ("out of date", "Table 2, Hypertension, Any grade", "8 (26.7)", "9 (30.0)", "", ""),
    ("out of date", "Table 2, Hypertension, Grade 3", "1 (3.3)", "2 (6.7)", "", ""),
    ("out of date", "Table 2, Proteinuria, Grade 3", "0", "1 (3.3)", "", ""),
    ("not in the build", "Table 2, row «Rash»", "Rash | 2 (6.7) | 0",
     "(no longer in the build)", "", ""),
    ("not in your file", "Table 2, row «Cough»", "(not in your table)",
     "Cough | 2 (6.7) | 0", "", ""),
    ("out of date", "Patients in the waterfall plot", "28", "29",
     "Figure legends: «Waterfall plot of the best change in 28 patients.»", ""),
    ("not in your file", "Table 3", "(not in your file)", "(a new table)", "", ""),
]
IN_YOUR_TEXT = [
    ("in your text", "Table 2, Hypertension, Grade 3", "1 patient (3.3%)",
     "2 patients (6.7%)", "Discussion: «In our cohort, grade 3 hypertension in 1 patient "
     "(3.3%) was manageable, and the median PFS of 5.7…»", "1 (3.3)"),
    ("in your text", "Median PFS", "5.7", "6.1",
     "Discussion: «…(3.3%) was manageable, and the median PFS of 5.7 months compares well "
     "with 4.7 months for…»", "5.7"),
]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    return docs.old_new_edited(tmp_path_factory.mktemp("check"))


def findings(edited: Path | bytes, build: Path) -> list[tuple]:
    source = (Docx.from_bytes(edited, "edited.docx") if isinstance(edited, bytes)
              else Docx.read(edited))
    return [(f.kind, f.what, f.was, f.now, f.where, f.printed)
            for f in check_docx(source, Docx.read(build)).findings]


def test_every_stale_number_of_the_edited_file_is_listed_with_was_now_and_where(files):
    assert findings(files["edited"], files["new"]) == FINDINGS + IN_YOUR_TEXT


def test_a_fresh_builds_own_manuscript_has_nothing_stale(files):
    assert findings(files["new"], files["new"]) == []
    assert findings(files["old"], files["old"]) == []


def test_after_update_and_accept_only_the_authors_numbers_are_left(files):
    updated = update_docx(Docx.read(files["edited"]), Docx.read(files["new"]),
                          date="2025-03-02T00:00:00Z").docx
    left = [("typed over", "Objective response rate", "13 %", "16.7%",
             "Results: «The objective response rate (ORR) was 13 % (95% CI 5.6–34.7).»",
             "13.3%"), *IN_YOUR_TEXT]
    assert findings(accepted_docx(updated), files["new"]) == left
    assert findings(updated, files["new"]) == left  # proposed changes count as made


def test_an_old_value_typed_after_an_update_is_still_recognised(files):
    """The updated file keeps what earlier builds printed, so a number copied from an old
    printout into the Discussion later is still found."""
    updated = accepted_docx(update_docx(Docx.read(files["old"]), Docx.read(files["new"]),
                                        date="2025-03-02T00:00:00Z").docx)
    d = docx.Document(io.BytesIO(updated))
    docs.paragraph_starting(d, "[Discussion").runs[0].text = (
        "Stable disease was seen in 60.0% of patients, and the median PFS was 5.7 months.")
    assert [f[:4] for f in findings(docs.docx_bytes(d), files["new"])] == [
        ("in your text", "Stable disease (%)", "60.0%", "56.7%"),
        ("in your text", "Median PFS", "5.7", "6.1")]


@pytest.mark.parametrize("heading", ["References", "Comments"])
def test_numbers_in_the_references_are_not_searched(files, heading):
    d = docx.Document(str(files["old"]))
    d.add_heading(heading, 1)
    d.add_paragraph("1. Chen X, et al. Median PFS 5.7 months. Lancet Oncol 2021;22:1.")
    found = findings(docs.docx_bytes(d), files["new"])
    extra = found[len(findings(files["old"], files["new"])):]
    assert [f[:4] for f in extra] == ([] if heading == "References" else
                                      [("in your text", "Median PFS", "5.7", "6.1")])


# -- when an author's number counts as stale --------------------------------------------------

HTN3 = Quantity("Table 2, Hypertension, Grade 3", naming("Hypertension"), ["1 (3.3)"],
                "2 (6.7)", "grade 3")
PROT3 = Quantity("Table 2, Proteinuria, Grade 3", naming("Proteinuria"), ["1 (3.3)"],
                 "1 (3.3)", "grade 3")
HTN_ANY = Quantity("Table 2, Hypertension, Any grade", naming("Hypertension"), ["12 (40.0)"],
                   "13 (43.3)", "any grade")
PFS = Quantity("Median PFS", naming("Median PFS", "survival.pfs:median"), ["5.7"], "6.1")
PFS_CI = Quantity("Median PFS, 95% CI", naming("Median PFS, 95% CI", "survival.pfs:ci"),
                  ["4.7–6.7"], "5.0–7.2")
ORR = Quantity("Objective response rate", naming("Objective response rate", "efficacy.orr"),
               ["13.3%"], "13.3%")


def hits(text: str) -> list[tuple[str, str]]:
    index = Index([HTN3, HTN_ANY, PFS, PFS_CI, PROT3, ORR], {30})
    return [(h.label, text[h.start:h.end]) for h in find_stale(text, index)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Grade 3 hypertension occurred in 1 patient (3.3%).",
     [("Table 2, Hypertension, Grade 3", "1 patient (3.3%)")]),
    ("Grade 3 proteinuria occurred in 1 patient (3.3%).", []),  # a current value, named
    ("One patient (3.3%) had a grade 3 event.", []),  # nothing names hypertension
    ("The median PFS was 5.7 months.", [("Median PFS", "5.7")]),
    ("The median PFS was 15.7 months, 5.75 in the other arm.", []),  # whole tokens only
    ("We used nps-report 5.7.1 for the median PFS.", []),  # a version, not a value
    ("Median PFS was 4.7 months with chemotherapy.", []),  # one bound of an interval
    ("Median PFS 95% CI 4.7 to 6.7 months.", [("Median PFS, 95% CI", "4.7 to 6.7")]),
    ("The ORR of 13.3% is unchanged.", []),  # never a value that did not change
    ("In 2019, 12 mg of it was given to 30 patients with grade 3 hypertension [12].", []),
    ("Events of any grade occurred in 12 (40.0%).", []),  # a column header names nothing
    ("Hypertension of any grade occurred in 12 (40.0%).",
     [("Table 2, Hypertension, Any grade", "12 (40.0%)")]),
    ("Hypertension of any grade occurred in 12/30 patients.",
     [("Table 2, Hypertension, Any grade", "12/30")]),
], ids=["named", "current value", "no name", "median", "tokens", "version", "one bound",
        "interval", "unchanged", "year dose grade reference", "header alone",
        "header and row", "ratio"])
def test_an_authors_number_is_flagged_only_when_it_names_a_changed_value(text, expected):
    assert hits(text) == expected


def test_numbers_are_read_as_what_they_are():
    found = mentions("4.7–6.7 and 5.0 to 7.2; 3 (10%), 4/30, 4 of 30 patients, grade 3, "
                     "95% CI, 2019, [12], 12 mg, p = 0.015, Twenty-six patients")
    assert [(m.role, m.text) for m in found] == [
        ("range", "4.7–6.7"), ("range", "5.0 to 7.2"), ("count", "3"), ("pct", "10%"),
        ("ratio", "4/30"), ("ratio", "4 of 30"), ("p", "0.015"),
        ("count", "Twenty-six patients")]
