#!/usr/bin/env python3
"""Cut the two terrain fixtures of this folder (and ../terra_cell_area/) out of the full reference
tables that make_reference_landsat_dem.sh and make_reference_terra_elev.R write.

Run in this folder after those two scripts:
    python3 make_fixtures.py landsat_reference_terrain.csv terra_elev_reference_terrain.csv
Values are copied as text, unchanged; only columns are chosen and rows dropped. The two terrain
tables have CRLF line ends, the cell-area table LF (as committed).
"""
import csv
import sys

LANDSAT_COLUMNS = ["row", "col", "dem_m", "terra_slope_horn_deg", "terra_aspect_horn_deg",
                   "gdal_slope_horn_deg", "gdal_aspect_horn_deg", "gdal_slope_zt_deg",
                   "gdal_aspect_zt_deg", "saga_m6_slope", "saga_m6_aspect", "saga_m6_cgene",
                   "saga_m6_cprof", "saga_m6_cplan"]
TERRA_COLUMNS = ["row", "col", "lon", "lat", "elev_m", "slope8_deg", "aspect8_deg", "slope4_deg",
                 "aspect4_deg"]


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def write(path, columns, rows, line_end):
    with open(path, "w", newline="") as f:
        out = csv.writer(f, lineterminator=line_end)
        out.writerow(columns)
        for r in rows:
            out.writerow([r[c] for c in columns])


def main(landsat_csv, terra_csv):
    write("landsat_dem_terrain_reference.csv", LANDSAT_COLUMNS, read(landsat_csv), "\r\n")
    terra = [r for r in read(terra_csv) if r["elev_m"] != "NA"]
    write("terra_elev_terrain_reference.csv", TERRA_COLUMNS, terra, "\r\n")
    # One row per raster row with data: every cell of a row has the same area.
    first_in_row = {}
    for r in terra:
        first_in_row.setdefault(r["row"], r)
    write("../terra_cell_area/terra_cell_area_by_row.csv", ["row", "lat", "cell_area_km2"],
          first_in_row.values(), "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
