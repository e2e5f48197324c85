#!/usr/bin/env python3
"""A synthetic damage world for the scale-out tests, written without GDAL (text formats only).

  make_world.py OUT_DIR [--bad-cell]

Mines (OUT_DIR/mines.geojson, WGS 84): 500 clusters of 2 x 2 squares of 0.009 deg (about 1 km)
that share their borders, the clusters 0.05 deg apart on a 25 x 20 lattice near 10 N, 20 E:
2,000 mines whose rings reach their neighbours' gap zones and cross the work units' boundaries.
Ids run in a scrambled order, so the input order is not the Hilbert order. One cluster (index 7)
is larger (squares of 0.02 deg) and lies 2.6 deg east of the rest, so the units holding its
mines are the most costly, rank 1 of `mpirun -n 2` takes them first, and no other unit reads
its raster windows.

NEP (OUT_DIR/nep_2001.tif … nep_2005.tif, made with gdal_translate from ESRI ASCII grids on a 0.0045 deg lon/lat grid with a
.prj): a smooth field plus a yearly trend and a deterministic hash noise, rounded to 1/16; nodata
(-9999) on a diagonal band. With --bad-cell, the cell at the centre of the large cluster's first
mine is "nan" in 2003: a data error the run must report with the file and the cell.
"""
import math
import os
import sys

out = sys.argv[1]
bad = "--bad-cell" in sys.argv[2:]
os.makedirs(out, exist_ok=True)

LON0, LAT0 = 20.0, 10.0
SPACING, SIDE = 0.05, 0.009
FAR_DLON = 2.6
NX, NY = 25, 20
features = []
order = []
for cy in range(NY):
    for cx in range(NX):
        c = cy * NX + cx
        side = 0.02 if c == 7 else SIDE
        x0, y0 = LON0 + cx * SPACING, LAT0 + cy * SPACING
        if c == 7:  # far east of the others: its raster windows are read by its units alone
            x0 = LON0 + FAR_DLON
        for k in range(4):
            i, j = k % 2, k // 2
            xa, ya = x0 + i * side, y0 + j * side
            ring = [[xa, ya], [xa + side, ya], [xa + side, ya + side], [xa, ya + side], [xa, ya]]
            order.append((c * 4 + k, ring))
# Scrambled input order (a fixed permutation).
n = len(order)
perm = sorted(range(n), key=lambda k: (k * 7919) % n)
lines = ['{"type":"FeatureCollection","features":[']
for pos, k in enumerate(perm):
    mid, ring = order[k]
    coords = ",".join("[%.6f,%.6f]" % (p[0], p[1]) for p in ring)
    lines.append(('' if pos == 0 else ',') +
                 '{"type":"Feature","properties":{"mine_id":"m%04d","ISO3_CODE":"%s"},'
                 '"geometry":{"type":"Polygon","coordinates":[[%s]]}}'
                 % (mid, "TCD" if mid % 3 else "CAF", coords))
lines.append("]}")
with open(os.path.join(out, "mines.geojson"), "w") as f:
    f.write("\n".join(lines) + "\n")

CELL = 0.0045
xmin, ymin = LON0 - 0.07, LAT0 - 0.07
cols = int(math.ceil((FAR_DLON + 0.04 + 0.14) / CELL))
rows = int(math.ceil((NY * SPACING + 0.14) / CELL))
ymax = ymin + rows * CELL
prj = ('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],'
       'PRIMEM["Greenwich",0],UNIT["Degree",0.0174532925199433]]')
big_x, big_y = LON0 + FAR_DLON + 0.01, LAT0 + 0.01  # inside the large cluster's first mine
bad_col, bad_row = int((big_x - xmin) / CELL), int((ymax - big_y) / CELL)
for year in range(2001, 2006):
    t = year - 2001
    rows_text = []
    for r in range(rows):
        vals = []
        for c in range(cols):
            if bad and year == 2003 and r == bad_row and c == bad_col:
                vals.append("nan")
                continue
            if abs((r - c * 0.8) % 97) < 1.5:
                vals.append("-9999")
                continue
            h = ((r * 73856093) ^ (c * 19349663) ^ (year * 83492791)) & 0xffff
            v = 300 + 80 * math.sin(c / 23.0) * math.cos(r / 31.0) - 4 * t + (h / 65535.0 - 0.5) * 40
            vals.append("%g" % (round(v * 16) / 16))
        rows_text.append(" ".join(vals))
    with open(os.path.join(out, "nep_%d.asc" % year), "w") as f:
        f.write("ncols %d\nnrows %d\nxllcorner %.6f\nyllcorner %.6f\ncellsize %g\n"
                "NODATA_value -9999\n" % (cols, rows, xmin, ymin, CELL))
        f.write("\n".join(rows_text) + "\n")
    with open(os.path.join(out, "nep_%d.prj" % year), "w") as f:
        f.write(prj + "\n")
# Tiled GeoTIFFs (128² blocks) of the grids: ASCII grids are one window of text to parse, which every
# unit would parse again.
import subprocess
for year in range(2001, 2006):
    asc = os.path.join(out, "nep_%d.asc" % year)
    subprocess.run(["gdal_translate", "-q", "-co", "TILED=YES", "-co", "BLOCKXSIZE=128",
                    "-co", "BLOCKYSIZE=128", asc, os.path.join(out, "nep_%d.tif" % year)],
                   check=True)
print("world: %d mines, %d x %d cells, bad cell %s" % (n, cols, rows,
      "row %d col %d of nep_2003.asc" % (bad_row, bad_col) if bad else "none"))
