#!/usr/bin/python3
"""The numpy/GDAL peer of `minecarbon landuse` for the benchmark (Debian python3-numpy, python3-gdal).

What it computes, block by block (the rasters' own 512 x 512 tiles), for one pair of dates:
  * stock per cell  C_d = c_above + c_below + c_soil + c_dead of its class (t C/ha), by np.take on
    a 256-entry lookup table (InVEST's reclassification);
  * area per cell   `--area true` (default): the cell's area on the CRS's ellipsoid. The four
    corners of a cell are taken to lon/lat by OSR (PROJ) and then to the ellipsoidal cylindrical
    equal-area projection (x = a*lon, y = a*q(lat)/2; Snyder 1987, USGS PP 1395, eqs. 3-12 and
    10-15), where the shoelace area of the corners (taken relative to the first corner) is the
    true area of the cell up to its edges' shape: within 3.1e-9 of R terra's
    cellSize(transform = TRUE) on every cell of a 30 m UTM grid (README). Computed exactly at every
    `--area-step`-th row and column (default 64; the last row and column always) and bilinearly
    interpolated in between (at 30 m: <= 2.3e-8 per cell and 1.5e-8 on sums at step 64, 1.8e-9
    at step 16); `--area-step 1` computes every cell. Projected grids only.
    `--area planar`: |dx * dy| in m2 (InVEST's rule).
  * mask "common": a cell counts only where both dates have a class in the table (the excluded
    area is reported);
  * totals: valid area (ha), stock at each date (t C), change (t C), NPV = change * K with
    K = price/n * (1 - ratio^n)/(1 - ratio), ratio = 1/((1 + r/100)(1 + c/100)), n = y1 - y0
    (K = price when ratio = 1; InVEST's valuation);
  * transitions: cells and area (ha) by (from class, to class) by np.bincount on
    from_index * n_classes + to_index; class areas per date are its row and column sums;
  * per mine (`--mines`): the polygons are rasterized once to a zone-id raster (cell centre inside
    the polygon, GDAL's default rule; where mines overlap the later feature wins; a temporary
    DEFLATE GeoTIFF) and per block np.bincount sums area, stock at both dates and change by zone
    id. This is centre-of-cell membership, NOT minecarbon's exact coverage: per-mine numbers
    differ from minecarbon's at polygon edges. The peer is for speed, not an accuracy reference.

Output: a summary on stdout (totals, the transition matrix, per-mine checksums, timings,
cells per second and peak memory); `--out DIR` also writes totals.csv, transitions.csv, mines.csv.
`--workers K` splits the rows of blocks over K processes (fork), merged in block order.

Usage:
  landuse_numpy.py --lulc 2000=lulc_2000_raw.tif --lulc 2020=lulc_2020_raw.tif --pools pools.csv \\
      [--mines mines.gpkg --id-field mine_id] [--area true|planar] [--area-step 64] \\
      [--price 30 --discount-rate-pct 5 --rate-change-pct 0] [--workers 2] [--out DIR]
"""
import argparse
import csv
import math
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()
# Each tile is read once, so GDAL's block cache (default 5 % of RAM) would only add to the peak
# memory without saving any read.
gdal.SetCacheMax(64 * 1024 * 1024)

POOLS = ("c_above", "c_below", "c_soil", "c_dead")


def fail(msg):
    print(f"landuse_numpy: {msg}", file=sys.stderr)
    sys.exit(2)


def read_pools(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = [h.strip().lower() for h in rows[0]]
    for col in ("lucode",) + POOLS:
        if col not in header:
            fail(f"{path}: no column '{col}' (has {', '.join(header)})")
    codes, stock, names = [], [], []
    for line, row in enumerate(rows[1:], start=2):
        code = int(row[header.index("lucode")])
        if not 0 <= code <= 254:
            fail(f"{path}:{line}: lucode {code} does not fit a Byte raster (0-254)")
        if code in codes:
            fail(f"{path}:{line}: duplicate lucode {code}")
        codes.append(code)
        stock.append(sum(float(row[header.index(p)]) for p in POOLS))
        names.append(row[header.index("name")] if "name" in header else str(code))
    return codes, np.array(stock), names


def valuation_k(price, r_pct, c_pct, n_years):
    ratio = 1.0 / ((1.0 + r_pct / 100.0) * (1.0 + c_pct / 100.0))
    if ratio == 1.0:
        return price
    return price / n_years * (1.0 - ratio ** n_years) / (1.0 - ratio)


def authalic_y(lat_rad, a, e2):
    """y of the ellipsoidal cylindrical equal-area projection (k0 = 1): a*q/2."""
    e = math.sqrt(e2)
    s = np.sin(lat_rad)
    q = (1.0 - e2) * (s / (1.0 - e2 * s * s) - 1.0 / (2.0 * e) * np.log((1.0 - e * s) / (1.0 + e * s)))
    return a * q / 2.0


def lattice_cell_areas(gt, wkt, rows_idx, cols_idx):
    """True area (m2) of cells (r, c) for r in rows_idx, c in cols_idx: shape (len(rows), len(cols))."""
    src = osr.SpatialReference()
    src.ImportFromWkt(wkt)
    if src.IsGeographic():
        fail("this peer handles projected grids only (the benchmark is UTM)")
    geo = src.CloneGeogCS()
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    geo.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_geo = osr.CoordinateTransformation(src, geo)
    a = src.GetSemiMajor()
    inv_f = src.GetInvFlattening()
    f = 1.0 / inv_f if inv_f else 0.0
    e2 = f * (2.0 - f)
    R, C = np.meshgrid(rows_idx.astype(np.float64), cols_idx.astype(np.float64), indexing="ij")
    corners = []  # counter-clockwise: lower-left, lower-right, upper-right, upper-left
    for dr, dc in ((1, 0), (1, 1), (0, 1), (0, 0)):
        x = gt[0] + (C + dc) * gt[1]
        y = gt[3] + (R + dr) * gt[5]
        pts = to_geo.TransformPoints(np.column_stack([x.ravel(), y.ravel()]).tolist())
        ll = np.array(pts)[:, :2]
        X = a * np.radians(ll[:, 0])
        Y = authalic_y(np.radians(ll[:, 1]), a, e2)
        corners.append((X, Y))
    # Shoelace relative to the first corner (differences of ~30 m keep the rounding at 1e-10).
    x0, y0 = corners[0]
    area = np.zeros_like(x0)
    for (xa, ya), (xb, yb) in zip(corners, corners[1:] + corners[:1]):
        area += (xa - x0) * (yb - y0) - (xb - x0) * (ya - y0)
    return np.abs(area / 2.0).reshape(R.shape)


class CellArea:
    """Cell areas (ha) of any window: planar, or true by the lattice + bilinear interpolation."""

    def __init__(self, ds, mode, step):
        self.gt = ds.GetGeoTransform()
        self.rows, self.cols = ds.RasterYSize, ds.RasterXSize
        srs = osr.SpatialReference()
        srs.ImportFromWkt(ds.GetProjection())
        unit = srs.GetLinearUnits() if srs.IsProjected() else 1.0
        self.planar_ha = abs(self.gt[1] * self.gt[5]) * unit * unit / 1e4
        self.mode = mode
        if mode == "planar":
            return
        self.lr = np.unique(np.append(np.arange(0, self.rows, step), self.rows - 1))
        lc = np.unique(np.append(np.arange(0, self.cols, step), self.cols - 1))
        lat = lattice_cell_areas(self.gt, ds.GetProjection(), self.lr, lc) / 1e4
        # Interpolate along columns once for every lattice row: (n_lattice_rows, cols).
        cols = np.arange(self.cols, dtype=np.float64)
        j = np.clip(np.searchsorted(lc, cols, side="right") - 1, 0, len(lc) - 2) if len(lc) > 1 else np.zeros(self.cols, int)
        if len(lc) > 1:
            tx = (cols - lc[j]) / (lc[j + 1] - lc[j])
            self.along_x = lat[:, j] * (1.0 - tx) + lat[:, j + 1] * tx
        else:
            self.along_x = np.repeat(lat, self.cols, axis=1)

    def window(self, r0, c0, h, w):
        if self.mode == "planar":
            return np.full((h, w), self.planar_ha)
        rows = np.arange(r0, r0 + h, dtype=np.float64)
        if len(self.lr) == 1:
            return np.repeat(self.along_x[:1, c0:c0 + w], h, axis=0)
        i = np.clip(np.searchsorted(self.lr, rows, side="right") - 1, 0, len(self.lr) - 2)
        ty = ((rows - self.lr[i]) / (self.lr[i + 1] - self.lr[i]))[:, None]
        return self.along_x[i, c0:c0 + w] * (1.0 - ty) + self.along_x[i + 1, c0:c0 + w] * ty


def rasterize_mines(path, id_field, ref, tmpdir):
    src = ogr.Open(path)
    lyr = src.GetLayer(0)
    ref_srs = osr.SpatialReference()
    ref_srs.ImportFromWkt(ref.GetProjection())
    if lyr.GetSpatialRef() is None or not lyr.GetSpatialRef().IsSame(ref_srs):
        fail(f"{path}: the mines must be in the rasters' CRS (this peer does not reproject)")
    mem = ogr.GetDriverByName("Memory").CreateDataSource("")
    out = mem.CreateLayer("z", ref_srs, ogr.wkbMultiPolygon)
    out.CreateField(ogr.FieldDefn("zidx", ogr.OFTInteger))
    ids = []
    for feat in lyr:
        ids.append(feat.GetField(id_field) if id_field else str(feat.GetFID()))
        g = ogr.Feature(out.GetLayerDefn())
        g.SetField("zidx", len(ids))
        g.SetGeometry(feat.GetGeometryRef().Clone())
        out.CreateFeature(g)
    dtype = gdal.GDT_UInt16 if len(ids) < 65535 else gdal.GDT_UInt32
    zpath = os.path.join(tmpdir, "zones.tif")
    zds = gdal.GetDriverByName("GTiff").Create(
        zpath, ref.RasterXSize, ref.RasterYSize, 1, dtype,
        options=["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "COMPRESS=DEFLATE", "SPARSE_OK=YES"])
    zds.SetGeoTransform(ref.GetGeoTransform())
    zds.SetProjection(ref.GetProjection())
    gdal.RasterizeLayer(zds, [1], out, options=["ATTRIBUTE=zidx"])
    zds.FlushCache()
    zds = None
    return zpath, ids


# Worker state, set before the fork so children share it.
G = {}


def run_band(task):
    """Partial sums over the block rows [b0, b1)."""
    b0, b1 = task
    paths, zpath, bs = G["paths"], G["zpath"], G["block"]
    d0, d1 = gdal.Open(paths[0]), gdal.Open(paths[1])
    r0b, r1b = d0.GetRasterBand(1), d1.GetRasterBand(1)
    zds = gdal.Open(zpath) if zpath else None  # keep the dataset alive while its band is used
    zb = zds.GetRasterBand(1) if zds else None
    cls_lut, stock_lut, n = G["cls_lut"], G["stock_lut"], G["n_classes"]
    area = G["area"]
    rows, cols = d0.RasterYSize, d0.RasterXSize
    n_pairs = n * n + 1  # last slot: cells not valid on both dates
    trans_area = np.zeros(n_pairs)
    trans_cells = np.zeros(n_pairs, dtype=np.int64)
    stock0 = stock1 = excluded = 0.0
    n_z = G["n_zones"] + 1
    z_area = np.zeros(n_z)
    z_s0 = np.zeros(n_z)
    z_s1 = np.zeros(n_z)
    unknown = np.zeros(256, dtype=np.int64)
    for br in range(b0, b1):
        r0 = br * bs[1]
        h = min(bs[1], rows - r0)
        for c0 in range(0, cols, bs[0]):
            w = min(bs[0], cols - c0)
            a0 = r0b.ReadAsArray(c0, r0, w, h)
            a1 = r1b.ReadAsArray(c0, r0, w, h)
            k0 = np.take(cls_lut, a0)
            k1 = np.take(cls_lut, a1)
            if (k0 == -2).any() or (k1 == -2).any():
                unknown += np.bincount(a0[k0 == -2], minlength=256) + np.bincount(a1[k1 == -2], minlength=256)
            common = (k0 >= 0) & (k1 >= 0)
            cell_ha = area.window(r0, c0, h, w)
            wgt = np.where(common, cell_ha, 0.0)
            excluded += cell_ha.sum() - wgt.sum()
            s0 = np.take(stock_lut, a0) * wgt  # t C per cell
            s1 = np.take(stock_lut, a1) * wgt
            stock0 += s0.sum()
            stock1 += s1.sum()
            pair = np.where(common, k0 * n + k1, n * n).ravel()
            trans_area += np.bincount(pair, weights=wgt.ravel(), minlength=n_pairs)
            trans_cells += np.bincount(pair, minlength=n_pairs)
            if zb is not None:
                z = zb.ReadAsArray(c0, r0, w, h).ravel()
                z_area += np.bincount(z, weights=wgt.ravel(), minlength=n_z)
                z_s0 += np.bincount(z, weights=s0.ravel(), minlength=n_z)
                z_s1 += np.bincount(z, weights=s1.ravel(), minlength=n_z)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return dict(trans_area=trans_area, trans_cells=trans_cells, stock0=stock0, stock1=stock1,
                excluded=excluded, z_area=z_area, z_s0=z_s0, z_s1=z_s1, unknown=unknown,
                peak_kb=peak_kb)


def main():
    ap = argparse.ArgumentParser(description="numpy/GDAL peer of minecarbon landuse")
    ap.add_argument("--lulc", action="append", required=True, help="YEAR=path, twice")
    ap.add_argument("--pools", required=True)
    ap.add_argument("--mines")
    ap.add_argument("--id-field", default="mine_id")
    ap.add_argument("--area", choices=("true", "planar"), default="true")
    ap.add_argument("--area-step", type=int, default=64)
    ap.add_argument("--price", type=float, default=30.0)
    ap.add_argument("--discount-rate-pct", type=float, default=5.0)
    ap.add_argument("--rate-change-pct", type=float, default=0.0)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--out")
    args = ap.parse_args()
    t_start = time.perf_counter()
    if len(args.lulc) != 2:
        fail("give exactly two --lulc YEAR=path")
    years, paths = zip(*[(int(s.split("=", 1)[0]), s.split("=", 1)[1]) for s in args.lulc])
    if years[1] <= years[0]:
        fail(f"years must increase: {years[0]} then {years[1]}")
    d0, d1 = gdal.Open(paths[0]), gdal.Open(paths[1])
    if (d0.RasterXSize, d0.RasterYSize, d0.GetGeoTransform()) != (d1.RasterXSize, d1.RasterYSize, d1.GetGeoTransform()):
        fail(f"{paths[0]} and {paths[1]} are not on one grid")
    for d, p in ((d0, paths[0]), (d1, paths[1])):
        if d.GetRasterBand(1).DataType != gdal.GDT_Byte:
            fail(f"{p}: this peer reads Byte rasters only")
    codes, stock, names = read_pools(args.pools)
    n = len(codes)
    cls_lut = np.full(256, -2, dtype=np.int16)  # -2: a code not in the table
    stock_lut = np.zeros(256)
    for k, code in enumerate(codes):
        cls_lut[code] = k
        stock_lut[code] = stock[k]
    for d in (d0, d1):
        nd = d.GetRasterBand(1).GetNoDataValue()
        if nd is not None:
            cls_lut[int(nd)] = -1
    bs = d0.GetRasterBand(1).GetBlockSize()

    t0 = time.perf_counter()
    area = CellArea(d0, args.area, args.area_step)
    t_area = time.perf_counter() - t0

    tmp = tempfile.TemporaryDirectory()
    zpath, ids = None, []
    t0 = time.perf_counter()
    if args.mines:
        zpath, ids = rasterize_mines(args.mines, args.id_field, d0, tmp.name)
    t_rasterize = time.perf_counter() - t0

    G.update(paths=paths, zpath=zpath, block=bs, cls_lut=cls_lut, stock_lut=stock_lut,
             n_classes=n, area=area, n_zones=len(ids))
    n_block_rows = (d0.RasterYSize + bs[1] - 1) // bs[1]
    k = max(1, min(args.workers, n_block_rows))
    bands = [(n_block_rows * i // k, n_block_rows * (i + 1) // k) for i in range(k)]
    t0 = time.perf_counter()
    if k == 1:
        parts = [run_band(bands[0])]
    else:
        with ProcessPoolExecutor(max_workers=k) as pool:
            parts = list(pool.map(run_band, bands))
    t_pass = time.perf_counter() - t0

    tot = parts[0]
    for p in parts[1:]:  # merged in block order
        for key in ("trans_area", "trans_cells", "z_area", "z_s0", "z_s1", "unknown"):
            tot[key] = tot[key] + p[key]
        for key in ("stock0", "stock1", "excluded"):
            tot[key] += p[key]
    if tot["unknown"].any():
        bad = [(c, int(tot["unknown"][c])) for c in np.nonzero(tot["unknown"])[0][:20]]
        fail("classes not in the pool table (code: cells): " + ", ".join(f"{c}: {m}" for c, m in bad))
    K = valuation_k(args.price, args.discount_rate_pct, args.rate_change_pct, years[1] - years[0])
    change = tot["stock1"] - tot["stock0"]
    matrix_ha = tot["trans_area"][: n * n].reshape(n, n)
    matrix_cells = tot["trans_cells"][: n * n].reshape(n, n)
    cells = d0.RasterXSize * d0.RasterYSize
    peak_mb = max(p["peak_kb"] for p in parts) / 1024.0
    if k > 1:
        peak_mb = max(peak_mb, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0)
    t_total = time.perf_counter() - t_start

    print(f"grid {d0.RasterXSize} x {d0.RasterYSize} ({cells:,} cells), blocks {bs[0]}x{bs[1]}, "
          f"area = {args.area}" + (f" (lattice step {args.area_step})" if args.area == "true" else "")
          + f", workers {k}")
    print(f"valid_area_ha {matrix_ha.sum():.6f}  excluded_area_ha {tot['excluded']:.6f}")
    print(f"stock_tC {years[0]}: {tot['stock0']:.6f}  {years[1]}: {tot['stock1']:.6f}  "
          f"change_tC {change:.6f}  K {K:.12g}  npv {change * K:.6f}")
    print("transitions (ha), rows = from, columns = to: " + " ".join(names))
    for i in range(n):
        print(f"  {names[i]:>16} " + " ".join(f"{v:12.4f}" for v in matrix_ha[i]))
    if ids:
        z_change = tot["z_s1"] - tot["z_s0"]
        print(f"mines {len(ids)}: Σ area_ha {tot['z_area'][1:].sum():.6f}  Σ change_tC {z_change[1:].sum():.6f}  "
              f"Σ npv {z_change[1:].sum() * K:.6f}")
    rate = cells / t_pass
    print(f"time: total {t_total:.3f} s = areas {t_area:.3f} + rasterize mines {t_rasterize:.3f} + pass {t_pass:.3f}")
    print(f"cell pairs per second (pass): {rate / 1e6:.2f} M; (total): {cells / t_total / 1e6:.2f} M")
    print(f"peak memory (max RSS of one process): {peak_mb:.1f} MB")

    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "totals.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["year_from", "year_to", "valid_area_ha", "excluded_area_ha", "stock_from_tC",
                        "stock_to_tC", "change_tC", "K", "npv"])
            w.writerow([years[0], years[1], repr(matrix_ha.sum()), repr(tot["excluded"]),
                        repr(tot["stock0"]), repr(tot["stock1"]), repr(change), repr(K), repr(change * K)])
        with open(os.path.join(args.out, "transitions.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["from", "to", "cells", "area_ha", "carbon_change_tC"])
            for i in range(n):
                for j in range(n):
                    if matrix_cells[i, j]:
                        w.writerow([codes[i], codes[j], int(matrix_cells[i, j]), repr(matrix_ha[i, j]),
                                    repr(matrix_ha[i, j] * (stock[j] - stock[i]))])
        if ids:
            with open(os.path.join(args.out, "mines.csv"), "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["mine_id", "area_ha", "stock_from_tC", "stock_to_tC", "change_tC", "npv"])
                for z, mid in enumerate(ids, start=1):
                    ch = tot["z_s1"][z] - tot["z_s0"][z]
                    w.writerow([mid, repr(tot["z_area"][z]), repr(tot["z_s0"][z]), repr(tot["z_s1"][z]),
                                repr(ch), repr(ch * K)])


if __name__ == "__main__":
    main()
