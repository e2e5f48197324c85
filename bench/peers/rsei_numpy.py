#!/usr/bin/python3
"""NumPy peer of `minecarbon indices --index rsei` (min-max normalisation, covariance PCA) for
bench/RESULTS_rs.md: the same passes as the stage, block by block with GDAL's Python bindings.

  pass 1  decode the 7 bands of each block, indicators NDVI, WET, NDBSI, LST (degC) from
          Landsat C2 L2 scaling; count, min, max, sums and cross products (plain float64 sums)
  PCA     covariance of the min-max normalised indicators, PC1 oriented NDVI-positive
  pass 2  decode again; range of the projection p = sum_k w_k NI_k
  pass 3  decode again; RSEI = rescaled p -> Float32 tiled DEFLATE, grades -> UInt8 tiled DEFLATE
With --keep-p (the stage's algorithm since the two-decode change): pass 2 also keeps p of every
cell (float64, NaN where undefined) in a temporary np.memmap file in outdir, and pass 3 reads p
from it instead of decoding the bands a third time.

Same block order and block size as the scene's tiles (512 x 512 by default). Single process,
one thread (numpy's elementwise work does not use more). Prints the seconds of each pass and
cells/s. Usage: rsei_numpy.py scene.tif outdir [--block 512] [--keep-p]
Bands: 1 blue, 2 green, 3 red, 4 nir, 5 swir1, 6 swir2 (DN), 7 surface temperature (DN).
"""
import sys
import time

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
WET = np.array([0.1511, 0.1973, 0.3283, 0.3407, -0.7117, -0.4559])  # Landsat 8 OLI (Baig 2014)


def blocks(ds, size):
    for row in range(0, ds.RasterYSize, size):
        for col in range(0, ds.RasterXSize, size):
            yield col, row, min(size, ds.RasterXSize - col), min(size, ds.RasterYSize - row)


def indicators_all(ds, col, row, cols, rows):
    """The 4 indicators of every cell of a block, (4, cells); NaN where undefined."""
    raw = ds.ReadAsArray(col, row, cols, rows).astype(np.float64)  # (7, rows, cols)
    sr = raw[:6] * 2.75e-5 - 0.2
    blue, green, red, nir, swir1, swir2 = sr
    lst = raw[6] * 0.00341802 + 149.0 - 273.15
    with np.errstate(divide="ignore", invalid="ignore"):
        ndvi = (nir - red) / (nir + red)
        wet = np.tensordot(WET, sr, axes=1)
        si = ((swir1 + red) - (nir + blue)) / ((swir1 + red) + (nir + blue))
        a = 2.0 * swir1 / (swir1 + nir)
        bc = nir / (nir + red) + green / (green + swir1)
        ibi = (a - bc) / (a + bc)
        ndbsi = (si + ibi) / 2.0
    return np.stack([ndvi, wet, ndbsi, lst]).reshape(4, -1)


def indicators(ds, col, row, cols, rows):
    """The indicators of the valid cells only (all four finite)."""
    x = indicators_all(ds, col, row, cols, rows)
    return x[:, np.all(np.isfinite(x), axis=0)]


def main():
    path, out = sys.argv[1], sys.argv[2]
    size = int(sys.argv[sys.argv.index("--block") + 1]) if "--block" in sys.argv else 512
    gdal.SetConfigOption("GDAL_NUM_THREADS", "1")
    ds = gdal.Open(path)
    cells = ds.RasterXSize * ds.RasterYSize
    times = []

    t0 = time.perf_counter()
    n = 0
    lo = np.full(4, np.inf)
    hi = np.full(4, -np.inf)
    s = np.zeros(4)
    ss = np.zeros((4, 4))
    for win in blocks(ds, size):
        x = indicators(ds, *win)
        n += x.shape[1]
        lo = np.minimum(lo, x.min(axis=1))
        hi = np.maximum(hi, x.max(axis=1))
        s += x.sum(axis=1)
        ss += x @ x.T
    times.append(time.perf_counter() - t0)

    cov = (ss - np.outer(s, s) / n) / (n - 1)
    span = hi - lo
    cov_ni = cov / np.outer(span, span)
    values, vectors = np.linalg.eigh(cov_ni)
    v = vectors[:, -1]
    w = v if v[0] > 0 else -v

    keep_p = "--keep-p" in sys.argv
    kept = None
    offsets = {}
    if keep_p:
        kept = np.memmap(f"{out}/rsei_projection_numpy.tmp", dtype=np.float64, mode="w+",
                         shape=(cells,))
    t0 = time.perf_counter()
    p_min, p_max = np.inf, -np.inf
    at = 0
    for win in blocks(ds, size):
        if keep_p:
            x = indicators_all(ds, *win)
            p = w @ ((x - lo[:, None]) / span[:, None])  # NaN where an indicator is NaN
            kept[at:at + p.size] = p
            offsets[win] = at
            at += p.size
            if np.isfinite(p).any():
                p_min, p_max = min(p_min, np.nanmin(p)), max(p_max, np.nanmax(p))
        else:
            x = indicators(ds, *win)
            p = w @ ((x - lo[:, None]) / span[:, None])
            p_min, p_max = min(p_min, p.min()), max(p_max, p.max())
    times.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    driver = gdal.GetDriverByName("GTiff")
    options = ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE"]
    rsei_ds = driver.Create(f"{out}/rsei_numpy.tif", ds.RasterXSize, ds.RasterYSize, 1,
                            gdal.GDT_Float32, options + ["PREDICTOR=3"])
    grade_ds = driver.Create(f"{out}/rsei_grade_numpy.tif", ds.RasterXSize, ds.RasterYSize, 1,
                             gdal.GDT_Byte, options + ["PREDICTOR=2"])
    for b in (rsei_ds, grade_ds):
        b.SetGeoTransform(ds.GetGeoTransform())
        b.SetProjection(ds.GetProjection())
    rsei_ds.GetRasterBand(1).SetNoDataValue(float("nan"))
    grade_ds.GetRasterBand(1).SetNoDataValue(0)
    for col, row, cols, rows in blocks(ds, size):
        if keep_p:
            at = offsets[(col, row, cols, rows)]
            p = np.asarray(kept[at:at + cols * rows])
        else:
            x = indicators_all(ds, col, row, cols, rows)
            p = w @ ((x - lo[:, None]) / span[:, None])  # NaN where an indicator is NaN
        rsei = (p - p_min) / (p_max - p_min)
        grade = np.where(np.isnan(rsei), 0, np.clip(np.floor(rsei / 0.2) + 1, 1, 5))
        rsei_ds.GetRasterBand(1).WriteArray(rsei.reshape(rows, cols).astype(np.float32), col, row)
        grade_ds.GetRasterBand(1).WriteArray(grade.reshape(rows, cols).astype(np.uint8), col, row)
    rsei_ds = grade_ds = None
    if keep_p:
        del kept
        import os
        os.remove(f"{out}/rsei_projection_numpy.tmp")
    times.append(time.perf_counter() - t0)

    total = sum(times)
    label = "numpy_rsei_keep_p" if keep_p else "numpy_rsei"
    print(f"{label} cells={cells} pass_s={','.join(f'{t:.3f}' for t in times)} "
          f"total_s={total:.3f} cells_per_s={cells / total:.0f} pc1={np.round(w, 6).tolist()}")


if __name__ == "__main__":
    main()
