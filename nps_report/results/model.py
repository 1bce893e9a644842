"""Results: the whole model, as results.json holds it (the areas are in their own modules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..codec import decode, encode
from ..errors import Notice
from .baseline import BaselineVariable
from .cohorts import CohortSplit
from .efficacy import Efficacy, Survival
from .exposure import Exposure
from .fields import reported
from .flow import Flow
from .keys import Key
from .prognostic import Prognostic, ResponseRow
from .safety import Safety
from .study import Counted, Methods, PatientColumns, Provenance, StudyInfo, Timepoints


@dataclass(frozen=True)
class Results:
    # `section`: where a reader finds the field's numbers (the change report's grouping)
    study: StudyInfo = field(metadata={"section": "Study"})
    methods: Methods = field(metadata={"section": "Methods"})
    baseline: tuple[BaselineVariable, ...] = field(metadata=reported("Baseline",
                                                                     section="Baseline"))
    exposure: Exposure = field(metadata={"section": "Treatment exposure"})
    efficacy: Efficacy = field(metadata={"section": "Efficacy"})
    survival: Survival = field(metadata={"section": "Survival"})
    safety: Safety = field(metadata={"section": "Safety"})
    provenance: Provenance = field(metadata={"section": "Provenance"})
    notices: tuple[Notice, ...] = ()
    # With `prognostic` in study.yaml only; a study without it has neither key
    prognostic: Prognostic | None = field(default=None, metadata=reported(
        "Prognostic factors", section="Prognostic factors", omit_none=True))
    response_by_factor: tuple[ResponseRow, ...] | None = field(default=None, metadata=reported(
        "Objective response by factor", section="Prognostic factors", omit_none=True))
    # With `by:` in study.yaml only: each level's Results, as a study of its patients alone
    # would give them (analysis/cohorts.py), and the split itself
    cohorts: dict[str, Results] | None = field(default=None, metadata={
        "section": "Cohorts", "omit_none": True})
    by: CohortSplit | None = field(default=None, metadata={"name": "Cohorts",
                                                           "omit_none": True})
    # With `flow:` in study.yaml or a screening.csv only
    flow: Flow | None = field(default=None, metadata={"section": "Patient flow",
                                                       "omit_none": True})
    # Per-patient values behind the figures: tables/patient_endpoints.csv, not results.json
    patients: PatientColumns = field(default_factory=PatientColumns.empty, repr=False,
                                     compare=False, metadata={"json": False})
    # Each scan's response: tables/patient_timepoints.csv, not results.json
    timepoints: Timepoints = field(default_factory=Timepoints, repr=False, compare=False,
                                   metadata={"json": False})
    # Which of those patients each count counts: provenance.json and the preview, not
    # results.json (its contract keys stay as they are)
    counted: Counted = field(default_factory=Counted, repr=False, compare=False,
                             metadata={"json": False})

    __json_properties__ = ("n_patients",)

    @property
    def n_patients(self) -> int:
        return self.study.n_patients

    def to_dict(self) -> dict[str, Any]:
        """results.json: every field of the model, unformatted, under its own name."""
        return encode(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any],
                  patients: PatientColumns | None = None) -> Results:
        """The Results a results.json was written from (CodecError if it has another shape);
        per-patient columns, which results.json does not hold, may be passed in."""
        results = decode(cls, data)
        if patients is not None:
            object.__setattr__(results, "patients", patients)
        return results

    def get(self, key: str | Key) -> Any:
        """The value at a key, as results.json holds it: 'survival.pfs.median',
        'safety.adverse_events[Hypertension].grade3', 'survival.pfs.landmarks[6].estimate',
        and results.json's own dotted form ('safety.adverse_events.0.term'); keys.py has
        the grammar. UnknownKey (a KeyError) names the step that names nothing."""
        key = key if isinstance(key, Key) else Key.parse(key)
        return encode(key.path.resolve(self))
