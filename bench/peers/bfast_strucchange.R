# Peer timing for bench/bm_stats_bfast_monitor.cpp: bfast 1.7.0's bfastmonitor() steps on
# strucchange (the same steps as tests/data/bfast/make_expected.R), one pixel at a time, on
# 16-day series shaped like the C++ benchmark's (276 dates 2000–2011, season + trend + noise,
# every third pixel with a −0.2 drop from 2009.5, every pixel with its own 15 % gaps).
# Usage: Rscript bench/peers/bfast_strucchange.R [pixels = 200]
suppressMessages(library(strucchange))
args <- commandArgs(trailingOnly = TRUE)
n_pix <- if (length(args)) as.integer(args[1]) else 200L
set.seed(20261207)
tt <- 2000 + (0:275) / 23
pp <- function(y) {
  d <- data.frame(time = tt, response = y, trend = seq_along(y))
  h <- outer(2 * pi * tt, 1:3)
  d$harmon <- cbind(cos(h), sin(h))
  na.omit(d)
}
roc_start <- function(formula, data, level = 0.05) {
  n <- nrow(data)
  rev <- data[n:1, ]
  rev$response <- ts(rev$response)
  rc <- efp(formula, data = rev, type = "Rec-CUSUM")
  if (sctest(rc)$p.value < level) {
    data$time[length(rc$process) - min(which(abs(rc$process)[-1] > boundary(rc)[-1])) + 1]
  } else data$time[1]
}
bfm <- function(y, history) {
  f <- response ~ trend + harmon
  d <- pp(y)
  hist <- subset(d, time < 2009)
  hs <- if (history == "ROC") roc_start(f, hist) else hist$time[1]
  hist <- subset(hist, time >= hs)
  mf <- mefp(f, data = hist, type = "OLS-MOSUM", h = 0.25, alpha = 0.05, period = 10)
  fit <- lm(f, data = hist)
  test <- subset(d, time >= hs)
  mon <- monitor(mf, data = test, verbose = FALSE)
  c(mon$breakpoint, median((test$response - predict(fit, newdata = test))[test$time >= 2009]))
}
pixels <- lapply(seq_len(n_pix), function(px) {
  v <- runif(1, 0.4, 0.7) + 0.003 * (tt - 2000) + runif(1, 0.1, 0.2) * cos(2 * pi * tt) +
    rnorm(276, 0, 0.02) - ifelse(px %% 3 == 1 & tt >= 2009.5, 0.2, 0)
  v[runif(276) < 0.15] <- NA
  v
})
for (history in c("all", "ROC")) {
  t0 <- proc.time()[["user.self"]] + proc.time()[["sys.self"]]
  res <- lapply(pixels, bfm, history = history)
  cpu <- proc.time()[["user.self"]] + proc.time()[["sys.self"]] - t0
  found <- sum(sapply(res[seq(1, n_pix, by = 3)], function(r) !is.na(r[1])))
  cat(sprintf("history %s: %d pixels, %.2f s CPU, %.1f pixels/s, breaks on %d of %d disturbed\n",
              history, n_pix, cpu, n_pix / cpu, found, length(seq(1, n_pix, by = 3))))
}
