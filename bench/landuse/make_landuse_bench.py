#!/usr/bin/python3
"""Benchmark inputs for the landuse stage (Debian python3-gdal, python3-numpy).

Writes into OUT (default landuse_bench_data/), all deterministic from --seed:
  lulc_2000_deflate.tif, lulc_2020_deflate.tif   N x N Byte land-use maps, EPSG:32649 (UTM 49N),
  lulc_2000_raw.tif,     lulc_2020_raw.tif       30 m cells, upper-left (300000, 4700000), tiled
                                                 512 x 512; DEFLATE and uncompressed variants of
                                                 the same cells; nodata 255 (none used)
  pools.csv       the 9 classes with c_above, c_below, c_soil, c_dead (Mg C/ha) and *_sd columns
  mines.gpkg      M star-shaped mine polygons (layer `mines`, field `mine_id`) on mining areas

Classes: 1 cropland, 2 forest, 3 grassland, 4 water, 5 built, 6 pit, 7 dump, 8 reclaimed grass,
9 reclaimed forest. The maps come from multi-octave value noise (random lattices at 1024, 256, 64
and 16 cells, smooth-step bilinear interpolation) evaluated at each cell's global position, so
patches are spatially coherent and the result does not depend on how the rows are cut for
writing. Change 2000 -> 2020: mining areas grow (new pit and dump on former cropland, forest,
grassland), part of the 2000 pit and dump is reclaimed (8, 9), built land spreads a little, and
some forest/grassland edges shift. At N = 2000, 7.3 % of cells change; mines cover ~5 %.

Usage: make_landuse_bench.py [--n 20000] [--mines 2000] [--seed 2026] [--out DIR]
The default size writes 2 x 400 MB uncompressed plus ~2 x 60-120 MB DEFLATE and takes minutes;
use --n 2000 for a quick check.
"""
import argparse
import csv
import os

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

CELL_M = 30.0
X0, Y0 = 300000.0, 4700000.0
EPSG = 32649
TILE = 512
STRIP = 128  # rows generated at a time (memory: ~10 fields x STRIP x N float32)

# lucode, name, (above, below, soil, dead) Mg C/ha. Plausible magnitudes for north China (InVEST
# sample tables and the seed's land-use classes); benchmark data, not a reference table.
POOLS = [
    (1, "cropland", (5.0, 1.0, 60.0, 0.0)),
    (2, "forest", (90.0, 22.0, 110.0, 12.0)),
    (3, "grassland", (3.0, 8.0, 75.0, 1.0)),
    (4, "water", (0.0, 0.0, 0.0, 0.0)),
    (5, "built", (2.0, 0.5, 30.0, 0.0)),
    (6, "pit", (0.0, 0.0, 5.0, 0.0)),
    (7, "dump", (0.5, 0.1, 8.0, 0.0)),
    (8, "reclaimed_grass", (2.0, 4.0, 25.0, 0.5)),
    (9, "reclaimed_forest", (20.0, 5.0, 35.0, 2.0)),
]


class ValueNoise:
    """Sum of octaves of lattice value noise in [about -1, 1], a function of (row, col) only."""

    def __init__(self, rng, n, spacings=(1024, 256, 64, 16), gains=(1.0, 0.5, 0.25, 0.12)):
        self.octaves = []
        for s, g in zip(spacings, gains):
            size = n // s + 3
            self.octaves.append((s, g, rng.uniform(-1.0, 1.0, size=(size, size)).astype(np.float32)))
        self.norm = 1.0 / sum(gains)

    @staticmethod
    def _weights(coord, s):
        i = np.floor(coord / s).astype(np.int64)
        t = (coord / s - i).astype(np.float32)
        return i, t * t * (3.0 - 2.0 * t)  # smooth step

    def rows(self, r0, r1, n):
        out = np.zeros((r1 - r0, n), dtype=np.float32)
        rows = np.arange(r0, r1, dtype=np.float64) + 0.5
        cols = np.arange(n, dtype=np.float64) + 0.5
        for s, g, lat in self.octaves:
            i, ty = self._weights(rows, s)
            j, tx = self._weights(cols, s)
            lo, hi = i.min(), i.max() + 1
            # Interpolate the few lattice rows this strip needs along x, then along y.
            band = lat[lo:hi + 1]
            along_x = band[:, j] * (1.0 - tx) + band[:, j + 1] * tx
            out += g * (along_x[i - lo] * (1.0 - ty)[:, None] + along_x[i + 1 - lo] * ty[:, None])
        return out * self.norm

    def points(self, r, c):
        """Values at cells (r[k], c[k]); the same numbers rows() gives there."""
        out = np.zeros(len(r), dtype=np.float32)
        for s, g, lat in self.octaves:
            i, ty = self._weights(np.asarray(r, dtype=np.float64) + 0.5, s)
            j, tx = self._weights(np.asarray(c, dtype=np.float64) + 0.5, s)
            top = lat[i, j] * (1.0 - tx) + lat[i, j + 1] * tx
            bottom = lat[i + 1, j] * (1.0 - tx) + lat[i + 1, j + 1] * tx
            out += g * (top * (1.0 - ty) + bottom * ty)
        return out * self.norm


def classify(noise, r0, r1, n):
    """Class maps of 2000 and 2020 for rows [r0, r1)."""
    base = noise["base"].rows(r0, r1, n)
    moist = noise["moist"].rows(r0, r1, n)
    urban = noise["urban"].rows(r0, r1, n)
    mine = noise["mine"].rows(r0, r1, n)
    split = noise["split"].rows(r0, r1, n)
    edge = noise["edge"].rows(r0, r1, n)

    lc = np.full(base.shape, 1, dtype=np.uint8)           # cropland
    lc[base > 0.12] = 3                                    # grassland on higher ground
    lc[base > 0.30] = 2                                    # forest higher still
    lc[moist < -0.42] = 4                                  # water in the wettest hollows
    lc[urban > 0.38] = 5                                   # towns
    y2000 = lc.copy()
    y2020 = lc.copy()
    # Natural drift: forest/grassland edge moves where the edge noise says so; towns grow.
    shift = (base > 0.27) & (base <= 0.33) & (lc != 4) & (lc != 5)
    y2020[shift & (edge > 0.25)] = 2
    y2020[shift & (edge < -0.25)] = 3
    y2020[(urban > 0.33) & (lc != 4)] = 5
    # Mining (never in water): mined by 2000 where mine > 0.52, by 2020 where mine > 0.47; pit
    # or dump by the split noise.
    dry = lc != 4
    mined00 = (mine > 0.52) & dry
    mined20 = (mine > 0.47) & dry
    spoil = np.where(split > 0.0, 6, 7).astype(np.uint8)
    y2000[mined00] = spoil[mined00]
    y2020[mined20] = spoil[mined20]
    # Reclamation by 2020 of the 2000 mined land away from the active core (mine in 0.52-0.57,
    # edge noise not low): grass, or forest where the base is high.
    reclaim = mined00 & (mine < 0.57) & (edge > -0.1)
    y2020[reclaim] = np.where(base[reclaim] > 0.1, 9, 8).astype(np.uint8)
    return y2000, y2020


def create(path, n, compress):
    opts = ["TILED=YES", f"BLOCKXSIZE={TILE}", f"BLOCKYSIZE={TILE}", "BIGTIFF=IF_SAFER"]
    if compress:
        opts += ["COMPRESS=DEFLATE", "PREDICTOR=1"]
    ds = gdal.GetDriverByName("GTiff").Create(path, n, n, 1, gdal.GDT_Byte, options=opts)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    ds.SetProjection(srs.ExportToWkt())
    ds.SetGeoTransform([X0, CELL_M, 0.0, Y0, 0.0, -CELL_M])
    ds.GetRasterBand(1).SetNoDataValue(255)
    return ds


def write_pools(path):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["lucode", "name", "c_above", "c_below", "c_soil", "c_dead",
                    "c_above_sd", "c_below_sd", "c_soil_sd", "c_dead_sd"])
        for code, name, pools in POOLS:
            # sd: 15 % of the mean (25 % for the soil of disturbed classes 6-9).
            sds = [round(p * (0.25 if (code >= 6 and k == 2) else 0.15), 4) for k, p in enumerate(pools)]
            w.writerow([code, name, *pools, *sds])


def write_mines(path, n, n_mines, noise, rng):
    """Star-shaped polygons centred on mined, dry cells (mine noise > 0.48, not water)."""
    if os.path.exists(path):
        os.remove(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    lyr = ds.CreateLayer("mines", srs, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("mine_id", ogr.OFTString))
    lyr.StartTransaction()
    made = 0
    while made < n_mines:
        rows = rng.integers(0, n, size=4096)
        cols = rng.integers(0, n, size=4096)
        on_mine = (noise["mine"].points(rows, cols) > 0.48) & (noise["moist"].points(rows, cols) >= -0.42)
        for r, c, ok in zip(rows, cols, on_mine):
            if made == n_mines:
                break
            if not ok:
                continue
            cx, cy = X0 + (c + 0.5) * CELL_M, Y0 - (r + 0.5) * CELL_M
            area_m2 = rng.lognormal(mean=np.log(1.0e6), sigma=0.9)
            k = int(rng.integers(12, 33))
            ang = np.sort(rng.uniform(0.0, 2.0 * np.pi, k))
            rad = np.sqrt(area_m2 / np.pi) * rng.uniform(0.7, 1.25, k)
            ring = ogr.Geometry(ogr.wkbLinearRing)
            for a, rr in list(zip(ang, rad)) + [(ang[0], rad[0])]:
                ring.AddPoint_2D(float(cx + rr * np.cos(a)), float(cy + rr * np.sin(a)))
            poly = ogr.Geometry(ogr.wkbPolygon)
            poly.AddGeometry(ring)
            feat = ogr.Feature(lyr.GetLayerDefn())
            feat.SetField("mine_id", f"B{made + 1:05d}")
            feat.SetGeometry(poly)
            lyr.CreateFeature(feat)
            made += 1
    lyr.CommitTransaction()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20000, help="cells per side (default 20000)")
    ap.add_argument("--mines", type=int, default=2000, help="mine polygons (default 2000)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", default="landuse_bench_data")
    args = ap.parse_args()
    n = args.n
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    noise = {
        "base": ValueNoise(rng, n),
        "moist": ValueNoise(rng, n, (512, 128, 32), (1.0, 0.4, 0.15)),
        "urban": ValueNoise(rng, n, (256, 64, 16), (1.0, 0.4, 0.2)),
        "mine": ValueNoise(rng, n, (512, 128, 32), (1.0, 0.35, 0.1)),
        "split": ValueNoise(rng, n, (64, 16), (1.0, 0.3)),
        "edge": ValueNoise(rng, n, (128, 32), (1.0, 0.3)),
    }
    out = {}
    for year in (2000, 2020):
        for variant, compress in (("deflate", True), ("raw", False)):
            out[(year, variant)] = create(os.path.join(args.out, f"lulc_{year}_{variant}.tif"), n, compress)
    changed = 0
    for r0 in range(0, n, STRIP):
        r1 = min(n, r0 + STRIP)
        y2000, y2020 = classify(noise, r0, r1, n)
        changed += int(np.count_nonzero(y2000 != y2020))
        for variant in ("deflate", "raw"):
            out[(2000, variant)].GetRasterBand(1).WriteArray(y2000, 0, r0)
            out[(2020, variant)].GetRasterBand(1).WriteArray(y2020, 0, r0)
    for ds in out.values():
        ds.FlushCache()
    out.clear()
    write_pools(os.path.join(args.out, "pools.csv"))
    write_mines(os.path.join(args.out, "mines.gpkg"), n, args.mines, noise, rng)
    print(f"wrote {args.out}: {n} x {n} cells, {changed / (n * n):.2%} changed, {args.mines} mines")


if __name__ == "__main__":
    main()
