// Putting a raster on another grid: a GDAL warped VRT (XML only; cells are resampled when read).
//
// Inputs of a pixel stage on another grid than the reference (coarser climate, another CRS) are
// read through a warped VRT onto the reference grid: cell (row, col) of the VRT is GDAL's warp
// kernel (`resampling`) evaluated at the centre of the reference cell, exactly what
// `gdalwarp -t_srs <ref> -te <ref extent> -ts <cols> <rows> -r <resampling> -et 0` writes to a
// file. `-et 0`: every cell centre is transformed exactly (GDAL's default interpolates the
// transformation over each chunk, which makes values depend, by ~1e-6, on how the raster is cut).
// The VRT is made once per (file, resampling) and opened by every worker (one handle each).
//
// Value types: with `near` and a source nodata value the source's data type and nodata are kept
// (class codes stay integers). Otherwise the warped bands are Float64 with NaN for cells the
// source does not cover or whose kernel sees only nodata: interpolating raw values and applying
// the band's scale/offset afterwards equals interpolating the scaled values (the kernels'
// weights sum to 1, except the min/max/median/mode/sum family, where scaling commutes as well
// for positive scale; `sum` is the only one that mixes offset counts: avoid it on offset bands).
// GDAL's kernels ignore source nodata cells (their weights are dropped and the rest renormalised).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "minecarbon/core/name_table.h"
#include "minecarbon/geo/grid.h"

namespace minecarbon::geo {

// GDAL's warp kernels (gdalwarp -r).
enum class Resampling {
  near,
  bilinear,
  cubic,
  cubicspline,
  lanczos,
  average,
  rms,
  mode,
  min,
  max,
  med,
  q1,
  q3,
  sum
};

inline constexpr NameTable<Resampling, 14> kResamplingNames{{{
    {Resampling::near, "near"},
    {Resampling::bilinear, "bilinear"},
    {Resampling::cubic, "cubic"},
    {Resampling::cubicspline, "cubicspline"},
    {Resampling::lanczos, "lanczos"},
    {Resampling::average, "average"},
    {Resampling::rms, "rms"},
    {Resampling::mode, "mode"},
    {Resampling::min, "min"},
    {Resampling::max, "max"},
    {Resampling::med, "med"},
    {Resampling::q1, "q1"},
    {Resampling::q3, "q3"},
    {Resampling::sum, "sum"},
}}};

// Throws ConfigError naming `what` (e.g. "climate temperature: resampling") and the choices.
Resampling parse_resampling(const std::string& text, const std::string& what);

// What was warped, for summary.json.
struct WarpRecord {
  std::string path;        // the source file (as given)
  std::vector<int> bands;  // its bands read through the VRT
  Resampling resampling = Resampling::bilinear;
  Grid source_grid;
  std::string source_crs;  // the CRS's name
  Grid target_grid;
  std::string target_crs;
  std::string vrt_path;  // where the VRT lives while the run lasts (/vsimem/…)
  nlohmann::json to_json() const;
};

struct WarpRequest {
  std::string path;  // the source raster (any GDAL format)
  Grid grid;         // target grid
  std::string crs_wkt;
  Resampling resampling = Resampling::bilinear;
  // Blocks of the VRT: the reference's natural block, so a reading window warps each block once.
  std::int64_t block_rows = 256;
  std::int64_t block_cols = 256;
  std::int64_t warp_memory_mb = 16;  // GDAL's working buffer per warp (gdalwarp -wm)
};

// Writes the warped VRT of every band of request.path at `vrt_path` (may be under /vsimem/).
// Throws DataError for an unreadable source, RunError when GDAL refuses the warp.
void write_warped_vrt(const WarpRequest& request, const std::string& vrt_path);

}  // namespace minecarbon::geo
