# Reference terrain values for terra's example DEM of Luxembourg (elev.tif, lon/lat grid).
# Run in this folder:  Rscript make_reference_terra_elev.R
# Needs (Debian bookworm): r-cran-terra 1.7-3, which ships elev.tif.
# Writes terra_elev_reference_terrain.csv (8550 rows, one per cell); make_fixtures.py then cuts
# terra_elev_terrain_reference.csv and ../terra_cell_area/terra_cell_area_by_row.csv out of it.
# terra::terrain on a lon/lat raster uses geodesic cell sizes that vary with latitude
# (Horn 3x3 when neighbors = 8; 4-neighbour finite differences when neighbors = 4).
suppressPackageStartupMessages(library(terra))
dem <- rast(system.file("ex/elev.tif", package = "terra"))
rc <- rowColFromCell(dem, 1:ncell(dem))
xy <- xyFromCell(dem, 1:ncell(dem))
df <- data.frame(row = rc[, 1] - 1L, col = rc[, 2] - 1L, lon = xy[, 1], lat = xy[, 2],
                 elev_m = values(dem, mat = FALSE))
t8 <- terrain(dem, v = c("slope", "aspect", "TPI", "TRI", "roughness"), neighbors = 8, unit = "degrees")
t4 <- terrain(dem, v = c("slope", "aspect"), neighbors = 4, unit = "degrees")
df$slope8_deg <- values(t8[["slope"]], mat = FALSE)
df$aspect8_deg <- values(t8[["aspect"]], mat = FALSE)
df$slope4_deg <- values(t4[["slope"]], mat = FALSE)
df$aspect4_deg <- values(t4[["aspect"]], mat = FALSE)
df$TPI <- values(t8[["TPI"]], mat = FALSE)
df$TRI <- values(t8[["TRI"]], mat = FALSE)
df$roughness <- values(t8[["roughness"]], mat = FALSE)
df$cell_area_km2 <- values(cellSize(dem, unit = "km"), mat = FALSE)
write.csv(df, "terra_elev_reference_terrain.csv", row.names = FALSE)
cat("total area of non-NA cells (km2):", sum(df$cell_area_km2[!is.na(df$elev_m)]), "\n")
print(summary(df[, -(1:4)]))
