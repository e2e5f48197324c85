// The landuse stage: carbon stocks of land-use maps at two or more dates, their change, its value,
// the transition matrices, and all of it per mine — InVEST Carbon's stock-difference model
// (natcap/invest 3.15+) reproduced exactly, with the fixes users ask for.
//
//   LULC maps (year → raster, integer class codes, one grid) ─┐
//   pool table (lucode, c_above, c_below, c_soil, c_dead)     ─┤  one block-streamed pass
//   mines (optional polygons)                                 ─┘  (landuse/landuse_pass.h)
//      │
//      ├─► per date: C_d = Σ pools(class) (t C/ha); stock = Σ C_d · cell area; class areas
//      ├─► per pair (consecutive dates, and first → last with 3+ dates): ΔC = C_to − C_from,
//      │   transition matrix (cells, ha, t C), NPV = ΔC · K (carbon/landuse_valuation.h)
//      ├─► per mine: the same, weighted by exact coverage fractions (geo/coverage.h)
//      └─► optional Monte Carlo of the pool densities (carbon/landuse_uncertainty.h)
//
// Differences from InVEST, on purpose: any number of dates; geographic grids (true cell areas);
// `mask = "common"` (default) counts a cell only where every date is valid, so
// Σ stock(d1) − Σ stock(d0) = Σ ΔC; rasters use NaN as nodata (InVEST's −1 drops a real change
// of −1 t/ha); per-mine totals and transition matrices. Details: docs/landuse.md.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/carbon/landuse_pools.h"
#include "minecarbon/carbon/landuse_uncertainty.h"
#include "minecarbon/core/name_table.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/geo/block_plan.h"
#include "minecarbon/geo/block_reader.h"
#include "minecarbon/geo/polygon_layer.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

// Which cells count in the totals of a date.
enum class LanduseMask {
  common,  // valid on every date: totals reconcile exactly (Σ stock(d1) − Σ stock(d0) = Σ ΔC)
  own,     // each date on its own valid cells, changes on cells valid at both dates (InVEST)
};
inline constexpr NameTable<LanduseMask, 2> kLanduseMaskNames{
    {{{LanduseMask::common, "common"}, {LanduseMask::own, "own"}}}};

enum class LanduseArea {
  true_area,  // ellipsoidal cell areas (geographic: latitude bands; projected: geodesic cells)
  planar,     // |pixel width × height| in metres (InVEST's rule; projected grids only)
};
inline constexpr NameTable<LanduseArea, 2> kLanduseAreaNames{
    {{{LanduseArea::true_area, "true"}, {LanduseArea::planar, "planar"}}}};

struct LanduseParams {
  LanduseMask mask = LanduseMask::common;
  LanduseArea area = LanduseArea::true_area;
  // A raw value treated as nodata in every map, besides each band's own nodata (e.g. 0 for a
  // background that has no nodata set).
  std::optional<double> lulc_nodata;
  // Valuation (InVEST): price per t C, or per t CO2e (× 44/12); none = no NPV (NA).
  std::optional<double> price;
  std::optional<double> price_per_tco2e;
  double discount_rate_pct = 0.0;
  // Acts as a second discount rate: a positive value lowers the value (InVEST's "annual price
  // change" enters the formula exactly like the discount rate).
  double rate_change_pct = 0.0;
  bool write_rasters = false;
  // Monte Carlo runs of the pool densities (0 = off; needs `_sd` or `_min`/`_max` columns).
  std::int64_t monte_carlo_draws = 0;

  static const OptionTable<LanduseParams>& options();
  // Options' ranges, then: price and price_per_tco2e not both; throws OptionError.
  void validate() const;
};

// One map of the series.
struct LanduseMap {
  int year = 0;
  std::string path;         // what BlockReader opens (a warped VRT when aligned)
  std::string source_path;  // the user's file
};

// Where the rasters go when write_rasters is on (pipeline/landuse_job.cpp puts GeoTIFF writers
// behind it). `open` gets the grid, CRS and the file stems (c_storage_2000, c_change_2000_2010,
// npv_2000_2010) and returns the block plan the pass must use (the writers' tiles);
// `write_block` gets one window's values of every file, NaN = nodata; `finish` closes them.
struct LanduseRasterOutput {
  std::function<geo::BlockPlan(const geo::Grid&, const std::string& crs_wkt,
                               const std::vector<std::string>& stems)>
      open;
  std::function<void(std::size_t block_id, const std::vector<std::vector<float>>& values)>
      write_block;
  std::function<void()> finish;
};

struct LanduseInputs {
  std::vector<LanduseMap> maps;  // increasing years, one grid
  carbon::LandusePoolTable pools;
  std::shared_ptr<const geo::PolygonLayer> mines;  // optional
  std::optional<LanduseRasterOutput> rasters;      // with write_rasters
};

// A date pair.
struct LandusePair {
  std::size_t from = 0, to = 0;  // date indices
  int year_from = 0, year_to = 0;
  std::string kind;  // "consecutive" or "first_last"
};

struct LanduseDateTotal {
  int year = 0;
  std::int64_t valid_cells = 0;
  double valid_area_ha = 0, excluded_area_ha = 0;
  double stock_tC = 0, stock_co2e_t = 0;
};

struct LandusePairTotal {
  LandusePair pair;
  std::int64_t valid_cells = 0;  // cells counted in the change
  double valid_area_ha = 0, excluded_area_ha = 0;
  double stock_from_tC = 0, stock_to_tC = 0;  // on the date totals' cells
  double change_tC = 0;                       // Σ ΔC · area over the change's cells
  double change_co2e_t = 0;
  double loss_tC = 0, gain_tC = 0;  // transitions with C_to < C_from, > C_from
  double valuation_k = 0;           // NaN without a price
  double npv = 0;                   // NaN without a price
};

struct LanduseClassArea {
  int year = 0;
  std::size_t class_idx = 0;
  std::int64_t cells = 0;
  double area_ha = 0, stock_tC = 0;
};

struct LanduseTransition {
  LandusePair pair;
  std::size_t from_idx = 0, to_idx = 0;
  std::int64_t cells = 0;
  double area_ha = 0, carbon_change_tC = 0, co2e_t = 0;
};

struct LanduseMineStock {
  std::size_t mine = 0;  // feature index
  std::string mine_id;
  int year = 0;
  double stock_tC = 0, stock_co2e_t = 0, valid_area_ha = 0, covered_area_ha = 0;
  std::vector<double> class_area_ha;  // per class of the pool table
};

// The contract of docs (INTERFACES: landuse → balance).
struct LanduseMineChange {
  std::size_t mine = 0;
  std::string mine_id;
  int year_from = 0, year_to = 0;
  std::string pair_kind;
  double stock_from_tC = 0, stock_to_tC = 0, change_tC = 0, change_co2e_t = 0;
  double loss_tC = 0, gain_tC = 0;
  double npv = 0;  // NaN without a price
  double valid_area_ha = 0, covered_area_ha = 0;
};

struct LanduseMineTransition {
  std::string mine_id;
  LandusePair pair;
  std::size_t from_idx = 0, to_idx = 0;
  double area_ha = 0, carbon_change_tC = 0, co2e_t = 0;
};

struct LanduseResult {
  LanduseParams params;
  std::vector<int> years;
  std::vector<LandusePair> pairs;
  carbon::LandusePoolTable pools;
  bool geographic = false;
  std::vector<LanduseDateTotal> date_totals;
  std::vector<LandusePairTotal> pair_totals;
  std::vector<LanduseClassArea> class_area;
  std::vector<LanduseTransition> transitions;
  std::vector<std::size_t> mine_features;  // features with a row in mine_stock (every feature)
  std::vector<LanduseMineStock> mine_stock;
  std::vector<LanduseMineChange> mine_change;
  std::vector<LanduseMineTransition> mine_transitions;
  std::vector<carbon::UncertaintyRow> uncertainty;
  nlohmann::json summary;
  ProblemList warnings;
};

// The date pairs of `years`: consecutive, then first → last when there are 3+ dates.
std::vector<LandusePair> landuse_pairs(const std::vector<int>& years);

// Throws ConfigError (exit 2) for bad parameters, years not strictly increasing or fewer than two
// maps; DataError (exit 3) for maps on different grids or CRSs, class codes missing from the pool
// table (up to 20 listed with cell counts and file), a planar area on a geographic grid.
LanduseResult run_landuse(const LanduseParams& params, const LanduseInputs& inputs,
                          const RunContext& context);

}  // namespace minecarbon::assess
