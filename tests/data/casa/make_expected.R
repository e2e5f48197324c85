# Independent R implementation of the CASA NPP, R_H and NEP formulas of minecarbon `nep`
# (docs/nep.md), written from the methods text, not from the C++ code. It builds a synthetic
# 20 x 20 grid x 24 months (2 years: 2000, a leap year, and 2001), runs the formulas cell by cell
# and writes:
#   grid_cells.csv    cell, row, col, type (CASA type name or empty = no type), lat_deg
#   grid_inputs.csv   cell, year, month, ndvi, temp_C, precip_mm, sol_MJ_m2 (NA = nodata)
#   grid_expected.csv cell, year, t_opt_C, npp_gC_m2_yr, rh_gC_m2_yr, nep_gC_m2_yr and the same
#                     three with the Thornthwaite day-length correction on (suffix _daylength)
# Run from this folder: Rscript make_expected.R   (base R only; R 4.2 on Debian bookworm)

nr <- 20; nc <- 20; ncell <- nr * nc
years <- c(2000, 2001)

# Per-type values transcribed from the methods note (docs/nep.md §5, values of Mu Shaojie
# et al. ChinaXiv:201703.00404 for eps_max and of ChinaXiv:202106.00083 Table 1 for extremes).
types <- data.frame(
  type = c("deciduous_needleleaf_forest", "evergreen_needleleaf_forest",
           "deciduous_broadleaf_forest", "evergreen_broadleaf_forest", "shrub",
           "desert_grassland"),
  eps = c(0.485, 0.389, 0.692, 0.985, 0.429, 0.542),
  ndvi_max = c(0.738, 0.647, 0.747, 0.676, 0.636, 0.634),
  ndvi_min = rep(0.023, 6),
  sr_max = c(6.63, 4.67, 6.91, 5.17, 4.49, 4.46),
  sr_min = rep(1.05, 6),
  stringsAsFactors = FALSE)

cell <- 0:(ncell - 1)
row <- cell %/% nc
col <- cell %% nc
k <- (row * 7 + col * 3) %% 13
type_idx <- ifelse(k == 12, NA, k %% 6)  # NA: no vegetation type (nodata)
lat_deg <- 30 + 0.5 * row

inputs <- expand.grid(month = 1:12, year = years, cell = cell)
inputs <- inputs[, c("cell", "year", "month")]
r <- inputs$cell %/% nc; cc <- inputs$cell %% nc; m <- inputs$month; y <- inputs$year - 2000
inputs$ndvi <- round(pmin(0.95, pmax(-0.2, 0.33 + 0.32 * sin(2 * pi * (m - 4 + 3 * (cc %% 3 == 0)) / 12) + 0.012 * cc -
                      0.006 * r + 0.05 * cos(inputs$cell * 0.7 + y))), 4)
inputs$temp_C <- round(6 + 20 * sin(2 * pi * (m - 4) / 12) + 0.35 * r - 0.25 * cc + 1.5 * y +
                       3 * cos(inputs$cell), 2)
inputs$precip_mm <- round(pmax(0, 55 + 75 * sin(2 * pi * (m - 3) / 12) + 2 * cc - r +
                          25 * sin(inputs$cell * 1.3 + m)), 1)
inputs$precip_mm[inputs$cell %% 17 == 0 & m %in% c(1, 2, 12)] <- 0
inputs$sol_MJ_m2 <- round(330 + 240 * sin(2 * pi * (m - 3) / 12) + 2 * r, 2)
# Nodata months: a missing NDVI month in 2001, a missing temperature month in 2000.
inputs$ndvi[inputs$cell %% 37 == 5 & inputs$year == 2001 & m == 7] <- NA
inputs$temp_C[inputs$cell %% 53 == 3 & inputs$year == 2000 & m == 2] <- NA
inputs$precip_mm[inputs$cell %% 61 == 7 & inputs$year == 2001 & m == 11] <- NA
# No complete year at all: T_opt is NA and both years are nodata.
inputs$ndvi[inputs$cell %% 101 == 50 & m == 3] <- NA

# --- the formulas ---------------------------------------------------------------------------------
fpar <- function(ndvi, t) {
  fmin <- 0.001; fmax <- 0.95
  sr <- (1 + ndvi) / (1 - ndvi)
  f_ndvi <- (ndvi - t$ndvi_min) * (fmax - fmin) / (t$ndvi_max - t$ndvi_min) + fmin
  f_sr <- (sr - t$sr_min) * (fmax - fmin) / (t$sr_max - t$sr_min) + fmin
  min(fmax, max(fmin, 0.5 * f_ndvi + 0.5 * f_sr))
}
te1 <- function(topt, temp) if (temp <= -10) 0 else 0.8 + 0.02 * topt - 0.0005 * topt^2
te2_raw <- function(topt, temp)
  1.1814 / (1 + exp(0.2 * (topt - 10 - temp))) / (1 + exp(0.3 * (-topt - 10 + temp)))
te2 <- function(topt, temp)
  if (temp > topt + 10 || temp < topt - 13) 0.5 * te2_raw(topt, topt) else te2_raw(topt, temp)
daylength_factor <- function(lat, year, month) {
  days <- c(31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
  leap <- (year %% 4 == 0 && year %% 100 != 0) || year %% 400 == 0
  if (leap) days[2] <- 29
  first <- cumsum(c(1, days))[month]
  mid <- first + (days[month] - 1) / 2
  decl <- 0.409 * sin(2 * pi * mid / 365 - 1.39)
  ws <- acos(min(1, max(-1, -tan(lat * pi / 180) * tan(decl))))
  (24 * ws / pi / 12) * (days[month] / 30)
}
wstress <- function(p, ep0) {
  rn <- 0.369 * sqrt(ep0 * p) + 0.598 * ep0
  eet <- if (p == 0 || rn == 0) 0 else p * rn * (p^2 + rn^2 + p * rn) / ((p + rn) * (p^2 + rn^2))
  if (eet == 0) return(0.5)
  0.5 + 0.5 * eet / ((eet + ep0) / 2)
}
rh <- function(temp, p) 0.22 * (exp(0.0912 * temp) + log(0.3145 * p + 1)) * 30 * 0.465

expected <- list()
for (ci in cell) {
  rows <- inputs[inputs$cell == ci, ]
  # T_opt: temperature of the month of peak NDVI, mean over the complete years.
  topts <- c()
  for (yr in years) {
    d <- rows[rows$year == yr, ]
    if (any(is.na(d$ndvi)) || any(is.na(d$temp_C))) next
    topts <- c(topts, d$temp_C[which.max(d$ndvi)])
  }
  topt <- if (length(topts) == 0) NA else sum(topts) / length(topts)
  for (yr in years) {
    d <- rows[rows$year == yr, ]
    out <- c(npp = NA, rh = NA, npp_d = NA, rh_d = NA)
    ti <- type_idx[ci + 1]
    if (!is.na(ti) && !is.na(topt) && !any(is.na(unlist(d[, 4:7])))) {
      t <- types[ti + 1, ]
      heat <- sum(ifelse(d$temp_C > 0, (pmax(d$temp_C, 0) / 5)^1.514, 0))
      a <- 6.75e-7 * heat^3 - 7.71e-5 * heat^2 + 1.792e-2 * heat + 0.49239
      npp <- 0; resp <- 0; npp_d <- 0
      for (mo in 1:12) {
        temp <- d$temp_C[mo]; p <- d$precip_mm[mo]
        ep0 <- if (temp > 0 && heat > 0) 16 * (10 * temp / heat)^a else 0
        ep0_d <- ep0 * daylength_factor(lat_deg[ci + 1], yr, mo)
        f <- fpar(d$ndvi[mo], t)
        base <- 0.5 * d$sol_MJ_m2[mo] * f * te1(topt, temp) * te2(topt, temp) * t$eps
        npp <- npp + base * wstress(p, ep0)
        npp_d <- npp_d + base * wstress(p, ep0_d)
        resp <- resp + rh(temp, p)
      }
      out <- c(npp = npp, rh = resp, npp_d = npp_d, rh_d = resp)
    }
    expected[[length(expected) + 1]] <- data.frame(
      cell = ci, year = yr, t_opt_C = topt, npp_gC_m2_yr = out[["npp"]],
      rh_gC_m2_yr = out[["rh"]], nep_gC_m2_yr = out[["npp"]] - out[["rh"]],
      npp_gC_m2_yr_daylength = out[["npp_d"]], nep_gC_m2_yr_daylength = out[["npp_d"]] - out[["rh_d"]])
  }
}
expected <- do.call(rbind, expected)

fmt <- function(df) { for (n in names(df)) if (is.double(df[[n]])) df[[n]] <- sprintf("%.17g", df[[n]]); df }
cells <- data.frame(cell = cell, row = row, col = col,
                    type = ifelse(is.na(type_idx), "", types$type[type_idx + 1]), lat_deg = lat_deg)
write.csv(cells, "grid_cells.csv", row.names = FALSE, quote = FALSE)
inp <- inputs
write.csv(inp, "grid_inputs.csv", row.names = FALSE, quote = FALSE, na = "NA")
ex <- fmt(expected)
write.csv(ex, "grid_expected.csv", row.names = FALSE, quote = FALSE)
cat("cells:", ncell, " cell-years:", nrow(expected), " nodata cell-years:",
    sum(is.na(expected$npp_gC_m2_yr)), "\n")
