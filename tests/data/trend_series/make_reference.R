# R reference values for the trend tests on Nile.csv and LakeHuron.csv: the Mann-Kendall test as
# stats::cor.test(year, value, method = "kendall", exact = FALSE) (with no ties in the years this
# is exactly the classical test), with and without continuity correction, the median of the
# pairwise slopes (Sen) and the OLS slope of lm. Writes reference_mk_R.json (run in this folder):
#   Rscript make_reference.R          # Debian bookworm: r-base-core 4.2.2, r-cran-jsonlite
suppressPackageStartupMessages(library(jsonlite))
series <- list(
  list(name = "Nile", units = "annual flow of the Nile at Aswan, 10^8 m^3", source = "datasets::Nile"),
  list(name = "LakeHuron", units = "annual level of Lake Huron, feet", source = "datasets::LakeHuron"))
results <- lapply(series, function(s) {
  d <- read.csv(paste0(s$name, ".csv"))
  x <- d$year; y <- d$value; n <- length(y)
  cc <- cor.test(x, y, method = "kendall", exact = FALSE, continuity = TRUE)
  nc <- cor.test(x, y, method = "kendall", exact = FALSE, continuity = FALSE)
  ties <- table(y); ties <- ties[ties > 1]
  var_s <- (n * (n - 1) * (2 * n + 5) - sum(ties * (ties - 1) * (2 * ties + 5))) / 18
  s_stat <- sum(sapply(1:(n - 1), function(i) sum(sign(y[(i + 1):n] - y[i]))))
  slopes <- unlist(lapply(1:(n - 1), function(i) (y[(i + 1):n] - y[i]) / (x[(i + 1):n] - x[i])))
  list(series = s$name, n = n, units = s$units, source = s$source,
       first_year = min(x), last_year = max(x),
       n_tied_groups = length(ties), max_tie_extent = max(ties),
       S = s_stat, var_S = var_s, tau_b = unname(cc$estimate),
       z_continuity_corrected = unname(cc$statistic), p_two_sided_continuity_corrected = cc$p.value,
       z_no_continuity = unname(nc$statistic), p_two_sided_no_continuity = nc$p.value,
       sen_slope_median_pairwise = median(slopes),
       lm_slope_ols = unname(coef(lm(y ~ x))[2]))
})
out <- list(generated_by = "make_reference.R", R_version = R.version.string,
            method = "stats::cor.test(year, value, method='kendall', exact=FALSE)",
            results = results)
json <- prettify(toJSON(out, auto_unbox = TRUE, digits = NA), indent = 1)
cat(sub("\n$", "", json), file = "reference_mk_R.json")  # no final newline, as committed
