# Extra reference fits for minecarbon's curve fitter, produced with R's own fitters.
# Run from this folder:  Rscript make_reference_extra.R
# Needs: r-base-core, r-cran-minpack.lm (Debian bookworm; R 4.2.2, minpack.lm 1.2-3).
#
# Writes Loblolly.csv (datasets::Loblolly) and reference_fits_extra.csv, one row per parameter:
#   1. "tight" refits of the nine fits of reference_fits.csv (same formulas, R selfStart), with
#      minpack.lm::nlsLM and tolerances at machine precision, so that estimates sit at the
#      least-squares optimum rather than where nls's default criterion (1e-5) stops;
#   2. every growth model of minecarbon (its own parameterisation) fitted to Loblolly pine
#      heights (all 14 seeds pooled, n = 84) with nlsLM (tight), and the Richards
#      (generalised-logistic) model fitted to DNase run 1 in log(conc);
#   3. Chapman-Richards y = a (1 - exp(-b t))^c on Loblolly with the default stats::nls
#      (Gauss-Newton) and nlsLM from start a = 70, b = 0.1, c = 2, and SSasymp with default nls.
# Columns: id, dataset, x, model, formula, method, n, df_residual, parameter, estimate,
# std_error, rss, rse (= sqrt(rss/df)), logLik, AIC, BIC (R's logLik convention, k = p + 1),
# converged, iterations.

suppressPackageStartupMessages(library(minpack.lm))

tight <- nls.lm.control(ftol = 1e-15, ptol = 1e-15, maxiter = 1000)
rows <- list()
record <- function(id, dataset, x, model, formula_text, method, fit) {
  co <- coef(summary(fit))
  df <- df.residual(fit)
  rows[[length(rows) + 1]] <<- data.frame(
    id = id, dataset = dataset, x = x, model = model, formula = formula_text, method = method,
    n = length(resid(fit)), df_residual = df, parameter = rownames(co),
    estimate = sprintf("%.17g", co[, 1]), std_error = sprintf("%.17g", co[, 2]),
    rss = sprintf("%.17g", deviance(fit)), rse = sprintf("%.17g", sqrt(deviance(fit) / df)),
    logLik = sprintf("%.17g", as.numeric(logLik(fit))), AIC = sprintf("%.17g", AIC(fit)),
    BIC = sprintf("%.17g", BIC(fit)), converged = fit$convInfo$isConv,
    iterations = fit$convInfo$finIter)
}

# 1. tight refits of reference_fits.csv
orange <- read.csv("Orange.csv")
dnase <- read.csv("DNase_run1.csv")
ms <- "minpack.lm::nlsLM (ftol = ptol = 1e-15), selfStart"
record("orange_pooled_logis", "Orange", "age", "SSlogis", "circumference ~ SSlogis(age, Asym, xmid, scal)",
       ms, nlsLM(circumference ~ SSlogis(age, Asym, xmid, scal), data = orange, control = tight))
record("orange_pooled_gompertz", "Orange", "age", "SSgompertz", "circumference ~ SSgompertz(age, Asym, b2, b3)",
       ms, nlsLM(circumference ~ SSgompertz(age, Asym, b2, b3), data = orange, control = tight))
for (tree in 1:5) {
  record(sprintf("orange_tree%d_logis", tree), "Orange", "age", "SSlogis",
         "circumference ~ SSlogis(age, Asym, xmid, scal)", ms,
         nlsLM(circumference ~ SSlogis(age, Asym, xmid, scal), data = orange[orange$Tree == tree, ],
               control = tight))
}
record("dnase1_logis_logconc", "DNase", "log(conc)", "SSlogis", "density ~ SSlogis(log(conc), Asym, xmid, scal)",
       ms, nlsLM(density ~ SSlogis(log(conc), Asym, xmid, scal), data = dnase, control = tight))
record("dnase1_gompertz_logconc", "DNase", "log(conc)", "SSgompertz", "density ~ SSgompertz(log(conc), Asym, b2, b3)",
       ms, nlsLM(density ~ SSgompertz(log(conc), Asym, b2, b3), data = dnase, control = tight))

# 2. minecarbon's growth models on Loblolly (pooled) with nlsLM, tight tolerances
lob <- data.frame(Seed = as.character(datasets::Loblolly$Seed), age = datasets::Loblolly$age,
                  height = datasets::Loblolly$height)
write.csv(lob, "Loblolly.csv", row.names = FALSE)
t <- lob$age
y <- lob$height
ml <- "minpack.lm::nlsLM (ftol = ptol = 1e-15)"
models <- list(
  logistic = list("height ~ A/(1 + B*exp(-k*age))", list(A = 65, B = 20, k = 0.2)),
  gompertz = list("height ~ A*exp(-B*exp(-k*age))", list(A = 70, B = 5, k = 0.1)),
  chapman_richards3 = list("height ~ A*(1 - exp(-k*age))^c", list(A = 70, k = 0.1, c = 2)),
  chapman_richards4 = list("height ~ A*(1 - B*exp(-k*age))^(1/(1 - m))",
                           list(A = 70, B = 1, k = 0.1, m = 0.5)),
  mitscherlich = list("height ~ A*(1 - B*exp(-k*age))", list(A = 100, B = 1, k = 0.05)),
  schumacher = list("height ~ A*exp(-B/age)", list(A = 80, B = 8)),
  korf = list("height ~ A*exp(-B*age^(-c))", list(A = 80, B = 8, c = 1)),
  weibull = list("height ~ A - B*exp(-k*age^m)", list(A = 70, B = 70, k = 0.01, m = 1.5)))
for (name in names(models)) {
  f <- as.formula(models[[name]][[1]])
  record(paste0("loblolly_", name), "Loblolly", "age", name, models[[name]][[1]], ml,
         nlsLM(f, data = lob, start = models[[name]][[2]], control = tight))
}
record("loblolly_asymptotic_regression", "Loblolly", "age", "asymptotic_regression",
       "height ~ SSasymp(age, Asym, R0, lrc)", paste(ml, "selfStart"),
       nlsLM(height ~ SSasymp(age, Asym, R0, lrc), data = lob, control = tight))
dn <- data.frame(x = log(dnase$conc), density = dnase$density)
record("dnase1_richards_logconc", "DNase", "log(conc)", "richards",
       "density ~ A/(1 + B*exp(-k*log(conc)))^(1/m)", paste(ml, "start A=2.3, B=2, k=1, m=1"),
       nlsLM(density ~ A / (1 + B * exp(-k * x))^(1 / m), data = dn,
             start = list(A = 2.3, B = 2, k = 1, m = 1), control = tight))

# 3. default fitters, as a user of R would call them
record("loblolly_cr_nls", "Loblolly", "age", "chapman_richards3 (a, b=k, c)",
       "height ~ a*(1 - exp(-b*age))^c", "stats::nls (Gauss-Newton), start a=70, b=0.1, c=2",
       nls(height ~ a * (1 - exp(-b * age))^c, data = lob, start = list(a = 70, b = 0.1, c = 2)))
record("loblolly_cr_nlslm", "Loblolly", "age", "chapman_richards3 (a, b=k, c)",
       "height ~ a*(1 - exp(-b*age))^c", "minpack.lm::nlsLM (defaults), start a=70, b=0.1, c=2",
       nlsLM(height ~ a * (1 - exp(-b * age))^c, data = lob, start = list(a = 70, b = 0.1, c = 2)))
record("loblolly_asymp_nls", "Loblolly", "age", "asymptotic_regression",
       "height ~ SSasymp(age, Asym, R0, lrc)", "stats::nls (Gauss-Newton), selfStart",
       nls(height ~ SSasymp(age, Asym, R0, lrc), data = lob))

write.csv(do.call(rbind, rows), "reference_fits_extra.csv", row.names = FALSE)
