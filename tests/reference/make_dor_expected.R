#!/usr/bin/env Rscript
# Duration of response of a generated study (tests/reference/dor/study, written by
# nps_report.synthetic.write_study(folder, 120, seed=5)), computed in R from the study's
# own dates: for each responder of dor/responders.csv (the first documented CR/PR as
# nps-report's RECIST derivation dates it), from first response to progression or death,
# else censored at the last post-baseline scan; months = days / 30.4375.
#
#   Rscript tests/reference/make_dor_expected.R
suppressPackageStartupMessages(library(survival))
get_script_dir <- function() {
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(normalizePath(f)) else normalizePath("tests/reference")
}
REF_DIR <- get_script_dir()
source(file.path(REF_DIR, "json_writer.R"))
DIR <- file.path(REF_DIR, "dor")
pat <- read.csv(file.path(DIR, "study", "patients.csv"), stringsAsFactors = FALSE)
scans <- read.csv(file.path(DIR, "study", "tumor_assessments.csv"), stringsAsFactors = FALSE)
resp <- read.csv(file.path(DIR, "responders.csv"), stringsAsFactors = FALSE)
cutoff <- as.Date("2024-06-30")
d <- function(x) as.Date(ifelse(x == "" | is.na(x), NA, x))
rows <- lapply(seq_len(nrow(resp)), function(i) {
  id <- resp$patient_id[i]
  p <- pat[pat$patient_id == id, ]
  start <- d(p$treatment_start)
  ev <- c(d(p$progression_date), d(p$death_date))
  ev <- ev[!is.na(ev) & ev <= cutoff]
  s <- d(scans$assessment_date[scans$patient_id == id])
  post <- s[s > start & s <= cutoff]
  end <- if (length(ev)) min(ev) else max(post)
  data.frame(months = as.numeric(end - d(resp$first_response_date[i])) / 30.4375,
             status = as.integer(length(ev) > 0))
})
dor <- do.call(rbind, rows)
call <- 'survfit(Surv(months, status) ~ 1, data = dor, conf.type = "log-log", conf.int = 0.95)'
fit <- eval(parse(text = call))
tab <- summary(fit)$table
out <- list(
  meta = list(r_version = R.version.string,
              survival = as.character(packageVersion("survival"))),
  r_call = call,
  n = nrow(dor), n_events = sum(dor$status), n_censored = sum(1 - dor$status),
  median = unname(tab[["median"]]), ci_low = unname(tab[["0.95LCL"]]),
  ci_high = unname(tab[["0.95UCL"]]))
writeLines(to_json(out), file.path(DIR, "r_expected.json"))
