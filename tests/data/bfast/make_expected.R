# Expected BFAST Monitor results for tests/unit/stats/test_bfast_monitor.cpp.
#
# bfast is not packaged in Debian, so this script repeats the steps of bfast 1.7.0's
# bfastmonitor() (its formula code path) on Debian's r-cran-strucchange 1.5-3:
#   1. design as bfastpp(): intercept, trend = 1..N counted before missing values are dropped,
#      harmonics cos(2*pi*j*t), sin(2*pi*j*t) of the decimal time t, j = 1..min(order, frequency),
#      the last sine dropped when 2*order == frequency; then rows with a missing response dropped;
#   2. history = valid rows with time < start, from its first row ("all"), from a given time, or
#      from the ROC start: Rec-CUSUM (efp) on the reversed history, sctest p < level, first crossing
#      of boundary() (alpha 0.05) after the first process value;
#   3. mefp(type = "OLS-MOSUM", h, alpha = level, period = end) and lm() on the history;
#   4. monitor() on the rows from the history start on; break = first boundary crossing;
#   5. magnitude = median(response - prediction) over the rows with time >= start.
# Run from the repository root:  Rscript tests/data/bfast/make_expected.R
suppressMessages(library(strucchange))
out_dir <- "tests/data/bfast"
fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

# ---- series -------------------------------------------------------------------------------
series <- list()
series$co2 <- co2
series$nottem <- nottem
series$nile <- Nile
co2_gaps <- co2
co2_gaps[c(seq(5, 468, by = 7), 200:205, 300:302)] <- NA  # every 7th month plus two runs
series$co2_gaps <- co2_gaps

# Planted 16-day NDVI-like series (23 per year, 2000-2011 = 276 dates): seasonal cycle, a slow
# trend, N(0, 0.02) noise; "ndvi16" drops by 0.15 from 2009.5 on; "ndvi16_pre" also has a
# +0.10 step at 2004.0 (a disturbance before monitoring that ROC should cut off); the *_gaps
# variants lose 20 % of the dates at random (clouds).
set.seed(20261207)
tt <- 2000 + (0:275) / 23
base <- 0.55 + 0.002 * (tt - 2000) + 0.15 * cos(2 * pi * tt) + 0.05 * sin(2 * pi * tt) +
  0.03 * cos(4 * pi * tt)
noise <- rnorm(276, 0, 0.02)
drop <- ifelse(tt >= 2009.5, -0.15, 0)
step <- ifelse(tt < 2004, -0.10, 0)
gaps <- sort(sample(276, 55))
mk <- function(v) ts(v, start = c(2000, 1), frequency = 23)
series$ndvi16 <- mk(base + noise + drop)
series$ndvi16_pre <- mk(base + noise + drop + step)
v <- base + noise + drop; v[gaps] <- NA
series$ndvi16_gaps <- mk(v)
v <- base + noise + drop + step; v[gaps] <- NA
series$ndvi16_pre_gaps <- mk(v)

rows <- list()
for (nm in names(series)) {
  y <- series[[nm]]
  rows[[nm]] <- data.frame(series = nm, index = seq_along(y), time = fmt(as.numeric(time(y))),
                           frequency = frequency(y), value = fmt(as.numeric(y)))
}
write.csv(do.call(rbind, rows), file.path(out_dir, "series.csv"), row.names = FALSE, quote = FALSE)

# ---- bfastmonitor's steps -----------------------------------------------------------------
pp <- function(y, order) {
  freq <- frequency(y)
  rval <- data.frame(time = as.numeric(time(y)), response = as.numeric(y), trend = seq_along(y),
                     index = seq_along(y))
  order <- min(freq, order)
  harmon <- outer(2 * pi * as.vector(time(y)), 1:order)
  harmon <- cbind(apply(harmon, 2, cos), apply(harmon, 2, sin))
  if ((2 * order) == freq) harmon <- harmon[, -(2 * order), drop = FALSE]
  rval$harmon <- harmon
  na.omit(rval)
}
roc_start <- function(formula, data, level) {
  n <- nrow(data)
  data_rev <- data[n:1, ]
  data_rev$response <- ts(data_rev$response)
  rc <- efp(formula, data = data_rev, type = "Rec-CUSUM")
  p <- sctest(rc)$p.value
  start <- if (p < level) {
    length(rc$process) - min(which(abs(rc$process)[-1] > boundary(rc)[-1])) + 1
  } else 1
  list(time = data$time[start], p = p)
}
formulas <- list(const = response ~ 1, trend = response ~ trend, harmon = response ~ harmon,
                 "trend+harmon" = response ~ trend + harmon)

bfm <- function(case, y, start, model, order, history, h = 0.25, end = 10, level = 0.05) {
  formula <- formulas[[model]]
  d <- pp(series[[y]], order)
  hist <- subset(d, time < start)
  roc_p <- NA
  if (history == "all") {
    hstart <- hist$time[1]
  } else if (history == "ROC") {
    r <- roc_start(formula, hist, level)
    hstart <- r$time
    roc_p <- r$p
  } else {
    hstart <- as.numeric(history)
  }
  hist <- subset(hist, time >= hstart)
  mf <- mefp(formula, data = hist, type = "OLS-MOSUM", period = end, h = h, alpha = level)
  fit <- lm(formula, data = hist)
  test <- subset(d, time >= hstart)
  mon <- monitor(mf, data = test, verbose = FALSE)
  bp <- mon$breakpoint
  pred <- predict(fit, newdata = test)
  mag <- median((test$response - pred)[test$time >= start])
  proc <- data.frame(case = case, index = test$index[(nrow(hist) + 1):nrow(test)],
                     process = fmt(as.numeric(mon$process)),
                     boundary = fmt(mon$border((nrow(hist) + 1):nrow(test))))
  cf <- coef(fit)
  res <- data.frame(case = case, series = y, model = model, order = order, history = history,
                    start = fmt(start), h = h, level = level, end = end,
                    roc_p = fmt(roc_p), history_start = fmt(hist$time[1]),
                    history_start_index = hist$index[1], n_history = nrow(hist),
                    sigma = fmt(summary(fit)$sigma), critval = fmt(mf$critval),
                    break_index = if (is.na(bp)) NA else test$index[bp],
                    break_time = fmt(if (is.na(bp)) NA else test$time[bp]),
                    magnitude = fmt(mag), statistic = fmt(mon$statistic),
                    coefficients = paste(fmt(cf), collapse = ";"))
  list(res = res, proc = proc)
}

cases <- list(
  list("co2_all", "co2", 1990, "trend+harmon", 3, "all"),
  list("co2_1975", "co2", 1990, "trend+harmon", 3, "1975"),
  list("co2_roc", "co2", 1990, "trend+harmon", 3, "ROC"),
  list("co2_gaps_all", "co2_gaps", 1990, "trend+harmon", 3, "all"),
  list("co2_gaps_roc", "co2_gaps", 1990, "trend+harmon", 3, "ROC"),
  list("co2_harmon_h05", "co2", 1985, "harmon", 2, "1975", 0.5, 10, 0.01),
  list("nottem_all", "nottem", 1935, "harmon", 3, "all"),
  list("nottem_roc_h1", "nottem", 1935, "trend+harmon", 2, "ROC", 1, 10, 0.05),
  list("nottem_1925_end4", "nottem", 1932, "harmon", 6, "1925", 0.25, 4, 0.025),
  list("nile_const_all", "nile", 1890, "const", 3, "all"),
  list("nile_const_roc", "nile", 1890, "const", 3, "ROC"),
  list("nile_trend_1880", "nile", 1895, "trend", 3, "1880"),
  list("ndvi16_all", "ndvi16", 2009, "trend+harmon", 3, "all"),
  list("ndvi16_2003", "ndvi16", 2009, "trend+harmon", 3, "2003"),
  list("ndvi16_roc", "ndvi16_pre", 2009, "trend+harmon", 3, "ROC"),
  list("ndvi16_pre_all", "ndvi16_pre", 2009, "trend+harmon", 3, "all"),
  list("ndvi16_gaps_all", "ndvi16_gaps", 2009, "trend+harmon", 3, "all"),
  list("ndvi16_gaps_2003", "ndvi16_gaps", 2009, "harmon", 2, "2003"),
  list("ndvi16_gaps_roc", "ndvi16_pre_gaps", 2009, "trend+harmon", 3, "ROC"),
  list("ndvi16_gaps_const", "ndvi16_gaps", 2009, "const", 3, "2005"))
res <- list(); proc <- list()
for (cs in cases) {
  r <- do.call(bfm, cs)
  res[[cs[[1]]]] <- r$res
  proc[[cs[[1]]]] <- r$proc
}
write.csv(do.call(rbind, res), file.path(out_dir, "expected_monitor.csv"), row.names = FALSE,
          quote = FALSE)
write.csv(do.call(rbind, proc), file.path(out_dir, "expected_process.csv"), row.names = FALSE,
          quote = FALSE)

# ---- critical values ----------------------------------------------------------------------
# The whole simulated table (functional "max") and mefp()'s interpolated critval at a few levels.
tab <- monitorMECritvalTable
dn <- dimnames(tab)
rows <- expand.grid(level_index = seq_along(dn[[3]]), period = dn[[2]], h = dn[[1]],
                    stringsAsFactors = FALSE)
rows$one_minus_alpha <- dn[[3]][rows$level_index]
rows$critval <- fmt(mapply(function(h, p, l) tab[h, p, l, "max"], rows$h, rows$period,
                           rows$one_minus_alpha))
write.csv(rows[, c("h", "period", "one_minus_alpha", "critval")],
          file.path(out_dir, "mosum_critical_values.csv"), row.names = FALSE, quote = FALSE)
dummy <- data.frame(y = rnorm(40))
cv <- list()
for (h in c(0.25, 0.5, 1)) for (p in c(2, 4, 6, 8, 10)) for (a in c(0.05, 0.01, 0.001, 0.025, 0.0123, 0.0377)) {
  m <- mefp(y ~ 1, data = dummy, type = "OLS-MOSUM", h = h, alpha = a, period = p)
  cv[[length(cv) + 1]] <- data.frame(h = h, period = p, alpha = a, critval = fmt(m$critval))
}
write.csv(do.call(rbind, cv), file.path(out_dir, "expected_critval.csv"), row.names = FALSE,
          quote = FALSE)

# ROC's boundary: boundary.efp() solves the Brownian-motion crossing probability = 0.05 by uniroot.
rc <- efp(Nile ~ 1, type = "Rec-CUSUM")
cat(sprintf("Rec-CUSUM boundary lambda (alpha 0.05): %.17g\n", boundary(rc)[1]))
