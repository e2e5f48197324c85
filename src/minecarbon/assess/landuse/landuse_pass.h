// The one raster pass of the landuse stage: every window of the LULC maps read once (all dates
// together), on `threads` workers, with per-window partial sums merged in window order, so the
// numbers are identical for any thread count. No raster is ever held whole in memory.
//
// Per cell i with area a_i (m²) and class index k_{i,d} at date d (negative = nodata):
//   mask common: the cell counts only when every date has a class; own: each date on its own.
//   class_area[d][k] += a_i, class_cells[d][k] += 1
//   transition[p][k][l] += a_i (cells valid at both dates of pair p: from k, to l)
// and per mine m with exact coverage c_{m,i}: the same sums weighted by c_{m,i}·a_i, plus the
// covered area Σ c_{m,i}·a_i over every cell. Stocks follow from the class areas
// (stock_d = Σ_k class_area[d][k] · C_k), changes from the transitions.
// Cell areas: latitude bands (geographic), |dx·dy| (planar) or geo::ProjectedCellAreaLattice
// (projected true areas; exact per cell as its fallback). Integer maps are read as Int32.
// With a raster output, each window's c_storage (per date), c_change and npv (per pair) values
// (t C/ha, currency/ha; NaN = nodata) are handed to it in window order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "minecarbon/assess/landuse.h"
#include "minecarbon/geo/block_plan.h"
#include "minecarbon/geo/block_reader.h"
#include "minecarbon/geo/coverage.h"
#include "minecarbon/geo/zonal_accumulator.h"

namespace minecarbon::assess::landuse {

struct PassSetup {
  const geo::AlignedRasters* rasters = nullptr;
  geo::BlockPlan plan;
  geo::ClassCodes codes;
  std::vector<double> class_c_tC_ha;  // C_k
  std::vector<LandusePair> pairs;
  std::vector<double> valuation_k;  // per pair; NaN = no NPV raster
  LanduseMask mask = LanduseMask::common;
  LanduseArea area = LanduseArea::true_area;
  std::optional<double> lulc_nodata;
  std::vector<geo::Coverage> mine_coverage;  // on rasters->grid(); may be empty
  const LanduseRasterOutput* raster_output = nullptr;
};

struct MineSums {
  std::vector<double> class_area_m2;  // [date · K + class]
  std::vector<double> trans_area_m2;  // [pair · K² + from · K + to]
  double covered_area_m2 = 0;
};

struct PassSums {
  std::size_t n_classes = 0;
  double grid_area_m2 = 0;                // every cell of the grid
  std::vector<double> class_area_m2;      // [date · K + class]
  std::vector<std::int64_t> class_cells;  // [date · K + class]
  std::vector<double> trans_area_m2;      // [pair · K² + from · K + to]
  std::vector<std::int64_t> trans_cells;  // [pair · K² + from · K + to]
  // Raster values not in the pool table, per date: (code, cells), ascending code.
  std::vector<std::vector<std::pair<std::int64_t, std::int64_t>>> unknown;
  std::vector<MineSums> mines;
  // How the cell areas were computed (for summary.json), and the lattice step of projected true
  // areas (0: not a lattice: exact per cell, latitude bands or planar).
  std::string area_method;
  std::int64_t area_lattice_step_cells = 0;
};

PassSums landuse_pass(const PassSetup& setup, const RunContext& context);

}  // namespace minecarbon::assess::landuse
