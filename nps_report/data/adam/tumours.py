"""Tumour data for best overall response to be derived, not taken as the sponsor's BOR:

- `response: {paramcd: OVR}`: ADRS's timepoint responses (AVALC at ADT, the investigator's
  per visit) as the investigator_response of the contract's scans, from which best
  overall response follows by the study's SD window and confirmation rules;
- `response: {derive: adtr}`: ADTR's target lesions (admiral's LDIAMn, and NLDIAMn, the
  perpendicular, which is a lymph node's short axis) as the contract's lesions, from which
  RECIST 1.1 follows lesion by lesion, nodal rule included. A lesion whose TULOC is a lymph
  node (TULOCGR1 NODAL) is nodal and measured by NLDIAMn; any other by LDIAMn. ADTR holds
  target lesions only: non-target and new lesions are not part of this derivation.

Either becomes a Table under the contract's column names (messages keep ADaM's) and is
read by the contract's own parsers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...config import StudyConfig
from ...config.source import ResponseSource
from ...errors import Problem, StudyError
from ..lesions import parse_lesions
from ..load import empty_table
from ..parse import parse_assessments
from ..table import Table
from .datasets import Dataset, Folder
from .parameter import parameter_rows
from .population import SUBJECT, Population, not_in_adsl, of_population
from .response import GivenResponse, read_best_response

NOT_GIVEN = ("MISSING",)  # an ADRS AVALC that records no response: a blank scan
DIAMETER = re.compile(r"^(N?)LDIAM(\d+)$")


def timepoints_table(adrs: Dataset, spec: ResponseSource, population: Population) -> Table:
    """ADRS's timepoint responses as the scans of tumor_assessments (patient_id,
    assessment_date, investigator_response)."""
    assert spec.paramcd is not None
    where = "source.response in study.yaml"
    adrs.require([SUBJECT, "PARAMCD", "AVALC", "ADT", *([spec.flag] if spec.flag else [])],
                 where)
    rows, problems = parameter_rows(adrs, spec.paramcd, population, where, None, spec.flag)
    if problems:
        raise StudyError(problems)
    frame = rows.frame
    response = frame["AVALC"].str.strip()
    response = response.where(~response.str.upper().isin(NOT_GIVEN), "")
    text = pd.DataFrame({"patient_id": frame[SUBJECT], "assessment_date": frame["ADT"],
                         "investigator_response": response})
    return Table("tumor_assessments", rows.file, text.reset_index(drop=True),
                 rows.table.rows.copy(), shown={"patient_id": SUBJECT,
                                                "assessment_date": "ADT",
                                                "investigator_response": "AVALC"})


def lesions_table(adtr: Dataset, population: Population) -> Table:
    """ADTR's target lesion diameters as tumor_lesions rows: one per lesion and scan."""
    where = "source.response: {derive: adtr} in study.yaml"
    adtr.require([SUBJECT, "PARAMCD", "AVAL", "ADT", "TRLNKID", "TULOC"], where)
    problems = not_in_adsl(adtr, population)
    if problems:
        raise StudyError(problems)
    rows = of_population(adtr, population)
    if not adtr.frame["PARAMCD"].str.strip().str.match(DIAMETER).any():
        raise StudyError([Problem(adtr.file, "no target lesion diameters", column="PARAMCD",
                                  value=sorted(set(adtr.frame["PARAMCD"]))[:10],
                                  expected="parameters LDIAM1, LDIAM2, ... (longest "
                                           "diameters) and NLDIAM1, ... (perpendiculars: a "
                                           "lymph node's short axis), as admiral builds "
                                           f"ADTR ({where})")])
    frame = rows.frame
    kind = frame["PARAMCD"].str.strip().str.extract(DIAMETER)
    measured = kind[1].notna().to_numpy()
    frame = frame[measured].assign(_short=kind[0][measured].eq("N").to_numpy(),
                                   _row=rows.table.rows[measured])
    nodal = frame["TULOC"].str.upper().str.contains("LYMPH")
    if "TULOCGR1" in frame:
        nodal |= frame["TULOCGR1"].str.strip().str.upper().eq("NODAL")
    # a node is measured by its short axis (NLDIAMn), any other lesion by LDIAMn
    keep = frame[(nodal & frame["_short"]) | (~nodal & ~frame["_short"])]
    key = [SUBJECT, "TRLNKID", "ADT"]
    lacking = frame[nodal & ~frame["_short"]].merge(
        keep[key], on=key, how="left", indicator=True)
    lacking = lacking[lacking["_merge"].eq("left_only")]
    problems = [Problem(rows.file, "a lymph node target lesion without its short axis",
                        row=int(r["_row"]), column="PARAMCD", value=r["PARAMCD"],
                        expected=f"an NLDIAM record (the perpendicular, which is a node's "
                                 f"short axis) for lesion {r['TRLNKID']} of {r[SUBJECT]} at "
                                 f"{r['ADT']}: RECIST 1.1 measures nodes by it")
                for _, r in lacking.head(25).iterrows()]
    if problems:
        raise StudyError(problems)
    text = pd.DataFrame({
        "patient_id": keep[SUBJECT], "assessment_date": keep["ADT"],
        "lesion_id": keep["TRLNKID"], "lesion_type": "target", "site": keep["TULOC"],
        "nodal": np.where(nodal[keep.index], "yes", "no"), "diameter_mm": keep["AVAL"],
        "status": ""}).reset_index(drop=True)
    return Table("tumor_lesions", rows.file, text, keep["_row"].to_numpy(),
                 shown={"patient_id": SUBJECT, "assessment_date": "ADT",
                        "lesion_id": "TRLNKID", "site": "TULOC", "diameter_mm": "AVAL"})



@dataclass(frozen=True)
class Tumours:
    """What the study's tumour data are, by the route study.yaml chose."""

    route: str  # given | timepoints | lesions (config.source.ResponseSource.route)
    file: str  # the data set they come from
    assessments: pd.DataFrame  # the contract's typed scans (none for the given route)
    lesions: pd.DataFrame | None = None  # the contract's typed lesions (lesions route)
    given: GivenResponse | None = None  # the sponsor's BOR (given route)


def read_tumours(folder: Folder, spec: ResponseSource, population: Population,
                 config: StudyConfig) -> Tumours:
    """The tumour data of the chosen route, read by the contract's own parsers; StudyError
    naming data set, variable and value."""
    route = spec.route
    if route == "given":
        adrs = folder.dataset("ADRS", spec.dataset)
        return Tumours(route, adrs.file, no_scans(),
                       given=read_best_response(adrs, spec, population))
    if route == "timepoints":
        adrs = folder.dataset("ADRS", spec.dataset)
        scans, problems = parse_assessments(timepoints_table(adrs, spec, population))
        if problems:
            raise StudyError(problems)
        return Tumours(route, adrs.file, scans)
    adtr = folder.dataset("ADTR", spec.dataset)
    lesions, problems = parse_lesions(lesions_table(adtr, population), config.recist)
    scans, more = parse_assessments(empty_table("tumor_assessments", adtr.file, (
        "patient_id", "assessment_date")), with_lesions=True)
    if problems or more:
        raise StudyError(problems + more)
    return Tumours(route, adtr.file, scans, lesions)


def no_scans() -> pd.DataFrame:
    """The typed scans of a study without any (the sponsor's BOR is given instead)."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in ASSESSMENT_COLUMNS.items()})


ASSESSMENT_COLUMNS = {"patient_id": object, "assessment_date": "datetime64[ns]",
                      "target_sum_mm": float, "nontarget": object, "new_lesions": bool,
                      "_row": int}
