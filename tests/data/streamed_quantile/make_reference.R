# Reference type-1 quantiles for tests/unit/stats/test_streamed_quantile.cpp.
# Run from this folder: Rscript make_reference.R  (R 4.2.2, Debian bookworm r-base-core).
# Writes values.csv (the sample, one value per line, 17 significant digits so it reads back
# bit for bit) and quantiles.csv (p, and R's quantile(x, p, type = 1) with na.rm = TRUE).
set.seed(20261207)
n <- 5003
x <- round(rnorm(n, mean = 0.4, sd = 0.25), 3)  # rounding makes many ties
x[sample.int(n, 40)] <- NA                        # nodata cells
x[sample.int(n, 25)] <- 0                         # a block of exact zeros (ties at 0)
x[sample.int(n, 3)] <- c(-0.2, 1.6, 1.6)          # the reflectance edges, a tie at the top
probs <- c(0, 1e-4, 0.01, 0.05, 0.1, 0.25, 1/3, 0.5, 2/3, 0.75, 0.9, 0.95, 0.99, 0.9999, 1)
q <- quantile(x, probs, type = 1, na.rm = TRUE, names = FALSE)
writeLines(ifelse(is.na(x), "NA", sprintf("%.17g", x)), "values.csv")
write.csv(data.frame(p = sprintf("%.17g", probs), q = sprintf("%.17g", q)), "quantiles.csv",
          row.names = FALSE, quote = FALSE)
