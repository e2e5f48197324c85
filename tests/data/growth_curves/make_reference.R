# Reference fits of R's self-starting logistic and Gompertz models with the default stats::nls
# (Gauss-Newton, relative-offset stop 1e-5), for the curve fitter's tests.
# Run in this folder:  Rscript make_reference.R       (Debian bookworm: r-base-core 4.2.2)
# Writes reference_fits.csv, one row per parameter: id, dataset, subset, formula, method, n,
# df_residual, parameter, estimate, std_error (as summary.nls), residual_standard_error
# (= sqrt(rss/df)), rss, AIC, BIC (R's logLik convention, k = parameters + 1).
# Rewritten for the repository from the description of the original run (its script was not
# kept); it reproduces the committed file byte for byte.
orange <- read.csv("Orange.csv")
dnase <- read.csv("DNase_run1.csv")
rows <- list()
record <- function(id, dataset, subset, formula_text, fit) {
  co <- coef(summary(fit))
  df <- df.residual(fit)
  rows[[length(rows) + 1]] <<- data.frame(
    id = id, dataset = dataset, subset = subset, formula = formula_text,
    method = "stats::nls (Gauss-Newton), selfStart", n = length(resid(fit)), df_residual = df,
    parameter = rownames(co), estimate = co[, 1], std_error = co[, 2],
    residual_standard_error = sqrt(deviance(fit) / df), rss = deviance(fit), AIC = AIC(fit),
    BIC = BIC(fit))
}
logis <- "circumference ~ SSlogis(age, Asym, xmid, scal)"
record("orange_pooled_logis", "Orange", "all trees", logis, nls(as.formula(logis), data = orange))
gomp <- "circumference ~ SSgompertz(age, Asym, b2, b3)"
record("orange_pooled_gompertz", "Orange", "all trees", gomp, nls(as.formula(gomp), data = orange))
# Trees in the order of the levels of datasets::Orange$Tree (by final circumference).
for (tree in c(3, 1, 5, 2, 4)) {
  record(sprintf("orange_tree%d_logis", tree), "Orange", sprintf("Tree == %d", tree), logis,
         nls(as.formula(logis), data = orange[orange$Tree == tree, ]))
}
dl <- "density ~ SSlogis(log(conc), Asym, xmid, scal)"
record("dnase1_logis_logconc", "DNase", "Run == 1 (?nls example)", dl,
       nls(as.formula(dl), data = dnase))
dg <- "density ~ SSgompertz(log(conc), Asym, b2, b3)"
record("dnase1_gompertz_logconc", "DNase", "Run == 1 (?SSgompertz example)", dg,
       nls(as.formula(dg), data = dnase))
out <- do.call(rbind, rows)
# Quote a field only when it holds a comma or a quote; numbers with 15 significant digits.
field <- function(v) {
  s <- if (is.numeric(v)) as.character(v) else v
  ifelse(grepl("[\",]", s), paste0("\"", gsub("\"", "\"\"", s), "\""), s)
}
lines <- c(paste(names(out), collapse = ","),
           do.call(paste, c(lapply(out, field), sep = ",")))
writeLines(lines, "reference_fits.csv", sep = "\r\n")  # CRLF line ends, as committed
