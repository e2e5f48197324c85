#!/bin/sh
# Depression filling, D8 and MFD flow accumulation and the LS factor of DEM.TIF by SAGA GIS 8.5.0
# (Debian bookworm `saga`), written as saga_reference.csv (one row per cell, 0-based row/col from
# the top-left). Run in this folder; DEM.TIF is copied unchanged from the R package satellite
# 1.0.4 (Debian r-cran-satellite, extdata/DEM.TIF; see README.md).
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp DEM.TIF "$work/dem.tif"
cd "$work"
# Wang & Liu (2006) fill with SAGA's default minimum slope of 0.1 degree.
saga_cmd ta_preprocessor 4 -ELEV dem.tif -FILLED filled.sdat -MINSLOPE 0.1 >/dev/null
# Zevenbergen & Thorne slope (radians) of the filled DEM.
saga_cmd ta_morphometry 0 -ELEVATION filled.sdat -SLOPE slope.sdat -METHOD 6 -UNIT_SLOPE 0 >/dev/null
# Flow accumulation (top-down) in m²: METHOD 0 = D8, METHOD 4 = MFD (Freeman 1991,
# convergence 1.1, no contour-length weights).
for m in 0 4; do
  saga_cmd ta_hydrology 0 -ELEVATION filled.sdat -FLOW flow$m.sdat -METHOD $m -FLOW_UNIT 1 \
    -CONVERGENCE 1.1 -MFD_CONTOUR 0 >/dev/null
  # LS factor, Moore et al. 1991, area divided by the cell size (specific catchment area).
  saga_cmd ta_hydrology 22 -SLOPE slope.sdat -AREA flow$m.sdat -LS ls$m.sdat -CONV 1 -METHOD 0 >/dev/null
done
for f in dem.tif filled.sdat slope.sdat flow0.sdat flow4.sdat ls0.sdat ls4.sdat; do
  gdal_translate -q -of XYZ -ot Float64 "$f" "$f.xyz"
done
out=$OLDPWD/saga_reference.csv
echo "row,col,dem_m,filled_m,slope_rad,area_d8_m2,area_mfd_m2,ls_d8,ls_mfd" > "$out"
paste -d' ' dem.tif.xyz filled.sdat.xyz slope.sdat.xyz flow0.sdat.xyz flow4.sdat.xyz \
  ls0.sdat.xyz ls4.sdat.xyz |
  awk '{ idx = NR - 1; printf "%d,%d,%s,%s,%s,%s,%s,%s,%s\n", int(idx / 41), idx % 41,
         $3, $6, $9, $12, $15, $18, $21 }' >> "$out"
