"""A study whose data are the sponsor's ADaM data sets (`source:` in study.yaml).

ADSL gives the patients (population flag, arm), their dates and the Table 1 variables;
ADTTE the times and censoring, ADRS the best overall response, ADAE the events that
count, all as the sponsor derived them (data/given.py). Every problem of every data set
is reported at once where one data set does not depend on another.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd

from ...config import StudyConfig
from ...errors import Notice, Problem, StudyError
from ...results import AEExclusions, DataSource
from ..cutoff import cut_adverse_events, cutoff_notice
from ..given import Given
from ..load import sha256
from ..parse import missing_like_values, parse_adverse_events
from ..study import Study, adverse_event_terms
from .datasets import Folder
from .events import ONSET, adverse_events_table
from .lineage import lineage
from .population import Population, select
from .subjects import exposure, patients_frame
from .times import DAYS_PER_MONTH, Times, read_times
from .tumours import Tumours, read_tumours

T = TypeVar("T")


def load_adam_study(study_dir: Path, config: StudyConfig,
                    problems: list[Problem]) -> Study:
    """The Study an ADaM source holds; StudyError with every problem found (and those of
    study.yaml already found, `problems`)."""
    source = config.source
    assert source is not None
    if None in (source.pfs, source.os, source.response, source.adverse_events):
        raise StudyError(problems)  # (study.yaml says which is missing)
    folder = Folder(study_dir / source.adam, study_dir, config.missing_values)
    problems = list(problems)
    try:
        adsl = folder.dataset("ADSL")
        population = select(adsl, source)
    except StudyError as exc:
        raise StudyError(problems + exc.problems) from None

    def attempt(step: Callable[[], T]) -> T | None:
        try:
            return step()
        except StudyError as exc:
            problems.extend(exc.problems)
            return None

    assert source.pfs and source.os and source.response and source.adverse_events
    adtte = attempt(lambda: folder.dataset("ADTTE", source.pfs.dataset))
    pfs = os_ = dor = None
    if adtte is not None:
        pfs = attempt(lambda: read_times(adtte, source.pfs, "pfs", population))
    os_data = attempt(lambda: folder.dataset("ADTTE", source.os.dataset))
    if os_data is not None:
        os_ = attempt(lambda: read_times(os_data, source.os, "os", population))
    if source.duration_of_response is not None:
        spec = source.duration_of_response
        dor_data = attempt(lambda: folder.dataset("ADTTE", spec.dataset))
        if dor_data is not None:
            dor = attempt(lambda: read_times(dor_data, spec, "duration_of_response",
                                             population, every_patient=False))
    tumours = attempt(lambda: read_tumours(folder, source.response, population, config))
    ae_spec = source.adverse_events
    events = None
    adae = attempt(lambda: folder.dataset("ADAE", ae_spec.dataset))
    if adae is not None:
        events = attempt(lambda: adverse_events_table(adae, ae_spec, population))
    patients, p_problems = patients_frame(population, config, pfs, os_)
    problems += p_problems
    notices: list[Notice] = []
    aes = pd.DataFrame()
    n_unflagged = 0
    if events is not None:
        table, n_unflagged, unflagged = events
        aes, e_problems, attributed = parse_adverse_events(table, config)
        problems += e_problems
        notices += [n for n in (attributed, unflagged) if n is not None]
    if problems:
        raise StudyError(problems)
    assert pfs is not None and os_ is not None and tumours is not None and adae is not None
    response = tumours.given
    notices += [n for n in (population.notice(), response and response.notice())
                if n is not None]
    if (undeclared := missing_like_values(population.adsl.table, config)) is not None:
        notices.append(undeclared)
    assert config.data_cutoff is not None
    aes, late = cut_adverse_events(aes, pd.Timestamp(config.data_cutoff), ONSET)
    if (cut := cutoff_notice(late, config.data_cutoff)) is not None:
        notices.append(cut)
    if "term" in aes:
        notices += adverse_event_terms(aes, config, adae.file)
    if dor is None:
        notices.append(Notice("adam_no_duration_of_response", "Duration of response is not "
                              "reported: source.duration_of_response in study.yaml names no "
                              "ADTTE parameter for it."))
    given = _given(patients, pfs, os_, dor, tumours, population, folder, config)
    hashes = {"study.yaml": sha256(study_dir / "study.yaml"), **folder.hashes}
    sources = {"patients": population.adsl.file, "tumor_assessments": tumours.file,
               "adverse_events": adae.file}
    if tumours.lesions is not None:
        sources["tumor_lesions"] = tumours.file
    without = int(aes["onset_date"].isna().sum()) if "onset_date" in aes else len(aes)
    excluded = AEExclusions(without_onset=without, not_flagged=n_unflagged)
    return Study(study_dir, config, patients, tumours.assessments, aes, sources, hashes,
                 tuple(notices), lesions=tumours.lesions, ae_excluded=excluded, given=given)


def _given(patients: pd.DataFrame, pfs: Times, os_: Times, dor: Times | None,
           tumours: Tumours, population: Population, folder: Folder,
           config: StudyConfig) -> Given:
    """The sponsor's endpoints: times always; the best overall response only on the given
    route (the others derive it); the first response from the duration of response's
    STARTDT, else from the BOR record's date."""
    start = patients["treatment_start"].reset_index(drop=True)
    values = pd.DataFrame({
        "patient_id": patients["patient_id"].to_numpy(),
        "pfs_months": pfs.months.to_numpy(), "pfs_event": pfs.event.to_numpy(),
        "os_months": os_.months.to_numpy(), "os_event": os_.event.to_numpy(),
    })
    response = tumours.given
    first = pd.Series(pd.NaT, index=start.index, dtype="datetime64[ns]")
    if response is not None:
        values["bor"] = response.bor.to_numpy()
        values["has_post_baseline_scan"] = response.assessed.to_numpy()
        first = response.response_date
    if dor is not None:
        values["dor_months"] = dor.months.to_numpy()
        values["dor_event"] = dor.event.to_numpy() & dor.has_record.to_numpy()
        first = dor.start.where(dor.start.notna(), first)
    if response is not None or dor is not None:
        values["first_response_months"] = ((first - start).dt.days
                                           / DAYS_PER_MONTH).to_numpy()
    values["treatment_months"], values["on_treatment"] = exposure(patients, population)
    source = config.source
    assert source is not None and source.adverse_events is not None
    ae = source.adverse_events
    order = ("ADSL", "ADRS", "ADTR", "ADTTE", "ADAE")
    datasets = tuple(sorted(((d.role, d.file) for d in folder.read.values()),
                            key=lambda rf: (order.index(rf[0]), rf[1])))
    units = tuple(dict.fromkeys(u for t in (pfs, os_, dor) if t is not None for u in t.units))
    data_source = DataSource(
        datasets=datasets, population_flag=population.flag,
        arm_variable=population.arm_variable, arms=tuple(a for a, _ in population.arms),
        arms_pooled=population.pooled, response=tumours.route,
        response_parameter=source.response.paramcd if source.response else None,
        pfs_parameter=pfs.paramcd,
        os_parameter=os_.paramcd, dor_parameter=dor.paramcd if dor else None,
        time_units=units, ae_flag=ae.flag, ae_grade=ae.grade, ae_term=ae.term)
    return Given(values, data_source, lineage(population, pfs, os_, dor, tumours, folder,
                                               config),
                 dor.file if dor else None, dor.paramcd if dor else None)


