#!/usr/bin/env Rscript
# The random.cdisc.data ADaM test data (a second public sponsor-style set, the one R tern's
# examples use) cut down to the variables the ADaM-source tests read and saved with
# saveRDS() beside this script (base R only).
#
#   Rscript tests/reference/adam/random_cdisc/subset.R PATH/TO/random.cdisc.data/data
#
# Source: github.com/insightsengineering/random.cdisc.data (Apache License 2.0), data/*.RData
# at commit 52ce749 (version 0.3.16.9006): cadsl (400 patients, three arms, SAFFL = Y),
# cadrs, cadtte, cadae. Unlike the pharmaverse set: ADSL has the treatment start only as a
# date-time (TRTSDTM, no TRTSDT), ADAE's onset only as ASTDTM, ADTTE has AVALU (DAYS), the
# best overall response is PARAMCD BESRSPI, and the grade is AETOXGR (CTCAE 1-5).
args <- commandArgs(trailingOnly = TRUE)
src <- if (length(args)) args[1] else "random.cdisc.data/data"
here <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(normalizePath(f)) else "tests/reference/adam/random_cdisc"
})
take <- function(name, vars) {
  e <- new.env()
  load(file.path(src, paste0(name, ".RData")), envir = e)
  d <- as.data.frame(get(ls(e)[1], envir = e))[, vars]
  rownames(d) <- NULL
  for (v in names(d)) {
    attr(d[[v]], "label") <- NULL
    if (is.factor(d[[v]])) d[[v]] <- as.character(d[[v]])
  }
  d
}
out <- list(
  adsl = take("cadsl", c("STUDYID", "USUBJID", "SITEID", "SAFFL", "ARM", "TRT01A", "TRTSDTM",
                         "TRTEDTM", "DTHDT", "LSTALVDT", "EOSSTT", "AGE", "SEX")),
  adrs = take("cadrs", c("STUDYID", "USUBJID", "PARAMCD", "PARAM", "AVALC", "ADTM", "AVISIT")),
  adtte = take("cadtte", c("STUDYID", "USUBJID", "PARAMCD", "PARAM", "AVAL", "AVALU", "CNSR")),
  adae = take("cadae", c("STUDYID", "USUBJID", "AESEQ", "AEDECOD", "ASTDTM", "TRTEMFL",
                         "AETOXGR")))
for (name in names(out)) saveRDS(out[[name]], file.path(here, paste0(name, ".rds")))
