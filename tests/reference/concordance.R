#!/usr/bin/env Rscript
# Cohen's kappa of derived vs investigator-assessed best overall response, by hand in R
# (irr::kappa2 is not installed; this is its unweighted formula):
#
#   Rscript tests/reference/concordance.R
#
# Reads tests/reference/concordance_cases.csv (case, patient_id, derived, investigator)
# and writes tests/reference/concordance_expected.json: per case n, n_agree, po, pe and
#   kappa = (po - pe) / (1 - pe),
# po = sum(diag(tab)) / n, pe = sum(rowSums(tab) * colSums(tab)) / n^2, over the table of
# the BOR categories CR, PR, SD, PD, NE (null when pe = 1: kappa is undefined).
# R 4.2.2.

get_script_dir <- function() {
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(normalizePath(f)) else normalizePath("tests/reference")
}
REF_DIR <- get_script_dir()
source(file.path(REF_DIR, "json_writer.R"))

LEVELS <- c("CR", "PR", "SD", "PD", "NE")
cases <- read.csv(file.path(REF_DIR, "concordance_cases.csv"), stringsAsFactors = FALSE)
out <- list()
for (name in unique(cases$case)) {
  d <- cases[cases$case == name, ]
  tab <- table(factor(d$derived, LEVELS), factor(d$investigator, LEVELS))
  n <- sum(tab)
  po <- sum(diag(tab)) / n
  pe <- sum(rowSums(tab) * colSums(tab)) / n^2
  kappa <- if (abs(1 - pe) < 1e-12) NA_real_ else (po - pe) / (1 - pe)
  out[[name]] <- list(n = as.integer(n), n_agree = as.integer(sum(diag(tab))), po = po,
                      pe = pe, kappa = kappa)
}
writeLines(to_json(out), file.path(REF_DIR, "concordance_expected.json"))
