"""Every table and figure of a manuscript, each declared once (see artifact.py).

To add a table: a builder module under present/tables/, its template under
templates/tables/ (title, notes and the sentence citing it) and one entry below.
To add a figure: a drawing module under figures/ (functions of Results returning
a matplotlib Figure), its template under templates/figures/ and one entry below.
"""

from __future__ import annotations

from ..config import FigureConfig
from ..results import Results, SurvivalSummary
from ..vocab import ENDPOINT_ABBREVIATIONS
from .artifact import Catalogue, FigureArtifact, Panel, TableArtifact
from .figure_data import waterfall_data
from .fmt import fmt_num
from .prognostic import (
    has_os_models,
    has_pfs_models,
    has_response_by_factor,
    hr_forest_panels,
    km_factor_panels,
    orr_forest_panels,
)
from .tables import (
    adverse_event_table,
    baseline_table,
    concordance_table,
    cox_os_table,
    cox_pfs_table,
    efficacy_table,
    exposure_table,
    related_adverse_event_table,
    response_by_factor_table,
)

FIGURES = "nps_report.figures.composite"


def km_at_risk(results: Results, panel: Panel) -> dict[str, tuple[str, str]]:
    """The numbers at risk printed under a Kaplan-Meier panel, for the change report."""
    endpoint = panel.args[0]
    s: SurvivalSummary = getattr(results.survival, endpoint)
    abbrev = ENDPOINT_ABBREVIATIONS[endpoint]
    return {f"figures.{panel.key}.at_risk.{a.months:g}": (
        f"{abbrev} curve, number at risk at "
        f"{fmt_num(a.months, 0 if float(a.months).is_integer() else 1)} months", str(a.n))
        for a in s.at_risk}


def has_adverse_event_rows(results: Results) -> bool:
    return bool(results.safety.adverse_events)


def has_attribution(results: Results) -> bool:
    """The study names an attribution column: the treatment-related table applies."""
    return results.safety.related is not None


def has_related_rows(results: Results) -> bool:
    related = results.safety.related
    return related is not None and bool(related.adverse_events)


def has_concordance(results: Results) -> bool:
    """Derived and investigator-assessed responses both exist: the table's CSV is written."""
    return results.efficacy.concordance is not None


def responses_differ(results: Results) -> bool:
    """The manuscript shows the concordance table only when the two responses differ."""
    c = results.efficacy.concordance
    return c is not None and bool(c.patients)


def has_dose_modifications(results: Results) -> bool:
    """The study names a dose-modification column: the exposure table applies."""
    return results.exposure.modifications_recorded


WATERFALL = Panel("waterfall", f"{FIGURES}:waterfall_figure",
                  reads=("patients.best_pct_change", "patients.bor", "patients.patient_id"))
SWIMMER = Panel("swimmer", f"{FIGURES}:swimmer_figure",
                reads=("patients", "survival.os.at_risk"))
KM_PFS = Panel("km_pfs", f"{FIGURES}:km_figure", reads=("survival.pfs",), args=("pfs",),
               printed=km_at_risk)
KM_OS = Panel("km_os", f"{FIGURES}:km_figure", reads=("survival.os",), args=("os",),
              printed=km_at_risk)


def response_panels(results: Results, config: FigureConfig) -> tuple[Panel, ...]:
    """A waterfall without bars is dropped: Figure 1 is then the swimmer plot alone."""
    if waterfall_data(results, config.swimmer_show_ids).labels:
        return WATERFALL, SWIMMER
    return (SWIMMER,)


def survival_panels(_results: Results, _config: FigureConfig) -> tuple[Panel, ...]:
    return KM_PFS, KM_OS


CATALOGUE = Catalogue(
    tables=(
        TableArtifact("baseline", "tables/baseline.md.j2", baseline_table,
                      reads=("baseline", "study.n_patients"), name="Baseline characteristics"),
        TableArtifact("efficacy", "tables/efficacy.md.j2", efficacy_table,
                      reads=("efficacy.bor_counts", "efficacy.orr", "efficacy.dcr",
                             "survival.pfs", "survival.os"),
                      name="Tumor response and survival"),
        TableArtifact("concordance", "tables/concordance.md.j2", concordance_table,
                      reads=("efficacy.concordance",), applies=has_concordance,
                      shown=responses_differ, section="Efficacy",
                      name="Derived vs investigator-assessed response"),
        TableArtifact("adverse_events", "tables/adverse_events.md.j2", adverse_event_table,
                      reads=("safety.adverse_events", "safety.grade_present"),
                      shown=has_adverse_event_rows, name="Adverse events"),
        TableArtifact("related_adverse_events", "tables/related_adverse_events.md.j2",
                      related_adverse_event_table, reads=("safety.related",),
                      applies=has_attribution, shown=has_related_rows, section="Safety",
                      name="Treatment-related adverse events"),
        TableArtifact("exposure", "tables/exposure.md.j2", exposure_table,
                      reads=("exposure",), applies=has_dose_modifications,
                      section="Treatment exposure", name="Treatment exposure"),
        # With `prognostic` in study.yaml (present/prognostic.py says what each shows)
        TableArtifact("cox_pfs", "tables/cox_pfs.md.j2", cox_pfs_table,
                      reads=("prognostic.pfs", "prognostic.factors"), applies=has_pfs_models,
                      section="Prognostic factors", name="Cox regression, PFS"),
        TableArtifact("cox_os", "tables/cox_os.md.j2", cox_os_table,
                      reads=("prognostic.os", "prognostic.factors"), applies=has_os_models,
                      section="Prognostic factors", name="Cox regression, OS"),
        TableArtifact("response_by_factor", "tables/response_by_factor.md.j2",
                      response_by_factor_table, reads=("response_by_factor", "prognostic.factors"),
                      applies=has_response_by_factor, section="Prognostic factors",
                      name="Response by factor"),
    ),
    figures=(
        FigureArtifact("figure1", "figures/figure1.md.j2", response_panels, columns=1),
        FigureArtifact("figure2", "figures/figure2.md.j2", survival_panels, columns=2),
        FigureArtifact("forest_hr", "figures/forest_hr.md.j2", hr_forest_panels, columns=1,
                       section="Prognostic factors"),
        FigureArtifact("km_factors", "figures/km_factors.md.j2", km_factor_panels, columns=2,
                       section="Prognostic factors"),
        FigureArtifact("forest_orr", "figures/forest_orr.md.j2", orr_forest_panels,
                       section="Prognostic factors"),
    ),
)
