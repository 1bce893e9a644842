"""Write tests/studies/broken/<case>/: the valid `small` study with one deliberate defect each.

Run from anywhere: python tests/studies/make_broken.py. The folders are committed so
that anyone can try `nps-report validate tests/studies/broken/<case>` by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).parent
BASE = HERE / "small"

# case -> (file, old text, new text[, options]); None as old text deletes the file.
# options: "all" replaces every occurrence, "encoding" writes the file in that encoding.
CASES: dict[str, tuple] = {
    "missing_file": ("adverse_events.csv", None, ""),
    "missing_column": ("patients.csv", ",last_followup,", ",last_follow_up,"),
    "duplicate_patient": ("patients.csv", "A3,2021-03-05", "A2,2021-03-05"),
    "unknown_patient": ("tumor_assessments.csv", "A4,2021-05-05", "A5,2021-05-05"),
    "bad_date": ("patients.csv", "A4,2021-03-20", "A4,2021-13-20"),
    "death_before_start": ("patients.csv", ",2021-05-20,2021-05-20,70",
                           ",2021-03-01,2021-05-20,70"),
    "progression_after_death": ("patients.csv", "2021-04-15,2021-09-01,2021-09-01",
                                "2021-10-15,2021-09-01,2021-10-20"),
    "assessment_after_death": ("tumor_assessments.csv", "A3,2021-03-01,30",
                               "A3,2021-03-01,30,non-CR/non-PD,no\nA3,2021-06-01,30"),
    "followup_before_event": ("patients.csv", ",2021-06-30,,2021-11-30,",
                              ",2021-06-30,,2021-06-01,"),
    "grade_out_of_range": ("adverse_events.csv", "A1,Fatigue,2", "A1,Fatigue,6"),
    "unknown_nontarget": ("tumor_assessments.csv", "A1,2021-02-25,45,non-CR/non-PD",
                          "A1,2021-02-25,45,non-CR/non-PR"),
    "negative_sum": ("tumor_assessments.csv", "A2,2021-05-10,48", "A2,2021-05-10,-48"),
    "baseline_column_absent": ("study.yaml", "type: continuous}",
                               "type: continuous}\n  - {column: ecog, label: ECOG, "
                               "type: categorical}"),
    "unknown_yaml_key": ("study.yaml", "landmarks_months:", "landmark_months:"),
    "unknown_level": ("patients.csv", "54,Female", "54,female"),
    "progression_disagrees_with_scans": ("patients.csv", "2021-04-15,2021-09-01",
                                         "2021-04-01,2021-09-01"),
    # contract v2 (issue 11)
    "followup_after_death": ("patients.csv", ",2021-05-20,2021-05-20,70",
                             ",2021-05-20,2021-06-20,70"),
    "yaml_boolean_level": ("study.yaml", "levels: [Male, Female]", "levels: [Male, Female, No]"),
    "ambiguous_date": ("patients.csv", "A2,2021-02-01", "A2,01/02/2021"),
    "na_text_in_date": ("patients.csv", "A2,2021-02-01,,", "A2,2021-02-01,NA,"),
    "semicolons": ("patients.csv", ",", ";", {"all": True}),
    "windows_1252": ("adverse_events.csv", "A1,Fatigue", "A1,Fièvre", {"encoding": "cp1252"}),
    "header_case": ("patients.csv", "patient_id,", "Patient_ID,"),
    "ae_after_death": ("adverse_events.csv", "A2,Hypertension,1,2021-02-10",
                       "A2,Hypertension,1,2021-02-10\nA3,Rash,1,2021-06-01"),
    "sum_after_baseline_without_targets": ("tumor_assessments.csv", "A4,2021-03-18,40,",
                                           "A4,2021-03-18,,"),
}


def main() -> None:
    out = HERE / "broken"
    shutil.rmtree(out, ignore_errors=True)
    for case, (name, old, new, *rest) in CASES.items():
        options = rest[0] if rest else {}
        folder = out / case
        shutil.copytree(BASE, folder)
        target = folder / name
        if old is None:
            target.unlink()
            continue
        text = target.read_text()
        assert old in text, (case, old)
        text = text.replace(old, new, -1 if options.get("all") else 1)
        target.write_bytes(text.encode(options.get("encoding", "utf-8")))


if __name__ == "__main__":
    main()
