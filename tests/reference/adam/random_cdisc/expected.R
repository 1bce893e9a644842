#!/usr/bin/env Rscript
# Outside reference for an ADaM source graded by CTCAE: the numbers computed with R directly
# on the ADaM variables of the random.cdisc.data test data (random_cdisc/*.rds, see
# subset.R), written to expected.json beside this script.
#
#   Rscript tests/reference/adam/random_cdisc/expected.R
#
# Each scenario is a study.yaml `source:` (tests/test_adam_pharmaverse.py builds the same):
# ADSL SAFFL = "Y" (and an arm of TRT01A); BOR from ADRS PARAMCD BESRSPI (no record = NE);
# PFS and OS from ADTTE as given, AVAL in AVALU (DAYS), CNSR = 0 an event; adverse events of
# ADAE with TRTEMFL = "Y" and onset (the date of ASTDTM) on or before the data cutoff, each
# patient counted once per AEDECOD at the highest grade AETOXGR.
suppressPackageStartupMessages(library(survival))
here <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(normalizePath(f)) else normalizePath("tests/reference/adam/random_cdisc")
})
source(file.path(here, "..", "..", "json_writer.R"))
read <- function(name) readRDS(file.path(here, paste0(name, ".rds")))
adsl <- read("adsl"); adrs <- read("adrs"); adtte <- read("adtte"); adae <- read("adae")
stopifnot(all(adtte$AVALU[adtte$PARAMCD %in% c("PFS", "OS")] == "DAYS"))
DAYS_PER_MONTH <- 30.4375

km <- function(d, landmark = 6) {
  fit <- survfit(Surv(AVAL / DAYS_PER_MONTH, 1 - CNSR) ~ 1, data = d, conf.type = "log-log")
  t <- summary(fit)$table
  lm <- summary(fit, times = landmark)
  list(n = nrow(d), n_events = as.integer(sum(d$CNSR == 0)),
       median = unname(t[["median"]]), ci_low = unname(t[["0.95LCL"]]),
       ci_high = unname(t[["0.95UCL"]]),
       landmark = list(months = landmark, estimate = lm$surv, ci_low = lm$lower,
                       ci_high = lm$upper))
}

proportion <- function(n, N) {
  ci <- binom.test(n, N)$conf.int
  list(n = as.integer(n), N = as.integer(N), estimate = n / N, ci_low = ci[1], ci_high = ci[2])
}

scenario <- function(arms, cutoff) {
  pop <- adsl[adsl$SAFFL %in% "Y" & (is.null(arms) | adsl$TRT01A %in% arms), ]
  ids <- pop$USUBJID
  N <- length(ids)
  bor <- adrs[adrs$PARAMCD == "BESRSPI" & adrs$USUBJID %in% ids, c("USUBJID", "AVALC")]
  code <- setNames(rep("NE", N), ids)
  code[bor$USUBJID] <- bor$AVALC
  counts <- lapply(c(CR = "CR", PR = "PR", SD = "SD", PD = "PD", NE = "NE"),
                   function(k) as.integer(sum(code == k)))
  tte <- function(p) adtte[adtte$PARAMCD == p & adtte$USUBJID %in% ids, ]
  os <- tte("OS")
  fu <- survfit(Surv(AVAL / DAYS_PER_MONTH, CNSR) ~ 1, data = os, conf.type = "log-log")
  fut <- summary(fu)$table
  onset <- as.Date(adae$ASTDTM, tz = attr(adae$ASTDTM, "tzone"))
  ae <- adae[adae$USUBJID %in% ids & adae$TRTEMFL %in% "Y" &
               (is.na(onset) | onset <= as.Date(cutoff)), ]
  ae$GRADE <- as.integer(ae$AETOXGR)
  worst <- aggregate(GRADE ~ AEDECOD + USUBJID, data = ae, FUN = max)
  terms <- lapply(sort(unique(worst$AEDECOD)), function(term) {
    w <- worst[worst$AEDECOD == term, ]
    c(list(term = term, any = nrow(w)),
      setNames(lapply(1:5, function(g) as.integer(sum(w$GRADE == g))), paste0("grade", 1:5)))
  })
  per_patient <- aggregate(GRADE ~ USUBJID, data = ae, FUN = max)
  list(arms = if (is.null(arms)) NULL else A(arms), data_cutoff = cutoff,
       n_patients = N, bor_counts = counts,
       orr = proportion(sum(code %in% c("CR", "PR")), N),
       dcr = proportion(sum(code %in% c("CR", "PR", "SD")), N),
       pfs = km(tte("PFS")), os = km(os),
       followup = list(median = unname(fut[["median"]]), ci_low = unname(fut[["0.95LCL"]]),
                       ci_high = unname(fut[["0.95UCL"]])),
       adverse_events = list(n_events = nrow(ae), n_any = nrow(per_patient),
                             n_grade3plus = as.integer(sum(per_patient$GRADE >= 3)),
                             max_grade = max(per_patient$GRADE), terms = terms))
}

out <- list(
  meta = list(R = R.version.string, survival = as.character(packageVersion("survival")),
              data = "insightsengineering/random.cdisc.data 52ce749, subset by subset.R"),
  r_call = list(
    population = 'adsl[adsl$SAFFL %in% "Y" & adsl$TRT01A %in% arms, ]',
    bor = 'AVALC of adrs[adrs$PARAMCD == "BESRSPI", ]; no record -> NE',
    proportions = "binom.test(n, N)$conf.int",
    km = paste('survfit(Surv(AVAL / 30.4375, 1 - CNSR) ~ 1, conf.type = "log-log") on',
               'adtte[adtte$PARAMCD == p, ]; summary(fit)$table; summary(fit, times = 6)'),
    followup = 'survfit(Surv(AVAL / 30.4375, CNSR) ~ 1, conf.type = "log-log") on OS',
    adverse_events = paste('aggregate(as.integer(AETOXGR) ~ AEDECOD + USUBJID, max) over adae',
                           'with TRTEMFL == "Y" and as.Date(ASTDTM) <= cutoff (or NA)')),
  scenarios = list(
    pooled = scenario(NULL, "2022-06-30"),
    drug_x = scenario("A: Drug X", "2023-12-31")))
writeLines(to_json(out), file.path(here, "expected.json"))
