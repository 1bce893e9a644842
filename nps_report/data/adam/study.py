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

import numpy as np
import pandas as pd

from ...config import Rename, StudyConfig
from ...errors import Notice, Problem, StudyError
from ...results import DataSource
from .. import extras
from ..columns import Checker
from ..cutoff import cut_adverse_events, cutoff_notice
from ..given import Given, Lineage
from ..headers import prepare_headers
from ..load import sha256
from ..parse import baseline_columns, missing_like_values, parse_adverse_events
from ..study import Study
from ..table import Table
from ..terms import merge_terms
from .datasets import Dataset, Folder
from .events import ONSET, adverse_events_table
from .population import SUBJECT, Population, select
from .response import GivenResponse, read_best_response
from .times import DAYS_PER_MONTH, Times, read_times

T = TypeVar("T")
# contract column <- ADSL variable (USUBJID and TRTSDT must be there, the others may not)
ADSL_DATES = {"treatment_start": "TRTSDT", "treatment_end": "TRTEDT", "death_date": "DTHDT",
              "last_followup": "LSTALVDT"}
ASSESSMENT_COLUMNS = {"patient_id": object, "assessment_date": "datetime64[ns]",
                      "target_sum_mm": float, "nontarget": object, "new_lesions": bool,
                      "_row": int}


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
    response = None
    if source.response.paramcd is not None:
        adrs = attempt(lambda: folder.dataset("ADRS", source.response.dataset))
        if adrs is not None:
            response = attempt(lambda: read_best_response(adrs, source.response, population))
    else:
        problems.append(Problem("study.yaml", "response from ADTR's lesions is not available "
                                "yet", column="source.response",
                                value=source.response.derive,
                                expected="response: {paramcd: BOR}"))
    ae_spec = source.adverse_events
    events = None
    adae = attempt(lambda: folder.dataset("ADAE", ae_spec.dataset))
    if adae is not None:
        events = attempt(lambda: adverse_events_table(adae, ae_spec, population))
    patients, p_problems = _patients(population, config, pfs, os_)
    problems += p_problems
    notices: list[Notice] = []
    aes = pd.DataFrame()
    if events is not None:
        table, unflagged = events
        aes, e_problems, attributed = parse_adverse_events(table, config)
        problems += e_problems
        notices += [n for n in (attributed, unflagged) if n is not None]
    if problems:
        raise StudyError(problems)
    assert pfs is not None and os_ is not None and response is not None and adae is not None
    notices += [n for n in (population.notice(), response.notice()) if n is not None]
    if (undeclared := missing_like_values(population.adsl.table, config)) is not None:
        notices.append(undeclared)
    assert config.data_cutoff is not None
    aes, late = cut_adverse_events(aes, pd.Timestamp(config.data_cutoff), ONSET)
    if (cut := cutoff_notice(late, config.data_cutoff)) is not None:
        notices.append(cut)
    if "term" in aes:
        aes["term"], merged = merge_terms(aes["term"], adae.file)
        notices += [merged] if merged else []
    if dor is None:
        notices.append(Notice("adam_no_duration_of_response", "Duration of response is not "
                              "reported: source.duration_of_response in study.yaml names no "
                              "ADTTE parameter for it."))
    given = _given(patients, pfs, os_, dor, response, population, folder, config)
    hashes = {"study.yaml": sha256(study_dir / "study.yaml"), **folder.hashes}
    sources = {"patients": population.adsl.file, "tumor_assessments": response.file,
               "adverse_events": adae.file}
    return Study(study_dir, config, patients, _no_scans(), aes, sources, hashes,
                 tuple(notices), given=given)


def _patients(population: Population, config: StudyConfig, pfs: Times | None,
              os_: Times | None) -> tuple[pd.DataFrame, list[Problem]]:
    """The patients frame of the contract from ADSL: dates, cycles, Table 1 variables.

    Death and progression dates serve the figures only (the times are ADTTE's); a patient
    without LSTALVDT is last known alive at the end of their OS time."""
    adsl = population.adsl
    renames = [Rename("patient_id", SUBJECT)]
    renames += [Rename(name, variable) for name, variable in ADSL_DATES.items()
                if variable in adsl.frame]
    source = config.source
    assert source is not None
    if source.cycles:
        renames.append(Rename("cycles", source.cycles))
    table = Table("patients", adsl.file, adsl.frame.copy(), adsl.table.rows.copy())
    problems = prepare_headers(table, tuple(renames))
    problems += adsl.missing(["TRTSDT"], "the first dose, time zero of the figures")
    if problems:
        return pd.DataFrame(), problems
    c = Checker(table)
    out = pd.DataFrame({"patient_id": table.frame["patient_id"], "_row": table.rows})
    for name in ADSL_DATES:
        out[name] = (c.dates(name, required=name == "treatment_start")
                     if name in table.frame else pd.Series(pd.NaT, index=out.index,
                                                            dtype="datetime64[ns]"))
    out["cycles"] = (c.numbers("cycles", integer=True, minimum=0, required=False)
                     if "cycles" in table.frame else np.nan)
    out["progression_date"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    if pfs is not None:  # a PFS event that is not the death
        death = out["death_date"]
        progressed = pfs.event & pfs.end.notna() & (death.isna() | (pfs.end < death))
        out["progression_date"] = pfs.end.where(progressed)
    if os_ is not None:
        days = pd.to_timedelta(np.round(os_.months * DAYS_PER_MONTH), unit="D")
        last = os_.end.fillna(out["treatment_start"] + days)
        out["last_followup"] = out["last_followup"].fillna(last)
    baseline_columns(c, table.frame, config, out)
    extras.patient_columns(c, config, out)
    return out, problems + c.problems


def _no_scans() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in ASSESSMENT_COLUMNS.items()})


def _given(patients: pd.DataFrame, pfs: Times, os_: Times, dor: Times | None,
           response: GivenResponse, population: Population, folder: Folder,
           config: StudyConfig) -> Given:
    start = patients["treatment_start"].reset_index(drop=True)
    values = pd.DataFrame({
        "patient_id": patients["patient_id"].to_numpy(),
        "bor": response.bor.to_numpy(),
        "has_post_baseline_scan": response.assessed.to_numpy(),
        "pfs_months": pfs.months.to_numpy(), "pfs_event": pfs.event.to_numpy(),
        "os_months": os_.months.to_numpy(), "os_event": os_.event.to_numpy(),
    })
    first = response.response_date
    if dor is not None:
        values["dor_months"] = dor.months.to_numpy()
        values["dor_event"] = dor.event.to_numpy() & dor.has_record.to_numpy()
        first = dor.start.where(dor.start.notna(), first)
    values["first_response_months"] = ((first - start).dt.days / DAYS_PER_MONTH).to_numpy()
    values["treatment_months"], values["on_treatment"] = _exposure(patients, population)
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
        arms_pooled=population.pooled, response="given",
        response_parameter=response.paramcd, pfs_parameter=pfs.paramcd,
        os_parameter=os_.paramcd, dor_parameter=dor.paramcd if dor else None,
        time_units=units, ae_flag=ae.flag, ae_grade=ae.grade, ae_term=ae.term)
    return Given(values, data_source, _lineage(population, pfs, os_, dor, response, folder,
                                               config),
                 dor.file if dor else None, dor.paramcd if dor else None)


def _exposure(patients: pd.DataFrame, population: Population) -> tuple[np.ndarray,
                                                                        np.ndarray]:
    """Treatment duration in months and whether still on treatment, as ADSL has them.

    TRTDURD where ADSL has it (the sponsor's), else TRTEDT - TRTSDT + 1 days as ADaM counts
    it. A blank TRTEDT means still on treatment only for a patient alive whose end-of-
    treatment (EOTSTT) or, without it, end-of-study status (EOSSTT) is ONGOING (or who has
    neither): then through LSTALVDT. Otherwise the duration is unknown (not counted in
    the median), never negative."""
    adsl = population.adsl.frame.reset_index(drop=True)
    p = patients.reset_index(drop=True)
    start, end = p["treatment_start"], p["treatment_end"]
    status = next((adsl[v].str.strip().str.upper() for v in ("EOTSTT", "EOSSTT")
                   if v in adsl), None)
    ongoing = end.isna() & p["death_date"].isna()
    if status is not None:
        ongoing &= status.eq("ONGOING")
    days = (end.where(~ongoing, p["last_followup"]) - start).dt.days + 1
    if "TRTDURD" in adsl:
        given = pd.to_numeric(adsl["TRTDURD"].where(adsl["TRTDURD"].ne("")), errors="coerce")
        days = given.where(given.notna() & ~ongoing, days)
    months = (days / DAYS_PER_MONTH).where(days > 0)
    return months.to_numpy(dtype=float), ongoing.to_numpy(dtype=bool)


def _lineage(population: Population, pfs: Times, os_: Times, dor: Times | None,
             response: GivenResponse, folder: Folder, config: StudyConfig
             ) -> tuple[Lineage, ...]:
    source = config.source
    assert source is not None and source.adverse_events is not None
    adsl = population.adsl.file
    variable = population.arm_variable
    arms = ", ".join(a for a, _ in population.arms)
    arm = (f"{variable} in {arms}" if not population.pooled
           else f"all arms pooled ({variable}: {arms})" if variable else "all patients")
    out = [Lineage("Patients analysed (N)", adsl, (SUBJECT, population.flag),
                   f"{population.flag} = Y; {arm}")]
    flag = f", {response.flag} = Y" if response.flag else ""
    out.append(Lineage("Best overall response, ORR, DCR", response.file,
                       ("PARAMCD", "AVALC"), f"PARAMCD = {response.paramcd}{flag}; "
                       "NON-CR/NON-PD counted as SD; MISSING, NE or no record as NE"))
    for label, times in (("Progression-free survival", pfs), ("Overall survival", os_),
                         ("Duration of response", dor)):
        if times is None:
            continue
        unit = "AVALU" if times.from_avalu else f"unit: {', '.join(times.units)}"
        out.append(Lineage(f"{label}: events, median, CI, rates", times.file,
                           ("PARAMCD", "AVAL", "CNSR"),
                           f"PARAMCD = {times.paramcd}; CNSR = 0 is an event; AVAL in "
                           f"{unit}"))
    out.append(Lineage("Median follow-up (reverse Kaplan-Meier)", os_.file,
                       ("AVAL", "CNSR"), f"PARAMCD = {os_.paramcd}"))
    ae = source.adverse_events
    adae = dataset_of(folder, "ADAE")
    assert adae is not None
    onset = (ONSET,) if ONSET in adae.frame else ()
    out.append(Lineage("Adverse events", adae.file, (SUBJECT, ae.term, ae.grade, ae.flag,
                                                     *onset),
                       f"{ae.flag} = Y; onset after the data cutoff not counted"))
    frame = population.adsl.frame
    out.append(Lineage("Treatment duration, patients on treatment", adsl,
                       tuple(v for v in ("TRTDURD", "TRTSDT", "TRTEDT", "EOTSTT", "EOSSTT")
                             if v in frame),
                       ("TRTDURD, else " if "TRTDURD" in frame else "") + "TRTEDT - TRTSDT + "
                       "1 days; ongoing: TRTEDT blank, alive" + (
                           ", status ONGOING" if {"EOTSTT", "EOSSTT"} & set(frame) else "")))
    out.append(Lineage("Figures' time axis (death, last contact)", adsl,
                       tuple(v for v in ("TRTSDT", "DTHDT", "LSTALVDT") if v in frame), ""))
    for item in config.baseline:
        columns = (item.column,) if item.column else tuple(c for c, _ in item.columns)
        out.append(Lineage(f"Table 1: {item.label}", adsl, columns, ""))
    return tuple(out)


def dataset_of(folder: Folder, role: str) -> Dataset | None:
    return next((d for d in folder.read.values() if d.role == role), None)
