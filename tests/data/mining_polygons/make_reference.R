# Reference areas of the 100 mine polygons in maus_tang_combined_demo_100.gpkg.
# Run in this folder:  Rscript make_reference.R
# Needs (Debian bookworm): r-cran-terra 1.7-3, gdal-bin 3.6.2 (ogr2ogr with SpatiaLite 5.0.1).
# Writes reference_areas_maus_tang_demo.csv: the source's id columns, n_vertices (closing points
# and holes included), is_valid (GEOS through terra), terra_area_m2 = expanse(transform = TRUE)
# (geodesic, GeographicLib), terra_perimeter_m = perim(), the planar centroid in degrees, and
# spatialite_area_m2 = SpatiaLite ST_Area(geom, 1) through ogr2ogr, an approximate ellipsoidal
# area given as a second opinion only.
suppressPackageStartupMessages(library(terra))
gpkg <- "maus_tang_combined_demo_100.gpkg"
v <- vect(gpkg)
geo <- geom(v)
cen <- crds(centroids(v))
out <- data.frame(id = v$id, ISO3_CODE = v$ISO3_CODE, COUNTRY_NAME = v$COUNTRY_NAME,
                  n_vertices = as.vector(table(factor(geo[, "geom"], levels = seq_len(nrow(v))))),
                  is_valid = is.valid(v), terra_area_m2 = expanse(v, transform = TRUE),
                  terra_perimeter_m = perim(v), centroid_lon = cen[, 1], centroid_lat = cen[, 2])
tmp <- tempfile(fileext = ".csv")
system2("ogr2ogr", c("-f", "CSV", tmp, gpkg, "-dialect", "SQLite", "-sql",
                     shQuote("SELECT id, ST_Area(geom, 1) AS a FROM mining_polygons_combined_demo")))
sl <- read.csv(tmp)
out$spatialite_area_m2 <- sl$a[match(out$id, sl$id)]
write.csv(out, "reference_areas_maus_tang_demo.csv", row.names = FALSE)
cat("total geodesic area (km2):", sum(out$terra_area_m2) / 1e6, "\n")
