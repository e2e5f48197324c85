# Oracle for land-use areas: categorical "from" and "to" maps made by classifying two real DEMs,
# zone polygons, and the areas R terra computes on them. Run in this folder with
#   Rscript make_expected.R
# (Debian bookworm r-cran-terra 1.7-3, GDAL 3.6.2, PROJ 9.1.1, GEOS 3.11.1). See README.md.
#
# Writes, for each map pair <m> in {lux (geographic), marburg (projected)}:
#   <m>_from.tif, <m>_to.tif       the classified maps (Byte, nodata 255)
#   <m>_crosstab.csv               from, to, cells          terra::crosstab (NA cells left out)
#   <m>_transitions.csv            from, to, cells, area_m2, area_ha: Σ of the true cell area
#                                  a = cellSize(transform = TRUE, rcx >= dims) by (from, to)
#   <m>_class_area.csv             date (from|to), class, cells, area_m2, area_ha
#   <m>_zone_class_area.csv        zone_id, date, class, area_m2: Σ f·a over the zone's cells of
#                                  that class, f = extract(exact = TRUE) fraction; and
#                                  area_planar_frac_m2, the same with f the planar fraction
#                                  (see below for the difference)
#   <m>_zone_transitions.csv       zone_id, from, to, area_m2, area_planar_frac_m2: Σ f·a by
#                                  (from, to)
#   <m>_zone_totals.csv            zone_id, covered_area_m2 (Σ f·a over every cell of the grid
#                                  in the zone, NA or not), valid_area_from_m2, valid_area_to_m2,
#                                  and the three again with the planar f (*_planar_frac_m2)
# and zones.gpkg with the layers `lux` (EPSG:4326) and `marburg` (EPSG:32632). (terra 1.7-3's
# vect("zones.gpkg", layer = "marburg") reports the FIRST layer's CRS, EPSG:4326; this script
# therefore uses the zones it built in memory, and readers must not trust terra's CRS there.)
# Every number is printed with 17 significant digits.
suppressPackageStartupMessages(library(terra))

fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
write_table <- function(df, path) {
  for (name in names(df)) if (is.double(df[[name]])) df[[name]] <- fmt(df[[name]])
  write.csv(df, path, row.names = FALSE, quote = FALSE)
}

# Classification: value < t1 → 1, t1 <= value < t2 → 2, value >= t2 → c3 (NA stays NA).
classify3 <- function(r, t1, t2, c3) {
  classify(r, rbind(c(-Inf, t1, 1), c(t1, t2, 2), c(t2, Inf, c3)), right = FALSE)
}

zone_layer <- function(wkts, ids, crs) {
  v <- vect(wkts, crs = crs)
  v$zone_id <- ids
  v
}

# Zones of the Luxembourg map (lon/lat): L1 a quadrilateral, L2 a polygon with a hole, L3 partly
# outside the raster (past its west edge), L4 a small triangle.
lux_zones <- zone_layer(c(
  "POLYGON ((5.9013 49.6021, 6.0517 49.5803, 6.1042 49.7011, 5.9488 49.7237, 5.9013 49.6021))",
  paste("POLYGON ((6.1031 49.7512, 6.3527 49.7468, 6.3481 49.9533, 6.0987 49.9507, 6.1031 49.7512),",
        "(6.1812 49.8023, 6.2714 49.8195, 6.2533 49.9011, 6.1706 49.8862, 6.1812 49.8023))"),
  "POLYGON ((5.7019 49.8217, 5.8533 49.8309, 5.8611 49.9112, 5.7113 49.9221, 5.7019 49.8217))",
  "POLYGON ((6.2004 49.6021, 6.2717 49.6318, 6.2123 49.6709, 6.2004 49.6021))"),
  c("L1", "L2", "L3", "L4"), "EPSG:4326")

# Zones of the Marburg map (UTM 32N, m): M1 a quadrilateral, M2 with a hole, M3 past the east
# edge, M4 over the south-west corner.
marburg_zones <- zone_layer(c(
  "POLYGON ((483400.5 5627400.25, 483700.1 5627380.7, 483750.3 5627700.9, 483420.8 5627720.4, 483400.5 5627400.25))",
  paste("POLYGON ((483790.3 5627810.7, 484310.9 5627795.1, 484320.2 5628290.4, 483805.6 5628310.8, 483790.3 5627810.7),",
        "(483950.2 5627950.6, 484150.7 5627960.3, 484140.1 5628140.9, 483960.4 5628150.2, 483950.2 5627950.6))"),
  "POLYGON ((484400.4 5627400.6, 484700.2 5627450.3, 484650.9 5627700.1, 484380.7 5627650.8, 484400.4 5627400.6))",
  "POLYGON ((483200.3 5627200.9, 483450.6 5627250.2, 483380.1 5627500.7, 483200.3 5627200.9))"),
  c("M1", "M2", "M3", "M4"), "EPSG:32632")

if (file.exists("zones.gpkg")) invisible(file.remove("zones.gpkg"))
writeVector(lux_zones, "zones.gpkg", layer = "lux")
writeVector(marburg_zones, "zones.gpkg", layer = "marburg", insert = TRUE)

one_pair <- function(name, dem_path, from_thresholds, to_thresholds, to_mask_above, zones) {
  dem <- rast(dem_path)
  from <- classify3(dem, from_thresholds[1], from_thresholds[2], 3)
  to <- classify3(dem, to_thresholds[1], to_thresholds[2], 5)
  # The "to" date has its own nodata too (like a cloud mask): cells above to_mask_above.
  if (is.finite(to_mask_above)) to <- mask(to, dem > to_mask_above, maskvalues = TRUE)
  names(from) <- "from"
  names(to) <- "to"
  writeRaster(from, paste0(name, "_from.tif"), datatype = "INT1U", NAflag = 255,
              overwrite = TRUE, gdal = c("COMPRESS=DEFLATE"))
  writeRaster(to, paste0(name, "_to.tif"), datatype = "INT1U", NAflag = 255,
              overwrite = TRUE, gdal = c("COMPRESS=DEFLATE"))
  from <- rast(paste0(name, "_from.tif"))
  to <- rast(paste0(name, "_to.tif"))

  # True cell area, m². rcx at least the raster's rows and columns: every cell computed, no
  # interpolation (terra's default rcx = 100 interpolates on larger grids).
  area <- cellSize(from, mask = FALSE, unit = "m", transform = TRUE, rcx = max(dim(from)[1:2]))

  ct <- as.data.frame(crosstab(c(from, to), long = TRUE))
  names(ct) <- c("from", "to", "cells")
  ct <- ct[order(ct$from, ct$to), ]
  write_table(ct, paste0(name, "_crosstab.csv"))

  v <- data.frame(from = values(from)[, 1], to = values(to)[, 1], a = values(area)[, 1])
  both <- v[!is.na(v$from) & !is.na(v$to), ]
  tr <- aggregate(cbind(cells = 1, area_m2 = both$a) ~ from + to, data = cbind(both), FUN = sum)
  tr <- tr[order(tr$from, tr$to), ]
  tr$area_ha <- tr$area_m2 / 1e4
  write_table(tr, paste0(name, "_transitions.csv"))

  class_area <- function(date) {
    d <- v[!is.na(v[[date]]), ]
    out <- aggregate(cbind(cells = 1, area_m2 = d$a) ~ d[[date]], FUN = sum)
    names(out)[1] <- "class"
    data.frame(date = date, out)
  }
  ca <- rbind(class_area("from"), class_area("to"))
  ca$area_ha <- ca$area_m2 / 1e4
  write_table(ca, paste0(name, "_class_area.csv"))

  # Exact zonal areas: every cell a zone touches, with its coverage fraction f, two ways.
  #  * terra: extract(exact = TRUE). terra 1.7-3 takes f = geodesic area(cell ∩ zone) / geodesic
  #    area(cell) (both polygons' vertices taken to lon/lat, geodesic edges) on lon/lat AND
  #    projected rasters (checked: equal to 1e-12 to expanse(intersect(cell, zone)) / expanse(cell)).
  #  * planar: f = area(cell ∩ zone) / area(cell) in the grid's own coordinates (degrees for
  #    lon/lat), the definition of exactextract and of minecarbon's geo/coverage.h. GEOS
  #    intersections after shifting the grid origin to (0, 0): terra's planar expanse() is a
  #    shoelace on the raw coordinates and loses ~3e-4 m² per piece at UTM northings (~5.6e6 m).
  ex <- extract(c(from, to), zones, exact = TRUE, cells = TRUE)
  ex$zone_id <- zones$zone_id[ex$ID]
  e <- ext(from)
  cell_ids <- rast(from)
  values(cell_ids) <- seq_len(ncell(from))
  cells_poly_crs <- as.polygons(cell_ids, dissolve = FALSE, na.rm = FALSE)
  names(cells_poly_crs) <- "cell"
  cells_poly <- shift(cells_poly_crs, -e$xmin, -e$ymin)
  names(cells_poly) <- "cell"
  crs(cells_poly) <- ""
  zones_local <- shift(zones, -e$xmin, -e$ymin)
  crs(zones_local) <- ""
  pieces <- intersect(cells_poly, zones_local)
  pl <- data.frame(cell = pieces$cell, zone_id = pieces$zone_id,
                   fraction = suppressWarnings(expanse(pieces, transform = FALSE)) /
                     prod(res(from)))
  pl <- aggregate(fraction ~ cell + zone_id, data = pl, FUN = sum)  # multi-part pieces
  # The claim above about terra's fractions, checked on every run: the geodesic ratio of the same
  # GEOS pieces (vertices in the map's CRS) reproduces extract(exact = TRUE).
  geo_pieces <- intersect(cells_poly_crs, zones)
  geo_ratio <- data.frame(cell = geo_pieces$cell, zone_id = geo_pieces$zone_id,
                          g = expanse(geo_pieces, transform = TRUE))
  geo_ratio <- aggregate(g ~ cell + zone_id, data = geo_ratio, FUN = sum)
  geo_ratio$g <- geo_ratio$g / values(area)[geo_ratio$cell, 1]
  m <- match(paste(ex$cell, ex$zone_id), paste(geo_ratio$cell, geo_ratio$zone_id))
  stopifnot(max(abs(ex$fraction - geo_ratio$g[m])) < 1e-9)
  pm <- match(paste(ex$cell, ex$zone_id), paste(pl$cell, pl$zone_id))
  cat(sprintf("%s: max |terra exact fraction - geodesic ratio| = %.3g, - planar fraction = %.3g\n",
              name, max(abs(ex$fraction - geo_ratio$g[m])), max(abs(ex$fraction - pl$fraction[pm]))))
  pl$from <- values(from)[pl$cell, 1]
  pl$to <- values(to)[pl$cell, 1]

  zone_sums <- function(x) {
    x$fa <- x$fraction * values(area)[x$cell, 1]
    zca <- NULL
    for (date in c("from", "to")) {
      d <- x[!is.na(x[[date]]), ]
      out <- aggregate(d$fa, by = list(zone_id = d$zone_id, class = d[[date]]), FUN = sum)
      zca <- rbind(zca, data.frame(zone_id = out$zone_id, date = date, class = out$class,
                                   area_m2 = out$x))
    }
    d <- x[!is.na(x$from) & !is.na(x$to), ]
    ztr <- aggregate(d$fa, by = list(zone_id = d$zone_id, from = d$from, to = d$to), FUN = sum)
    names(ztr)[4] <- "area_m2"
    tot <- data.frame(zone_id = zones$zone_id)
    tot$covered_area_m2 <- sapply(tot$zone_id, function(z) sum(x$fa[x$zone_id == z]))
    tot$valid_area_from_m2 <- sapply(tot$zone_id, function(z)
      sum(x$fa[x$zone_id == z & !is.na(x$from)]))
    tot$valid_area_to_m2 <- sapply(tot$zone_id, function(z)
      sum(x$fa[x$zone_id == z & !is.na(x$to)]))
    list(class = zca, transitions = ztr, totals = tot)
  }
  terra_z <- zone_sums(ex)
  planar_z <- zone_sums(pl)
  keys <- function(df, cols) do.call(paste, df[cols])
  join <- function(t, p, cols, value) {
    out <- merge(t, p, by = cols, all = TRUE, suffixes = c("", "_planar_frac"))
    out[[value]][is.na(out[[value]])] <- 0
    out[[paste0(value, "_planar_frac")]][is.na(out[[paste0(value, "_planar_frac")]])] <- 0
    out[do.call(order, out[cols]), ]
  }
  zca <- join(terra_z$class, planar_z$class, c("zone_id", "date", "class"), "area_m2")
  names(zca)[names(zca) == "area_m2_planar_frac"] <- "area_planar_frac_m2"
  write_table(zca, paste0(name, "_zone_class_area.csv"))
  ztr <- join(terra_z$transitions, planar_z$transitions, c("zone_id", "from", "to"), "area_m2")
  names(ztr)[names(ztr) == "area_m2_planar_frac"] <- "area_planar_frac_m2"
  write_table(ztr, paste0(name, "_zone_transitions.csv"))
  tot <- terra_z$totals
  for (col in c("covered_area_m2", "valid_area_from_m2", "valid_area_to_m2"))
    tot[[sub("_m2$", "_planar_frac_m2", col)]] <- planar_z$totals[[col]]
  write_table(tot, paste0(name, "_zone_totals.csv"))
}

# Luxembourg (terra's elev.tif, 141-547 m): from classes at 300 / 400 m, to at 330 / 450 m
# (class 3 becomes 5), "to" nodata above 500 m.
one_pair("lux", "lux_elev.tif", c(300, 400), c(330, 450), 500, lux_zones)
# Marburg (Landsat DEM subset, 179-259 m): from at 200 / 230 m, to at 215 / 245 m, "to" nodata
# above 255 m.
one_pair("marburg", "marburg_dem.tif", c(200, 230), c(215, 245), 255, marburg_zones)
