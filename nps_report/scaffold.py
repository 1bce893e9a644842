"""`nps-report init DIR`: a new study folder that validates and builds, to edit into one's own.

Four example patients show every column and the date conventions; study.yaml is
commented so that each key explains itself.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Problem, StudyError

STUDY_YAML = """\
# study.yaml: what the manuscript says about the study, and how to analyse it.
# Every key but title, drug and population may be left out (defaults shown).
title: "Drug Y in advanced disease: a single-arm study"
drug: drug Y
population: patients with advanced disease
data_cutoff: 2021-12-31          # later progressions, deaths and scans are ignored
# centre_column: centre          # the column of patients.csv naming each patient's centre
# staging: AJCC 8th edition      # the staging system, as the Methods name it
ci:
  level: 0.95
  proportion: clopper-pearson    # or wilson, wald, t (t interval for the 0/1 mean)
  km: log-log                    # or log, plain, symmetric (median +/- z*SE, Collett)
recist:
  confirm_response: false        # true: CR/PR need a confirming scan >= 28 days later
  sd_min_days: 42                # stable disease counts from this many days on
landmarks_months: [6, 12]
safety:
  min_incidence_pct: 5           # the AE table lists terms above this incidence
  ctcae_version: "5.0"           # stated in the Methods and under the AE table
  events: all-cause              # or treatment-related: what adverse_events.csv holds
  # attribution_column: relatedness   # per event: gives a treatment-related AE table too
  # term_map: {Nasal bleeding: Epistaxis}   # a term as typed -> the CTCAE term it counts as
exposure:
  cycles_threshold: 3            # "n patients received at least 3 cycles"
  schedule: 200 mg orally once daily   # the Methods say "drug Y was given ..."
  cycle_days: 21
  # reduction_column: dose_reduced     # yes/no per patient, because of toxicity
  # interruption_column: dose_interrupted
  # discontinuation_column: stopped_for_toxicity
# figures: {colour: greyscale}     # default: the journal's colour mode
manuscript:
  authors: [A. Author, B. Author]
  keywords: [drug Y, RECIST, survival]
baseline:                        # rows of Table 1, in order; columns of patients.csv
  - {column: age, label: Age (years), type: continuous}
  - {column: sex, label: Sex, type: categorical, levels: [Male, Female]}
  - {column: ecog, label: ECOG performance status, type: categorical,
     levels: {"0-1": [0, 1], "2": [2]}}      # printed label: raw values that fall in it
  - {label: Metastatic sites, type: multi, columns: {met_liver: Liver, met_lung: Lung}}
# prognostic:                    # Cox models, log-rank tests and response by factor
#   factors: [ecog, met_liver, age]    # columns of the baseline rows above
#   multivariable: [ecog, met_liver]   # optional: one model holding these together
# A factor's reference level is its first level (no for a yes/no column) unless named:
#   factors: [ecog, {column: met_liver, reference: "yes"}, age]
"""

PATIENTS = """\
patient_id,treatment_start,treatment_end,cycles,progression_date,death_date,last_followup,age,sex,ecog,met_liver,met_lung
A1,2021-01-10,2021-04-20,5,2021-04-15,2021-09-01,2021-09-01,61,Male,1,yes,no
A2,2021-02-01,,14,,,2021-12-01,54,Female,0,no,yes
A3,2021-03-05,2021-05-01,3,,2021-05-20,2021-05-20,70,Male,2,yes,yes
A4,2021-03-20,2021-07-01,5,2021-06-30,,2021-11-30,45,Female,1,no,no
"""

ASSESSMENTS = """\
patient_id,assessment_date,target_sum_mm,nontarget,new_lesions
A1,2021-01-05,50,non-CR/non-PD,no
A1,2021-02-25,45,non-CR/non-PD,no
A1,2021-04-15,60,non-CR/non-PD,no
A2,2021-01-25,80,none,no
A2,2021-03-15,50,none,no
A2,2021-05-10,48,none,no
A3,2021-03-01,30,non-CR/non-PD,no
A4,2021-03-18,40,non-CR/non-PD,no
A4,2021-05-05,38,non-CR/non-PD,no
A4,2021-06-30,38,non-CR/non-PD,yes
"""

ADVERSE_EVENTS = """\
patient_id,term,grade,onset_date
A1,Fatigue,2,2021-02-01
A2,Hypertension,3,2021-03-01
A2,Hypertension,1,2021-02-10
"""

# A highlighted placeholder (==...==), as the build's own: it prints marked and is no word of
# the manuscript's count until the authors replace it
INTRODUCTION = """\
==[Introduction: replace this line with your introduction, written in Markdown (paragraphs,
lists, italic and bold). Each part of the manuscript is a file in this folder; without its
file, the manuscript shows a highlighted placeholder like this one.]==
"""

FILES = {
    "study.yaml": STUDY_YAML,
    "patients.csv": PATIENTS,
    "tumor_assessments.csv": ASSESSMENTS,
    "adverse_events.csv": ADVERSE_EVENTS,
    "manuscript/introduction.md": INTRODUCTION,
}


def init_study(folder: str | Path) -> list[Path]:
    """Write the example study into folder (which must be new or empty)."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise StudyError([Problem(str(folder), "already exists and is not empty",
                                  expected="a new folder name, so nothing is overwritten")])
    above = next((p for p in folder.parents if p.exists() or p.is_symlink()), None)
    if above is not None and not above.is_dir():
        raise StudyError([Problem(str(folder), f"cannot be made: {above} is a file, not a "
                                               "folder", expected="a folder name under an "
                                                                  "existing folder")])
    written = []
    for name, text in FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
