#!/usr/bin/env Rscript
# Outside reference for an ADaM source: the numbers a sponsor's TLGs would show, computed
# with R directly on the ADaM variables of the pharmaverse test data (pharmaverse/*.rds,
# see pharmaverse/subset.R), written to adam_expected.json beside this script.
#
#   Rscript tests/reference/adam/expected.R
#
# Each scenario is a study.yaml `source:` (tests/test_adam_pharmaverse.py builds the same):
# the population ADSL SAFFL = "Y" (and an arm of TRT01A); BOR from ADRS PARAMCD BOR
# (NON-CR/NON-PD = SD; MISSING, NE or no record = NE); PFS, OS and duration of response
# (PARAMCD RSD) from ADTTE as given, AVAL in days, CNSR = 0 an event; adverse events of
# ADAE with TRTEMFL = "Y" and onset on or before the data cutoff (or none), each patient
# counted once per AEDECOD at the highest severity ASEVN (1 mild, 2 moderate, 3 severe).
suppressPackageStartupMessages(library(survival))
here <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(normalizePath(f)) else normalizePath("tests/reference/adam")
})
source(file.path(here, "..", "json_writer.R"))
read <- function(name) readRDS(file.path(here, "pharmaverse", paste0(name, ".rds")))
adsl <- read("adsl"); adrs <- read("adrs"); adtte <- read("adtte"); adae <- read("adae")
DAYS_PER_MONTH <- 30.4375

km <- function(d, landmark = 6) {
  fit <- survfit(Surv(AVAL / DAYS_PER_MONTH, 1 - CNSR) ~ 1, data = d, conf.type = "log-log")
  t <- summary(fit)$table
  lm <- tryCatch(summary(fit, times = landmark, extend = FALSE),
                 error = function(e) list(surv = NULL, lower = NULL, upper = NULL))
  list(n = nrow(d), n_events = as.integer(sum(d$CNSR == 0)),
       median = unname(t[["median"]]), ci_low = unname(t[["0.95LCL"]]),
       ci_high = unname(t[["0.95UCL"]]),
       landmark = list(months = landmark,
                       estimate = if (length(lm$surv)) lm$surv else NA_real_,
                       ci_low = if (length(lm$lower)) lm$lower else NA_real_,
                       ci_high = if (length(lm$upper)) lm$upper else NA_real_))
}

proportion <- function(n, N) {
  ci <- binom.test(n, N)$conf.int
  list(n = as.integer(n), N = as.integer(N), estimate = n / N, ci_low = ci[1], ci_high = ci[2])
}

scenario <- function(arms, cutoff) {
  pop <- adsl[adsl$SAFFL %in% "Y" & (is.null(arms) | adsl$TRT01A %in% arms), ]
  ids <- pop$USUBJID
  N <- length(ids)
  bor <- adrs[adrs$PARAMCD == "BOR" & adrs$USUBJID %in% ids, c("USUBJID", "AVALC")]
  code <- setNames(rep("NE", N), ids)
  code[bor$USUBJID] <- c(CR = "CR", PR = "PR", SD = "SD", PD = "PD", NE = "NE",
                         "NON-CR/NON-PD" = "SD", MISSING = "NE")[bor$AVALC]
  counts <- lapply(c(CR = "CR", PR = "PR", SD = "SD", PD = "PD", NE = "NE"),
                   function(k) as.integer(sum(code == k)))
  n_resp <- sum(code %in% c("CR", "PR"))
  tte <- function(p) adtte[adtte$PARAMCD == p & adtte$USUBJID %in% ids, ]
  os <- tte("OS")
  fu <- survfit(Surv(AVAL / DAYS_PER_MONTH, CNSR) ~ 1, data = os, conf.type = "log-log")
  fut <- summary(fu)$table
  dor <- tte("RSD")
  ae <- adae[adae$USUBJID %in% ids & adae$TRTEMFL %in% "Y" &
               (is.na(adae$ASTDT) | adae$ASTDT <= as.Date(cutoff)), ]
  worst <- aggregate(ASEVN ~ AEDECOD + USUBJID, data = ae, FUN = max)
  terms <- lapply(sort(unique(worst$AEDECOD)), function(term) {
    w <- worst[worst$AEDECOD == term, ]
    list(term = term, any = nrow(w), grade1 = as.integer(sum(w$ASEVN == 1)),
         grade2 = as.integer(sum(w$ASEVN == 2)), grade3 = as.integer(sum(w$ASEVN == 3)))
  })
  per_patient <- aggregate(ASEVN ~ USUBJID, data = ae, FUN = max)
  list(arms = if (is.null(arms)) NULL else A(arms), data_cutoff = cutoff,
       n_patients = N, bor_counts = counts,
       orr = proportion(n_resp, N), dcr = proportion(sum(code %in% c("CR", "PR", "SD")), N),
       pfs = km(tte("PFS")), os = km(os),
       dor = if (nrow(dor)) km(dor) else NULL,
       followup = list(median = unname(fut[["median"]]), ci_low = unname(fut[["0.95LCL"]]),
                       ci_high = unname(fut[["0.95UCL"]])),
       adverse_events = list(n_events = nrow(ae), n_any = nrow(per_patient),
                             n_severe = as.integer(sum(per_patient$ASEVN >= 3)),
                             terms = terms))
}

out <- list(
  meta = list(R = R.version.string, survival = as.character(packageVersion("survival")),
              data = "pharmaverse/pharmaverseadam 2c7db61, subset by pharmaverse/subset.R"),
  r_call = list(
    population = 'adsl[adsl$SAFFL %in% "Y" & adsl$TRT01A %in% arms, ]',
    bor = 'AVALC of adrs[adrs$PARAMCD == "BOR", ] mapped NON-CR/NON-PD -> SD, MISSING -> NE; no record -> NE',
    proportions = "binom.test(n, N)$conf.int",
    km = paste('survfit(Surv(AVAL / 30.4375, 1 - CNSR) ~ 1, conf.type = "log-log") on',
               'adtte[adtte$PARAMCD == p, ]; summary(fit)$table; summary(fit, times = 6)'),
    followup = 'survfit(Surv(AVAL / 30.4375, CNSR) ~ 1, conf.type = "log-log") on OS',
    adverse_events = paste('aggregate(ASEVN ~ AEDECOD + USUBJID, max) over adae with',
                           'TRTEMFL == "Y" and ASTDT <= cutoff (or NA)')),
  scenarios = list(
    pooled = scenario(NULL, "2014-12-31"),
    placebo = scenario("Placebo", "2014-06-30"),
    xanomeline = scenario(c("Xanomeline High Dose", "Xanomeline Low Dose"), "2014-12-31")))
writeLines(to_json(out), file.path(here, "adam_expected.json"))
