"""One study's live manuscript: rebuilt in this process, reusing what did not change.

The process keeps pandas, matplotlib and the composer loaded, and remembers what the
last refresh made, keyed as the build graph keys it (cache.py, outputs.py): Results
are recomputed only when the data's key changes, a figure only when its own key
changes (the Results fields its panels read), and the page only when what the
documents are made from changed. Figures are drawn as PNG only (what the page shows)
into a private temporary folder; the study folder is only read.

A refresh that fails keeps the last good page and records the error as the CLI words
it (StudyError.report()); the next good refresh clears it.
"""

from __future__ import annotations

import shutil
import threading
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import graph
from ..cache import LOCK_FILE, TEXTS, fingerprint
from ..config import StudyConfig
from ..errors import StudyError
from ..inputs import input_files
from ..lock import verify_lock
from ..outputs import ValueDigests, figure_keys
from ..present.catalogue import CATALOGUE
from ..results import Results
from ..version import __version__
from .page import article_html

BUILT_AT = "1970-01-01T00:00:00Z"  # what the page prints as the build time


@dataclass(frozen=True)
class Snapshot:
    """What the page shows: the manuscript's HTML (None before the first good refresh),
    the error of the last refresh (None when it succeeded), and a version that grows
    with every change the page must see."""

    version: int
    html: str | None
    error: str | None
    seconds: float = 0.0  # how long the refresh took


class Session:
    """refresh() after the study changed; snapshot for the server; record() answers
    /provenance. Thread-safe: the watcher refreshes while server threads read."""

    def __init__(self, study: Path, workdir: Path, ignore: Path | None = None) -> None:
        self.study = study.resolve()
        self.ignore = ignore.resolve() if ignore is not None else None  # a build folder
        self.workdir = workdir
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._snapshot = Snapshot(0, None, None)
        self._data_key: str | None = None
        self._analysis: tuple[StudyConfig, Results] | None = None
        self._figures: dict[str, tuple[str, dict[str, dict[str, Path]]]] = {}
        self._page_key: str | None = None
        self.results: Results | None = None  # of the page shown

    @property
    def snapshot(self) -> Snapshot:
        with self._lock:
            return self._snapshot

    def wait(self, version: int, timeout: float) -> Snapshot:
        """The snapshot once its version differs from `version` (or after timeout)."""
        with self._changed:
            self._changed.wait_for(lambda: self._snapshot.version != version, timeout)
            return self._snapshot

    def refresh(self) -> bool:
        """Rebuild what changed; True when the page (or its error) changed."""
        import time

        start = time.perf_counter()
        try:
            html, results = self._rebuild()
            error = None
        except StudyError as exc:
            html, results, error = None, None, exc.report()
        except Exception as exc:  # the page says what the CLI would, and the preview lives on
            traceback.print_exc()
            html, results, error = None, None, (
                f"nps-report: internal error: {type(exc).__name__}: {exc}")
        with self._changed:
            old = self._snapshot
            if html is None and error is None and old.error is None:
                return False  # nothing the page shows changed
            if results is not None:
                self.results = results
            self._snapshot = Snapshot(old.version + 1, html if html is not None else old.html,
                                      error, time.perf_counter() - start)
            self._changed.notify_all()
        return True

    def _rebuild(self) -> tuple[str | None, Results | None]:
        fp = fingerprint(self.study)
        data_key = graph.digest(fp.results_key, _other_files(self.study, self.ignore))
        if data_key != self._data_key or self._analysis is None:
            lock = verify_lock(self.study)
            from ..pipeline import compute

            study, results = compute(self.study, BUILT_AT, lock.lock_id if lock else None)
            results = replace(results, provenance=replace(
                results.provenance, software=graph.software(__version__)))
            self._analysis = (study.config, results)
            self._data_key = data_key
            del study
        config, results = self._analysis
        figures, keys = self._draw(config, results, fp)
        page_key = graph.digest(fp.texts, fp.templates, fp.stage("documents"), repr(results),
                                repr(config), *sorted(keys.values()))
        if page_key == self._page_key and self._snapshot.error is None:
            return None, None
        html = self._compose(config, results, figures)
        self._page_key = page_key
        self._forget_figures(keys)
        return html, results

    def _draw(self, config: StudyConfig, results: Results, fp: Any
              ) -> tuple[dict[str, dict[str, Path]], dict[str, str]]:
        """PNG files of every figure, drawn again only where the figure's key changed."""
        from ..figures.files import write_figures

        keyed = figure_keys(results, config.figures, CATALOGUE, fp, ValueDigests(results))
        panels = {name: shown for name, (shown, _key) in keyed.items()}
        keys = {name: key for name, (_shown, key) in keyed.items()}
        stale = tuple(name for name, key in keys.items()
                      if self._figures.get(name, ("",))[0] != key)
        for name in stale:
            folder = self.workdir / "figures" / keys[name][:16]
            written = write_figures(results, folder, config.figures, (name,), ("png",))
            stems = {p.key for p in panels[name] if p.key != name}
            if stems:
                written.update(write_figures(results, folder, config.figures,
                                             tuple(sorted(stems)), ("png",)))
            self._figures[name] = (keys[name], written)
        files: dict[str, dict[str, Path]] = {}
        for name in keys:
            files.update(self._figures[name][1])
        return files, keys

    def _forget_figures(self, keys: dict[str, str]) -> None:
        """Delete the private figure folders no figure of the page uses any more."""
        self._figures = {n: v for n, v in self._figures.items() if keys.get(n) == v[0]}
        used = {key[:16] for key, _ in self._figures.values()}
        for folder in (self.workdir / "figures").glob("*"):
            if folder.name not in used:
                shutil.rmtree(folder, ignore_errors=True)

    def _compose(self, config: StudyConfig, results: Results,
                 figures: dict[str, dict[str, Path]]) -> str:
        from ..render import compose_documents

        tables = CATALOGUE.build_tables(results)
        manuscript = compose_documents(results, tables, figures, config, self.study)
        return article_html(manuscript, results, self.workdir)


def _other_files(study: Path, ignore: Path | None) -> str:
    """Study files the build's data fingerprint does not list (a .sav, a lesions file, an
    ADaM folder): any change to them recomputes Results too. The authors' texts
    (manuscript/) and hidden or editor files are left to the texts' fingerprint."""
    fingerprinted = {*input_files(study), LOCK_FILE}
    paths = [p for p in study.rglob("*") if p.is_file()
             and _counts(p.relative_to(study), fingerprinted)
             and not (ignore is not None and p.is_relative_to(ignore))]
    return graph.hash_files(paths, study)


def _counts(rel: Path, fingerprinted: set[str]) -> bool:
    name = rel.name
    return not (rel.parts[0] == TEXTS or rel.as_posix() in fingerprinted
                or any(part.startswith(".") for part in rel.parts)
                or name.endswith(("~", ".swp", ".swx", ".tmp")) or name.startswith("#"))
