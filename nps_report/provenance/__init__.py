"""Where each number comes from: its results.json key, unrounded value, method and patients.

keys.py maps what the manuscript prints to data-keys (one per number); records.py
answers for a data-key (the live preview's panel, `GET /provenance`); export.py writes
provenance.json beside results.json. Reads Results only: the patient sets were found
by the analysis (analysis/counted.py).
"""
