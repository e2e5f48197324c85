# Reference values for the warning statistics (tests/unit/stats/test_{pettitt,cusum,
# multiple_testing,anomaly,theil_sen_forecast}.cpp). Run in this folder:
#
#     Rscript make_expected.R     # Debian bookworm: r-base-core 4.2.2, r-cran-strucchange 1.5-3,
#                                 # r-cran-spc 0.6.7
#
# Writes series.csv (the inputs) and the *_expected.csv files. Numbers are written with 17
# significant digits so they read back to the same doubles. Pettitt is computed here from its
# formula (Pettitt 1979; the R package trend is not in Debian), the rest by the peer packages.
suppressPackageStartupMessages({
  library(strucchange)
  library(spc)
})

fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
write_rows <- function(df, file) {
  for (col in names(df)) if (is.numeric(df[[col]])) df[[col]] <- fmt(df[[col]])
  write.csv(df, file, row.names = FALSE, quote = FALSE)
}

# ---- the series -------------------------------------------------------------------------------
set.seed(20261207)
shift_with_ties <- round(c(rnorm(20, mean = 5), rnorm(15, mean = 3)))  # rounded: many ties
series <- list(
  Nile = list(time = as.numeric(time(Nile)), y = as.numeric(Nile)),
  LakeHuron = list(time = as.numeric(time(LakeHuron)), y = as.numeric(LakeHuron)),
  lynx = list(time = as.numeric(time(lynx)), y = as.numeric(lynx)),
  # Two arg-maxima: ranks 1.5 3.5 3.5 1.5 give U = -2, 0, 2, so |U| peaks at k = 1 and k = 3.
  two_maxima = list(time = 2001:2004, y = c(1, 2, 2, 1)),
  # A planted drop after year 2010 with tied values on both sides.
  step_ties = list(time = 2001:2020, y = c(rep(5, 6), 4, 5, 6, 5, rep(2, 5), 3, 2, 2, 3, 1)),
  shift_with_ties = list(time = 1990 + seq_along(shift_with_ties), y = shift_with_ties),
  # A smooth trend with a drop: the OLS-CUSUM with and without a trend regressor differ.
  trend_drop = list(time = 2000 + 1:30,
                    y = 100 + 2 * (1:30) - c(rep(0, 18), rep(25, 12)) + round(sin(1:30) * 3, 2))
)
long <- do.call(rbind, lapply(names(series), function(name)
  data.frame(series = name, time = series[[name]]$time, value = series[[name]]$y)))
write_rows(long, "series.csv")

# ---- Pettitt: U_k = 2 sum_{i<=k} r_i - k (n + 1), k = 1..n-1 (mid-ranks) -----------------------
pettitt <- function(y) {
  n <- length(y)
  r <- rank(y)  # ties.method = "average": mid-ranks
  k <- 1:(n - 1)
  u <- 2 * cumsum(r)[k] - k * (n + 1)
  u_star <- max(abs(u))
  at_max <- k[abs(u) == u_star]
  p <- min(1, 2 * exp(-6 * u_star^2 / (n^3 + n^2)))
  data.frame(n = n, u_star = u_star, u_at_k = u[at_max[1]], k_first = at_max[1],
             k_count = length(at_max), p = p)
}
pet <- do.call(rbind, lapply(names(series), function(name)
  cbind(series = name, pettitt(series[[name]]$y))))
write_rows(pet, "pettitt_expected.csv")

# ---- OLS-CUSUM: sctest(efp(y ~ 1 or y ~ trend, type = "OLS-CUSUM")) ---------------------------
cusum_rows <- list()
for (name in names(series)) {
  y <- series[[name]]$y
  if (length(y) < 8) next
  trend <- seq_along(y)
  for (model in c("const", "trend")) {
    f <- if (model == "const") y ~ 1 else y ~ trend
    e <- efp(f, type = "OLS-CUSUM")
    s <- sctest(e)
    proc <- as.numeric(e$process)[-1]
    cusum_rows[[length(cusum_rows) + 1]] <- data.frame(
      series = name, model = model, n = length(y), statistic = unname(s$statistic),
      p = s$p.value, argmax = which.max(abs(proc)))
  }
}
write_rows(do.call(rbind, cusum_rows), "ols_cusum_expected.csv")

# ---- p.adjust with NA ------------------------------------------------------------------------
sets <- list(
  mixed = c(0.01, NA, 0.04, 0.03, 0.005, NA, 0.2, 0.04, 1, 0.5),
  ties = c(0.02, 0.02, 0.02, 0.5, 0.001),
  single = c(0.03),
  single_with_na = c(NA, 0.03, NA),
  all_na = c(NA_real_, NA_real_),
  uniform = c(0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.04, 0.03, 0.02, 0.01,
              0.001, 1e-5, 0.33, 0.66, 0.99, 0.999)
)
padj <- do.call(rbind, lapply(names(sets), function(name) {
  p <- sets[[name]]
  data.frame(set = name, index = seq_along(p), p = p, bh = p.adjust(p, "BH"),
             bonferroni = p.adjust(p, "bonferroni"))
}))
write_rows(padj, "p_adjust_expected.csv")

# ---- Page CUSUM average run length (spc, one-sided, N(mu, 1) data, chart starts at 0) ---------
arl <- do.call(rbind, lapply(list(c(0.5, 4, 0), c(0.5, 4, 1), c(0.5, 5, 0), c(1, 2.5, 0)),
  function(v) data.frame(k = v[1], h = v[2], shift = v[3],
                         arl = xcusum.arl(k = v[1], h = v[2], mu = v[3], sided = "one"))))
write_rows(arl, "page_cusum_arl_expected.csv")

# ---- Anomalies and the Theil-Sen forecast on Nile (reference years 1871-1900) -----------------
t <- series$Nile$time; y <- series$Nile$y
ref <- t <= 1900
slopes <- combn(length(y), 2, function(ij) (y[ij[2]] - y[ij[1]]) / (t[ij[2]] - t[ij[1]]))
beta <- median(slopes)
intercepts <- c(separate = median(y) - beta * median(t), joint = median(y - beta * t))
fc <- do.call(rbind, lapply(names(intercepts), function(method) {
  a <- intercepts[[method]]
  res <- y - (a + beta * t)
  q <- quantile(res, c(0.025, 0.1, 0.9, 0.975), type = 7, names = FALSE)
  h <- 1:5
  mean <- a + beta * (max(t) + h)
  data.frame(intercept = method, year = max(t) + h, mean = mean, lo95 = mean + q[1],
             lo80 = mean + q[2], hi80 = mean + q[3], hi95 = mean + q[4])
}))
write_rows(fc, "theil_sen_forecast_expected.csv")
anom <- data.frame(time = t, z = (y - mean(y[ref])) / sd(y[ref]),
                   robust_z = (y - median(y[ref])) / mad(y[ref]))
write_rows(anom, "anomaly_expected.csv")
