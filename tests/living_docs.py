"""Manuscripts with bound parts at two data states, written by the real DOCX writer, and the
edits an author makes to one in Word, made with python-docx.

OLD is what the author received; NEW is the build after one adverse event and the
survival data changed. The composition does not bind parts yet, so the Manuscript is
made here by hand, with the keys composition will use.
"""

from __future__ import annotations

import copy
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.text.paragraph import Paragraph
from lxml import etree

from nps_report.present.tables import Row, TableSpec
from nps_report.render.docx_writer import write_docx
from nps_report.render.model import Block, FigureLegend, Manuscript, PageBreak, Run, Table

BUILT = {"old": "2025-01-01T00:00:00Z", "new": "2025-03-01T00:00:00Z"}
LABELS = {
    "efficacy.orr:pct_ci": "Objective response rate",
    "efficacy.orr:ci": "Objective response rate, 95% CI",
    "efficacy.waterfall:n": "Patients in the waterfall plot",
    "efficacy.bor_counts.PR:count": "Partial responses",
    "efficacy.bor_counts.PR:pct": "Partial responses (%)",
    "efficacy.bor_counts.SD:count": "Stable disease",
    "efficacy.bor_counts.SD:pct": "Stable disease (%)",
    "survival.pfs:median": "Median PFS",
    "survival.pfs:ci": "Median PFS, 95% CI",
    "survival.os:median": "Median OS",
    "safety.grade3:n_pct": "Grade 3 adverse events",
    "results.response": "Best overall response paragraph",
}

VALUES = {
    "old": {"orr": "13.3%", "orr_ci": "3.8–30.7", "pr": "4", "pr_pct": "13.3%", "sd": "18",
            "sd_pct": "60.0%", "pfs": "5.7", "pfs_ci": "4.7–6.7", "os": "11.5",
            "g3": "9 (30.0%)", "cr": None, "n_waterfall": "28",
            "ae": [("Hand-foot syndrome", "15 (50.0)", "4 (13.3)"),
                   ("Hypertension", "8 (26.7)", "1 (3.3)"),
                   ("Proteinuria", "3 (10.0)", "0"),
                   ("Rash", "2 (6.7)", "0")]},
    "new": {"orr": "16.7%", "orr_ci": "5.6–34.7", "pr": "4", "pr_pct": "13.3%", "sd": "17",
            "sd_pct": "56.7%", "pfs": "6.1", "pfs_ci": "5.0–7.2", "os": "12.0",
            "g3": "10 (33.3%)", "cr": "1 patient (3.3%)", "n_waterfall": "29",
            "ae": [("Hand-foot syndrome", "15 (50.0)", "4 (13.3)"),
                   ("Hypertension", "9 (30.0)", "2 (6.7)"),
                   ("Proteinuria", "3 (10.0)", "1 (3.3)"),
                   ("Cough", "2 (6.7)", "0")]},
}


def n(text: str, key: str) -> Run:
    return Run(text, binding=key)


def t(text: str) -> Run:
    return Run(text)


def manuscript(state: str) -> Manuscript:
    v = VALUES[state]
    response = ([t("The best overall response was complete response in "), n(v["cr"],
                 "efficacy.bor_counts.CR:n_pct"), t(", partial response in ")]
                if v["cr"] else [t("The best overall response was partial response in ")])
    response += [n(v["pr"], "efficacy.bor_counts.PR:count"), t(" patients ("),
                 n(v["pr_pct"], "efficacy.bor_counts.PR:pct"), t(") and stable disease in "),
                 n(v["sd"], "efficacy.bor_counts.SD:count"), t(" ("),
                 n(v["sd_pct"], "efficacy.bor_counts.SD:pct"), t(")")]
    response += [t(".")] if v["cr"] else [t("; no patient had a complete response.")]
    safety_words = ("No grade 4 or 5 adverse events occurred." if state == "old" else
                    "One grade 4 adverse event (hypertension) occurred.")
    ae = TableSpec("adverse_events", ("Adverse event", "Any grade", "Grade 3"),
                   tuple(Row(row, "plain") for row in v["ae"]))
    baseline = TableSpec("baseline", ("Characteristic", "Patients (N = 30)"),
                         (Row(("Sex, n (%)", ""), "group"), Row(("Male", "25 (83.3)")),
                          Row(("Female", "5 (16.7)"))))
    elements: list = [
        Block((t("Anlotinib in recurrent nasopharyngeal carcinoma"),), role="title"),
        Block((t("Abstract"),), "heading", 1),
        Block((t("Results: ", ), t("The ORR was "), n(v["orr"], "efficacy.orr:pct_ci"),
               t(" and the median PFS "), n(v["pfs"], "survival.pfs:median"),
               t(" months.")), binding=None),
        Block((t("Results"),), "heading", 1),
        Block(tuple(response), binding="results.response"),
        Block((t("The objective response rate (ORR) was "), n(v["orr"], "efficacy.orr:pct_ci"),
               t(" (95% CI "), n(v["orr_ci"], "efficacy.orr:ci"), t(").")),
              binding="results.orr"),
        Block((t("The median progression-free survival (PFS) was "),
               n(v["pfs"], "survival.pfs:median"), t(" months (95% CI "),
               n(v["pfs_ci"], "survival.pfs:ci"), t(").")), binding="results.pfs"),
        Block((t("The median overall survival was "), n(v["os"], "survival.os:median"),
               t(" months.")), binding="results.os"),
        Block((t("Grade 3 adverse events occurred in "), n(v["g3"], "safety.grade3:n_pct"),
               t(" of patients (Table 2).")), binding="results.safety"),
        Block((t(safety_words),), binding="results.safety_severe"),
        Block((t("Discussion"),), "heading", 1),
        Block((Run("[Discussion: write in manuscript/discussion.md]", mark=True),)),
        PageBreak(),
        Table(1, (t("Baseline characteristics"),), baseline),
        PageBreak(),
        Table(2, (t("Adverse events by highest grade"),), ae,
              (Block((t("Listed if any-grade incidence > 5%."),), role="note"),)),
    ]
    if state == "new":
        prognostic = TableSpec("prognostic_pfs", ("Factor", "HR (95% CI)", "p"),
                               (Row(("ECOG 2 vs 0-1", "2.10 (0.85–5.19)", "0.108"), "plain"),))
        elements += [PageBreak(), Table(3, (t("Prognostic factors for PFS"),), prognostic)]
    elements += [
        PageBreak(), Block((t("Figure legends"),), "heading", 1),
        FigureLegend(1, (t("Tumor response"),),
                     (t("Waterfall plot of the best change in "),
                      n(v["n_waterfall"], "efficacy.waterfall:n"), t(" patients.")),
                     key="figure1"),
        FigureLegend(2, (t("Survival"),), (t("Kaplan–Meier estimates of PFS and OS."),),
                     key="figure2"),
    ]
    return Manuscript("Anlotinib", ("A. Author",), ("NPC",), BUILT[state], "nps-report 0.1.0",
                      False, tuple(elements))


def write(state: str, dest: Path) -> Path:
    return write_docx(manuscript(state), dest, labels=LABELS)


# -- what an author does in Word ------------------------------------------------------------

DISCUSSION = ("In our cohort, grade 3 hypertension in 1 patient (3.3%) was manageable, and "
              "the median PFS of 5.7 months compares well with 4.7 months for chemotherapy.")
DISCUSSION_2 = "Hand-foot syndrome of grade 3 affected 4 patients (13.3%)."


def paragraph_starting(d: docx.document.Document, start: str) -> Paragraph:
    return next(p for p in d.paragraphs if p.text.startswith(start))


def edit_as_author(d: docx.document.Document) -> None:
    """The edits of a co-author: Discussion written (with numbers typed by hand), two
    generated sentences reworded (the wording of one changes in the new build too), a
    generated number retyped, a table cell touched, a generated paragraph deleted, a
    paragraph of their own inserted in the Results, a comment on a generated paragraph."""
    placeholder = paragraph_starting(d, "[Discussion")
    placeholder.runs[0].text = DISCUSSION
    placeholder.runs[0].font.highlight_color = None
    placeholder.insert_paragraph_before("Our study adds to the evidence.")
    later = placeholder._p.getnext()
    new_p = d.add_paragraph(DISCUSSION_2)._p
    later.addprevious(new_p)
    pfs = paragraph_starting(d, "The median progression-free")
    pfs.runs[0].text = "Median PFS reached "  # the bound runs stay as they were
    orr = paragraph_starting(d, "The objective response rate")
    orr.runs[1].text = "13 %"  # typed over the generated number, inside its bookmark
    severe = paragraph_starting(d, "No grade 4 or 5")
    severe.runs[0].text = "There were no grade 4 or 5 events."
    os_ = paragraph_starting(d, "The median overall survival")
    os_._p.getparent().remove(os_._p)
    safety = paragraph_starting(d, "Grade 3 adverse events")
    safety.insert_paragraph_before("These responses were durable.")
    d.add_comment(safety.runs, "Check against the CRFs.", author="B. Author")
    ae = d.tables[1]
    proteinuria = next(r for r in ae.rows if r.cells[0].text == "Proteinuria")
    proteinuria.cells[1].paragraphs[0].runs[0].text = "3 (10%)"


def edited(old: Path, dest: Path) -> Path:
    d = docx.Document(str(old))
    edit_as_author(d)
    d.save(str(dest))
    return dest


def old_new_edited(folder: Path) -> dict[str, Path]:
    """The old and new builds' manuscripts, and the author's edit of the old one."""
    old = write("old", folder / "old.docx")
    return {"old": old, "new": write("new", folder / "new.docx"),
            "edited": edited(old, folder / "edited.docx")}


# -- LibreOffice ----------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) not installed; CI installs it and runs this test")


def libreoffice_save(src: Path, out_dir: Path, profile: Path) -> Path:
    """src opened and saved again as .docx by LibreOffice."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir),
                    str(src)], check=True, capture_output=True, timeout=180)
    return out_dir / src.name


def docx_bytes(d: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# -- what Word does to a file it saves ------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RSID = "00C4F1A2"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def as_word_saves(data: bytes) -> bytes:
    """The package changed as Word changes a file it saves, where it matters to update:
    runs split where edits were made (rsid attributes on them), proofing marks, a
    whole-paragraph bookmark ended at body level after its paragraph, style ids renamed
    and the custom XML items renumbered."""
    with zipfile.ZipFile(io.BytesIO(data)) as pkg:
        members = {i.filename: pkg.read(i) for i in pkg.infolist()}
    doc = etree.fromstring(members["word/document.xml"])
    body = doc.find(_w("body"))
    for p in doc.iter(_w("p")):
        p.set(_w("rsidR"), RSID)
        p.set(_w("rsidRDefault"), RSID)
    for r in list(doc.iter(_w("r"))):
        t = r.find(_w("t"))
        if t is None or len(t.text or "") < 4 or len([c for c in r if c.tag != _w("rPr")]) > 1:
            continue
        second = copy.deepcopy(r)
        half = len(t.text) // 2
        second.find(_w("t")).text = t.text[half:]
        t.text = t.text[:half]
        for piece in (t, second.find(_w("t"))):
            piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        second.set(_w("rsidR"), RSID)
        r.addnext(second)
    for p in body.findall(_w("p")):
        runs = p.findall(_w("r"))
        if runs:
            err = etree.Element(_w("proofErr"))
            err.set(_w("type"), "spellStart")
            runs[0].addprevious(err)
        kids = [c for c in p if c.tag != _w("pPr")]
        if (len(kids) > 1 and kids[0].tag == _w("bookmarkStart") and kids[-1].tag ==
                _w("bookmarkEnd") and kids[0].get(_w("id")) == kids[-1].get(_w("id"))):
            p.addnext(kids[-1])  # the bookmark takes in the paragraph mark
    members["word/document.xml"] = etree.tostring(doc, xml_declaration=True,
                                                  encoding="UTF-8", standalone=True)
    members = _rename_styles(members, {"Caption": "CaptionW", "TableText": "TableTextW",
                                       "TableNote": "TableNoteW", "Title": "TitleW"})
    return _renumber_custom_xml(members)


def _rename_styles(members: dict[str, bytes], rename: dict[str, str]) -> dict[str, bytes]:
    for name, attrs in (("word/styles.xml", ("styleId",)), ("word/document.xml", ())):
        root = etree.fromstring(members[name])
        for el in root.iter():
            for attr in attrs:
                if el.get(_w(attr)) in rename:
                    el.set(_w(attr), rename[el.get(_w(attr))])
            if el.tag in (_w("pStyle"), _w("rStyle"), _w("basedOn"), _w("next"), _w("link")) \
                    and el.get(_w("val")) in rename:
                el.set(_w("val"), rename[el.get(_w("val"))])
        members[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                       standalone=True)
    return members


def _renumber_custom_xml(members: dict[str, bytes]) -> bytes:
    """customXml/itemN.xml -> item(N+5).xml, with its properties and every reference."""
    moves = {}
    for name in list(members):
        m = re.fullmatch(r"customXml/(_rels/)?item(Props)?(\d+)\.xml(\.rels)?", name)
        if m:
            moves[name] = name.replace(f"{m.group(3)}.xml", f"{int(m.group(3)) + 5}.xml")
    out = {}
    for name, data in members.items():
        for old, new in moves.items():
            data = data.replace(old.split("/")[-1].encode(), new.split("/")[-1].encode())
        out[moves.get(name, name)] = data
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as pkg:
        for name, data in out.items():
            pkg.writestr(name, data)
    return buf.getvalue()
