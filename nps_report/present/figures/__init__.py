"""The figures a manuscript can show, one module each, declared as data: which panels a study's
figure shows, what each panel reads of Results (its cache key), the function that draws it
(in nps_report/figures, named by import path, so that this layer never imports
matplotlib), the numbers it prints (for the change report) and its template. The
catalogue (present/catalogue.py) lists them.
"""
