// Per-mine area of the per-pixel alert levels (issue 12 §4 "Per pixel": "per mine, the area and
// share of alert pixels by level"; docs/warning.md, "Per pixel").
//
// Input: the final alert raster of the pixel pass (alert_level.tif: 0 = none, k = the k-th level,
// 255 = no valid observation) and a mine layer in any CRS. Each mine is transformed from the
// layer's CRS straight into the raster's and cut on its grid with exact coverage fractions c_i
// (geo/coverage.h); each cell has its true area a_i in m² (geo/cell_area.h). Per mine:
//   area_m2[level]  = Σ c_i·a_i over cells of that level ("none" included)
//   valid_area_m2   = Σ over cells with a level (alert_level ≠ 255)
//   covered_area_m2 = Σ over every cell the mine covers (on the raster)
//   nodata_area_m2  = covered − valid
//   share[level]    = area_m2[level] / valid_area_m2 (NaN when the mine has no valid cell),
//                     so the shares of a mine with data sum to 1.
// geo::CategoricalAccumulator with exact sums: the numbers do not depend on the blocks, the
// threads or the order of merges. A mine outside the raster has every area 0 and shares NaN.
#pragma once

#include <string>
#include <vector>

#include "minecarbon/core/table.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/geo/zonal_accumulator.h"

namespace minecarbon::assess::warning {

struct PixelAlertAreas {
  std::vector<std::string> levels;           // "none", then the rule levels, lowest first
  std::vector<std::string> mine_ids;         // layer order
  std::vector<geo::CategoricalAreas> areas;  // per mine; area_m2 indexed like `levels`
};

// Reads `alert_raster` block by block (memory_mb, threads as the pixel pass) and accumulates the
// areas of `layer`'s mines. `levels` are the rule levels (without "none"). DataError naming the
// mine when a vertex cannot be transformed into the raster's CRS.
PixelAlertAreas pixel_alert_areas(const std::string& alert_raster, const geo::PolygonLayer& layer,
                                  const std::vector<std::string>& levels, std::int64_t memory_mb,
                                  int threads);

// tables/warning_pixel_mine.csv, one row per mine (layer order): mine_id, covered_area_m2,
// valid_area_m2, nodata_area_m2, then per level (none first) pixel_<level>_area_m2 and
// pixel_<level>_share. The same columns join the `warning` layer of results.gpkg.
Table pixel_alert_area_table(const PixelAlertAreas& areas);

}  // namespace minecarbon::assess::warning
