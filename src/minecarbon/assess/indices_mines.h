// Per-mine index statistics of the indices stage (docs/indices.md, "Per mine").
//
// Zones: each mine polygon (transformed from the mine layer's CRS straight into the scene's) and
// its reference ring (geo/reference_ring.h: within ring_outer_m of the mine, farther than
// ring_gap_m from every mine; the damage stage's construction and defaults).
//
// For each zone, index and scene, over the cells i the zone covers (coverage fraction c_i,
// geo/coverage.h; true cell area a_i in m², geo/cell_area.h) and with x_i the index (NaN =
// nodata):
//   mean            = Σ c_i·a_i·x_i / Σ c_i·a_i   over valid cells (NaN when none)
//   valid_area_ha   = Σ c_i·a_i over valid cells / 10⁴
//   covered_area_ha = Σ c_i·a_i over all cells / 10⁴
//   share_<grade>   = (rsei_grade only) Σ c_i·a_i over cells of that grade / Σ c_i·a_i valid
// (geo::ContinuousAccumulator). The sums are exact (geo/exact_sum.h) until the end, so the
// partials of the written blocks, merged in any order, give the same bits for any thread count.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "minecarbon/core/table.h"
#include "minecarbon/geo/block_plan.h"
#include "minecarbon/geo/coverage.h"
#include "minecarbon/geo/exact_sum.h"
#include "minecarbon/geo/grid.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/geo/reference_ring.h"
#include "minecarbon/geo/zonal_accumulator.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

struct MineGeometry;

// The zones of the mines on one scene grid: zone 2·m is mine m, zone 2·m + 1 its ring.
struct IndicesMineZones {
  std::vector<std::string> ids;         // one per mine
  std::vector<geo::Coverage> coverage;  // 2 per mine
};

// Coverages of every mine and its ring on `grid` (CRS `crs_wkt`). Mines are transformed from the
// layer's CRS into the grid's (DataError naming the mine when a point cannot be); rings are built
// in lon/lat from `geometry` and cut on the grid. ring.outer_m == 0: no rings (empty coverage).
IndicesMineZones indices_mine_zones(const geo::PolygonLayer& layer, const MineGeometry& geometry,
                                    const geo::RingParams& ring, const geo::Grid& grid,
                                    const std::string& crs_wkt, const RunContext& context);

struct MineIndexRow {
  std::string mine_id, zone, index;  // zone: "mine" or "ring"
  int year = 0;                      // 0 for a single scene
  double mean = 0, valid_area_ha = 0, covered_area_ha = 0;
  bool grade = false;
  std::array<double, 5> grade_share{};  // poor … excellent, fractions of valid area
};

// Accumulates the blocks of one scene's writing pass; add() is called from the workers.
class MineIndexAccumulator {
 public:
  // outputs: the written rasters' index names ("ndvi", "rsei_grade"), in output order.
  MineIndexAccumulator(const IndicesMineZones& zones, std::vector<std::string> outputs,
                       const geo::Grid& grid, bool geographic, double metres_per_unit,
                       geo::BlockPlan plan);
  // One written block of one output (values row-major over plan.window(block_id); NaN nodata,
  // grades 0 = nodata). Thread-safe.
  void add(std::size_t output, std::size_t block_id, const std::vector<float>& values);
  // Rows in mine, zone, output order.
  std::vector<MineIndexRow> rows(int year) const;

 private:
  struct Zone {
    geo::ContinuousAccumulator value;
    std::array<geo::ExactSum, 5> grade_area_m2;
  };
  const IndicesMineZones& zones_;
  std::vector<std::string> outputs_;
  std::vector<double> row_area_m2_;
  geo::BlockPlan plan_;
  std::vector<std::vector<std::size_t>> zones_of_block_;  // zones whose window touches a block
  std::vector<std::vector<Zone>> acc_;                    // [output][zone]
  std::mutex mutex_;
};

// tables/mine_index.csv.
Table mine_index_table(const std::vector<MineIndexRow>& rows);

}  // namespace minecarbon::assess
