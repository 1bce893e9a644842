"""Benchmark nps-report builds against the cost of importing its libraries, in one run.

    python benchmarks/run.py            # full run (medians of 3), prints a Markdown table
    python benchmarks/run.py --write    # ... and writes it into BENCHMARKS.md
    python benchmarks/run.py --smoke    # one repetition, small sizes, no targets (CI)

Each measurement is a fresh process (wall time and its own peak RSS via wait4), so
imports are paid every time, as a user pays them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "anlotinib_rmnpc"
FLOOR = "import pandas, matplotlib.pyplot, lifelines, weasyprint, docx, jinja2"


@dataclass
class Measure:
    name: str
    seconds: list[float]
    peak_mb: list[float]
    tree_mb: list[float]
    target: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mb)

    @property
    def tree(self) -> float:
        return max(self.tree_mb)


def tree_rss_mb(root: int) -> float:
    """Summed RSS of a process and all its descendants, from /proc (0 where there is none)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        with contextlib.suppress(OSError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


class TreeSampler(threading.Thread):
    """Peak of tree_rss_mb(pid), sampled every 20 ms while the process runs: a build's
    forked figure worker counts, which the single-process peak from wait4 leaves out."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        if not Path("/proc").is_dir():
            return
        while not self.done.is_set():
            self.peak = max(self.peak, tree_rss_mb(self.pid))
            self.done.wait(0.02)


def run(cmd: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float, float]:
    """Wall seconds, peak RSS of the process and peak summed RSS of its process tree (MB)
    of one command; raises if it fails."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="1735689600")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) not in ok:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err}")
    return elapsed, usage.ru_maxrss / 1024, sampler.peak


def build_cmd(study: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "nps_report", "build", str(study), "--out", str(out), *extra]


def repeat(name: str, reps: int, prepare: Callable[[], list[str]], target: str = "",
           ok: tuple[int, ...] = (0,)) -> Measure:
    return alternate(reps, (name, prepare, target), ok=ok)[0]


def alternate(reps: int, *scenarios: tuple[str, Callable[[], list[str]], str],
              ok: tuple[int, ...] = (0,)) -> list[Measure]:
    """Each scenario `reps` times, taking turns (A B C A B C ...), so that a shared machine's
    drift hits all of them alike; `ok`: the exit codes that are not a failure."""
    measures = [Measure(name, [], [], [], target) for name, _, target in scenarios]
    for _ in range(reps):
        for m, (_, prepare, _) in zip(measures, scenarios, strict=True):
            secs, mb, tree = run(prepare(), ok)
            m.seconds.append(secs)
            m.peak_mb.append(mb)
            m.tree_mb.append(tree)
    return measures


def without_prognostic(study: Path) -> Path:
    """The reference study without its `prognostic` block: the study the first rows have
    measured since before the block was added."""
    text = (study / "study.yaml").read_text()
    start = text.find("\n# Prognostic factors")
    (study / "study.yaml").write_text(text[:start + 1] if start >= 0 else text)
    return study


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--smoke", action="store_true", help="1 repetition, small sizes")
    ap.add_argument("--write", action="store_true", help="write the table into BENCHMARKS.md")
    ap.add_argument("--sizes", default="1000,10000,100000")
    args = ap.parse_args()
    reps = 1 if args.smoke else max(3, args.reps)
    sizes = [200] if args.smoke else [int(s) for s in args.sizes.split(",")]
    sys.path.insert(0, str(ROOT))
    from nps_report.synthetic import write_study

    work = Path(tempfile.mkdtemp(prefix="nps-bench-"))
    try:
        results = measure_all(work, reps, sizes, write_study)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table = render(results, reps)
    print(table)
    if args.write:
        update_benchmarks_md(table)
    return 0


def measure_all(work: Path, reps: int, sizes: list[int], write_study) -> list[Measure]:
    out = work / "out"
    study = without_prognostic(Path(shutil.copytree(REFERENCE, work / "study")))
    shipped = Path(shutil.copytree(REFERENCE, work / "shipped"))

    def cold(folder: Path = study) -> Callable[[], list[str]]:
        def prepare() -> list[str]:
            shutil.rmtree(out, ignore_errors=True)
            return build_cmd(folder, out)
        return prepare

    measures = alternate(
        reps,
        ("Import floor (pandas, matplotlib, lifelines, weasyprint, docx, jinja2)",
         lambda: [sys.executable, "-c", FLOOR], ""),
        ("Cold full build, reference study without `prognostic` (30 patients)", cold(),
         "<= 1.3x floor"),
        ("Cold full build, reference study as shipped, with `prognostic`", cold(shipped), ""))
    run(build_cmd(study, out))
    measures.append(repeat("No-op rebuild", reps, lambda: build_cmd(study, out), "<= 0.3 s"))

    def text_edit(folder: Path = study) -> Callable[[], list[str]]:
        intro = folder / "manuscript" / "introduction.md"
        intro.parent.mkdir(exist_ok=True)

        def prepare() -> list[str]:
            run(build_cmd(folder, out))
            intro.write_text(f"Edited introduction {time.time_ns()}.\n")
            return build_cmd(folder, out)
        return prepare

    measures.append(repeat("Rebuild after editing a free-text section", reps, text_edit(),
                           "<= 0.4x cold build"))
    shutil.rmtree(out, ignore_errors=True)
    measures.append(repeat("Rebuild after editing a free-text section, with `prognostic`",
                           reps, text_edit(shipped)))
    shutil.rmtree(out, ignore_errors=True)
    run(build_cmd(study, out))
    ae = study / "adverse_events.csv"
    original = ae.read_text()

    def add_ae() -> list[str]:
        ae.write_text(original)
        run(build_cmd(study, out))
        first = original.splitlines()[1].split(",")[0]
        ae.write_text(original + f"{first},Headache,1,\n")
        return build_cmd(study, out)

    measures.append(repeat("Rebuild after adding one adverse event", reps, add_ae))
    ae.write_text(original)
    measures += preview_edits(study, work / "preview-out", reps)
    # The living manuscript: the authors' copy of the first build, edited, brought up to
    # date with a build made after an adverse event was added (tracked changes).
    ae.write_text(original)
    first_build, edited = work / "first", work / "edited.docx"
    run(build_cmd(study, first_build))
    shutil.copy(first_build / "manuscript.docx", edited)
    first = original.splitlines()[1].split(",")[0]
    ae.write_text(original + f"{first},Headache,1,\n")
    run(build_cmd(study, out))
    living = [sys.executable, "-m", "nps_report"]
    measures.append(repeat("Update the authors' manuscript.docx to the new build", reps,
                           lambda: [*living, "update", str(edited), "--build", str(out),
                                    "--out", str(work / "updated.docx")]))
    measures.append(repeat("Check the authors' manuscript.docx against the new build", reps,
                           lambda: [*living, "check", str(edited), "--build", str(out)],
                           ok=(0, 1)))  # 1: out-of-date numbers found, as they are here
    ae.write_text(original)
    for n in sizes:
        big = work / f"study{n}"
        write_study(big, n, seed=7)

        def cold_big(big: Path = big) -> list[str]:
            shutil.rmtree(out, ignore_errors=True)
            return build_cmd(big, out)

        target = "<= 10 s, <= 1 GiB" if n == 100_000 else ""
        m = repeat(f"Cold build, synthetic study, {n:,} patients", reps, cold_big, target)
        pdf = out / "manuscript.pdf"
        m.name += f" (PDF {pdf.stat().st_size / 1e6:.1f} MB)" if pdf.exists() else ""
        measures.append(m)
    for n in sizes[-2:]:  # the two largest, with four factors and a model of three
        big = with_prognostic(work / f"study{n}")
        measures.append(repeat(f"Cold build, synthetic study, {n:,} patients, with "
                               "`prognostic`", reps, cold(big)))
    return measures


def preview_edits(study: Path, out: Path, reps: int) -> list[Measure]:
    """`nps-report preview` kept running: from saving a file to the open page's event and
    its new content (what a browser fetches), for a prose edit and an added adverse
    event, taking turns. RSS: the preview process (and its tree) after the edits."""
    import http.client
    import json
    import signal
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "nps_report", "preview", str(study),
                             "--port", str(port), "--out", str(out)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sampler = TreeSampler(proc.pid)
    sampler.start()

    def get(path: str) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path)
        return conn.getresponse()

    deadline = time.monotonic() + 120
    while True:
        try:
            if json.loads(get("/content").read())["version"] >= 1:
                break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the preview did not start") from None
        time.sleep(0.1)

    def edit(change: Callable[[], None]) -> float:
        events = get("/events")
        while not events.fp.readline().startswith(b"event: update"):
            pass  # the current version, sent first
        start = time.perf_counter()
        change()
        while not events.fp.readline().startswith(b"event: update"):
            pass
        json.loads(get("/content").read())
        return time.perf_counter() - start

    intro = study / "manuscript" / "introduction.md"
    ae = study / "adverse_events.csv"
    original = ae.read_text()
    first = original.splitlines()[1].split(",")[0]
    prose = Measure("Live preview: save to updated page, free-text section edited", [], [], [],
                    "<= 0.3 s")
    data = Measure("Live preview: save to updated page, one adverse event added", [], [], [],
                   "<= cold build - import floor")
    try:
        for i in range(reps):
            prose.seconds.append(edit(lambda: intro.write_text(
                f"Edited introduction {time.time_ns()}.\n")))
            data.seconds.append(edit(lambda i=i: ae.write_text(
                original + "".join(f"{first},Headache,1,\n" for _ in range(i + 1)))))
        status = Path(f"/proc/{proc.pid}/status")
        hwm = next((int(line.split()[1]) / 1024 for line in status.read_text().splitlines()
                    if line.startswith("VmHWM")), 0.0) if status.exists() else 0.0
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(120)
        sampler.done.set()
        sampler.join()
        ae.write_text(original)
    for m in (prose, data):
        m.peak_mb, m.tree_mb = [hwm], [sampler.peak]
    return [prose, data]


def with_prognostic(study: Path) -> Path:
    """A synthetic study with Cox models of ECOG, liver metastases, age and sex (and one of
    the first three together), log-rank tests and response by factor."""
    import yaml

    config = yaml.safe_load((study / "study.yaml").read_text())
    config["prognostic"] = {"factors": ["ecog", "met_liver", "age", "sex"],
                            "multivariable": ["ecog", "met_liver", "age"]}
    (study / "study.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return study


def render(measures: list[Measure], reps: int) -> str:
    floor = measures[0].median
    cold = measures[1].median
    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, "
             f"{os.cpu_count()} cores, Python {platform.python_version()}; "
             f"median of {reps} runs, each a fresh process.", "",
             "| scenario | median s | x floor | x cold | peak RSS MB | tree RSS MB | target |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for m in measures:
        lines.append(f"| {m.name} | {m.median:.2f} | {m.median / floor:.2f} | "
                     f"{m.median / cold:.2f} | {m.peak:.0f} | {m.tree:.0f} | {m.target} |")
    return "\n".join(lines)


def update_benchmarks_md(table: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{table}\n{end}{tail}")


if __name__ == "__main__":
    raise SystemExit(main())
