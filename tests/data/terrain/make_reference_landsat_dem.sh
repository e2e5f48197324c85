#!/usr/bin/env bash
# Terrain references for DEM.TIF of the R package satellite (41 x 41 cells of 30 m, EPSG:32632)
# from three independent tools (Debian bookworm):
#   r-cran-terra 1.7-3      : terrain(neighbors = 8), Horn
#   gdal-bin 3.6 'gdaldem'  : slope/aspect, Horn (default) and Zevenbergen-Thorne
#   saga 8.5 'saga_cmd'     : ta_morphometry 0 "Slope, Aspect, Curvature",
#                             METHOD 6 = 9-parameter 2nd-order polynomial (Zevenbergen & Thorne 1987)
#                             METHOD 3 = 6-parameter 2nd-order polynomial (Evans 1979)
# Needs r-cran-satellite (1.0.4, which ships DEM.TIF), r-cran-terra, gdal-bin, saga.
# Run in this folder:  bash make_reference_landsat_dem.sh
# Writes landsat_reference_terrain.csv (1681 rows, one per cell, every tool's value); make_fixtures.py
# then cuts landsat_dem_terrain_reference.csv out of it. Edge cells are nodata in gdaldem outputs
# (no -compute_edges); SAGA fills them with its own edge rule.
set -euo pipefail
dem=$(Rscript -e 'cat(system.file("extdata", "DEM.TIF", package = "satellite"))')
[ -n "$dem" ] || { echo "DEM.TIF not found: install r-cran-satellite" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out="$tmp/reference_terrain"
mkdir -p "$out"

gdaldem slope  "$dem" "$out/gdal_slope_horn_deg.tif"   -alg Horn -of GTiff -q
gdaldem aspect "$dem" "$out/gdal_aspect_horn_deg.tif"  -alg Horn -of GTiff -q
gdaldem slope  "$dem" "$out/gdal_slope_zt_deg.tif"     -alg ZevenbergenThorne -of GTiff -q
gdaldem aspect "$dem" "$out/gdal_aspect_zt_deg.tif"    -alg ZevenbergenThorne -of GTiff -q

gdal_translate -q -of SAGA -ot Float32 "$dem" "$tmp/dem.sdat"
for m in 6 3; do
  saga_cmd ta_morphometry 0 -ELEVATION "$tmp/dem.sgrd" \
    -SLOPE "$tmp/slope_m$m.sgrd" -ASPECT "$tmp/aspect_m$m.sgrd" \
    -C_GENE "$tmp/cgene_m$m.sgrd" -C_PROF "$tmp/cprof_m$m.sgrd" -C_PLAN "$tmp/cplan_m$m.sgrd" \
    -C_TANG "$tmp/ctang_m$m.sgrd" -C_TOTA "$tmp/ctota_m$m.sgrd" \
    -METHOD $m -UNIT_SLOPE 1 -UNIT_ASPECT 1 > "$tmp/saga_m$m.log"
  for v in slope aspect cgene cprof cplan ctang ctota; do
    gdal_translate -q -of GTiff -ot Float32 -a_srs EPSG:32632 "$tmp/${v}_m$m.sdat" "$out/saga_m${m}_${v}.tif"
  done
done
rm -f "$out"/*.aux.xml

# One CSV with every terrain reference per cell (row/col 0-based from the top-left), plus
# terra::terrain (Horn); nodata written as NA.
Rscript -e '
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(terra))
dem <- rast(args[1])
rc <- rowColFromCell(dem, 1:ncell(dem))
df <- data.frame(row = rc[, 1] - 1L, col = rc[, 2] - 1L, dem_m = values(dem, mat = FALSE))
tr <- terrain(dem, v = c("slope", "aspect"), neighbors = 8, unit = "degrees")
df$terra_slope_horn_deg <- values(tr[["slope"]], mat = FALSE)
df$terra_aspect_horn_deg <- values(tr[["aspect"]], mat = FALSE)
for (f in sort(list.files(args[2], pattern = "[.]tif$", full.names = TRUE))) {
  r <- rast(f); v <- values(r, mat = FALSE); v[v <= -9999] <- NA
  df[[sub("[.]tif$", "", basename(f))]] <- v
}
write.csv(df, "landsat_reference_terrain.csv", row.names = FALSE)
inner <- df$row > 0 & df$row < 40 & df$col > 0 & df$col < 40
cat("max |terra - gdal Horn slope| (interior):",
    max(abs(df$terra_slope_horn_deg - df$gdal_slope_horn_deg)[inner]), "\n")
cat("max |gdal ZT - saga m6 slope| (interior):",
    max(abs(df$gdal_slope_zt_deg - df$saga_m6_slope)[inner]), "\n")
' "$dem" "$out"
