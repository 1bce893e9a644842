"""Where each reported number of an ADaM source comes from: data set, variables, rule
(`nps-report validate` prints it)."""

from __future__ import annotations

from ...config import StudyConfig
from ..given import Lineage
from .datasets import Dataset, Folder
from .events import ONSET
from .population import SUBJECT, Population
from .times import Times
from .tumours import Tumours


def dataset_of(folder: Folder, role: str) -> Dataset | None:
    return next((d for d in folder.read.values() if d.role == role), None)


def lineage(population: Population, pfs: Times, os_: Times, dor: Times | None,
            tumours: Tumours, folder: Folder, config: StudyConfig) -> tuple[Lineage, ...]:
    source = config.source
    assert source is not None and source.adverse_events is not None
    adsl = population.adsl.file
    variable = population.arm_variable
    arms = ", ".join(a for a, _ in population.arms)
    arm = (f"{variable} in {arms}" if not population.pooled
           else f"all arms pooled ({variable}: {arms})" if variable else "all patients")
    out = [Lineage("Patients analysed (N)", adsl, (SUBJECT, population.flag),
                   f"{population.flag} = Y; {arm}")]
    spec = source.response
    assert spec is not None
    flag = f", {spec.flag} = Y" if spec.flag else ""
    if tumours.route == "given":
        out.append(Lineage("Best overall response, ORR, DCR", tumours.file,
                           ("PARAMCD", "AVALC"), f"PARAMCD = {spec.paramcd}{flag}; "
                           "NON-CR/NON-PD counted as SD; MISSING, NE or no record as NE"))
    elif tumours.route == "timepoints":
        rules = config.recist
        out.append(Lineage("Best overall response, ORR, DCR (derived)", tumours.file,
                           ("PARAMCD", "AVALC", "ADT"),
                           f"PARAMCD = {spec.paramcd}{flag}: timepoint responses; SD from "
                           f"day {rules.sd_min_days}"
                           + (f", CR/PR confirmed after {rules.confirm_min_days} days"
                              if rules.confirm_response else "")))
    else:
        out.append(Lineage("Best overall response, ORR, DCR, waterfall (derived, RECIST "
                           "1.1)", tumours.file,
                           ("PARAMCD", "AVAL", "ADT", "TRLNKID", "TULOC"),
                           "LDIAMn (NLDIAMn, the short axis, for lymph nodes); target "
                           "lesions only"))
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
    onset = (adae.table.header(ONSET),) if ONSET in adae.frame else ()
    out.append(Lineage("Adverse events", adae.file, (SUBJECT, ae.term, ae.grade, ae.flag,
                                                     *onset),
                       f"{ae.flag} = Y; onset after the data cutoff not counted"))
    frame = population.adsl.frame
    named = population.adsl.table.header  # (TRTSDTM where ADSL has no TRTSDT)
    out.append(Lineage("Treatment duration, patients on treatment", adsl,
                       tuple(named(v) for v in ("TRTDURD", "TRTSDT", "TRTEDT", "EOTSTT",
                                                "EOSSTT") if v in frame),
                       ("TRTDURD, else " if "TRTDURD" in frame else "") + "TRTEDT - TRTSDT + "
                       "1 days; ongoing: TRTEDT blank, alive" + (
                           ", status ONGOING" if {"EOTSTT", "EOSSTT"} & set(frame) else "")))
    out.append(Lineage("Figures' time axis (death, last contact)", adsl,
                       tuple(named(v) for v in ("TRTSDT", "DTHDT", "LSTALVDT") if v in frame),
                       ""))
    for item in config.baseline:
        columns = (item.column,) if item.column else tuple(c for c, _ in item.columns)
        out.append(Lineage(f"Table 1: {item.label}", adsl, columns, ""))
    return tuple(out)
