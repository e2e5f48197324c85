# Reference zonal means for minecarbon's exact-coverage, true-area-weighted statistics.
# Run from this folder:  Rscript make_reference.R   (Debian bookworm: r-cran-terra 1.7-3)
#
# For the first 20 polygons of ../mining_polygons/maus_tang_combined_demo_100.gpkg with an area
# above 0.1 km2, writes a small lon/lat raster over the polygon (0.0025 deg cells, origin on a
# multiple of 0.0025 deg, 3 cells of margin), values from a smooth formula plus every 7th cell NA,
# as r_<k>.tif (Float64, k = 1..20). Then the reference mean is
#   sum(f * a * x) / sum(f * a)  over non-NA cells,
# f = coverage fraction, a = terra::cellSize (m2), with f from terra::extract(exact = TRUE) ->
# terra_exact_means.csv; the touched cells with x, a and terra's f -> terra_cells.csv, from which
# make_reference_geos.py computes the exact means (f by GEOS intersection).
suppressPackageStartupMessages(library(terra))
v <- vect("../mining_polygons/maus_tang_combined_demo_100.gpkg")
area <- expanse(v, transform = TRUE)
pick <- which(area > 1e5)[1:20]
res <- 0.0025
out <- data.frame()
cells <- data.frame()
for (k in seq_along(pick)) {
  p <- v[pick[k]]
  e <- ext(p)
  xmin <- floor(e$xmin / res) * res - 3 * res
  xmax <- ceiling(e$xmax / res) * res + 3 * res
  ymin <- floor(e$ymin / res) * res - 3 * res
  ymax <- ceiling(e$ymax / res) * res + 3 * res
  r <- rast(xmin = xmin, xmax = xmax, ymin = ymin, ymax = ymax, resolution = res, crs = "EPSG:4326")
  xy <- xyFromCell(r, 1:ncell(r))
  vals <- 300 + 120 * sin(xy[, 1] * 300) * cos(xy[, 2] * 250) + 0.5 * (1:ncell(r) %% 13)
  vals[(1:ncell(r)) %% 7 == 0] <- NA
  values(r) <- vals
  f <- sprintf("r_%d.tif", k)
  writeRaster(r, f, overwrite = TRUE, datatype = "FLT8S", NAflag = -9999)
  r <- rast(f)
  a <- cellSize(r, unit = "m", mask = FALSE)
  ex <- extract(c(r, a), p, exact = TRUE, cells = TRUE)
  names(ex) <- c("ID", "x", "a", "cell", "f")
  ok <- !is.na(ex$x)
  w <- ex$f * ex$a
  cells <- rbind(cells, data.frame(k = k, id = p$id, cell = ex$cell,
                                   row = rowFromCell(r, ex$cell) - 1, col = colFromCell(r, ex$cell) - 1,
                                   x = ex$x, a = ex$a, f_terra = ex$f))
  out <- rbind(out, data.frame(k = k, id = p$id, n_cells = nrow(ex),
                               terra_exact_mean = sum(w[ok] * ex$x[ok]) / sum(w[ok]),
                               terra_exact_valid_area_m2 = sum(w[ok])))
}
write.csv(format(out, digits = 17), "terra_exact_means.csv", row.names = FALSE, quote = FALSE)
write.csv(format(cells, digits = 17), "terra_cells.csv", row.names = FALSE, quote = FALSE)
print(out)
