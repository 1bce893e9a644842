#!/usr/bin/env Rscript
# The pharmaverse ADaM test data the ADaM-source tests use, cut down to the variables and
# parameters they read and saved with saveRDS() beside this script (base R only).
#
#   Rscript tests/reference/adam/pharmaverse/subset.R PATH/TO/pharmaverseadam/data
#
# Source: github.com/pharmaverse/pharmaverseadam (Apache License 2.0), data/*.rda at
# commit 2c7db61 (version 1.3.0.9004): adsl (the CDISC pilot's 306 subjects, three arms
# and screen failures), adrs_onco, adtte_onco, adae, adtr_onco. Rows are kept whole; only
# these variables are kept, and of ADRS only the parameters BOR, CBOR and OVR.
args <- commandArgs(trailingOnly = TRUE)
src <- if (length(args)) args[1] else "pharmaverseadam/data"
here <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(normalizePath(f)) else "tests/reference/adam/pharmaverse"
})
take <- function(name, vars, rows = TRUE) {
  e <- new.env()
  load(file.path(src, paste0(name, ".rda")), envir = e)
  d <- get(ls(e)[1], envir = e)
  d <- d[rows(d), vars]
  rownames(d) <- NULL
  for (v in names(d)) attr(d[[v]], "label") <- NULL
  d
}
all_rows <- function(d) rep(TRUE, nrow(d))
out <- list(
  adsl = take("adsl", c("STUDYID", "USUBJID", "SUBJID", "SITEID", "SAFFL", "ARM", "TRT01A",
                        "TRTSDT", "TRTEDT", "TRTDURD", "DTHDT", "DTHFL", "LSTALVDT", "EOSSTT",
                        "AGE", "AGEGR1", "SEX", "RACE", "ETHNIC"), all_rows),
  adrs = take("adrs_onco", c("STUDYID", "USUBJID", "PARAMCD", "PARAM", "AVALC", "AVAL", "ADT",
                             "AVISIT", "ANL01FL", "ANL02FL"),
              function(d) d$PARAMCD %in% c("BOR", "CBOR", "OVR")),
  adtte = take("adtte_onco", c("STUDYID", "USUBJID", "PARAMCD", "PARAM", "AVAL", "CNSR",
                               "STARTDT", "ADT", "EVNTDESC", "CNSDTDSC"), all_rows),
  adae = take("adae", c("STUDYID", "USUBJID", "AESEQ", "AETERM", "AEDECOD", "AEBODSYS",
                        "ASTDT", "TRTEMFL", "AESEV", "ASEV", "ASEVN", "AESER", "AREL"),
              all_rows),
  adtr = take("adtr_onco", c("STUDYID", "USUBJID", "PARAMCD", "PARAM", "AVAL", "ADT",
                             "AVISIT", "ANL01FL", "TRLNKID", "TRGRPID", "TULOC", "TRTESTCD"),
              all_rows)
)
for (name in names(out)) saveRDS(out[[name]], file.path(here, paste0(name, ".rds")))
