#!/usr/bin/python3
"""NumPy peer of `minecarbon nep` (CASA NPP - R_H, fpar_extremes = table, no day-length
correction) for bench/RESULTS_rs.md: the same formulas (docs/nep.md) and passes as the stage,
block by block (256 x 256, the inputs' tiles) with GDAL's Python bindings, one thread.

  pass 1  T_opt: per year with 12 valid months, the temperature of the month of peak NDVI
          (first maximum); mean over the years
  pass 2  per year: heat index, then per month FPAR, T_e1, T_e2, W_e, NPP and R_H; annual sums
          -> npp/rh/nep_<year>.tif (Float32, tiled 256, DEFLATE)

Prints seconds per pass and pixel-months/s (cells x 12 x years over the whole run).
Usage: nep_numpy.py inputs_dir outdir first_year n_years
"""
import sys
import time

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
# desert_grassland, deciduous_broadleaf_forest, evergreen_needleleaf_forest (data/casa_vegetation.csv)
EPS = np.array([np.nan, 0.542, 0.692, 0.389])
NDVI_MAX = np.array([np.nan, 0.634, 0.747, 0.647])
NDVI_MIN = np.array([np.nan, 0.023, 0.023, 0.023])
SR_MAX = np.array([np.nan, 4.46, 6.91, 4.67])
SR_MIN = np.array([np.nan, 1.05, 1.05, 1.05])
FPAR_MIN, FPAR_MAX, ALPHA, B = 0.001, 0.95, 0.5, 0.0912


def read(datasets, key, win):
    return datasets[key].ReadAsArray(*win).astype(np.float64)


def main():
    src, out, first, years = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    gdal.SetConfigOption("GDAL_NUM_THREADS", "1")
    ds = {}
    for year in range(first, first + years):
        for m in range(1, 13):
            for var in ("ndvi", "tmean", "prec", "sol"):
                ds[(var, year, m)] = gdal.Open(f"{src}/{var}_{year}_{m:02d}.tif")
    veg_ds = gdal.Open(f"{src}/veg.tif")
    side_x, side_y = veg_ds.RasterXSize, veg_ds.RasterYSize
    wins = [(c, r, min(256, side_x - c), min(256, side_y - r))
            for r in range(0, side_y, 256) for c in range(0, side_x, 256)]
    times = []

    t0 = time.perf_counter()
    t_opt = {}
    for win in wins:
        s = np.zeros((win[3], win[2]))
        n = np.zeros((win[3], win[2]))
        for year in range(first, first + years):
            nd = np.stack([read(ds, ("ndvi", year, m), win) for m in range(1, 13)])
            tt = np.stack([read(ds, ("tmean", year, m), win) for m in range(1, 13)])
            ok = np.all(np.isfinite(nd) & np.isfinite(tt), axis=0)
            peak = np.argmax(np.where(np.isnan(nd), -np.inf, nd), axis=0)
            t_peak = np.take_along_axis(tt, peak[None], axis=0)[0]
            s += np.where(ok, t_peak, 0.0)
            n += ok
        with np.errstate(invalid="ignore", divide="ignore"):
            t_opt[win] = np.where(n > 0, s / n, np.nan)
    times.append(time.perf_counter() - t0)

    driver = gdal.GetDriverByName("GTiff")
    options = ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE", "PREDICTOR=3"]
    t0 = time.perf_counter()
    for year in range(first, first + years):
        outs = {}
        for name in ("npp", "rh", "nep"):
            o = driver.Create(f"{out}/{name}_{year}_numpy.tif", side_x, side_y, 1,
                              gdal.GDT_Float32, options)
            o.SetGeoTransform(veg_ds.GetGeoTransform())
            o.SetProjection(veg_ds.GetProjection())
            o.GetRasterBand(1).SetNoDataValue(float("nan"))
            outs[name] = o
        for win in wins:
            veg = veg_ds.ReadAsArray(*win).astype(np.int64)
            topt = t_opt[win]
            nd = [read(ds, ("ndvi", year, m), win) for m in range(1, 13)]
            tt = [read(ds, ("tmean", year, m), win) for m in range(1, 13)]
            pp = [read(ds, ("prec", year, m), win) for m in range(1, 13)]
            so = [read(ds, ("sol", year, m), win) for m in range(1, 13)]
            valid = np.isfinite(topt) & (veg > 0)
            heat = np.zeros_like(topt)
            with np.errstate(invalid="ignore", divide="ignore"):
                for m in range(12):
                    valid &= np.isfinite(nd[m]) & np.isfinite(tt[m]) & np.isfinite(pp[m]) \
                        & np.isfinite(so[m])
                    heat += np.where(tt[m] > 0, np.power(np.maximum(tt[m], 0) / 5.0, 1.514), 0.0)
                expo = ((6.75e-7 * heat - 7.71e-5) * heat + 1.792e-2) * heat + 0.49239
                te1_opt = 0.8 + 0.02 * topt - 0.0005 * topt * topt
                te2_raw = lambda to, t: 1.1814 / (1 + np.exp(0.2 * (to - 10 - t))) \
                    / (1 + np.exp(0.3 * (-to - 10 + t)))
                te2_half = 0.5 * te2_raw(topt, topt)
                eps_max, ndmax, ndmin = EPS[veg], NDVI_MAX[veg], NDVI_MIN[veg]
                srmax, srmin = SR_MAX[veg], SR_MIN[veg]
                npp_sum = np.zeros_like(topt)
                rh_sum = np.zeros_like(topt)
                for m in range(12):
                    t, p, n_, sol = tt[m], pp[m], nd[m], so[m]
                    te1 = np.where(t <= -10.0, 0.0, te1_opt)
                    te2 = np.where((t > topt + 10) | (t < topt - 13), te2_half, te2_raw(topt, t))
                    pet0 = np.where((t > 0) & (heat > 0),
                                    16.0 * np.power(10.0 * np.maximum(t, 0) / heat, expo), 0.0)
                    rn = 0.369 * np.sqrt(pet0 * p) + 0.598 * pet0
                    eet = np.where((p == 0) | (rn == 0), 0.0,
                                   p * rn * (p * p + rn * rn + p * rn) / ((p + rn) * (p * p + rn * rn)))
                    w = np.where(eet == 0, 0.5, 0.5 + 0.5 * eet / (0.5 * (eet + pet0)))
                    sr = (1 + n_) / (1 - n_)
                    fp = ALPHA * ((n_ - ndmin) * (FPAR_MAX - FPAR_MIN) / (ndmax - ndmin) + FPAR_MIN) \
                        + (1 - ALPHA) * ((sr - srmin) * (FPAR_MAX - FPAR_MIN) / (srmax - srmin) + FPAR_MIN)
                    fp = np.clip(fp, FPAR_MIN, FPAR_MAX)
                    npp_sum += sol * fp * 0.5 * (te1 * te2 * w * eps_max)
                    rh_sum += 0.22 * (np.exp(B * t) + np.log(0.3145 * p + 1.0)) * 30.0 * 0.465
            npp = np.where(valid, npp_sum, np.nan)
            rh = np.where(valid, rh_sum, np.nan)
            for name, values in (("npp", npp), ("rh", rh), ("nep", npp - rh)):
                outs[name].GetRasterBand(1).WriteArray(values.astype(np.float32), win[0], win[1])
        outs = None
    times.append(time.perf_counter() - t0)
    total = sum(times)
    pm = side_x * side_y * 12 * years
    print(f"numpy_nep pixel_months={pm} pass_s={','.join(f'{t:.3f}' for t in times)} "
          f"total_s={total:.3f} pixel_months_per_s={pm / total:.0f}")


if __name__ == "__main__":
    main()
