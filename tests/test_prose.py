"""The prose layer: strict templates, Markdown escaping, filters, and wording that adapts to
the data (singular and plural, zero responders, no adverse events, numbers at a sentence
start), without rendering whole documents."""

from __future__ import annotations

import dataclasses
import re
import string
from pathlib import Path

import pytest

from nps_report.paths import REFERENCE_STUDY, TEMPLATES
from nps_report.pipeline import compute
from nps_report.present.catalogue import CATALOGUE
from nps_report.render import filters as f
from nps_report.render.abbreviations import expand
from nps_report.render.authored import authored
from nps_report.render.citations import CitationError, Citations
from nps_report.render.compose import citations, context, own_context
from nps_report.render.environment import TemplateKeyError, render, render_parts
from nps_report.render.markdown import escape, to_blocks
from nps_report.render.model import Block, Run
from nps_report.results import Safety

FILTERS = f.filters()  # the filters templates get, by name


def F(name: str):
    """A format's filter as a template calls it, in a context without a journal style."""
    return lambda *args: FILTERS[name](None, *args)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def reference():
    study, results = compute(REFERENCE_STUDY, built_at="2025-01-01T00:00:00Z")
    return results, study.config


def text_of(markdown: str, cites: Citations | None = None) -> str:
    """A template's text alone: its citations numbered, its abbreviations spelled out at
    their first use within it (in the manuscript, the first use anywhere before wins)."""
    blocks = expand(to_blocks(markdown), (0, 0))
    if cites is not None:
        blocks = cites.number(blocks)
    return " ".join(" ".join(b.text for b in blocks).split())


def prose(results, config, template="results.md.j2", part=None) -> str:
    cites = citations(results, config)
    tables = CATALOGUE.build_tables(results)
    ctx = context(results, tables, config, cites)
    ctx.update(own_context(Path(template).name.split(".")[0], tables, cites))
    if part is None:
        return text_of(render(template, ctx), cites)
    return text_of(render_parts(template, ctx)[part], cites)


def with_(obj, **changes):
    return dataclasses.replace(obj, **changes)


# --- strict templates -----------------------------------------------------------------

def test_a_missing_key_names_the_key_the_template_line_and_close_matches(reference, tmp_path):
    (tmp_path / "t.md.j2").write_text("Line one.\n{{ results.efficacy.orrr | proportion }}\n")
    ctx = context(*reference[:1], CATALOGUE.build_tables(reference[0]), reference[1],
                  citations(*reference))
    with pytest.raises(TemplateKeyError) as err:
        render("t.md.j2", ctx, folder=tmp_path)
    message = str(err.value)
    assert "no key 'orrr' on Efficacy" in message
    assert "did you mean 'orr'" in message
    assert "t.md.j2, line 2" in message


def test_a_misspelt_top_level_name_suggests_the_context_name(reference, tmp_path):
    (tmp_path / "t.md.j2").write_text("{% if resluts.n_patients %}x{% endif %}")
    ctx = context(reference[0], CATALOGUE.build_tables(reference[0]), reference[1],
                  citations(*reference))
    with pytest.raises(TemplateKeyError, match=r"no key 'resluts'.*did you mean 'results'"):
        render("t.md.j2", ctx, folder=tmp_path)


def test_printing_none_fails_instead_of_writing_none(reference, tmp_path):
    (tmp_path / "t.md.j2").write_text("{{ study.short_title }}")
    results = with_(reference[0], study=with_(reference[0].study, short_title=None))
    ctx = context(results, CATALOGUE.build_tables(results), reference[1],
                  citations(results, reference[1]))
    with pytest.raises(TypeError, match="printed None"):
        render("t.md.j2", ctx, folder=tmp_path)


def test_no_study_words_are_hard_coded_in_templates_or_renderers():
    sources = [*(p for p in TEMPLATES.rglob("*") if p.is_file()),
               *(ROOT / "nps_report" / "render").glob("*.py"),
               *(ROOT / "nps_report" / "present").rglob("*.py")]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"anlotinib|nasopharyn|\bNPC\b", text, re.IGNORECASE), path


# --- Markdown ---------------------------------------------------------------------------

def test_escaped_values_come_back_exactly_whatever_their_punctuation():
    value = string.punctuation + " A&B <x> *y* _z_ 1. # ^s^ ~t~ ==m== [l](u) \\"
    blocks = to_blocks(f"Drug {escape(value)} given.")
    assert [b.text for b in blocks] == [f"Drug {value} given."]
    assert all(not (r.italic or r.bold or r.sup or r.sub or r.mark) for r in blocks[0].runs)


def test_markdown_gives_runs_lists_and_demoted_headings():
    md = ("# Aim\n\nSome *italic*, **bold**, H~2~O, 10^3^ and ==gap==.\nSame paragraph.  \n"
          "After a break.\n\n- one\n- two\n  1. nested\n\n    indented stays prose\n")
    blocks = to_blocks(md, heading_offset=1)
    assert (blocks[0].kind, blocks[0].level, blocks[0].text) == ("heading", 2, "Aim")
    runs = {r.text: r for r in blocks[1].runs}
    assert runs["italic"].italic and runs["bold"].bold and runs["gap"].mark
    assert runs["2"].sub and runs["3"].sup
    assert "Same paragraph." in blocks[1].text and "\n" in [r.text for r in blocks[1].runs]
    assert [(b.kind, b.level, b.marker, b.text) for b in blocks[2:5]] == [
        ("item", 1, "•", "one"), ("item", 1, "•", "two"), ("item", 2, "1.", "nested")]
    assert blocks[-1].kind == "item" and blocks[-1].text == "indented stays prose"


def test_missing_author_file_gives_a_marked_placeholder_and_spots_a_misspelt_file(tmp_path):
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "introductoin.md").write_text("x")
    [block] = authored(tmp_path, "introduction")
    assert block.runs[0].mark
    assert block.text == ("[Introduction: write in manuscript/introduction.md "
                          "(found manuscript/introductoin.md: rename it?)]")


# --- filters ----------------------------------------------------------------------------

@pytest.mark.parametrize(("n", "expected"), [
    (0, "No patient"), (1, "One patient"), (4, "Four patients"), (12, "Twelve patients"),
    (25, "Twenty-five patients"), (125, "A total of 125 patients")])
def test_a_count_opening_a_sentence_is_spelled_out(n, expected):
    assert F("count_start")(n, "patient") == expected


def test_counts_agree_in_number_and_spell_only_under_ten():
    assert (F("count")(1, "patient"), F("count")(2, "patient")) == ("1 patient", "2 patients")
    assert (F("spell")(3), F("spell")(12)) == ("Three", "12")
    assert F("n_pct")(3, 30) == "3 (10.0%)"
    assert F("months")(None) == "not reached" and F("months")(5.6838) == "5.7 months"


def test_abbreviations_lists_only_those_used_in_alphabetical_order():
    known = {"CI": "confidence interval", "OS": "overall survival", "NR": "not reached"}
    assert f.abbreviations(["Median OS (95% CI)", "6-month"], known) == (
        "CI, confidence interval; OS, overall survival")


def test_eponyms_get_an_en_dash_but_compound_words_keep_their_hyphen():
    assert f.dashes("reverse Kaplan-Meier, Hand-foot") == "reverse Kaplan–Meier, Hand-foot"


def test_citations_number_tables_and_panels_in_order_of_first_citation():
    c = Citations(("baseline", "efficacy"),
                  {"figure1": ("waterfall", "swimmer"), "figure2": ("km_pfs", "km_os")})
    cited = [c.table("efficacy"), c.table("baseline"), c.table("efficacy"), c.figure("km_os"),
             c.figure("waterfall")]
    blocks = c.number([Block((Run(" / ".join(cited)),))])
    assert blocks[0].text == "Table 1 / Table 2 / Table 1 / Figure 1B / Figure 2A"
    assert c.table_order() == ["efficacy", "baseline"]
    one = Citations((), {"figure1": ("swimmer",)})
    assert one.number([Block((Run(one.figure("swimmer")),))])[0].text == "Figure 1"
    with pytest.raises(CitationError, match="cites table 'baselin', which this study does "
                                            "not have; its tables are baseline, efficacy"):
        c.table("baselin")


def test_a_table_the_study_has_but_no_template_cites_is_an_error():
    c = Citations(("baseline", "efficacy"), {"figure1": ("swimmer",)})
    c.number([Block((Run(c.table("baseline")),))])
    with pytest.raises(CitationError, match="table 'efficacy' and figure 'figure1' are "
                                            "declared in the catalogue"):
        c.check()


# --- wording that follows the data -------------------------------------------------------

def test_reference_results_read_as_published(reference):
    text = prose(*reference)
    assert "The objective response rate (ORR) was 13.3% (95% CI 0.4–26.2)" in text
    assert "the disease control rate (DCR) was 73.3% (95% CI 56.5–90.1)" in text
    assert "had disease progression or died (Figure 2A). The median progression-free " \
           "survival (PFS) was 5.7 months (95% CI 4.7–6.7), and the 6- and 12-month PFS rates " \
           "were" in text
    assert "median overall survival (OS) was 11.5 months (95% CI 7.5–15.5)" in text
    assert "Twenty-two patients (73.3%) had died (Figure 2B)." in text
    assert "No grade 4 or 5 adverse events occurred." in text
    assert "Among the 4 responders, the median time to response was" in text


def test_zero_responders_are_worded_as_such(reference):
    results, config = reference
    eff = results.efficacy
    counts = {**eff.bor_counts, "PR": 0, "SD": eff.bor_counts["SD"] + eff.bor_counts["PR"]}
    eff = with_(eff, bor_counts=counts, orr=with_(eff.orr, n=0, estimate=0.0, ci_low=0.0,
                                                   ci_high=0.0), time_to_response=None, dor=None)
    text = prose(with_(results, efficacy=eff), config)
    assert "No patient achieved an objective response, and the disease control rate (DCR) " \
           "was 73.3% (95% CI 56.5–90.1)." in text
    assert "no patient had a complete response" not in text
    assert "responders" not in text


def test_a_single_responder_is_singular(reference):
    results, config = reference
    eff = results.efficacy
    eff = with_(eff, orr=with_(eff.orr, n=1), dor=with_(eff.dor, n=1, n_events=0, median=None))
    text = prose(with_(results, efficacy=eff), config)
    assert "The response was first documented at 3.3 months and was ongoing at the last " \
           "assessment." in text


def test_singular_counts_and_small_numbers_at_a_sentence_start(reference):
    results, config = reference
    exposure = with_(results.exposure, n_ongoing=1)
    safety = with_(results.safety, n_any=4, n_grade3plus=1)
    text = prose(with_(results, exposure=exposure, safety=safety), config)
    assert "At the data cutoff, 1 patient (3.3%) was still receiving" in text
    assert "Four patients (13.3%) had at least one adverse event of any grade, and 1 (3.3%) " \
           "had an event of grade 3 or higher." in text


def test_no_adverse_events_recorded(reference):
    results, config = reference
    safety = Safety(results.n_patients, 0, 0, None, 5.0, (), ())
    text = prose(with_(results, safety=safety), config)
    assert text.endswith("Safety No adverse events were recorded.")
    assert "Table 3" not in text


def test_no_event_of_grade_3_or_higher(reference):
    results, config = reference
    rows = tuple(with_(r, grade1=r.grade1 + r.grade3, grade3=0)
                 for r in results.safety.adverse_events)
    safety = with_(results.safety, n_grade3plus=0, max_grade=2, adverse_events=rows, all_terms=rows)
    text = prose(with_(results, safety=safety), config)
    assert "; none had an event of grade 3 or higher." in text
    assert "of grade 3 or higher were" not in text
    notes = prose(with_(results, safety=safety), config, "tables/adverse_events.md.j2", "notes")
    assert "No grade 4 or 5 adverse events occurred." in notes


def test_a_grade_4_event_changes_what_can_be_said(reference):
    results, config = reference
    first = with_(results.safety.adverse_events[0], grade3=3, grade4=1)
    rows = (first, *results.safety.adverse_events[1:])
    safety = with_(results.safety, max_grade=4, adverse_events=rows, all_terms=rows)
    text = prose(with_(results, safety=safety), config)
    notes = prose(with_(results, safety=safety), config, "tables/adverse_events.md.j2", "notes")
    for t in (text, notes):
        assert "No grade 5 adverse events occurred." in t and "grade 4 or 5" not in t


def test_median_not_reached_and_a_landmark_beyond_follow_up(reference):
    results, config = reference
    os_ = results.survival.os
    lms = (os_.landmarks[0], with_(os_.landmarks[1], estimate=None, ci_low=None, ci_high=None))
    os_ = with_(os_, median=None, ci_high=None, landmarks=lms)
    text = prose(with_(results, survival=with_(results.survival, os=os_)), config)
    assert "was not reached (95% CI 7.5–not reached), and the 6-month OS rate was 86.7% " \
           "(95% CI 68.3–94.8)." in text


@pytest.mark.parametrize(("method", "words"), [
    ("clopper-pearson", "with the exact Clopper–Pearson method"),
    ("wilson", "with the Wilson score method"), ("wald", "with the Wald method"),
    ("t", "with the t distribution, as the interval for the mean of the binary (0/1) response "
          "with its sample standard deviation and n − 1 degrees of freedom")])
def test_methods_name_the_proportion_interval_used(reference, method, words):
    results, config = reference
    text = prose(with_(results, methods=with_(results.methods, proportion_ci=method)), config,
                 "methods.md.j2")
    assert f"Confidence intervals (CIs) for proportions were calculated at the 95% level {words}" \
        in text


@pytest.mark.parametrize(("method", "words", "band"), [
    ("log-log", "Brookmeyer–Crowley method with log–log transformation", "log–log"),
    ("log", "Brookmeyer–Crowley method with log transformation", "log"),
    ("plain", "Brookmeyer–Crowley method without transformation", "linear"),
    ("symmetric", "a symmetric interval, the median ± z × SE, where z is the standard normal "
                  "quantile for the confidence level and SE the standard error of the median by "
                  "Collett's formula", "log–log")])
def test_methods_name_the_median_interval_and_landmark_band(reference, method, words, band):
    results, config = reference
    from nps_report.analysis.survival import band_type

    methods = with_(results.methods, km_ci=method, landmark_ci=band_type(method))
    text = prose(with_(results, methods=methods), config, "methods.md.j2")
    assert words in text
    assert f"Greenwood's variance with the {band} transformation" in text


def test_methods_state_confirmation_cutoff_and_software(reference):
    results, config = reference
    text = prose(with_(results, methods=with_(results.methods, confirm_response=True)), config,
                 "methods.md.j2")
    assert "Complete and partial responses required confirmation by a repeat assessment at " \
           "least 28 days later, with only complete or partial responses in between." in text
    assert "adverse events with onset after the data cutoff (31 December 2024) were not " \
           "counted, and patients last known alive after it were censored at the cutoff" in text
    assert "Analyses were performed in Python " in text and "scipy" in text
    assert "estimated with the reverse Kaplan–Meier method" in text


def test_table_notes_state_the_threshold_and_spell_out_abbreviations(reference):
    results, config = reference
    safety = with_(results.safety, min_incidence_pct=10.0)
    notes = prose(with_(results, safety=safety), config, "tables/adverse_events.md.j2", "notes")
    assert "Adverse events are listed if any-grade incidence > 10%." in notes
    assert notes.endswith("Abbreviations: CTCAE, Common Terminology Criteria for Adverse Events.")
    eff_notes = prose(results, config, "tables/efficacy.md.j2", "notes")
    assert "CI, confidence interval; CR, complete response;" in eff_notes
    assert "NR, not reached" not in eff_notes  # no NR cell in the reference efficacy table


def test_legends_say_which_patients_are_not_shown(reference):
    results, config = reference
    change = (None, None, *results.patients.best_pct_change[2:])
    patients = dataclasses.replace(results.patients, best_pct_change=change)
    figures = with_(config.figures, swimmer_max_patients=10)
    legend = prose(with_(results, patients=patients), with_(config, figures=figures),
                   "figures/figure1.md.j2", "legend")
    assert "for each of the 28 patients with a post-baseline measurement" in legend
    assert "Two patients without a post-baseline measurement are not shown." in legend
    assert "The 10 patients with the longest follow-up are shown, of 30 in total." in legend
    full = prose(results, config, "figures/figure1.md.j2", "legend")
    assert "markers show the first response (triangle), progression (cross) and death " \
           "(square); arrows mark treatment ongoing at the data cutoff." in full
    km = prose(results, config, "figures/figure2.md.j2", "legend")
    assert "Median progression-free survival was 5.7 months (95% CI 4.7–6.7)" in km
    assert "Vertical ticks mark censored observations" in km and "at risk" in km


def test_abstract_results_sentences(reference):
    text = prose(*reference, "abstract.md.j2", "results_text")
    assert text.startswith("The objective response rate (ORR) was 13.3% (95% CI 0.4–26.2) and "
                           "the disease control rate (DCR) 73.3% (95% CI 56.5–90.1).")
    assert "Median PFS was 5.7 months (95% CI 4.7–6.7) and median OS 11.5 months " \
           "(95% CI 7.5–15.5)." in text
    assert "the most common were hand-foot syndrome (50.0%), hypertension (40.0%) and oral " \
           "mucositis (36.7%)." in text


def test_an_unestimable_lower_limit_is_spelled_out_in_text_and_explained_under_the_table(
        reference):
    results, config = reference
    os_ = with_(results.survival.os, median=None, ci_low=None, ci_high=None)
    results = with_(results, survival=with_(results.survival, os=os_))
    assert F("median_ci")(os_) == "not reached"
    pfs = with_(results.survival.pfs, ci_low=None)
    assert F("median_ci")(pfs) == "5.7 months (95% CI not estimable–6.7)"
    results = with_(results, survival=with_(results.survival, pfs=pfs))
    notes = prose(results, config, "tables/efficacy.md.j2", "notes")
    assert "NE, not estimable" in notes and "NR, not reached" in notes


def test_large_counts_get_thousands_separators_small_ones_do_not():
    from nps_report.present.fmt import fmt_int

    assert (fmt_int(9999), fmt_int(10000), fmt_int(95480)) == ("9999", "10,000", "95,480")


def test_a_one_patient_study_reads_in_the_singular(tmp_path):
    from nps_report.pipeline import compute
    from nps_report.synthetic import write_study

    study, results = compute(write_study(tmp_path / "one", 1, seed=2), "2025-01-01T00:00:00Z")
    legend = prose(results, study.config, "figures/figure1.md.j2", "legend")
    notes = prose(results, study.config, "tables/efficacy.md.j2", "notes")
    assert "for the one patient with a post-baseline measurement" in legend
    assert "Percentages are of the one treated patient." in notes
    assert "1 patient with" not in legend and "all 1 treated" not in notes


def test_waterfall_legend_mentions_capped_bars_only_when_there_are_some(reference):
    results, config = reference
    legend = prose(results, config, "figures/figure1.md.j2", "legend")
    assert "+100%" not in legend  # the reference study's largest increase is below +100%
    p = results.patients
    raised = with_(p, best_pct_change=(250.0, *p.best_pct_change[1:]))
    legend = prose(with_(results, patients=raised), config, "figures/figure1.md.j2", "legend")
    assert "Increases above +100% are cut at the top of the axis and labeled with their " \
           "value." in legend


# --- what an editor would send back (issue 16) --------------------------------------------

SOFTWARE = re.compile(r"\b(SPSS|SAS|Stata|GraphPad|Prism|Excel|R (?:package|software))\b")


@pytest.mark.parametrize("proportion", ["clopper-pearson", "wilson", "wald", "t"])
@pytest.mark.parametrize("km", ["log-log", "log", "plain", "symmetric"])
def test_methods_name_no_software_package_as_a_method(reference, proportion, km):
    results, config = reference
    methods = with_(results.methods, proportion_ci=proportion, km_ci=km)
    changed = with_(results, methods=methods)
    for template, part in (("methods.md.j2", None), ("tables/efficacy.md.j2", "notes")):
        text = prose(changed, config, template, part)
        assert not SOFTWARE.search(text), (template, SOFTWARE.search(text))


def test_the_symbols_of_the_symmetric_interval_are_defined_where_they_are_used(reference):
    results, config = reference
    methods = with_(results.methods, km_ci="symmetric")
    text = prose(with_(results, methods=methods), config, "methods.md.j2")
    assert "where z is the standard normal quantile" in text
    assert "SE the standard error of the median" in text


def test_the_waterfall_and_swimmer_sentences_of_the_legend_are_apart_and_complete(reference):
    results, config = reference
    legend = prose(results, config, "figures/figure1.md.j2", "legend")
    assert "dashed lines mark +20% and −30%. Two bars of progressive disease lie below " \
           "zero: the target lesions shrank, but new lesions" in legend
    assert "made the best overall response progressive disease. (B) Swimmer plot" in legend
    assert "(stable disease hatched and progressive disease cross-hatched)" in legend
    assert "and thin lines show follow-up after treatment" in legend
