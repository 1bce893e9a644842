"""The preview's page: the manuscript's own HTML (render/html.py, the PDF's), with every
generated number keyed, figures served from the private folder, and the patient
endpoints table the provenance panel links to; around it a small shell (preview.css,
preview.js) that reloads the manuscript when the server says it changed."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from ..paths import TEMPLATES
from ..provenance.keys import split
from ..render.fetcher import figure_url
from ..render.html import to_html
from ..render.model import FigureImages, Manuscript
from ..results import Results

HERE = Path(__file__).resolve().parent
MAX_PATIENT_ROWS = 2000  # the table shown in the page; provenance.json has every patient
_BODY = re.compile(r"<body>\n(.*)</body>", re.DOTALL)


def article_html(ms: Manuscript, results: Results, workdir: Path) -> str:
    """The manuscript's body HTML, numbers keyed, figure URLs pointing at /figure/..."""
    page = to_html(ms, "", None, keys=lambda binding, text: split(results, binding, text))
    match = _BODY.search(page)
    body = match.group(1) if match else page
    for element in ms.elements:
        if isinstance(element, FigureImages):
            for path in element.vector_images:
                served = "/figure/" + path.relative_to(workdir / "figures").as_posix()
                body = body.replace(f'src="{escape(figure_url(path))}"',
                                    f'src="{escape(served)}"')
    return body + patient_table(results)


def patient_table(results: Results) -> str:
    """tables/patient_endpoints.csv as the page shows it: each row anchored by its patient
    (id="patient-<id>") and numbered as the CSV's line (the header is line 1)."""
    rows = results.patients.rows()
    if not rows:
        return ""
    header = list(rows[0])
    head = "".join(f"<th>{escape(h)}</th>" for h in ["line", *header])
    body = []
    for line, row in enumerate(rows[:MAX_PATIENT_ROWS], start=2):
        cells = "".join(f"<td>{escape(_cell(row[h]))}</td>" for h in header)
        body.append(f'<tr id="patient-{escape(str(row["patient_id"]))}"><td>{line}</td>'
                    f"{cells}</tr>")
    more = (f"<p>The first {MAX_PATIENT_ROWS:,} of {len(rows):,} patients; every patient is "
            "in tables/patient_endpoints.csv of a build.</p>" if len(rows) > MAX_PATIENT_ROWS
            else "")
    return ('<section id="patient-endpoints"><details><summary>Patient endpoints '
            f"(tables/patient_endpoints.csv, {len(rows):,} patients)</summary>{more}"
            f'<div class="scroll"><table class="patients"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div></details></section>")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def shell(title: str, html: str | None = None, error: str | None = None,
          version: int = 0) -> str:
    """The page the browser loads, with the manuscript as it is now (so that a client
    without JavaScript sees it too); later versions come from /content."""
    css = (TEMPLATES / "manuscript.css").read_text(encoding="utf-8")
    own = (HERE / "preview.css").read_text(encoding="utf-8")
    script = (HERE / "preview.js").read_text(encoding="utf-8")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(title)} — preview</title>
<style>
{css}
</style>
<style>
{own}
</style>
</head>
<body>
<header id="bar">
  <span id="status">connecting…</span>
  <button id="write" type="button"
          title="Write manuscript.pdf and manuscript.docx into the build folder">
    Write PDF and DOCX</button>
  <span id="written"></span>
</header>
<div id="error"{"" if error else " hidden"}>{escape(error or "")}</div>
<main id="manuscript" data-version="{version}">{html or ""}</main>
<aside id="origin" hidden>
  <button id="close" type="button" aria-label="close">×</button>
  <h2>Where this number comes from</h2>
  <dl>
    <dt>Key</dt><dd><code id="o-key"></code></dd>
    <dt>Value</dt><dd id="o-value"></dd>
    <dt>What</dt><dd id="o-label"></dd>
    <dt>Method</dt><dd id="o-method"></dd>
    <dt>Patients</dt><dd id="o-patients"></dd>
  </dl>
</aside>
<script>
{script}
</script>
</body>
</html>
"""
