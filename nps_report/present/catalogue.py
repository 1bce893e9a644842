"""Every table and figure of a manuscript, in the order outputs list them: the catalogue only
lists them; each is one module that declares itself (artifact.py says what a declaration
holds, ARCHITECTURE.md how to add one).

A table: present/tables/<name>.py (its builder and TABLE), templates/tables/<name>.md.j2.
A figure: present/figures/<name>.py (its panels and FIGURE), the drawing in figures/,
templates/figures/<name>.md.j2.
"""

from __future__ import annotations

from .artifact import Catalogue
from .figures import (
    duration_of_response,
    flow,
    forest_hr,
    forest_orr,
    km_cohorts,
    km_factors,
    response,
    spider,
    survival,
)
from .tables import (
    adverse_events,
    baseline,
    concordance,
    cox,
    efficacy,
    exposure,
    response_by_factor,
)

CATALOGUE = Catalogue(
    tables=(baseline.TABLE, efficacy.TABLE, concordance.TABLE, adverse_events.TABLE,
            adverse_events.RELATED, exposure.TABLE, cox.PFS, cox.OS, response_by_factor.TABLE),
    figures=(
        flow.FIGURE,
        response.FIGURE,
        spider.FIGURE,
        survival.FIGURE,
        duration_of_response.FIGURE,
        km_cohorts.FIGURE,
        forest_hr.FIGURE,
        km_factors.FIGURE,
        forest_orr.FIGURE,
    ),
)
