"""manuscript.pdf and manuscript.docx: the same Results-built sentences in both, native Word
tables and captions, adapted wording for a study without scans or adverse events, escaping,
reproducible bytes, and a render package that never imports the analysis stack."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from nps_report.config.authors import Author
from nps_report.paths import REFERENCE_STUDY
from nps_report.pipeline import compute
from nps_report.present import fmt
from nps_report.present.catalogue import CATALOGUE
from nps_report.render import write_documents
from nps_report.synthetic import write_study

FIGURE_KEYS = ("figure1", "figure2", "waterfall", "swimmer", "km_pfs", "km_os",
               *(f.key for f in CATALOGUE.figures
                 if f.key not in ("figure1", "figure2")))  # flow, spider, dor, by cohort, ...


def fake_figures(folder: Path) -> dict[str, dict[str, Path]]:
    """Small PNG and SVG files for every figure key, until the real figures are used."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, dict[str, Path]] = {}
    for key in FIGURE_KEYS:
        fig, ax = plt.subplots(figsize=(4, 5 if key.startswith("figure") else 2.5))
        ax.step([0, 1, 2], [1, 0.5, 0.2], where="post")
        ax.set_title(key)
        out[key] = {}
        for ext in ("png", "svg"):
            path = folder / f"{key}.{ext}"
            fig.savefig(path, dpi=40, metadata={"Date": None} if ext == "svg" else None)
            out[key][ext] = path
        plt.close(fig)
    return out


def normalise(text: str) -> str:
    """One line of text: whitespace collapsed, and a line broken after a dash or slash joined."""
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"([–/-]) (?=\S)", r"\1", text)


def pdf_text(path: Path) -> str:
    """The text of every page, without the page number its footer prints (where a page
    breaks inside a sentence, the number would otherwise sit in the middle of it)."""
    from pypdf import PdfReader

    return normalise(" ".join(re.sub(r"\n\d+$", "", page.extract_text())
                              for page in PdfReader(path).pages))


def docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return normalise(" ".join(parts).replace(WORD_JOINER, ""))  # invisible: not read


WORD_JOINER = "\u2060"
BUILT_AT = "2025-01-01T00:00:00Z"
# Published numbers the reference study must reproduce (shared/reference/published-aggregates.yaml)
PUBLISHED = ("13.3% (95% CI 0.4–26.2)", "73.3% (95% CI 56.5–90.1)",
             "5.7 months (95% CI 4.7–6.7)", "11.5 months (95% CI 7.5–15.5)")


def render(study_dir: Path, out: Path, figures: dict, mutate=None):
    study, results = compute(study_dir, built_at=BUILT_AT)
    config = study.config
    if mutate:
        results, config = mutate(results, config)
    out.mkdir(parents=True, exist_ok=True)
    paths = write_documents(results, CATALOGUE.build_tables(results), figures, config,
                            study_dir, out)
    return results, paths


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    return fake_figures(tmp_path_factory.mktemp("figures"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory, figures):
    results, (pdf, docx_path) = render(REFERENCE_STUDY, tmp_path_factory.mktemp("ref"), figures)
    return results, pdf, docx_path, pdf_text(pdf), docx_text(docx_path)


@pytest.fixture(scope="module")
def bare(tmp_path_factory, figures):
    """A synthetic study of 40 patients with no scans and no adverse events."""
    folder = write_study(tmp_path_factory.mktemp("bare") / "study", 40, seed=2,
                         with_scans=False, with_aes=False)
    results, (pdf, docx_path) = render(folder, tmp_path_factory.mktemp("bare-out"), figures)
    return results, pdf, docx_path, pdf_text(pdf), docx_text(docx_path)


def test_write_documents_returns_the_pdf_and_the_docx(reference):
    _, pdf, docx_path, _, _ = reference
    assert (pdf.name, docx_path.name) == ("manuscript.pdf", "manuscript.docx")
    assert pdf.read_bytes().startswith(b"%PDF") and zipfile.is_zipfile(docx_path)


@pytest.mark.parametrize("published", PUBLISHED)
def test_published_estimates_appear_in_pdf_and_docx(reference, published):
    _, _, _, pdf, word = reference
    assert published in pdf
    assert published in word


def test_sentences_built_from_results_appear_in_both_formats(reference):
    results, _, _, pdf, word = reference
    data = results.to_dict()  # the numbers of results.json, formatted by the one fmt module
    orr, pfs = data["efficacy"]["orr"], data["survival"]["pfs"]
    six = pfs["landmarks"]["6"]
    sentences = [
        # Results: ORR and PFS were defined in the Methods, before
        f"The ORR was {fmt.fmt_pct(orr['estimate'])}% "
        f"(95% CI {fmt.fmt_pct(orr['ci_low'])}–{fmt.fmt_pct(orr['ci_high'])})",
        f"The median PFS was {fmt.fmt_num(pfs['median'], 1)} months",
        f"{fmt.fmt_pct(six['estimate'])}% (95% CI {fmt.fmt_pct(six['ci_low'])}–"
        f"{fmt.fmt_pct(six['ci_high'])})",
        "Twenty-five patients (83.3%) had at least one adverse event of any grade",
        "partial response in 4 patients (13.3%), stable disease in 18 (60.0%) and progressive "
        "disease in 8 (26.7%); no patient had a complete response",
        "No grade 4 or 5 adverse events occurred.",
        "listed if any-grade incidence > 5%",
        # RECIST is spelled out where the authors' own Methods text uses it first
        "Tumor response was assessed according to the RECIST version 1.1",
        "the t distribution, as the interval for the mean of the binary (0/1) response",
        "the median ± z × SE, where z is the standard normal quantile for the confidence level "
        "and SE the standard error of the median",
        f"Python {dict(results.methods.software)['Python']}",
    ]
    for sentence in sentences:
        assert sentence in pdf, sentence
        assert sentence in word, sentence


@pytest.mark.parametrize("which", ["reference", "bare"])
def test_no_template_residue_in_either_format(request, which):
    _, _, _, pdf, word = request.getfixturevalue(which)
    for text in (pdf, word):
        assert "{{" not in text and "{%" not in text and "Undefined" not in text
        assert not re.search(r"\bNone\b", text)
        assert not re.search(r"\bnan\b", text, re.IGNORECASE)
        assert "\\" not in text  # no Markdown escape leaked


def test_tables_are_numbered_in_order_of_first_citation(reference):
    _, _, _, pdf, _ = reference
    assert pdf.index("Table 1") < pdf.index("Table 2") < pdf.index("Table 3")
    assert "Table 1. Baseline characteristics" in pdf
    assert "Table 2. Tumor response and survival" in pdf
    assert "Table 3. Adverse events by highest grade" in pdf


def test_docx_has_native_tables_with_the_table_cells(reference):
    _, _, docx_path, _, _ = reference
    d = docx.Document(str(docx_path))
    assert len(d.tables) == 6  # with the reference study's two Cox tables and response table
    baseline, efficacy, ae, cox_pfs, _, response = (
        {row.cells[0].text.replace(WORD_JOINER, ""): [c.text.replace(WORD_JOINER, "")
                                                     for c in row.cells[1:]]
         for row in t.rows} for t in d.tables)
    # by starting dose (study.yaml by:): 12 mg/day, 10 mg/day, then the total
    assert baseline["Male"] == ["17 (81.0)", "8 (88.9)", "25 (83.3)"]
    assert baseline["Age (years), median (range)"] == ["51 (35–62)", "67 (59–76)", "55 (35–76)"]
    assert efficacy["Objective response rate (CR + PR), n (%)"] == ["4 (19.0)", "0", "4 (13.3)"]
    assert ae["Adverse event"] == ["12\u00a0mg/day (n\u00a0=\u00a021)",
                                   "10\u00a0mg/day (n\u00a0=\u00a09)", "Total (N\u00a0=\u00a030)"]
    assert ae["Hand-foot syndrome"] == ["12 (57.1)", "3 (33.3)", "15 (50.0)"]
    assert cox_pfs["Factor"] == ["n", "Events", "HR (95% CI), univariable", "p",
                                 "HR (95% CI), multivariable", "p"]
    assert cox_pfs["0–1"] == ["24", "20", "Reference", "", "Reference", ""]
    assert response["ECOG performance status"] == ["", "", "", "0.56"]


def test_docx_header_rows_repeat_and_rows_do_not_split(reference):
    _, _, docx_path, _, _ = reference
    for table in docx.Document(str(docx_path)).tables:
        header, *body = table.rows
        assert 'w:tblHeader w:val="true"' in header._tr.xml
        assert all("w:tblHeader" not in row._tr.xml for row in body)
        assert all("w:cantSplit" in row._tr.xml for row in table.rows)


def test_docx_group_rows_are_bold_and_item_rows_indented(reference):
    _, _, docx_path, _, _ = reference
    rows = {row.cells[0].text: row.cells[0].paragraphs[0]
            for row in docx.Document(str(docx_path)).tables[0].rows}
    assert rows["Sex, n (%)"].runs[0].bold
    assert not rows["Male"].runs[0].bold
    assert rows["Male"].paragraph_format.left_indent > 0


def test_docx_captions_use_the_caption_style_with_seq_fields(reference):
    _, _, docx_path, _, _ = reference
    captions = [p for p in docx.Document(str(docx_path)).paragraphs
                if p.style.name in ("Caption", "Figure Legend")]
    assert {c.style.name for c in captions if c.text.startswith("Figure")} == {"Figure Legend"}
    assert docx.Document(str(docx_path)).styles["Figure Legend"].base_style.name == "Caption"
    assert [c.text.split(".")[0] for c in captions] == [
        *(f"Table {n}" for n in range(1, 7)), *(f"Figure {n}" for n in range(1, 10))]
    for caption in captions:
        kind = caption.text.split()[0]
        assert f"SEQ {kind} \\* ARABIC" in caption._p.xml


def test_docx_body_is_times_new_roman_12pt_double_spaced_with_page_numbers(reference):
    _, _, docx_path, _, _ = reference
    d = docx.Document(str(docx_path))
    normal = d.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 12
    assert normal.paragraph_format.line_spacing == 2.0
    assert "PAGE" in d.sections[0].footer.paragraphs[0]._p.xml
    assert [s.name for s in d.styles if s.name.startswith("Heading")][:2] == [
        "Heading 1", "Heading 2"]
    assert any(p.style.name == "Heading 1" and p.text == "Results" for p in d.paragraphs)


def test_docx_figures_are_inline_pngs_at_most_the_text_width(reference):
    _, _, docx_path, _, _ = reference
    shapes = docx.Document(str(docx_path)).inline_shapes
    # flow, figure 1, spider, duration of response, figure 2, by cohort, and three of
    # prognostic factors
    assert len(shapes) == 9
    assert all(s.width <= docx.shared.Cm(16.01) for s in shapes)


def test_author_parts_without_files_are_marked_placeholders(reference):
    _, _, docx_path, pdf, word = reference
    for text in (pdf, word):  # the reference study has an introduction, but no discussion
        assert "[Discussion: write in manuscript/discussion.md]" in text
        assert "[Funding: write in manuscript/funding.md]" in text  # a required declaration
        assert "write in manuscript/introduction.md" not in text
    marked = [r for p in docx.Document(str(docx_path)).paragraphs for r in p.runs
              if r.font.highlight_color is not None]
    assert any("Discussion: write in" in r.text for r in marked)


def test_manuscript_sections_come_in_journal_order(reference):
    """Radiology and Oncology's order and headings (the reference study's journal), tables
    in the text after the paragraph that first cites them."""
    _, _, _, pdf, _ = reference
    heads = ["Abstract", "Background", "Patients and methods", "Results", "Conclusions",
             "Key words:", "Introduction", "Patients and methods", "Statistical analysis",
             "Results", "listed in Table 1.", "Table 1. Baseline", "Efficacy", "Discussion",
             "Conclusions", "Declarations", "Funding", "References", "Figure legends",
             "Figure 1"]
    at = 0
    for head in heads:  # each heading found after the previous one
        at = pdf.index(head + " ", at) + 1


def test_pdf_embeds_the_bundled_liberation_fonts_and_metadata(reference):
    from pypdf import PdfReader

    results, pdf, _, _, _ = reference
    reader = PdfReader(pdf)
    assert reader.metadata.title == results.study.title
    assert reader.metadata.creation_date.year == 2025
    fonts = set()
    for page in reader.pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Liberation-Serif" in f for f in fonts), fonts
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=0.5)  # A4


def test_study_without_scans_or_adverse_events_words_it_so(bare):
    results, _, docx_path, pdf, word = bare
    assert results.efficacy.n_no_post_baseline_scan == 40
    pd_, ne = results.efficacy.bor_counts["PD"], results.efficacy.bor_counts["NE"]
    for text in (pdf, word):
        assert "No adverse events were recorded." in text
        assert "No patient had a post-baseline tumor assessment." in text
        assert (f"the best overall response (Table 2) was progressive disease in {pd_} patients "
                f"({fmt.fmt_pct(pd_ / 40)}%) and not evaluable in {ne} ({fmt.fmt_pct(ne / 40)}%)."
                ) in text
        assert "No patient achieved an objective response or disease control." in text
        assert "Table 3" not in text and "No grade 4" not in text
        assert "Figure 1A" not in text  # no waterfall: Figure 1 is the swimmer plot alone
        assert "The course of treatment of each patient is shown in Figure 1." in text
        assert "(triangle)" not in text  # no responder, so no response marker to describe
    assert len(docx.Document(str(docx_path)).tables) == 2


def test_values_with_markup_characters_survive_exactly(tmp_path, figures):
    nasty = "A&B <x> *y* _z_ [1]"

    def mutate(results, config):
        study = dataclasses.replace(results.study, drug=nasty)
        rows = (dataclasses.replace(results.safety.adverse_events[0], term=nasty),
                *results.safety.adverse_events[1:])
        safety = dataclasses.replace(results.safety, adverse_events=rows, all_terms=rows)
        return dataclasses.replace(results, study=study, safety=safety, cohorts=None,
                                   by=None), config  # (the cohorts keep their own terms)

    _, (pdf, docx_path) = render(REFERENCE_STUDY, tmp_path, figures, mutate)
    for text in (pdf_text(pdf), docx_text(docx_path)):
        assert f"who received {nasty} (data cutoff" in text
        assert f"{nasty} 15 (50.0)" in text  # the adverse-event table row
        assert f"were {nasty[0].lower()}{nasty[1:]} (n = 15, 50.0%)" in text


def test_author_markdown_files_are_used_with_their_formatting(tmp_path, figures):
    study = write_study(tmp_path / "study", 12, seed=3)
    (study / "manuscript").mkdir()
    (study / "manuscript" / "introduction.md").write_text(
        "Targeted therapy is *promising*.\n\n# Rationale\n\n- first point\n- second point\n",
        encoding="utf-8")
    (study / "manuscript" / "discusion.md").write_text("Misspelt.\n", encoding="utf-8")
    _, (pdf, docx_path) = render(study, tmp_path / "out", figures)
    d = docx.Document(str(docx_path))
    para = next(p for p in d.paragraphs if p.text.startswith("Targeted therapy"))
    assert [r.text for r in para.runs if r.italic] == ["promising"]
    assert any(p.style.name == "Heading 2" and p.text == "Rationale" for p in d.paragraphs)
    assert any(p.text == "•\tfirst point" for p in d.paragraphs)
    text = pdf_text(pdf)
    assert "• first point" in text and "[Introduction:" not in text
    assert "(found manuscript/discusion.md: rename it?)" in text


def test_rendering_is_reproducible(tmp_path, figures):
    _, (pdf1, docx1) = render(REFERENCE_STUDY, tmp_path / "a", figures)
    _, (pdf2, docx2) = render(REFERENCE_STUDY, tmp_path / "b", figures)
    assert pdf1.read_bytes() == pdf2.read_bytes()
    with zipfile.ZipFile(docx1) as a, zipfile.ZipFile(docx2) as b:
        for name in ("word/document.xml", "docProps/core.xml", "word/styles.xml"):
            assert a.read(name) == b.read(name)
        assert b"2025-01-01T00:00:00Z" in a.read("docProps/core.xml")


def test_line_numbers_when_the_manuscript_asks_for_them(tmp_path, figures):
    def mutate(results, config):
        ms = dataclasses.replace(config.manuscript, line_numbers=True,
                                 authors=(Author("Ann Author"),))
        return results, dataclasses.replace(config, manuscript=ms)

    _, (pdf, docx_path) = render(REFERENCE_STUDY, tmp_path, figures, mutate)
    sect = docx.Document(str(docx_path)).sections[0]._sectPr.xml
    assert 'w:lnNumType w:countBy="1" w:restart="continuous"' in sect
    first_page = pdf_text(pdf).split("Abstract")[0]
    assert re.search(r"\b1 .*\b2 .*\b3 ", first_page)  # numbered lines on the title page
    assert "Ann Author" in first_page


def test_render_package_never_imports_the_analysis_stack():
    code = ("import sys, json, nps_report.render; "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pandas', 'numpy', 'scipy', 'lifelines', 'matplotlib') "
            "or m.startswith('nps_report.analysis'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) == []


def test_a_table_longer_than_a_page_repeats_its_header_in_the_pdf(tmp_path):
    from pypdf import PdfReader

    from nps_report.present.tables import Row, TableSpec
    from nps_report.render.model import Manuscript, Run, Table
    from nps_report.render.pdf import write_pdf

    spec = TableSpec("baseline", ("Characteristic", "Patients (N = 150)"),
                     tuple(Row((f"Level {i}", f"{i} (0.7)"), "item") for i in range(150)))
    ms = Manuscript("Long table", (), (), BUILT_AT, "test", False,
                    (Table(1, (Run("Many rows"),), spec),))
    pages = [normalise(p.extract_text())
             for p in PdfReader(write_pdf(ms, tmp_path / "long.pdf")).pages]
    assert len(pages) >= 3
    assert all(page.count("Characteristic Patients (N = 150)") == 1 for page in pages)
    assert "Table 1. Many rows" in pages[0] and "Table 1" not in pages[1]


def test_every_table_prints_a_count_of_none_as_0_and_ranges_with_an_en_dash(reference):
    results = reference[0]
    tables = CATALOGUE.build_tables(results)
    cells = [c for spec in tables.values() for row in spec.rows for c in row.cells[1:]]
    assert "0" in cells  # the reference study has zero counts (no complete response)
    assert not [c for c in cells if re.fullmatch(r"0 \(0(\.0)?\)", c)]
    labels = [row.cells[0] for row in tables["baseline"].rows]
    assert "0–1" in labels and "0-1" not in labels  # ECOG levels "0-1" in study.yaml
    word = reference[4]
    assert "0–1" in word and " 0-1 " not in word


ABBREVIATED = ("ORR", "DCR", "PFS", "OS", "CI", "RECIST", "CTCAE")


def test_each_abbreviation_is_spelled_out_once_in_the_abstract_and_once_in_the_text(reference):
    from nps_report.vocab import ABBREVIATIONS

    _, _, _, pdf_text_, word = reference
    main = pdf_text_.split("Introduction", 1)[1].split("Table 1. Baseline", 1)[0]
    abstract = pdf_text_.split("Abstract", 1)[1].split("Introduction", 1)[0]
    for short in ABBREVIATED:
        words = ABBREVIATIONS[short]
        defined = re.compile(rf"{re.escape(words)}s? \({short}s?\)", re.IGNORECASE)
        assert len(defined.findall(main)) == 1, (short, defined.findall(main))
        first_use = re.search(rf"\b{short}s?\b", main).start()
        assert first_use >= defined.search(main).start(), short  # none used before
    for short in ("ORR", "DCR", "PFS", "OS"):
        words = ABBREVIATIONS[short]
        assert len(re.findall(rf"{re.escape(words)} \({short}\)", abstract,
                              re.IGNORECASE)) == 1, short
    assert "objective response rate (ORR)" in word and "The ORR was" in word


def test_ranges_in_word_are_the_characters_a_reader_sees_so_find_and_paste_work(reference):
    """No invisible character in the Word file's text: Word's Find for '34.9–75.6' and a
    paste into a submission form get exactly what is printed (issue 25)."""
    import zipfile

    import docx

    doc = docx.Document(str(reference[2]))
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    ranges = [m for t in texts for m in re.findall(r"\S*\d–\d\S*", t)]
    assert len(ranges) > 20  # CIs and ranges in prose and tables
    assert "0.4–26.2" in " ".join(texts) and "Kaplan–Meier" in " ".join(texts)
    with zipfile.ZipFile(reference[2]) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    invisible = "\u2060\u200b\u200c\u200d\ufeff\u00ad"
    assert not any(c in xml for c in invisible)


def test_the_word_file_is_a_current_word_document_with_described_figures(reference):
    import zipfile

    with zipfile.ZipFile(reference[2]) as pkg:
        names = pkg.namelist()
        app = pkg.read("docProps/app.xml").decode()
        settings = pkg.read("word/settings.xml").decode()
        body = pkg.read("word/document.xml").decode()
        dates = {info.date_time for info in pkg.infolist()}
    assert "Microsoft" not in app and "<Application>nps-report " in app
    assert "<Pages>" not in app and "<AppVersion>" not in app
    assert not [n for n in names if "thumbnail" in n]
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" ' \
           'w:val="15"' in settings
    alts = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', body)
    assert alts == ["Patient flow", "Tumor response and course of treatment",
                    "Change in tumor burden over time", "Duration of response",
                    "Progression-free and overall survival",
                    "Progression-free and overall survival by starting dose",
                    "Hazard ratios of baseline factors for progression-free survival and "
                    "overall survival",
                    "Progression-free and overall survival by baseline factor",
                    "Objective response rate by baseline factor"]  # one per figure
    assert dates == {(2025, 1, 1, 0, 0, 0)}  # the build's time, not the clock
