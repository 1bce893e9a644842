"""Each kind of printed quantity is declared once (present/formats.py): its cell, prose and Word
forms, its unit, its Jinja filter; a new statistic is one entry in the registry."""

from __future__ import annotations

from dataclasses import replace

import pytest

from nps_report.present.fmt import DEFAULT, Style, fmt_ratio
from nps_report.present.formats import FORMATS, Format, cell, prose
from nps_report.render.filters import filters
from nps_report.render.tracking import track
from nps_report.results import Landmark, LevelCount, Proportion, UnivariableRow
from nps_report.results.keys import Key

ORR = Proportion(4, 30, 4 / 30, 0.004229691154525317, 0.26243697551214135, "t", 0.95)
HR = UnivariableRow("ecog", "2", "0-1", 6, 5, 3.3613, 1.1, 10.2, 0.034)
RATE = Landmark(6.0, 0.4588, 0.275, 0.625, 12)


@pytest.mark.parametrize("name, args, cell_text, prose_text", [
    ("n_pct", (4, 30), "4 (13.3)", "4 (13.3%)"),
    ("n_pct", (LevelCount("Male", 25, 25 / 30),), "25 (83.3)", "25 (83.3%)"),
    ("n_pct", (ORR,), "4 (13.3)", "4 (13.3%)"),
    ("n_pct", (0, 30), "0", "0 (0.0%)"),  # a count of none: '0' in every table
    ("ci", (ORR,), "0.4–26.2", "95% CI 0.4–26.2"),
    ("rate_ci", (RATE, 0.95), None, "45.9% (95% CI 27.5–62.5)"),
    ("hr_ci", (HR, 0.95), None, "HR 3.36 (95% CI 1.10–10.20; p = 0.034)"),
    ("p_value", (0.0004,), "<0.001", "p < 0.001"),
    ("months", (None,), "NR", "not reached"),
    ("count", (12500, "patient"), None, "12,500 patients"),
])
def test_each_format_prints_its_cell_and_prose_forms(name, args, cell_text, prose_text):
    if cell_text is not None:
        assert cell(name, *args) == cell_text
    assert prose(name, *args) == prose_text


def test_the_word_form_is_the_text_as_a_reader_sees_it():
    """No invisible characters: Word's Find and a paste into a submission form see the text."""
    assert FORMATS["proportion"](ORR, target="word") == prose("proportion", ORR) == \
        "13.3% (95% CI 0.4–26.2)"


def test_journal_style_is_data_passed_in():
    semicolon = replace(DEFAULT, ci_separator=" to ", pct_decimals=0)
    assert cell("ci", ORR, style=semicolon) == "0 to 26"
    assert prose("hr_ci", replace(HR, hr=None), 0.95, style=DEFAULT.in_text()) == \
        "not estimable"
    assert cell("hr_ci", replace(HR, hr=None)) == "NE"


def test_every_format_with_a_prose_form_is_a_filter_bound_to_its_key():
    made = filters()
    for f in FORMATS:
        if f.prose is not None and f.filter:
            assert made[f.name].__name__ == f.name
    orr = track(ORR, Key.parse("efficacy.orr"))
    text = made["proportion"](None, orr)  # a template's context without a journal style
    assert (text, text.key) == ("13.3% (95% CI 0.4–26.2)", "efficacy.orr:proportion")
    assert made["p_value"](None, track(0.034, Key.parse("x.p"))).key == "x.p:p"  # records'
    with_counts = made["proportion"](None, orr, True)  # an option that prints n/N too
    assert (with_counts, with_counts.key) == ("13.3% (4/30; 95% CI 0.4–26.2)",
                                              "efficacy.orr:proportion_n")
    whole = made["proportion"]({"style": replace(DEFAULT, pct_decimals=0)}, orr)
    assert whole == "13% (95% CI 0–26)"  # the journal's style, from the template's context


def test_a_new_statistic_is_one_registry_entry():
    """An odds ratio with its CI: declared once, it has cell and prose forms, a filter bound to
    the key of what it prints, and the unit its labels end with."""
    def or_cell(row, *, style: Style) -> str:
        return f"{fmt_ratio(row.hr, style)} ({fmt_ratio(row.ci_low, style)}" \
               f"{style.ci_separator}{fmt_ratio(row.ci_high, style)})"

    def or_prose(row, *, style: Style) -> str:
        return f"OR {or_cell(row, style=style)}"

    registry = FORMATS.with_formats(Format("or_ci", "OR (95% CI)", or_cell, or_prose))
    row = track(HR, Key.parse("prognostic.os.univariable[ecog=2]"))
    printed = filters(registry)["or_ci"](None, row)
    assert (printed, printed.key) == ("OR 3.36 (1.10–10.20)",
                                      "prognostic.os.univariable[ecog=2]:or_ci")
    assert registry["or_ci"](HR) == "3.36 (1.10–10.20)"  # the table cell
    assert registry.unit("or_ci") == "OR (95% CI)"
    with pytest.raises(ValueError, match="declared twice"):
        registry.with_formats(Format("or_ci", ""))


def test_a_format_without_a_form_for_a_target_says_so():
    with pytest.raises(ValueError, match="the 'proportion' format has no cell form"):
        cell("proportion", ORR)
