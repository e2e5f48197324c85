#!/usr/bin/python3
"""Monthly NEP inputs for bench/run_rs_bench.sh: NDVI, temperature (degC), precipitation (mm) and
solar radiation (MJ m-2) as Float32 tiled (256) DEFLATE GeoTIFFs, one per variable, year and month
(<dir>/<var>_<year>_<MM>.tif), plus a vegetation raster (UInt8 codes 1..3) and its class table.
Smooth seasonal fields with per-cell noise, so every cell-month differs (no repeated values) and
compression is realistic. Usage: make_nep_inputs.py dir side first_year n_years
"""
import os
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()


def create(path, side, dtype, array):
    ds = gdal.GetDriverByName("GTiff").Create(
        path, side, side, 1, dtype,
        ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE",
         "PREDICTOR=3" if dtype == gdal.GDT_Float32 else "PREDICTOR=2"])
    ds.SetGeoTransform([500000.0, 30.0, 0, 4100000.0, 0, -30.0])
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32650)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    if dtype == gdal.GDT_Float32:
        band.SetNoDataValue(float("nan"))
    band.WriteArray(array)
    ds = None


def main():
    out, side, first, years = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(12)
    r = np.arange(side)[:, None]
    c = np.arange(side)[None, :]
    field = (np.sin(0.013 * r) * np.cos(0.011 * c)).astype(np.float32)
    veg = (1 + (r // 97 + c // 89) % 3).astype(np.uint8)
    create(f"{out}/veg.tif", side, gdal.GDT_Byte, veg)
    with open(f"{out}/classes.csv", "w") as f:
        f.write("code,type\n1,desert_grassland\n2,deciduous_broadleaf_forest\n3,evergreen_needleleaf_forest\n")
    for year in range(first, first + years):
        for month in range(1, 13):
            season = np.sin(np.pi * (month - 3.5) / 6.0)
            noise = rng.random((4, side, side), dtype=np.float32)
            ndvi = 0.25 + 0.3 * (0.5 + 0.5 * season) + 0.1 * field + 0.05 * noise[0]
            t = 8.0 + 16.0 * season + 2.0 * field + 1.5 * noise[1]
            p = 20.0 + 90.0 * (0.5 + 0.5 * season) * noise[2] + 5.0 * (1 + field)
            sol = 450.0 + 250.0 * season + 30.0 * field + 10.0 * noise[3]
            for name, values in (("ndvi", ndvi), ("tmean", t), ("prec", p), ("sol", sol)):
                create(f"{out}/{name}_{year}_{month:02d}.tif", side, gdal.GDT_Float32,
                       values.astype(np.float32))


if __name__ == "__main__":
    main()
