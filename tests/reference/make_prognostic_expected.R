#!/usr/bin/env Rscript
# Outside reference for nps-report's prognostic-factor analysis: Cox models, log-rank
# tests, the proportional-hazards test, response by factor and Fisher exact tests,
# computed with R / survival and written to prognostic_expected.json.
#
#   python tests/reference/make_prognostic_datasets.py
#   Rscript tests/reference/make_prognostic_expected.R
#
# Also writes prognostic/veteran.csv from survival::veteran (the R call is below).
# Every block of numbers carries the R call that made it (r_call).

suppressPackageStartupMessages(library(survival))

get_script_dir <- function() {
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(normalizePath(f)) else normalizePath("tests/reference")
}
REF_DIR <- get_script_dir()
source(file.path(REF_DIR, "json_writer.R"))
PROG_DIR <- file.path(REF_DIR, "prognostic")
OUT_FILE <- file.path(REF_DIR, "prognostic_expected.json")
DAYS_PER_MONTH <- 30.4375
EXTRA_LEVELS <- list(n60_heavy_ties = 0.90)   # datasets also analysed at another ci.level

# ------------------------------------------------------------------ veteran
VETERAN_CALL <- paste(
  "v <- survival::veteran; data.frame(patient_id = sprintf('V%03d', seq_len(nrow(v))),",
  "os_days = v$time, os_event = v$status, celltype = as.character(v$celltype),",
  "trt = ifelse(v$trt == 1, 'standard', 'test'), prior = ifelse(v$prior == 10, 'yes', 'no'),",
  "karno = v$karno, age = v$age, diagtime = v$diagtime)")
v <- survival::veteran
vet <- data.frame(patient_id = sprintf("V%03d", seq_len(nrow(v))),
                  os_days = v$time, os_event = v$status,
                  celltype = as.character(v$celltype),
                  trt = ifelse(v$trt == 1, "standard", "test"),
                  prior = ifelse(v$prior == 10, "yes", "no"),
                  karno = v$karno, age = v$age, diagtime = v$diagtime)
write.csv(vet, file.path(PROG_DIR, "veteran.csv"), row.names = FALSE, quote = FALSE)

# ------------------------------------------------------------------ helpers
quietly <- function(expr) {
  # evaluate, keeping R's warnings (e.g. "coefficient may be infinite") as data
  msgs <- character(0)
  value <- withCallingHandlers(
    tryCatch(expr, error = function(e) structure(conditionMessage(e), class = "r_error")),
    warning = function(w) { msgs <<- c(msgs, conditionMessage(w)); invokeRestart("muffleWarning") })
  list(value = value, warnings = msgs)
}

infinite_coefs <- function(fit, warnings) {
  # coxph's warning names the variables by position: "Loglik converged before variable  2 ; ..."
  hits <- regmatches(warnings, regexpr("variable +[0-9 ,]+", warnings))
  idx <- as.integer(unlist(strsplit(gsub("variable +", "", hits), "[ ,]+")))
  idx <- idx[!is.na(idx)]
  if (length(idx) == 0) character(0) else names(coef(fit))[idx]
}

read_dataset <- function(name, factors) {
  d <- read.csv(file.path(PROG_DIR, paste0(name, ".csv")), colClasses = "character",
                na.strings = "")
  for (col in grep("_(days|event)$", names(d), value = TRUE)) d[[col]] <- as.numeric(d[[col]])
  for (i in seq_len(nrow(factors))) {
    f <- factors[i, ]
    if (f$kind == "continuous") d[[f$column]] <- as.numeric(d[[f$column]])
    else d[[f$column]] <- factor(d[[f$column]], levels = strsplit(f$levels, "|", fixed = TRUE)[[1]])
  }
  d
}

coef_rows <- function(fit, s, factors, d) {
  cf <- s$coefficients
  ci <- s$conf.int
  rows <- list()
  for (i in seq_len(nrow(factors))) {
    f <- factors[i, ]
    lv <- if (f$kind == "continuous") NA_character_ else levels(d[[f$column]])[-1]
    for (l in lv) {
      nm <- if (is.na(l)) f$column else paste0(f$column, l)
      have <- nm %in% rownames(cf) && !is.na(cf[nm, "coef"])
      sel <- if (is.na(l)) rep(TRUE, nrow(d)) else (!is.na(d[[f$column]]) & d[[f$column]] == l)
      rows[[length(rows) + 1]] <- list(
        factor = f$column, level = if (is.na(l)) NULL else l,
        reference = if (is.na(l)) NULL else levels(d[[f$column]])[1],
        n = as.integer(sum(sel)), n_events = as.integer(sum(d$.e[sel])),
        coef = if (have) cf[nm, "coef"] else NA_real_,
        hr = if (have) cf[nm, "exp(coef)"] else NA_real_,
        se = if (have) cf[nm, "se(coef)"] else NA_real_,
        ci_low = if (have) ci[nm, 3] else NA_real_,
        ci_high = if (have) ci[nm, 4] else NA_real_,
        p = if (have) cf[nm, "Pr(>|z|)"] else NA_real_)
    }
  }
  rows
}

zph_rows <- function(fit) {
  z <- quietly(cox.zph(fit, transform = "km", terms = TRUE, global = TRUE))
  if (inherits(z$value, "r_error")) return(list(r_error = as.character(z$value)))
  tab <- z$value$table
  lapply(seq_len(nrow(tab)), function(i) list(term = rownames(tab)[i], chisq = tab[i, "chisq"],
                                              df = as.integer(tab[i, "df"]), p = tab[i, "p"]))
}

term_wald <- function(fit) {
  # Wald test of each term (all its coefficients together): b' V^-1 b
  out <- list()
  for (term in names(fit$assign)) {
    j <- fit$assign[[term]]
    b <- coef(fit)[j]
    ok <- !is.na(b)
    V <- vcov(fit)[j, j, drop = FALSE][ok, ok, drop = FALSE]
    chisq <- if (any(ok)) drop(t(b[ok]) %*% solve(V, b[ok])) else NA_real_
    out[[term]] <- list(chisq = chisq, df = as.integer(sum(ok)),
                        p = pchisq(chisq, sum(ok), lower.tail = FALSE))
  }
  out
}

cox_block <- function(d, factors, cl, call) {
  form <- as.formula(paste("Surv(.t, .e) ~", paste(factors$column, collapse = " + ")))
  res <- quietly(coxph(form, data = d, ties = "efron"))
  fit <- res$value
  s <- summary(fit, conf.int = cl)
  list(r_call = call, n = as.integer(nrow(d)), n_events = as.integer(sum(d$.e)),
       r_warnings = A(res$warnings), r_infinite = A(infinite_coefs(fit, res$warnings)),
       rows = coef_rows(fit, s, factors, d), wald = term_wald(fit), zph = zph_block(fit, form, d))
}

zph_block <- function(fit, form, d) {
  call <- "cox.zph(fit, transform = \"km\", terms = TRUE, global = TRUE)$table"
  if (any(is.na(coef(fit)))) {
    # survival 3.5.3's cox.zph fails on NA coefficients (a level without patients):
    # test the same model without the empty level, which is the model nps-report fits
    fit <- coxph(form, data = droplevels(d), ties = "efron")
    call <- paste("fit <- coxph(..., data = droplevels(d), ties = \"efron\");", call)
  }
  list(r_call = call, table = zph_rows(fit))
}

logrank_block <- function(d, f) {
  form <- as.formula(paste("Surv(.t, .e) ~", f))
  res <- quietly(survdiff(form, data = d, rho = 0))
  if (inherits(res$value, "r_error")) return(list(r_error = as.character(res$value)))
  sd <- res$value
  df <- sum(sd$exp > 0) - 1
  list(r_call = sprintf("sd <- survdiff(Surv(months, event) ~ %s, data = d, rho = 0); sd$chisq; df = sum(sd$exp > 0) - 1; pchisq(sd$chisq, df, lower.tail = FALSE)", f),
       chisq = sd$chisq, df = as.integer(df), p = pchisq(sd$chisq, df, lower.tail = FALSE),
       observed = A(unname(sd$obs)), expected = A(unname(sd$exp)))
}

km_block <- function(d, f, cl) {
  fit <- survfit(as.formula(paste("Surv(.t, .e) ~", f)), data = d, conf.type = "log-log",
                 conf.int = cl)
  tab <- summary(fit)$table
  if (is.null(dim(tab))) tab <- t(as.matrix(tab))
  out <- list(r_call = sprintf("summary(survfit(Surv(months, event) ~ %s, data = d, conf.type = \"log-log\", conf.int = %s))$table", f, cl))
  lv <- sub(paste0("^", f, "="), "", rownames(tab))
  for (i in seq_along(lv)) out[[lv[i]]] <- list(
    n = as.integer(tab[i, "records"]), n_events = as.integer(tab[i, "events"]),
    median = unname(tab[i, "median"]), lower = unname(tab[i, paste0(cl, "LCL")]),
    upper = unname(tab[i, paste0(cl, "UCL")]))
  out
}

response_block <- function(d, factors, cl) {
  resp <- d$bor %in% c("CR", "PR")
  out <- list()
  for (i in seq_len(nrow(factors))) {
    f <- factors[i, ]
    if (f$kind == "continuous") next
    keep <- !is.na(d[[f$column]])
    tab <- table(d[[f$column]][keep], factor(resp[keep], levels = c(TRUE, FALSE)))
    with_patients <- sum(rowSums(tab) > 0)
    p <- if (with_patients >= 2) fisher.test(tab)$p.value else NA_real_
    lv <- list()
    for (l in rownames(tab)) {
      x <- as.integer(tab[l, "TRUE"]); n <- as.integer(sum(tab[l, ]))
      ci <- if (n > 0) binom.test(x, n, conf.level = cl)$conf.int else c(NA_real_, NA_real_)
      lv[[length(lv) + 1]] <- list(level = l, n = n, responders = x,
                                   estimate = if (n > 0) x / n else NA_real_,
                                   ci_low = ci[1], ci_high = ci[2])
    }
    out[[f$column]] <- list(
      r_call = sprintf("tab <- table(d$%s, factor(d$bor %%in%% c('CR', 'PR'), levels = c(TRUE, FALSE))); fisher.test(tab)$p.value (if >= 2 levels have patients); binom.test(x, n, conf.level = %s)$conf.int per level", f$column, cl),
      levels_with_patients = as.integer(with_patients), fisher_p = p, levels = lv)
  }
  out
}

endpoint_block <- function(d, factors, ep, cl) {
  d$.t <- d[[paste0(ep, "_days")]] / DAYS_PER_MONTH
  d$.e <- d[[paste0(ep, "_event")]]
  uni <- list(); lr <- list(); km <- list()
  for (i in seq_len(nrow(factors))) {
    f <- factors[i, ]
    sub <- d[!is.na(d[[f$column]]), ]
    call <- sprintf("sub <- d[!is.na(d$%s), ]; fit <- coxph(Surv(months, event) ~ %s, data = sub, ties = \"efron\"); s <- summary(fit, conf.int = %s)", f$column, f$column, cl)
    uni[[f$column]] <- cox_block(sub, f, cl, call)
    if (f$kind != "continuous") {
      lr[[f$column]] <- logrank_block(sub, f$column)
      km[[f$column]] <- km_block(sub, f$column, cl)
    }
  }
  mv <- factors[factors$multivariable == 1, ]
  cc <- d[complete.cases(d[, mv$column, drop = FALSE]), ]
  mcall <- sprintf("cc <- d[complete.cases(d[, c(%s)]), ]; fit <- coxph(Surv(months, event) ~ %s, data = cc, ties = \"efron\"); s <- summary(fit, conf.int = %s)",
                   paste0("'", mv$column, "'", collapse = ", "), paste(mv$column, collapse = " + "), cl)
  list(univariable = uni, logrank = lr, km = km, multivariable = cox_block(cc, mv, cl, mcall))
}

# ------------------------------------------------------------------ Fisher tables
FISHER_TABLES <- list(
  matrix(c(3, 1, 1, 3), 2), matrix(c(2, 2, 2, 2), 2), matrix(c(10, 0, 0, 10), 2),
  matrix(c(0, 5, 6, 0), 2), matrix(c(1, 2, 3, 3, 2, 1), 2), matrix(c(5, 0, 2, 0, 3, 2), 3),
  matrix(c(2, 2, 2, 2, 2, 2, 2, 2, 2), 3), matrix(c(4, 1, 0, 2, 0, 3, 1, 5), 4),
  matrix(c(1, 8, 5, 4, 4, 2, 2, 5, 3, 3, 4, 3, 1, 0, 10, 1, 4, 0, 0, 0, 0), 3, byrow = FALSE),
  matrix(c(12, 5, 9, 7, 3, 14, 6, 11), 4), matrix(c(30, 22, 41, 18, 9, 27, 35, 12, 20, 26), 5),
  matrix(c(0, 0, 3, 4, 5, 6), 3))
set.seed(20250115)
for (k in 1:8) {
  nr <- sample(2:5, 1); nc <- sample(2:3, 1)
  FISHER_TABLES[[length(FISHER_TABLES) + 1]] <- matrix(sample(0:7, nr * nc, replace = TRUE), nr)
}
fisher_block <- lapply(FISHER_TABLES, function(m) list(
  r_call = sprintf("fisher.test(matrix(c(%s), %d))$p.value", paste(as.integer(m), collapse = ", "), nrow(m)),
  nrow = as.integer(nrow(m)), ncol = as.integer(ncol(m)),
  column_major = A(as.integer(m)), p = fisher.test(m)$p.value))

# ------------------------------------------------------------------ main
manifest <- read.csv(file.path(PROG_DIR, "factors.csv"), colClasses = "character")
manifest$multivariable <- as.integer(manifest$multivariable)
datasets <- list()
for (name in unique(manifest$dataset)) {
  factors <- manifest[manifest$dataset == name, ]
  d <- read_dataset(name, factors)
  eps <- intersect(c("pfs", "os"), sub("_days$", "", grep("_days$", names(d), value = TRUE)))
  levels_ <- c(0.95, EXTRA_LEVELS[[name]])
  block <- list(file = paste0("prognostic/", name, ".csv"),
                r_call_data = sprintf("d <- read.csv(\"prognostic/%s.csv\", colClasses = \"character\", na.strings = \"\"); numbers as.numeric, factors factor(x, levels = <manifest levels>); months = days / %s", name, DAYS_PER_MONTH),
                n = as.integer(nrow(d)), endpoints = A(eps), conf_levels = A(sprintf("%.2f", levels_)))
  if (name == "veteran") block$r_call_export <- VETERAN_CALL
  for (cl in levels_) {
    key <- sprintf("%.2f", cl)
    block[[key]] <- list()
    for (ep in eps) block[[key]][[ep]] <- endpoint_block(d, factors, ep, cl)
    if ("bor" %in% names(d)) block[[key]]$response <- response_block(d, factors, cl)
  }
  datasets[[name]] <- block
}

out <- list(
  meta = list(
    generator = "tests/reference/make_prognostic_expected.R",
    r_version = R.version.string,
    survival_version = as.character(packageVersion("survival")),
    time_unit = "months", days_per_month = DAYS_PER_MONTH,
    notes = list(
      "null means NA/NaN/Inf in R.",
      "rows[].coef etc. are summary(fit)$coefficients and $conf.int; a level without patients has coef NA (R drops its column).",
      "r_infinite names the coefficients of R's 'Loglik converged before variable ...; coefficient may be infinite' warning: R's numbers there are where its iterations stopped, and nps-report reports them as not estimable (null).",
      "logrank df is print.survdiff's: groups with expected events > 0, minus 1.",
      "response fisher_p is fisher.test on the levels x (responder, non-responder) table; null when fewer than two levels have patients (nps-report reports no test there; R's fisher.test on such a table gives 1).",
      "km medians and limits are survfit log-log, only for levels with patients.")),
  datasets = datasets,
  fisher_tables = fisher_block)
writeLines(to_json(out), OUT_FILE, useBytes = TRUE)
cat("wrote", OUT_FILE, "\n")
