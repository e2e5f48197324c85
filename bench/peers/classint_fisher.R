# Peer timing for bench/bm_stats_class_breaks.cpp: R classInt style "fisher" (and "jenks" at the
# smallest size), k = 5, largeN = Inf, on the same values (written by
# `build/bench/bm_stats_class_breaks --write DIR`). Prints n, style, seconds and the breaks, which
# must equal minecarbon's Fisher–Jenks midpoints (resp. upper bounds).
#   Rscript bench/peers/classint_fisher.R DIR [n ...]
suppressPackageStartupMessages(library(classInt))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
ns <- if (length(args) > 1) as.integer(args[-1]) else c(5000L, 20000L)
for (n in ns) {
  x <- read.csv(file.path(dir, sprintf("class_breaks_values_%d.csv", n)))$x
  styles <- if (n <= 5000) c("fisher", "jenks") else "fisher"
  for (s in styles) {
    t <- system.time(ci <- classIntervals(x, n = 5, style = s, largeN = Inf))[["elapsed"]]
    cat(sprintf("n=%d style=%s seconds=%.3f breaks=%s gvf=%.12f\n", n, s, t,
                paste(sprintf("%.10g", ci$brks), collapse = " "),
                jenks.tests(ci)[["Goodness of fit"]]))
  }
}
