# Expected values of the rs/ index and RSEI tests, computed independently of minecarbon with
# R terra (raster algebra on the GeoTIFF bands) and stats::prcomp.
# Run from this folder:  Rscript make_expected.R
# Needs (Debian bookworm): r-base 4.2.2, r-cran-terra 1.7-3.
#
# Inputs: the Landsat 8 OLI/TIRS L1TP subset (landsat8_2013-07-07/, bands 2-7 and 10, DN) and its
# MTL. Every value is TOA (sun-elevation corrected) reflectance, as the subset is Level-1:
#   rho = (REFLECTANCE_MULT * DN + REFLECTANCE_ADD) / sin(SUN_ELEVATION)
#   BT  = K2 / ln(K1 / L + 1),  L = RADIANCE_MULT * DN + RADIANCE_ADD
#   LST = BT / (1 + (lambda * BT / 1.438e-2) * ln(eps)),  lambda = 10.9e-6 m, eps = 0.97 (a test
#         value, not a recommendation); heat indicator of RSEI = LST - 273.15 (degrees C)
# Indices (formulas of docs/indices.md):
#   EVI = 2.5 (nir - red) / (nir + 6 red - 7.5 blue + 1); NDMI = (nir - swir1)/(nir + swir1)
#   SI = ((swir1 + red) - (nir + blue)) / ((swir1 + red) + (nir + blue))
#   IBI = (a - (b + c)) / (a + (b + c)), a = 2 swir1/(swir1 + nir), b = nir/(nir + red),
#         c = green/(green + swir1);  NDBSI = (SI + IBI)/2
#   WET = Landsat 8 OLI tasselled-cap wetness (Baig et al. 2014 as in Xu 2013)
#   FVC = clamp((NDVI - p5)/(p95 - p5), 0, 1), p5/p95 = quantile(NDVI, type = 1)
# RSEI: indicators (NDVI, WET, NDBSI, LST_C) on all pixels (no mask: the subset has no cloud and
# the tests keep water in), min-max normalised (or clamped between the type-1 1st/99th
# percentiles), prcomp(center = TRUE, scale. = FALSE) (covariance) or scale. = TRUE
# (correlation); PC1 oriented so that its NDVI loading is positive; RSEI = PC1 score rescaled to
# [0, 1].
# Outputs (numbers written with 17 significant digits):
#   expected_pixels.csv  cell, row, col and every value above per pixel
#   expected_pca.csv     per variant: eigenvalues, oriented PC1 loadings, PC1 share
#   expected_percentiles.csv  the type-1 percentiles used

suppressPackageStartupMessages(library(terra))

dir <- "landsat8_2013-07-07"
stem <- file.path(dir, "LC08_L1TP_195025_20130707_20170503_01_T1_")
mtl_lines <- readLines(paste0(stem, "MTL.txt"))
mtl <- function(key) {
  line <- grep(paste0("^\\s*", key, " = "), mtl_lines, value = TRUE)
  stopifnot(length(line) == 1)
  as.numeric(sub(".*= *", "", line))
}
sun_elev <- mtl("SUN_ELEVATION")
toa <- function(b) {
  dn <- rast(paste0(stem, "B", b, ".TIF"))
  (mtl(paste0("REFLECTANCE_MULT_BAND_", b)) * dn + mtl(paste0("REFLECTANCE_ADD_BAND_", b))) /
    sin(sun_elev * pi / 180)
}
blue <- toa(2); green <- toa(3); red <- toa(4); nir <- toa(5); swir1 <- toa(6); swir2 <- toa(7)
radiance <- mtl("RADIANCE_MULT_BAND_10") * rast(paste0(stem, "B10.TIF")) + mtl("RADIANCE_ADD_BAND_10")
bt <- mtl("K2_CONSTANT_BAND_10") / log(mtl("K1_CONSTANT_BAND_10") / radiance + 1)
lambda_m <- 10.9e-6; emissivity <- 0.97
lst_K <- bt / (1 + (lambda_m * bt / 1.438e-2) * log(emissivity))

ndvi <- (nir - red) / (nir + red)
evi <- 2.5 * (nir - red) / (nir + 6 * red - 7.5 * blue + 1)
ndmi <- (nir - swir1) / (nir + swir1)
si <- ((swir1 + red) - (nir + blue)) / ((swir1 + red) + (nir + blue))
ibi_a <- 2 * swir1 / (swir1 + nir)
ibi_bc <- nir / (nir + red) + green / (green + swir1)
ibi <- (ibi_a - ibi_bc) / (ibi_a + ibi_bc)
ndbsi <- (si + ibi) / 2
wet <- 0.1511 * blue + 0.1973 * green + 0.3283 * red + 0.3407 * nir - 0.7117 * swir1 -
  0.4559 * swir2

v <- function(r) as.vector(values(r, mat = FALSE))
ndvi_v <- v(ndvi)
fvc_p <- quantile(ndvi_v, c(0.05, 0.95), type = 1, names = FALSE)
fvc <- clamp((ndvi - fvc_p[1]) / (fvc_p[2] - fvc_p[1]), lower = 0, upper = 1, values = TRUE)

x <- cbind(ndvi = ndvi_v, wet = v(wet), ndbsi = v(ndbsi), lst_C = v(lst_K) - 273.15)
stopifnot(all(complete.cases(x)))
minmax <- apply(x, 2, function(col) (col - min(col)) / (max(col) - min(col)))
pct_low <- apply(x, 2, quantile, probs = 0.01, type = 1, names = FALSE)
pct_high <- apply(x, 2, quantile, probs = 0.99, type = 1, names = FALSE)
pctnorm <- sapply(seq_len(ncol(x)), function(k)
  pmin(pmax((x[, k] - pct_low[k]) / (pct_high[k] - pct_low[k]), 0), 1))
colnames(pctnorm) <- colnames(x)

rsei_of <- function(ni, scale) {
  pc <- prcomp(ni, center = TRUE, scale. = scale)
  sign <- if (pc$rotation["ndvi", 1] > 0) 1 else -1
  score <- sign * pc$x[, 1]
  list(rsei = (score - min(score)) / (max(score) - min(score)),
       eig = pc$sdev^2, loadings = sign * pc$rotation[, 1], share = pc$sdev[1]^2 / sum(pc$sdev^2))
}
variants <- list(covariance_min_max = rsei_of(minmax, FALSE),
                 correlation_min_max = rsei_of(minmax, TRUE),
                 covariance_percentile = rsei_of(pctnorm, FALSE))

g17 <- function(z) sprintf("%.17g", z)
rc <- rowColFromCell(ndvi, seq_len(ncell(ndvi)))
px <- data.frame(cell = seq_len(ncell(ndvi)), row = rc[, 1] - 1L, col = rc[, 2] - 1L,
                 ndvi = g17(ndvi_v), evi = g17(v(evi)), ndmi = g17(v(ndmi)), si = g17(v(si)),
                 ibi = g17(v(ibi)), ndbsi = g17(v(ndbsi)), wet = g17(v(wet)),
                 bt_K = g17(v(bt)), lst_K = g17(v(lst_K)), fvc = g17(v(fvc)))
for (name in names(variants)) px[[paste0("rsei_", name)]] <- g17(variants[[name]]$rsei)
write.csv(px, "expected_pixels.csv", row.names = FALSE, quote = FALSE)

pca <- do.call(rbind, lapply(names(variants), function(name) {
  r <- variants[[name]]
  data.frame(variant = name, eigenvalue_1 = g17(r$eig[1]), eigenvalue_2 = g17(r$eig[2]),
             eigenvalue_3 = g17(r$eig[3]), eigenvalue_4 = g17(r$eig[4]),
             loading_ndvi = g17(r$loadings["ndvi"]), loading_wet = g17(r$loadings["wet"]),
             loading_ndbsi = g17(r$loadings["ndbsi"]), loading_lst_C = g17(r$loadings["lst_C"]),
             pc1_share = g17(r$share))
}))
write.csv(pca, "expected_pca.csv", row.names = FALSE, quote = FALSE)

pct <- data.frame(quantity = c("fvc_ndvi_soil_p05", "fvc_ndvi_veg_p95",
                               paste0("p01_", colnames(x)), paste0("p99_", colnames(x))),
                  value = g17(c(fvc_p, pct_low, pct_high)))
write.csv(pct, "expected_percentiles.csv", row.names = FALSE, quote = FALSE)
cat("wrote", nrow(px), "pixels; R", R.version.string, "terra", as.character(packageVersion("terra")),
    "\n")
print(pca)
