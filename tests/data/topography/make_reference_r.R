# Reference values from R (Debian bookworm r-base 4.2, r-cran-terra 1.7-3) for the topography
# tests. Run in this folder: Rscript make_reference_r.R
#   tpi_reference.csv      TPI of DEM.TIF (centre minus the mean of the valid cells whose centres
#                          lie within 75 m, centre excluded), its standardised value and the Weiss
#                          (2001) slope-position class, by terra focal sums
#   rank_tests_reference.csv  kruskal.test, pairwise.wilcox.test (Holm) and cor(spearman) on R's
#                          airquality data (Ozone by Month; Ozone vs Temp) and on a small
#                          tie-free sample (exact Wilcoxon p-values)
#   airquality.csv         the columns used, NA rows kept as empty fields
library(terra)
dem <- rast("DEM.TIF")
radius_m <- 75
cells <- floor(radius_m / res(dem)[1])
offsets <- -cells:cells
w <- outer(offsets, offsets, function(r, c) as.numeric(sqrt(r^2 + c^2) * res(dem)[1] <= radius_m))
w[cells + 1, cells + 1] <- 0
valid <- !is.na(dem)
zsum <- focal(dem, w, fun = "sum", na.rm = TRUE, fillvalue = NA)
nsum <- focal(valid, w, fun = "sum", na.rm = TRUE, fillvalue = NA)
tpi <- dem - zsum / nsum
v <- values(tpi)[, 1]
z <- (v - mean(v, na.rm = TRUE)) / sd(v, na.rm = TRUE)
slope <- values(terrain(dem, "slope", neighbors = 4, unit = "degrees"))[, 1]
cls <- ifelse(z <= -1, "valley", ifelse(z <= -0.5, "lower_slope",
       ifelse(z < 0.5, ifelse(slope <= 5, "flat", "middle_slope"),
       ifelse(z <= 1, "upper_slope", "ridge"))))
rc <- rowColFromCell(dem, seq_len(ncell(dem)))
out <- data.frame(row = rc[, 1] - 1, col = rc[, 2] - 1, tpi_m = v, tpi_z = z,
                  slope_zt_deg = slope, class = cls)
write.csv(out, "tpi_reference.csv", row.names = FALSE, na = "")

data(airquality)
write.csv(airquality[, c("Ozone", "Temp", "Month")], "airquality.csv", row.names = FALSE, na = "")
rows <- list()
kt <- kruskal.test(Ozone ~ Month, data = airquality)
rows[[length(rows) + 1]] <- data.frame(case = "airquality_ozone_month", test = "kruskal",
  a = "", b = "", statistic = unname(kt$statistic), p = kt$p.value)
pw <- suppressWarnings(pairwise.wilcox.test(airquality$Ozone, airquality$Month,
                                            p.adjust.method = "holm"))
for (i in rownames(pw$p.value)) for (j in colnames(pw$p.value)) {
  if (!is.na(pw$p.value[i, j]))
    rows[[length(rows) + 1]] <- data.frame(case = "airquality_ozone_month",
      test = "wilcox_holm", a = j, b = i, statistic = NA, p = pw$p.value[i, j])
}
pr <- suppressWarnings(pairwise.wilcox.test(airquality$Ozone, airquality$Month,
                                            p.adjust.method = "none"))
for (i in rownames(pr$p.value)) for (j in colnames(pr$p.value)) {
  if (!is.na(pr$p.value[i, j]))
    rows[[length(rows) + 1]] <- data.frame(case = "airquality_ozone_month",
      test = "wilcox_raw", a = j, b = i, statistic = NA, p = pr$p.value[i, j])
}
ok <- complete.cases(airquality[, c("Ozone", "Temp")])
rows[[length(rows) + 1]] <- data.frame(case = "airquality_ozone_temp", test = "spearman",
  a = "", b = "", statistic = cor(airquality$Ozone[ok], airquality$Temp[ok], method = "spearman"),
  p = NA)
# Tie-free small groups: exact Wilcoxon p-values.
x <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)
y <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06 + 0.001, 3.14, 1.29 + 0.002)
g <- c(3.5, 2.7, 4.1, 0.2, 5.9)
vals <- c(x, y, g); grp <- c(rep("x", 9), rep("y", 9), rep("g", 5))
kt2 <- kruskal.test(vals, factor(grp))
rows[[length(rows) + 1]] <- data.frame(case = "small_exact", test = "kruskal", a = "", b = "",
  statistic = unname(kt2$statistic), p = kt2$p.value)
pw2 <- pairwise.wilcox.test(vals, grp, p.adjust.method = "holm")
for (i in rownames(pw2$p.value)) for (j in colnames(pw2$p.value)) {
  if (!is.na(pw2$p.value[i, j]))
    rows[[length(rows) + 1]] <- data.frame(case = "small_exact", test = "wilcox_holm",
      a = j, b = i, statistic = NA, p = pw2$p.value[i, j])
}
write.csv(data.frame(value = vals, group = grp), "small_exact.csv", row.names = FALSE)
write.csv(do.call(rbind, rows), "rank_tests_reference.csv", row.names = FALSE, na = "")
