"""Each table and figure is one module that declares what it reads, and its declaration is true:
every builder and every panel's drawing is run against a recording proxy of Results and
fails on a value it read that no declared read covers (a panel's reads are its cache key:
an undeclared read would let a changed figure be reused). The catalogue only lists them."""

from __future__ import annotations

import importlib
import pkgutil

import matplotlib.pyplot as plt
import pytest

from nps_report.config import FigureConfig
from nps_report.figures.files import draw_panel
from nps_report.paths import REFERENCE_STUDY
from nps_report.pipeline import compute
from nps_report.present import figures as figure_modules
from nps_report.present import tables as table_modules
from nps_report.present.artifact import FigureArtifact, Panel, TableArtifact
from nps_report.present.catalogue import CATALOGUE
from nps_report.present.fmt import DEFAULT
from nps_report.results import Results
from nps_report.results.keys import Key

from .facts_study import write_facts_study
from .lesion_studies import Options, write_lesion_study
from .recording import recording

AT = "2025-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def studies(tmp_path_factory) -> list[Results]:
    """The reference study (prognostic factors), the facts study (attribution, dose
    modifications) and a lesion study (the investigator's responses, adverse events by
    severity): every artifact applies to one of them."""
    facts = write_facts_study(tmp_path_factory.mktemp("facts") / "study")
    lesions = write_lesion_study(tmp_path_factory.mktemp("lesions") / "study", 11,
                                 Options(n_patients=30, grading="severity", disagree=0.25))
    return [compute(REFERENCE_STUDY, AT)[1], compute(facts, AT)[1],
            compute(lesions.folder, AT)[1]]


def test_every_table_reads_only_what_it_declares(studies):
    built = set()
    for results in studies:
        for table in CATALOGUE.tables:
            if not table.applies(results):
                continue
            proxy, recorder = recording(results)
            spec = table.build(proxy, DEFAULT)
            assert spec == table.build(results, DEFAULT)  # the proxy changes nothing
            assert recorder.reads, table.key
            assert recorder.undeclared(table.reads) == [], f"{table.key} reads undeclared"
            built.add(table.key)
    assert built == {t.key for t in CATALOGUE.tables}


def test_every_figure_panel_draws_only_what_it_declares(studies):
    drawn = set()
    for results in studies:
        for panels in CATALOGUE.panels(results, FigureConfig()).values():
            for panel in panels:
                proxy, recorder = recording(results)
                plt.close(draw_panel(panel, proxy, FigureConfig()))
                assert recorder.reads, panel.key
                assert recorder.undeclared(panel.reads) == [], f"{panel.key} reads undeclared"
                drawn.add(panel.draw)
    # waterfall, swimmer, flow, spider, KM, DoR, KM by cohort, HR and ORR forests, KM by factor
    assert len(drawn) == 10


def test_an_undeclared_read_is_caught(studies):
    results = studies[0]
    km = next(p for p in CATALOGUE.panels(results, FigureConfig())["figure2"]
              if p.key == "km_pfs")
    narrow = Panel(km.key, km.draw, reads=("survival.pfs.curve",), args=km.args)
    proxy, recorder = recording(results)
    plt.close(draw_panel(narrow, proxy, FigureConfig()))
    missed = recorder.undeclared(narrow.reads)
    assert "survival.pfs.median" in missed and "survival.pfs.at_risk" in missed
    assert not any(m.startswith("survival.pfs.curve") for m in missed)


def test_declared_reads_are_keys_that_name_values(studies):
    results = studies[0]
    for table in CATALOGUE.tables:
        assert all(isinstance(k, Key) for k in table.reads)
        if table.applies(results):
            for key in table.reads:
                key.resolve(results)
    for panels in CATALOGUE.panels(results, FigureConfig()).values():
        for panel in panels:
            for key in panel.reads:
                key.resolve(results)


def test_the_catalogue_lists_every_artifact_module_and_nothing_else():
    declared = []
    for package, kind in ((table_modules, TableArtifact), (figure_modules, FigureArtifact)):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            declared += [v for v in vars(module).values() if isinstance(v, kind)]
    assert sorted(a.key for a in declared) == sorted(
        a.key for a in (*CATALOGUE.tables, *CATALOGUE.figures))
