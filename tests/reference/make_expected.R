#!/usr/bin/env Rscript
# Outside reference for nps-report: Kaplan-Meier and proportion statistics
# computed with R / survival, written to r_expected.json (next to this file).
#
#   python tests/reference/make_datasets.py && Rscript tests/reference/make_expected.R
#
# No jsonlite dependency: JSON is written by the small serializer in json_writer.R, with
# every double printed as sprintf("%.17g") (round-trips exactly to a Python
# float).  NA / NaN / Inf are written as null.

suppressPackageStartupMessages(library(survival))

# ---------------------------------------------------------------- locations
get_script_dir <- function() {
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(normalizePath(f)) else normalizePath("tests/reference")
}
REF_DIR <- get_script_dir()
KM_DIR <- file.path(REF_DIR, "km")
OUT_FILE <- file.path(REF_DIR, "r_expected.json")

DAYS_PER_MONTH <- 30.4375
CONF_TYPES <- c("log-log", "log", "plain")
EXTRA_CONF_90 <- c("n30_moderate", "n200_ties30")   # datasets also fitted at 0.90
LANDMARKS <- c(6, 12)
TICK_STEP <- 3

# ---------------------------------------------------------------- JSON writer
source(file.path(REF_DIR, "json_writer.R"))  # A(), to_json(): shared with the other scripts

num_or_null <- function(v) if (length(v) == 0) NA_real_ else unname(v)
lvl_key <- function(ci) sprintf("%.2f", ci)

# --------------------------------------------------------- symmetric median CI
# Symmetric ("Collett" / SPSS-style) confidence interval for the median
# survival time.  This is NOT what survival::survfit reports; it is computed
# here by hand with exactly this definition:
#   median +/- z * SE(median),  z = qnorm(1 - (1 - conf.int) / 2)
#   SE(median) = SE(S(median)) / f
#   f = (S(u) - S(l)) / (l - u)
#   u = the largest event time with S(t) >= 0.55
#   l = the smallest event time with S(t) <= 0.45
#   SE(S(median)) = Greenwood SE of S at the median time, read from the
#     right-continuous KM step function, i.e. surv * std.err at the last curve
#     time (events or censorings) <= median.
#   median = summary(fit)$table[["median"]]
# Everything is null if any ingredient is missing (median not reached, no u,
# no l, f == 0, non-finite SE).  Plain floating point comparisons are used for
# the 0.55 / 0.45 thresholds (a "near_threshold" flag is recorded if any event
# S(t) lies within 1e-9 of either threshold).
symmetric_median_ci <- function(fit, conf.int) {
  z <- qnorm(1 - (1 - conf.int) / 2)
  med <- unname(summary(fit)$table[["median"]])
  ev <- fit$n.event > 0
  et <- fit$time[ev]
  es <- fit$surv[ev]
  near <- any(abs(es - 0.55) < 1e-9 | abs(es - 0.45) < 1e-9)
  u <- if (any(es >= 0.55)) max(et[es >= 0.55]) else NA_real_
  l <- if (any(es <= 0.45)) min(et[es <= 0.45]) else NA_real_
  s_u <- if (is.na(u)) NA_real_ else es[et == u][1]
  s_l <- if (is.na(l)) NA_real_ else es[et == l][1]
  f <- if (is.na(u) || is.na(l)) NA_real_ else (s_u - s_l) / (l - u)
  se_s <- NA_real_
  if (!is.na(med)) {
    idx <- max(which(fit$time <= med))
    se_s <- fit$surv[idx] * fit$std.err[idx]
  }
  ok <- !is.na(med) && !is.na(f) && f != 0 && is.finite(se_s)
  se_med <- if (ok) se_s / f else NA_real_
  list(
    median = med,
    lower = if (ok) med - z * se_med else NA_real_,
    upper = if (ok) med + z * se_med else NA_real_,
    se_median = se_med,
    se_surv_at_median = se_s,
    u = u, s_u = s_u, l = l, s_l = s_l, f = f, z = z,
    near_threshold = near
  )
}

# ------------------------------------------------------------------ KM part
landmark_block <- function(fit, extend) {
  out <- vector("list", length(LANDMARKS))   # NULL entries are written as null
  names(out) <- as.character(LANDMARKS)
  # With extend = FALSE, summary.survfit *errors* ("no points selected ...")
  # if every requested time is beyond the last observed time: all null then.
  s <- tryCatch(summary(fit, times = LANDMARKS, extend = extend), error = function(e) NULL)
  if (is.null(s)) return(out)
  for (k in seq_along(LANDMARKS)) {
    i <- which(abs(s$time - LANDMARKS[k]) < 1e-12)
    if (length(i) == 1) out[[k]] <- list(
      surv = s$surv[i], std_err_surv = s$std.err[i],
      lower = s$lower[i], upper = s$upper[i],
      n_risk = as.integer(s$n.risk[i]), n_event_in_interval = as.integer(s$n.event[i])
    )
  }
  out
}

km_reference <- function(name) {
  path <- file.path(KM_DIR, paste0(name, ".csv"))
  d <- read.csv(path)
  stopifnot(identical(names(d), c("time_days", "status")))
  d$months <- d$time_days / DAYS_PER_MONTH

  fit0 <- survfit(Surv(months, status) ~ 1, data = d)   # default: log, 0.95
  gse <- fit0$surv * fit0$std.err

  curve <- list(
    r_call = "fit <- survfit(Surv(months, status) ~ 1, data = d); fit$time, fit$n.risk, fit$n.event, fit$n.censor, fit$surv, fit$std.err; greenwood_se = fit$surv * fit$std.err",
    time = A(fit0$time), n_risk = A(as.integer(fit0$n.risk)),
    n_event = A(as.integer(fit0$n.event)), n_censor = A(as.integer(fit0$n.censor)),
    surv = A(fit0$surv), std_err_cumhaz = A(fit0$std.err), greenwood_se = A(gse)
  )

  ticks <- seq(0, max(d$months), by = TICK_STEP)
  sr <- summary(fit0, times = ticks, extend = TRUE)
  stopifnot(length(sr$n.risk) == length(ticks))
  at_risk <- list(
    r_call = "ticks <- seq(0, max(months), by = 3); summary(fit, times = ticks, extend = TRUE)$n.risk",
    ticks = A(ticks), n_risk = A(as.integer(sr$n.risk))
  )

  levels <- c(0.95, if (name %in% EXTRA_CONF_90) 0.90)
  fits <- list()
  for (ct in CONF_TYPES) {
    fits[[ct]] <- list()
    for (ci in levels) {
      fit <- survfit(Surv(months, status) ~ 1, data = d, conf.type = ct, conf.int = ci)
      stopifnot(isTRUE(all.equal(fit$surv, fit0$surv)), isTRUE(all.equal(fit$std.err, fit0$std.err)))
      tab <- summary(fit)$table
      lcl <- paste0(ci, "LCL"); ucl <- paste0(ci, "UCL")
      stopifnot(lcl %in% names(tab), ucl %in% names(tab))
      call <- sprintf("fit <- survfit(Surv(months, status) ~ 1, data = d, conf.type = \"%s\", conf.int = %s)", ct, ci)
      fits[[ct]][[lvl_key(ci)]] <- list(
        r_call = call,
        median = list(
          r_call = sprintf("summary(fit)$table[c(\"median\", \"%s\", \"%s\")]", lcl, ucl),
          estimate = unname(tab[["median"]]), lower = unname(tab[[lcl]]), upper = unname(tab[[ucl]])
        ),
        landmarks = list(
          r_call = "summary(fit, times = c(6, 12), extend = FALSE); std.err there is the SE of S (Greenwood)",
          extend_false = landmark_block(fit, FALSE),
          r_call_extend_true = "summary(fit, times = c(6, 12), extend = TRUE)",
          extend_true_info_only = landmark_block(fit, TRUE)
        ),
        curve_lower = A(fit$lower), curve_upper = A(fit$upper)
      )
    }
  }

  sym <- list(definition = paste(
    "median +/- z*SE(median); SE(median) = SE(S(median))/f; f = (S(u)-S(l))/(l-u);",
    "u = largest event time with S >= 0.55; l = smallest event time with S <= 0.45;",
    "SE(S(median)) = surv*std.err at last curve time <= median; null if any ingredient missing"))
  for (ci in levels) sym[[lvl_key(ci)]] <- symmetric_median_ci(fit0, ci)

  rfit <- survfit(Surv(months, 1 - status) ~ 1, data = d, conf.type = "log-log", conf.int = 0.95)
  rtab <- summary(rfit)$table
  rev_km <- list(
    r_call = "rfit <- survfit(Surv(months, 1 - status) ~ 1, data = d, conf.type = \"log-log\", conf.int = 0.95); summary(rfit)$table[c(\"median\", \"0.95LCL\", \"0.95UCL\")]",
    median = unname(rtab[["median"]]), lower = unname(rtab[["0.95LCL"]]), upper = unname(rtab[["0.95UCL"]])
  )

  tab0 <- summary(fit0)$table
  list(
    file = paste0("km/", name, ".csv"),
    r_call_data = sprintf("d <- read.csv(\"%s\"); d$months <- d$time_days / %s", paste0("km/", name, ".csv"), DAYS_PER_MONTH),
    n = as.integer(nrow(d)),
    n_events = as.integer(sum(d$status)),
    n_censored = as.integer(sum(1 - d$status)),
    table_n = unname(tab0[["records"]]), table_events = unname(tab0[["events"]]),
    max_time_months = max(d$months),
    conf_levels = A(lvl_key(levels)),
    curve = curve,
    at_risk = at_risk,
    fits = fits,
    symmetric_median_ci = sym,
    reverse_km_followup = rev_km
  )
}

# ---------------------------------------------------------- proportions part
PROP_CASES <- list(c(0, 5), c(1, 5), c(4, 30), c(22, 30), c(30, 30), c(7, 12), c(250, 500), c(1, 1))
PROP_LEVELS <- c(0.95, 0.90)

prop_reference <- function(x, n, cl) {
  p <- x / n
  cp <- binom.test(x, n, conf.level = cl)$conf.int
  wi <- suppressWarnings(prop.test(x, n, conf.level = cl, correct = FALSE))$conf.int
  z <- qnorm(1 - (1 - cl) / 2)
  half <- z * sqrt(p * (1 - p) / n)
  tt <- tryCatch(t.test(c(rep(1, x), rep(0, n - x)), conf.level = cl)$conf.int,
                 error = function(e) conditionMessage(e))
  t_ok <- is.numeric(tt)
  list(
    x = as.integer(x), n = as.integer(n), conf_level = cl, estimate = p,
    clopper_pearson = list(r_call = sprintf("binom.test(%d, %d, conf.level = %s)$conf.int", x, n, cl),
                           lower = cp[1], upper = cp[2]),
    wilson = list(r_call = sprintf("prop.test(%d, %d, conf.level = %s, correct = FALSE)$conf.int", x, n, cl),
                  lower = wi[1], upper = wi[2]),
    wald = list(r_call = sprintf("p <- %d/%d; p + c(-1, 1) * qnorm(1 - (1 - %s)/2) * sqrt(p * (1 - p) / %d), then clipped to [0, 1] (clipping is a convention)", x, n, cl, n),
                lower = max(0, p - half), upper = min(1, p + half),
                lower_unclipped = p - half, upper_unclipped = p + half),
    t = list(r_call = sprintf("t.test(c(rep(1, %d), rep(0, %d)), conf.level = %s)$conf.int", x, n - x, cl),
             lower = if (t_ok) tt[1] else NA_real_, upper = if (t_ok) tt[2] else NA_real_,
             r_error = if (!t_ok) tt else if (any(!is.finite(tt)))
               "no error raised: t.test returned conf.int c(NaN, NaN) (all values 0, sd 0)" else NA_character_)
  )
}

# --------------------------------------------------------------------- main
names_km <- sort(sub("\\.csv$", "", list.files(KM_DIR, pattern = "\\.csv$")))
km <- list()
for (nm in names_km) km[[nm]] <- km_reference(nm)

props <- list()
for (cl in PROP_LEVELS) for (cs in PROP_CASES) props[[length(props) + 1]] <- prop_reference(cs[1], cs[2], cl)

out <- list(
  meta = list(
    generator = "tests/reference/make_expected.R",
    r_version = R.version.string,
    survival_version = as.character(packageVersion("survival")),
    time_unit = "months",
    days_per_month = DAYS_PER_MONTH,
    conf_types = A(CONF_TYPES),
    landmarks_months = A(LANDMARKS),
    at_risk_tick_step_months = TICK_STEP,
    notes = list(
      "All times are months = time_days / 30.4375.",
      "null means NA/NaN/Inf in R (e.g. median or limit not reached; landmark beyond the last observed time with extend = FALSE; Greenwood SE where S = 0).",
      "curve.std_err_cumhaz is survfit's $std.err (SE of the cumulative hazard / log S); curve.greenwood_se = surv * std.err is the SE of S.",
      "landmarks.*.std_err_surv comes from summary.survfit, whose std.err IS the SE of S (not of log S).",
      "fits[conf_type][level] share curve/at_risk/symmetric CI; only curve_lower/curve_upper and the median/landmark limits depend on conf_type.",
      "landmarks.extend_true_info_only is for information only; the reference semantics are extend_false.",
      "landmarks.*.n_event_in_interval is summary.survfit's n.event with times=: events in (previous requested time, this time], i.e. (0, 6] and (6, 12].",
      "With conf.type = log-log, R gives NA (null) limits wherever S = 1 (log(-log(1)) is undefined); with every conf.type, limits are NA where S = 0 (std.err is Inf there).",
      "Wald limits are clipped to [0, 1] (lower/upper); t limits are not clipped (can be < 0); t is null where t.test errors or returns NaN (r_error says which: x == n -> 'data are essentially constant', n == 1 -> 'not enough x observations', x == 0 -> no error but NaN limits)."
    )
  ),
  km = km,
  proportions = props
)

writeLines(to_json(out), OUT_FILE, useBytes = TRUE)
cat("wrote", OUT_FILE, "\n")
