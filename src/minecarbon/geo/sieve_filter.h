// A minimum mapping unit on a class raster: GDAL's sieve filter (GDALSieveFilter, the algorithm
// of gdal_sieve.py) replaces every connected group of equal cells smaller than a size with the
// value of its largest neighbouring group. Cells that are nodata in the source take no part
// (they are never merged and never absorb a group). Used on the 0/1 "any alert" raster of the
// per-pixel warning stage (docs/warning.md, "Per pixel"). Deterministic and single-threaded.
#pragma once

#include <cstdint>
#include <string>

namespace minecarbon::geo {

// Sieves band 1 of `source` (a UInt8 raster with its nodata set) into a new tiled, DEFLATE
// compressed UInt8 GeoTIFF `target` with the same grid, CRS and nodata. Groups of fewer than
// `min_cells` cells are merged; `connectedness` is 4 (edge neighbours) or 8 (also diagonal).
// Throws RunError naming the file when GDAL cannot open, create or filter.
void sieve_raster(const std::string& source, const std::string& target, std::int64_t min_cells,
                  int connectedness = 4);

}  // namespace minecarbon::geo
