# Reference class breaks, classes and goodness of variance fit from R classInt, for
# tests/unit/stats/test_class_breaks.cpp. Run in this folder: Rscript make_reference.R
# (Debian bookworm: r-base-core 4.2, r-cran-classint 0.4-9). Writes values.csv, breaks.csv,
# classes.csv and fit.csv.
suppressPackageStartupMessages(library(classInt))
stopifnot(packageVersion("classInt") == "0.4.9")

areas <- read.csv("../mining_polygons/reference_areas_maus_tang_demo.csv")
variables <- list(
  mine_area_m2 = areas$terra_area_m2,  # 100 real mine polygons (geodesic areas, terra)
  log10_mine_area_m2 = log10(areas$terra_area_m2),  # the same, spread out
  precip = unname(precip),             # R datasets: 70 US cities, mean annual precipitation (in)
  small = c(1, 2, 2, 3, 10, 11, 30)    # the worked example of docs/classify.md
)
styles <- c("fisher", "jenks", "quantile", "equal")
ks <- list(mine_area_m2 = c(3, 5, 7), log10_mine_area_m2 = c(3, 5, 7), precip = c(3, 5, 7), small = c(3))

num <- function(x) sprintf("%.17g", x)
values <- data.frame()
brks <- data.frame()
cls <- data.frame()
fit <- data.frame()
for (v in names(variables)) {
  x <- variables[[v]]
  values <- rbind(values, data.frame(variable = v, index = seq_along(x), value = num(x)))
  for (k in ks[[v]]) {
    for (s in styles) {
      # largeN = Inf: never sample (classInt samples above 3000 values otherwise).
      ci <- classIntervals(x, n = k, style = s, largeN = Inf)
      cols <- findCols(ci)
      brks <- rbind(brks, data.frame(variable = v, style = s, k = k,
                                     closure = attr(ci, "intervalClosure"),
                                     index = seq_along(ci$brks), value = num(ci$brks)))
      cls <- rbind(cls, data.frame(variable = v, style = s, k = k, index = seq_along(x),
                                   class = cols))
      counts <- tabulate(cols, nbins = length(ci$brks) - 1)
      fit <- rbind(fit, data.frame(variable = v, style = s, k = k,
                                   gvf = num(jenks.tests(ci)[["Goodness of fit"]]),
                                   counts = paste(counts, collapse = ";")))
    }
  }
}
write.csv(values, "values.csv", row.names = FALSE, quote = FALSE)
write.csv(brks, "breaks.csv", row.names = FALSE, quote = FALSE)
write.csv(cls, "classes.csv", row.names = FALSE, quote = FALSE)
write.csv(fit, "fit.csv", row.names = FALSE, quote = FALSE)
