"""The Results model: one frozen object that every number in every output comes from.

Plain Python values only (no pandas, numpy or lifelines objects), so templates,
figures and renderers can read it without the analysis stack. Field names are the
results.json keys of the study contract (section 3): `Results.to_dict()` writes the
file and `Results.from_dict()` reads it back through the same codec (codec.py).

One module per area of the model, each a set of frozen dataclasses:

    measures.py    Proportion, Distribution, LevelCount, SurvivalSummary (with Landmark, Curve)
    study.py       StudyInfo, Methods (with DataSource), Provenance, PatientColumns,
                   Timepoints, Counted
    baseline.py    BaselineVariable (Table 1)
    exposure.py    Exposure
    efficacy.py    Efficacy (with Concordance), Survival
    safety.py      Safety, RelatedSafety, AERow, SeverityRow, AEExclusions
    cohorts.py     CohortSplit: the levels of `by:` and their curves (cohorts: Results each)
    flow.py        Flow: screening to the analyses (the patient-flow diagram)
    prognostic.py  Prognostic and its rows, models and curves
    model.py       Results, the whole
    fields.py      the field metadata saying what the manuscript reports
    keys.py        Key: the one grammar of a path into Results ('efficacy.orr.estimate')
"""

from .baseline import BaselineVariable
from .cohorts import CohortSplit
from .efficacy import BorPair, Concordance, Efficacy, Survival
from .exposure import Exposure
from .fields import named, reported
from .flow import NOT_RECORDED, Flow, ReasonCount
from .keys import factor_level, item_key, landmark_key
from .measures import (
    CLIPPED_METHODS,
    DEGENERATE,
    TRUNCATED,
    AtRisk,
    Curve,
    Distribution,
    Landmark,
    LevelCount,
    Proportion,
    SurvivalSummary,
    interval_bound,
)
from .model import Results
from .prognostic import (
    PROGNOSTIC_ENDPOINTS,
    CoxModel,
    EndpointPrognostic,
    FactorInfo,
    FactorSurvival,
    LevelSurvival,
    LogRankRow,
    MultivariableRow,
    NotEstimable,
    Prognostic,
    PrognosticMethods,
    ResponseRow,
    TermTest,
    UnivariableRow,
)
from .safety import AEExclusions, AERow, AERows, RelatedSafety, Safety, SeverityRow
from .study import (
    Counted,
    DataSource,
    Methods,
    PatientColumns,
    Provenance,
    StudyInfo,
    Timepoints,
)

__all__ = [
    "CLIPPED_METHODS",
    "DEGENERATE",
    "NOT_RECORDED",
    "PROGNOSTIC_ENDPOINTS",
    "TRUNCATED",
    "AEExclusions",
    "AERow",
    "AERows",
    "AtRisk",
    "BaselineVariable",
    "BorPair",
    "CohortSplit",
    "Concordance",
    "Counted",
    "CoxModel",
    "Curve",
    "DataSource",
    "Distribution",
    "Efficacy",
    "EndpointPrognostic",
    "Exposure",
    "FactorInfo",
    "FactorSurvival",
    "Flow",
    "Landmark",
    "LevelCount",
    "LevelSurvival",
    "LogRankRow",
    "Methods",
    "MultivariableRow",
    "NotEstimable",
    "PatientColumns",
    "Prognostic",
    "PrognosticMethods",
    "Proportion",
    "Provenance",
    "ReasonCount",
    "RelatedSafety",
    "ResponseRow",
    "Results",
    "Safety",
    "SeverityRow",
    "StudyInfo",
    "Survival",
    "SurvivalSummary",
    "TermTest",
    "Timepoints",
    "UnivariableRow",
    "factor_level",
    "interval_bound",
    "item_key",
    "landmark_key",
    "named",
    "reported",
]
