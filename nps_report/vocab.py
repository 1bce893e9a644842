"""The words the tool prints for fixed things, spelled once for Python and templates alike.

Best-overall-response names, endpoint names, the CTCAE and RECIST names and the
abbreviations a table footnote spells out all used to be typed wherever they were
printed; a template reads them as `vocab.BOR_NAMES`, Python imports them from here.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

#: RECIST 1.1 best overall response categories, best first.
BOR_ORDER: Final = ("CR", "PR", "SD", "PD", "NE")
#: Sentence-start names, as tables and figure legends print them.
BOR_NAMES: Final = MappingProxyType({
    "CR": "Complete response", "PR": "Partial response", "SD": "Stable disease",
    "PD": "Progressive disease", "NE": "Not evaluable"})
#: The same names in running text.
BOR_TEXT: Final = MappingProxyType({k: v.lower() for k, v in BOR_NAMES.items()})
#: Responders (ORR) and disease control (DCR) by BOR.
RESPONSE: Final = ("CR", "PR")
DISEASE_CONTROL: Final = ("CR", "PR", "SD")

#: Survival endpoints: name, abbreviation and the y-axis label of their Kaplan-Meier plot.
ENDPOINT_NAMES: Final = MappingProxyType({
    "pfs": "Progression-free survival", "os": "Overall survival",
    "dor": "Duration of response"})
ENDPOINT_ABBREVIATIONS: Final = MappingProxyType({"pfs": "PFS", "os": "OS", "dor": "DOR"})
ENDPOINT_AXIS: Final = MappingProxyType({
    **{k: f"{v} probability" for k, v in ENDPOINT_NAMES.items()},
    "dor": "Probability of ongoing response"})

#: The contract's month: days / 30.4375 (section 1, derived endpoints).
DAYS_PER_MONTH: Final = 30.4375

RECIST: Final = "Response Evaluation Criteria in Solid Tumors"
CTCAE: Final = "Common Terminology Criteria for Adverse Events"

#: Dose modifications for toxicity (results.exposure fields): the exposure table's row
#: labels, the Results clause ('the dose was reduced in 7 patients') and the Methods noun.
MODIFICATION_NAMES: Final = MappingProxyType({
    "n_dose_reduced": "Dose reduction", "n_interrupted": "Treatment interruption",
    "n_discontinued": "Discontinuation"})
MODIFICATION_TEXT: Final = MappingProxyType({
    "n_dose_reduced": "the dose was reduced", "n_interrupted": "treatment was interrupted",
    "n_discontinued": "treatment was discontinued"})
MODIFICATION_NOUNS: Final = MappingProxyType({
    "n_dose_reduced": "dose reductions", "n_interrupted": "treatment interruptions",
    "n_discontinued": "discontinuations"})

#: Abbreviations a table footnote spells out when they appear in the table or its note.
ABBREVIATIONS: Final = MappingProxyType({
    "CI": "confidence interval",
    "CR": "complete response",
    "CTCAE": CTCAE,
    "DCR": "disease control rate",
    "ECOG": "Eastern Cooperative Oncology Group",
    "HR": "hazard ratio",
    "NE": "not estimable",
    "NR": "not reached",
    "ORR": "objective response rate",
    "OS": "overall survival",
    "PD": "progressive disease",
    "PFS": "progression-free survival",
    "PR": "partial response",
    "RECIST": RECIST,
    "SD": "stable disease",
})


#: Confidence-interval methods, named for what they are (never for a software package):
#: the short name (change report, tables of methods) and the Methods section's wording.
PROPORTION_CI_NAMES: Final = MappingProxyType({
    "clopper-pearson": "Clopper–Pearson exact interval", "wilson": "Wilson score interval",
    "wald": "Wald interval", "t": "t interval for the mean of the binary response"})
PROPORTION_CI_TEXT: Final = MappingProxyType({
    "clopper-pearson": "the exact Clopper–Pearson method",
    "wilson": "the Wilson score method",
    "wald": "the Wald method",
    "t": "the t distribution, as the interval for the mean of the binary (0/1) response with "
         "its sample standard deviation and n − 1 degrees of freedom"})
KM_CI_NAMES: Final = MappingProxyType({
    "log-log": "log–log interval", "log": "log interval", "plain": "plain interval",
    "symmetric": "symmetric interval (Collett)"})
KM_CI_TEXT: Final = MappingProxyType({
    "log-log": "the Brookmeyer–Crowley method with log–log transformation",
    "log": "the Brookmeyer–Crowley method with log transformation",
    "plain": "the Brookmeyer–Crowley method without transformation",
    "symmetric": "a symmetric interval, the median ± z × SE, where z is the standard normal "
                 "quantile for the confidence level and SE the standard error of the median "
                 "by Collett's formula, with Greenwood's variance of the survival estimate"})
#: Pointwise bands behind landmark rates (results.methods.landmark_ci).
BANDS: Final = MappingProxyType({"log-log": "log–log", "log": "log", "plain": "linear"})


def bor_name(code: str) -> str:
    """'Partial response' for 'PR'; an unknown code is printed as it is."""
    return BOR_NAMES.get(code, code)


def letters(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA': how a spreadsheet names the column at that position,
    and (in lower case) how a table letters its footnotes."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out
