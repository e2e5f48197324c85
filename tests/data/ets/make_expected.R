# Expected ETS(A,A,N) and ETS(A,Ad,N) fits and forecasts for tests/unit/stats/test_ets.cpp, from
# R 4.2 with Debian's r-cran-forecast 8.20: forecast::ets(y, model = "AAN", damped = FALSE/TRUE)
# and forecast(fit, h = 10, level = c(80, 95)).
# Run from the repository root:  Rscript tests/data/ets/make_expected.R
suppressMessages(library(forecast))
out_dir <- "tests/data/ets"
fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

# Planted annual series: a restored sink of 120 gC/m2/yr rising 4 per year from 2000, turning
# to a decline of 9 per year from 2012, with N(0, 6) noise (seed fixed).
set.seed(12)
yr <- 2000:2023
planted <- ts(ifelse(yr < 2012, 120 + 4 * (yr - 2000), 168 - 9 * (yr - 2012)) +
                rnorm(length(yr), 0, 6), start = 2000)
series <- list(LakeHuron = LakeHuron, Nile = Nile, planted = planted)

rows <- list()
for (nm in names(series)) {
  y <- series[[nm]]
  rows[[nm]] <- data.frame(series = nm, time = as.numeric(time(y)), value = fmt(as.numeric(y)))
}
write.csv(do.call(rbind, rows), file.path(out_dir, "series.csv"), row.names = FALSE, quote = FALSE)

fits <- list(); fcs <- list()
for (nm in names(series)) for (damped in c(FALSE, TRUE)) {
  fit <- ets(series[[nm]], model = "AAN", damped = damped)
  fc <- forecast(fit, h = 10, level = c(80, 95))
  par <- fit$par
  fits[[length(fits) + 1]] <- data.frame(
    series = nm, damped = damped, alpha = fmt(par["alpha"]), beta = fmt(par["beta"]),
    phi = fmt(if (damped) par["phi"] else 1), l0 = fmt(par["l"]), b0 = fmt(par["b"]),
    loglik = fmt(fit$loglik), aic = fmt(fit$aic), aicc = fmt(fit$aicc), bic = fmt(fit$bic),
    sigma2 = fmt(fit$sigma2), mse = fmt(fit$mse))
  fcs[[length(fcs) + 1]] <- data.frame(
    series = nm, damped = damped, h = 1:10, mean = fmt(as.numeric(fc$mean)),
    lo80 = fmt(fc$lower[, 1]), hi80 = fmt(fc$upper[, 1]),
    lo95 = fmt(fc$lower[, 2]), hi95 = fmt(fc$upper[, 2]))
}
write.csv(do.call(rbind, fits), file.path(out_dir, "expected_fit.csv"), row.names = FALSE,
          quote = FALSE)
write.csv(do.call(rbind, fcs), file.path(out_dir, "expected_forecast.csv"), row.names = FALSE,
          quote = FALSE)
