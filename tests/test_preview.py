"""The live preview in a real browser: Debian's Chromium, driven by playwright.

One preview process serves a small study written here; the tests load its page, edit a
Markdown section and a CSV and watch the page change, point at numbers and read their
patients, break study.yaml and see the error over the last good page, write the PDF and
DOCX from the page's button, then stop the preview with Ctrl-C. Skipped only where
Chromium or playwright is missing outside CI (.ci/run installs Chromium).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from nps_report.synthetic import write_study
from nps_report.vocab import RESPONSE

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None
pytestmark = pytest.mark.skipif(
    (sync_playwright is None or not Path(CHROMIUM).exists()) and not os.environ.get("CI"),
    reason="Chromium or playwright not installed; CI installs them and runs these tests")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PROSE_SECONDS = 1.5  # measured about 0.1 s (BENCHMARKS.md); generous for a loaded CI machine
DATA_SECONDS = 4.0  # measured about 0.3 s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Preview:
    """`nps-report preview` in a child process, with its output kept."""

    def __init__(self, study: Path, out: Path, port: int, *more: str) -> None:
        self.port, self.url = port, f"http://127.0.0.1:{port}/"
        self.log = out.parent / f"preview-{port}.log"
        with self.log.open("w") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "nps_report", "preview", str(study), "--port",
                 str(port), "--out", str(out), *more], stdout=sink, stderr=subprocess.STDOUT)

    def get(self, path: str) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(self.url.rstrip("/") + path, timeout=30) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    def ready(self, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            assert self.process.poll() is None, self.output()
            try:
                if self.get("/content")[1]["version"] >= 1:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"the preview did not serve a page in {timeout} s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(90)


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    folder = write_study(tmp_path_factory.mktemp("preview") / "study", 30, seed=7)
    (folder / "manuscript").mkdir()
    (folder / "manuscript" / "introduction.md").write_text(
        "Nasopharyngeal carcinoma is common in southern China.\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def served(study):
    before = files_of(study)
    preview = Preview(study, study.parent / "build", free_port())
    try:
        preview.ready()
        yield preview, before
    finally:
        preview.stop()


@pytest.fixture(scope="module")
def page(served, tmp_path_factory):
    preview, _ = served
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM,
            headless=True, args=FLAGS)
        tab = context.new_page()
        tab.goto(preview.url)
        tab.wait_for_selector("#manuscript [data-key]")
        yield tab
        context.close()


def responders(csv_text: str) -> list[str]:
    return [r["patient_id"] for r in csv.DictReader(csv_text.splitlines())
            if r["bor"] in RESPONSE]


def test_every_orr_dcr_median_and_ae_count_in_the_page_names_its_key(page):
    keys = page.eval_on_selector_all("[data-key]", "els => els.map(e => e.dataset.key)")
    for key in ("efficacy.orr.estimate", "efficacy.orr.ci_low", "efficacy.orr.ci_high",
                "efficacy.orr.n", "efficacy.dcr.estimate", "efficacy.dcr.n",
                "survival.pfs.median", "survival.os.median", "survival.pfs.ci_low"):
        assert key in keys, f"no element of the page has data-key {key}"
    assert any(k.startswith("safety.adverse_events[") and k.endswith("].any") for k in keys)
    # every number in the efficacy and adverse-event tables is an element with its own key
    loose = page.evaluate("""() => {
        const out = [];
        for (const td of document.querySelectorAll(
                'table.efficacy td:not(:first-child), table.adverse_events td:not(:first-child)')) {
            const clone = td.cloneNode(true);
            clone.querySelectorAll('[data-key]').forEach(e => e.remove());
            if (/\\d/.test(clone.textContent)) out.push(td.textContent);
        }
        return out; }""")
    assert loose == []
    # '4 (13.3)': the count and its percentage are two keys
    cell = page.locator("table.efficacy td", has=page.locator('[data-key="efficacy.orr.n"]'))
    assert cell.locator("[data-key]").count() == 2


def test_pointing_at_the_orr_lists_the_responders(page, served):
    preview, _ = served
    page.hover('#manuscript [data-key="efficacy.orr.estimate"] >> nth=0')
    page.wait_for_selector("#origin:not([hidden])")
    page.wait_for_function("document.getElementById('o-key').textContent === "
                           "'efficacy.orr.estimate'")
    shown = page.eval_on_selector_all("#o-patients a", "els => els.map(e => e.textContent)")
    table = page.eval_on_selector_all(
        "#patient-endpoints tbody tr",
        "rows => rows.map(r => [...r.cells].map(c => c.textContent))")
    header = page.eval_on_selector_all("#patient-endpoints thead th",
                                       "ths => ths.map(t => t.textContent)")
    bor, pid = header.index("bor"), header.index("patient_id")
    assert shown == [r[pid] for r in table if r[bor] in RESPONSE]
    assert "Clopper" in page.inner_text("#o-method") or "/" in page.inner_text("#o-method")
    # the contract's endpoint
    status, rec = preview.get("/provenance?key=efficacy.orr.estimate")
    assert status == 200 and {"key", "value", "method", "patients"} <= set(rec)
    assert rec["patients"] == shown and 0 <= rec["value"] <= 1
    assert preview.get("/provenance?key=no.such.key")[0] == 404
    # the page as served carries the manuscript and its keys, for a client without scripts
    with urllib.request.urlopen(preview.url, timeout=30) as reply:
        assert 'data-key="efficacy.orr.estimate"' in reply.read().decode()


def test_a_prose_edit_and_a_data_edit_reach_the_open_page(page, study):
    intro = study / "manuscript" / "introduction.md"
    marker = f"Marker {time.time_ns()}"
    start = time.perf_counter()
    intro.write_text(intro.read_text(encoding="utf-8") + f"\n{marker}.\n", encoding="utf-8")
    page.wait_for_function(f"document.getElementById('manuscript').innerText.includes("
                           f"{json.dumps(marker)})", timeout=10_000)
    prose = time.perf_counter() - start
    # a data edit: a new adverse event term, grade 3, in five patients
    ids = [r["patient_id"] for r in csv.DictReader(
        (study / "patients.csv").read_text(encoding="utf-8").splitlines())][:5]
    events = study / "adverse_events.csv"
    header = events.read_text(encoding="utf-8").splitlines()[0].split(",")
    rows = "".join(",".join({"patient_id": pid, "term": "Zeta rash", "grade": "3"}.get(c, "")
                            for c in header) + "\n" for pid in ids)
    start = time.perf_counter()
    with events.open("a", encoding="utf-8") as fh:
        fh.write(rows)
    key = "safety.adverse_events[Zeta rash].grade3"
    page.wait_for_selector(f'[data-key="{key}"]', timeout=15_000)
    data = time.perf_counter() - start
    print(f"\nsave to page: prose {prose:.3f} s, data {data:.3f} s")
    assert prose < PROSE_SECONDS and data < DATA_SECONDS
    page.click(f'[data-key="{key}"] >> nth=0')
    page.wait_for_function(f"document.getElementById('o-key').textContent === {json.dumps(key)}")
    assert sorted(page.eval_on_selector_all("#o-patients a", "e => e.map(a => a.textContent)")) \
        == sorted(ids)


def test_a_yaml_typo_shows_the_clis_message_over_the_last_good_page(page, study):
    yaml = study / "study.yaml"
    good = yaml.read_text(encoding="utf-8")
    yaml.write_text(good.replace("title:", "title: [unclosed", 1), encoding="utf-8")
    page.wait_for_selector("#error:not([hidden])", timeout=10_000)
    message = page.inner_text("#error")
    cli = subprocess.run([sys.executable, "-m", "nps_report", "validate", str(study)],
                         capture_output=True, text=True)
    assert cli.returncode == 2 and "study.yaml" in message
    assert cli.stderr.splitlines()[0] in message  # the same file/row/column message
    assert page.locator("#manuscript [data-key]").count() > 0  # the last good page stays
    yaml.write_text(good, encoding="utf-8")
    page.wait_for_selector("#error", state="hidden", timeout=10_000)


def test_the_button_writes_the_pdf_and_docx_into_the_build_folder(page, study):
    out = study.parent / "build"
    page.click("#write")
    page.wait_for_function("document.getElementById('written').textContent.includes('wrote')",
                           timeout=60_000)
    assert (out / "manuscript.pdf").stat().st_size > 10_000
    assert (out / "manuscript.docx").is_file() and (out / "provenance.json").is_file()
    written = (out / "tables" / "patient_endpoints.csv").read_text(encoding="utf-8")
    provenance = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    orr = provenance["records"]["efficacy.orr.n"]
    assert provenance["sets"][orr["set"]] == responders(written)
    page.hover('#manuscript [data-key="efficacy.orr.n"] >> nth=0')
    page.wait_for_function("document.getElementById('o-key').textContent === 'efficacy.orr.n'")
    assert page.eval_on_selector_all("#o-patients a", "e => e.map(a => a.textContent)") == \
        responders(written)


def test_two_studies_side_by_side_and_a_port_in_use(served, study, tmp_path):
    preview, _ = served
    other = write_study(tmp_path / "other", 12, seed=3)
    second = Preview(other, tmp_path / "build", free_port())
    taken = subprocess.run([sys.executable, "-m", "nps_report", "preview", str(other),
                            "--port", str(preview.port), "--out", str(tmp_path / "b2")],
                           capture_output=True, text=True, timeout=60)
    try:
        second.ready()
        assert second.get("/content")[1]["html"] != preview.get("/content")[1]["html"]
        assert preview.get("/content")[0] == 200
    finally:
        assert second.stop() == 0
    assert taken.returncode == 2 and f"port {preview.port}" in taken.stdout
    assert "in use" in taken.stdout and "Traceback" not in taken.stdout + taken.stderr


def test_it_listens_on_the_loopback_address_only(served):
    preview, _ = served
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port = local.split(":")
            if state == "0A" and int(port, 16) == preview.port:
                listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, and no IPv6 or wildcard socket


def test_only_its_own_pages_may_ask_it_anything(served):
    """A page on another site reaching 127.0.0.1 through its own domain (DNS rebinding), or
    posting across sites, is refused: the page holds patient-level data."""
    preview, _ = served

    def ask(path: str, method: str = "GET", **headers: str) -> int:
        request = urllib.request.Request(preview.url.rstrip("/") + path, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                return reply.status
        except urllib.error.HTTPError as exc:
            return exc.code

    key = "/provenance?key=efficacy.orr.estimate"
    assert ask(key) == 200
    assert ask(key, Host=f"localhost:{preview.port}") == 200
    assert ask(key, Host=f"rebound.example:{preview.port}") == 403
    assert ask("/", Host="rebound.example") == 403
    assert ask("/write", "POST", Origin="https://elsewhere.example") == 403


def test_nothing_is_written_into_the_study_and_ctrl_c_stops_cleanly(served, study):
    preview, before = served
    after = files_of(study)
    assert set(after) == set(before)  # no file added (the edited ones were ours)
    assert after["tumor_assessments.csv"] == before["tumor_assessments.csv"]
    code = preview.stop()
    output = preview.output()
    assert code == 0 and "Traceback" not in output and "preview stopped" in output
    # no process of the preview is left (its document builds included)
    left = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if str(study) in cmdline:
                left.append(cmdline)
    assert left == []
    assert files_of(study).keys() == before.keys()
