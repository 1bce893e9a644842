"""check finds a stale number typed in any of the phrasings authors use, wherever the
sentence holds other numbers, and flags nothing that is still right or is not a result.

On the reference manuscript before and after its data change (living_builds): the ORR
went from 4/30 (13.3%) to 6/30 (20.0%), stable disease from 18 (60.0%) to 16 (53.3%),
grade >= 3 events from 12 (40.0%) to 13 (43.3%), grade >= 3 nasal bleeding from 3 (10.0%)
to 5 (16.7%), the median duration of response from 9.5 to 6.4 months, and the Fisher p of
response by ECOG from 0.56 to 0.30; survival, the DCR and every other adverse event did
not change (grade 3 hand-foot syndrome is still 4 (13.3%), the old ORR's value).
"""

from __future__ import annotations

import pytest

from nps_report.living.package import Docx
from nps_report.living.quantities import Index
from nps_report.living.typed import find_stale

from .living_builds import builds


@pytest.fixture(scope="module")
def index() -> Index:
    pair = builds()
    return Index.of(Docx.read(pair.old).record(), Docx.read(pair.new).record())


def flagged(index: Index, text: str) -> list[tuple[str, str]]:
    return [(text[h.start:h.end], h.now) for h in find_stale(text, index)]


STALE = [
    ("The ORR: 13.3%.", [("13.3%", "20.0%")]),
    ("ORR = 13.3%.", [("13.3%", "20.0%")]),
    ("An ORR of 13.3 % was seen.", [("13.3 %", "20.0 %")]),
    ("Responses were durable (ORR 13.3%).", [("13.3%", "20.0%")]),
    ("We observed a 13.3% ORR.", [("13.3%", "20.0%")]),
    ("The objective response rate of 13.3% was modest.", [("13.3%", "20.0%")]),
    ("An objective response occurred in 13.3% of patients.", [("13.3%", "20.0%")]),
    ("Overall, 13.3% of patients responded.", [("13.3%", "20.0%")]),
    ("The ORR was 13% in our cohort.", [("13%", "20%")]),
    ("The ORR was 13·3%.", [("13·3%", "20.0%")]),
    ("Responses were seen in 4/30 patients.", [("4/30", "6/30")]),
    ("4 out of 30 patients responded.", [("4 out of 30", "6 out of 30")]),
    ("Four of the 30 patients had a partial response.", [("Four of the 30", "Six of the 30")]),
    ("Four patients (13.3%) responded.", [("Four patients (13.3%)", "Six patients (20.0%)")]),
    ("Responses: 4/30 (13.3%).", [("4/30 (13.3%)", "6/30 (20.0%)")]),
    ("ORR was 13.3% (4/30).", [("13.3% (4/30)", "20.0% (6/30)")]),
    ("ORR 13.3% (95% CI, 0.4–26.2).", [("13.3% (95% CI, 0.4–26.2)",
                                       "20.0% (95% CI, 4.8–35.2)")]),
    ("ORR 13.3% [95% CI 0.4 to 26.2].", [("13.3% [95% CI 0.4 to 26.2]",
                                          "20.0% [95% CI 4.8 to 35.2]")]),
    ("ORR 13.3% (95% CI 0.4%–26.2%).", [("13.3% (95% CI 0.4%–26.2%)",
                                         "20.0% (95% CI 4.8%–35.2%)")]),
    ("Partial responses occurred in 4 patients (13.3%).",
     [("4 patients (13.3%)", "6 patients (20.0%)")]),
    ("Stable disease: 18 (60.0%).", [("18 (60.0%)", "16 (53.3%)")]),
    ("SD was seen in 60% of patients.", [("60%", "53%")]),
    ("Median DoR was 9.5 months.", [("9.5", "6.4")]),
    ("The median duration of response was 9.5 months (95% CI 0.7–18.2).",
     [("9.5 months (95% CI 0.7–18.2)", "6.4 months (95% CI 0.3–12.5)")]),
    ("Twelve patients (40.0%) had grade ≥3 events.",
     [("Twelve patients (40.0%)", "Thirteen patients (43.3%)")]),
    ("Grade 3–5 adverse events: 40%.", [("40%", "43%")]),
    ("Grade ≥3 nasal bleeding occurred in 3 patients (10.0%).",
     [("3 patients (10.0%)", "5 patients (16.7%)")]),
    ("Fisher's exact test gave p = 0.56 for ECOG.", [("0.56", "0.30")]),
    ("Of the 4 responders, 1 response was ongoing at the cutoff.",
     [("4 responders", "6 responders"), ("1 response", "2 responses")]),
    ("We saw an ORR of 13.3% with a median PFS of 5.7 months.", [("13.3%", "20.0%")]),
    ("The ORR was 13.3% and the DCR 73.3%, with a median PFS of 5.7 months and median OS "
     "of 11.5 months.", [("13.3%", "20.0%")]),
    ("Grade 3 hand-foot syndrome (13.3%) and grade ≥3 events overall (40.0%) were "
     "frequent.", [("40.0%", "43.3%")]),
    ("Partial responses (n = 4, 13.3%) and stable disease (n = 18, 60.0%) gave a DCR of "
     "73.3%.", [("4, 13.3%", "6, 20.0%"), ("18, 60.0%", "16, 53.3%")]),
    ("The ORR and DCR were 13.3% and 73.3%, respectively.", [("13.3%", "20.0%")]),
    ("The disease control rate was 73.3%, the objective response rate 13.3%.",
     [("13.3%", "20.0%")]),
    ("Nasal bleeding (n = 3, 10.0%) was the most common grade ≥3 event.",
     [("3, 10.0%", "5, 16.7%")]),
    ("Responses were seen in 13.3% of patients compared with 10.7% in historical controls.",
     [("13.3%", "20.0%")]),
    # table cells of a column of percentages (Table 6, response by factor)
    ("Among patients with ECOG performance status 0–1 the ORR was 16.7% (95% CI 0.6–32.7).",
     [("16.7% (95% CI 0.6–32.7)", "25.0% (95% CI 6.3–43.7)")]),
    ("Patients with platinum-refractory disease responded in 12.5% of cases.",
     [("12.5%", "18.8%")]),
]

STILL_RIGHT = [
    "The DCR was 73.3% (22/30).",
    "Twenty-two patients (73.3%) died.",
    "PFS events occurred in 26/30 patients.",
    "The median follow-up was 24.0 months.",
    "HR 3.36 (1.26–8.94; p = 0.015).",
    "ECOG 2 vs 0–1: HR 3.36.",
    "Grade 3 hand-foot syndrome occurred in 4/30 patients (13.3%).",
    "Oral mucositis of grade ≥3 occurred in 4 (13.3%).",
    "Hand-foot syndrome (n = 4, 13.3%) was the most common grade ≥3 event.",
    "Four of 30 patients had grade 3 hand-foot syndrome.",
    "Sixteen patients (53.3%) had platinum-refractory disease.",
    "The median age was 55 years (range 35–76).",
    "The 12-month OS rate was 48.5%.",
    "The 6-month PFS rate was 45.9% (95% CI 27.5–62.5).",
    "Median PFS was 5.7 months (95% CI 4.7–6.7).",
    "Median OS 11.5 months.",
    "Hypertension of any grade occurred in 12 patients (40.0%).",
    "Hand-foot syndrome occurred in 15 (50.0%).",
    "Adverse events occurred in 25 patients (83.3%).",
    "A dose of 10 mg was used in 9 patients (30.0%).",
    "Twenty-six patients (86.7%) progressed.",
    "Platinum-refractory disease (HR 0.33; 95% CI 0.15–0.74; p = 0.007) was protective.",
    "Responses were seen in 20.0% of patients (6/30).",
]

NOT_RESULTS = [
    "Patients received 12 mg/day in 21-day cycles between 2019 and 2023 [4,5].",
    "Grades 3–4 events were managed; CTCAE version 5.0 and RECIST 1.1 were used.",
    "In the phase 2 trial (ref. 12), 30 patients were enrolled.",
    "A 30% decrease defines a partial response, and a 20% increase progression.",
    "ECOG performance status was 0–1 in 26 patients.",
    "We used nps-report 0.1.0 with Python 3.11.7 (2).",
    "Tumours were assessed every 6–8 weeks, and the 95% confidence level was used.",
]


@pytest.mark.parametrize(("text", "expected"), STALE, ids=[t for t, _ in STALE])
def test_a_stale_number_is_flagged_in_the_phrasing_the_author_used(index, text, expected):
    assert flagged(index, text) == expected


@pytest.mark.parametrize("text", STILL_RIGHT + NOT_RESULTS)
def test_a_number_still_right_or_not_a_result_is_not_flagged(index, text):
    assert flagged(index, text) == []


def test_another_study_the_same(tmp_path):
    """Nothing here knows the reference study: two data cuts of a synthetic 25-patient
    study, every value moved, the Discussion quoting the first."""
    from nps_report.synthetic import write_study

    from . import living_builds

    docs = []
    for state, seed in (("old", 11), ("new", 12)):
        study = write_study(tmp_path / state, 25, seed=seed)
        docs.append(Docx.read(living_builds.manuscript_docx(study, state,
                                                             tmp_path / f"{state}.docx")))
    old, new = docs[0].record(), docs[1].record()
    index = Index.of(old, new)

    def printed(record, key: str) -> str:
        return next(p.text for p in record.parts if p.key == key).replace("\u2060", "")

    orr, orr_now = printed(old, "efficacy.orr:proportion"), printed(new, "efficacy.orr:proportion")
    pfs = printed(old, "survival.pfs:median_ci").split(" ")[0]
    pct = orr.split("%")[0]
    text = (f"We saw an ORR of {pct}% with a median PFS of {pfs} months in 25 patients given "
            "12 mg/day from 2019 [3].")
    assert [was for was, _ in flagged(index, text)] == [f"{pct}%", pfs]
    rounded = f"{round(float(pct))}%"
    if round(float(pct)) != round(float(orr_now.split("%")[0])):
        assert [was for was, _ in flagged(index, f"The ORR was {rounded}.")] == [rounded]
    assert flagged(index, f"The ORR was {orr_now.split(' (')[0]}.") == []


def _sentences(record_old, record_new):
    """(a sentence quoting a value the new build prints, one quoting its earlier value
    if it moved) for every bound number and every table cell with a digit."""
    import re as _re

    from nps_report.living.tables import row_paths

    def clean(text: str) -> str:
        return text.replace("\u2060", "")

    olds = {}
    for p in record_old.parts:
        if p.kind == "number":
            olds.setdefault(p.key, p.text)
    for p in record_new.parts:
        if p.kind == "number" and any(c.isdigit() for c in p.text) and not p.key.startswith(
                ("cite:", "methods.", "study.")):
            name = _re.sub(r":.*$", "", p.label).replace(",", "")
            old = olds.get(p.key)
            yield (f"In our study the {name} was {clean(p.text)}.",
                   f"In our study the {name} was {clean(old)}." if old and old != p.text
                   else None)
    tables = {p.key: p for p in record_old.parts if p.kind == "table"}
    for p in record_new.parts:
        if p.kind != "table":
            continue
        before = {}
        if p.key in tables:
            t = tables[p.key]
            for path, row in zip(row_paths(t.rows), t.rows, strict=True):
                before.update({(path, c): cell for c, cell in enumerate(row.cells)})
        for path, row in list(zip(row_paths(p.rows), p.rows, strict=True))[1:]:
            for c, cell in enumerate(row.cells[1:], start=1):
                if any(ch.isdigit() for ch in cell):
                    where = f"For {clean(path).replace(' › ', ' ')} ({p.rows[0].cells[c]})"
                    old = before.get((path, c))
                    yield (f"{where} we found {clean(cell)}.",
                           f"{where} we found {clean(old)}." if old and old != cell else None)


def test_no_value_the_build_prints_is_flagged_and_every_moved_one_is(index):
    """Every printed value quoted with its label: none still right is flagged; every one
    that moved is, except a whole number alone ('was 18'), which says too little."""
    pair = builds()
    right, stale = [], []
    for now, before in _sentences(Docx.read(pair.old).record(), Docx.read(pair.new).record()):
        right.append(now)
        if before is not None:
            stale.append(before)
    assert len(right) > 250 and len(stale) > 30
    assert [s for s in right if flagged(index, s)] == []
    missed = [s for s in stale if not flagged(index, s)]
    assert all(s.rsplit(" ", 1)[1].rstrip(".").isdigit() for s in missed), missed
    assert len(missed) <= len(stale) // 3
