#!/usr/bin/python3
"""Exact reference zonal means: f = area(cell ∩ mine) / area(cell) by GDAL/OGR's GEOS Intersection
in degree space, for the cells terra_cells.csv lists (written by make_reference.R, with terra's
cell areas a and values x). Writes reference_zonal_means.csv:
  covered_area_m2 = Σ f·a, valid_area_m2 = Σ f·a over non-NA x, mean = Σ f·a·x / Σ f·a over non-NA x.
Run after make_reference.R:  /usr/bin/python3 make_reference_geos.py  (Debian python3-gdal 3.6.2)."""
import csv
from collections import defaultdict
from osgeo import gdal, ogr

gdal.UseExceptions()
ds = ogr.Open("../mining_polygons/maus_tang_combined_demo_100.gpkg")
mines = {f.GetField("id"): f.GetGeometryRef().Clone() for f in ds.GetLayer(0)}
sums = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
with open("terra_cells.csv") as fh:
    for row in csv.DictReader(fh):
        k, mine_id = int(row["k"]), int(row["id"])
        gt = gdal.Open(f"r_{k}.tif").GetGeoTransform()
        r, c = int(row["row"]), int(row["col"])
        x0, x1 = gt[0] + c * gt[1], gt[0] + (c + 1) * gt[1]
        y0, y1 = gt[3] + r * gt[5], gt[3] + (r + 1) * gt[5]
        cell = ogr.CreateGeometryFromWkt(
            f"POLYGON(({x0!r} {y0!r},{x1!r} {y0!r},{x1!r} {y1!r},{x0!r} {y1!r},{x0!r} {y0!r}))")
        f = mines[mine_id].Intersection(cell).GetArea() / cell.GetArea()
        a = float(row["a"])
        s = sums[(k, mine_id)]
        s[0] += f * a
        s[3] += 1
        if row["x"].strip() != "NA":
            s[1] += f * a
            s[2] += f * a * float(row["x"])
with open("reference_zonal_means.csv", "w") as out:
    out.write("k,id,n_cells,covered_area_m2,valid_area_m2,mean\n")
    for (k, mine_id), (covered, valid, weighted, n) in sorted(sums.items()):
        out.write(f"{k},{mine_id},{n},{covered!r},{valid!r},{weighted / valid!r}\n")
