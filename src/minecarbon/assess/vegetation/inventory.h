// Step 1 of the vegetation stage: the inventory (plots, trees, harvest quadrats) read from CSV
// text into typed records, every value checked against its domain and a plausibility range.
// Problems are collected over all three files and reported together (DataError, exit 3), each
// naming file:line, the column, the value and what was expected.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/vegetation/support.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::assess::vegetation {

// Plausibility bounds of inventory values. They refuse values no real inventory holds (most
// often a unit slip: ha typed as m², mm as cm), not unusual stands; values inside them are used
// as given.
// DBH: the stoutest measured trunks (giant sequoia, Montezuma cypress) are about 8–9.5 m across
// at breast height, so 10 m is above any real tree.
inline constexpr double kMaxDbhCm = 1000.0;
// Height: the tallest measured living tree (coast redwood "Hyperion", Sillett et al.) is about
// 116 m.
inline constexpr double kMaxHeightM = 120.0;
// Plot area: tree plots of inventories are 100–1,000 m² (CDM AR-TOOL14 practice) up to the 50 ha
// of the largest census plots (ForestGEO); below 1 m² a tree cannot stand inside the plot, and an
// area given in hectares (0.04 for 400 m²) lands there.
inline constexpr double kMinPlotAreaM2 = 1.0;
inline constexpr double kMaxPlotAreaM2 = 1.0e6;
// Stem density: the densest young plantations and coppice stands of stems ≥ breast height hold
// a few 10⁴ stems ha⁻¹; 10⁵ ha⁻¹ (10 stems per m²) is beyond any tree stand.
inline constexpr double kMaxStemsPerHa = 1.0e5;

// Stand age: restored mine stands are decades old and reference old-growth stands a few
// centuries; beyond 1,000 years the value is a calendar year or a typo (and growth curves are
// searched for saturation only up to 1,000 years).
inline constexpr double kMaxStandAgeYr = 1000.0;

struct Plot {
  std::string id;
  std::string mine_id;   // empty: the plot belongs to no mine
  std::string land_use;  // kUnspecifiedLandUse when empty in the file
  double area_m2 = kNaN;
  double age_yr = kNaN;  // NaN = unknown
  double lon = kNaN;
  double lat = kNaN;
  std::string where;  // "file:line"
};

struct Tree {
  std::size_t plot = 0;  // index into Inventory::plots
  std::string species;
  double dbh_cm = kNaN;
  double height_m = kNaN;  // NaN = not measured (estimated by the heights step)
  double stems = 1.0;      // stems this row stands for
  bool live = true;
  std::string where;  // "file:line"
};

// Harvest-quadrat dry mass of one plot, replicate quadrats averaged, above + below ground (t/ha).
struct HarvestLayers {
  double shrub_t_ha = 0.0;
  double herb_t_ha = 0.0;
  double litter_t_ha = 0.0;
  double dead_wood_t_ha = 0.0;
  bool sampled = false;  // the plot has at least one quadrat row
};

struct Inventory {
  std::vector<Plot> plots;
  std::vector<Tree> trees;             // in file order
  std::vector<HarvestLayers> harvest;  // per plot (all zero without an understorey table)
  bool understorey_given = false;
  std::vector<std::string> warnings;
};

// Reads and checks the three files. Plot ids are unique; trees and quadrats name existing plots;
// DBH in (0, kMaxDbhCm] cm; height empty or in [1.3, kMaxHeightM] m; stand age empty or in
// [0, kMaxStandAgeYr] years; plot area in [kMinPlotAreaM2, kMaxPlotAreaM2] m²; live + dead stems
// per plot ≤ kMaxStemsPerHa; quadrat dry mass ≥ 0 g m⁻² (1 g m⁻² = 0.01 t ha⁻¹).
// A tree list with only a header: with an understorey table the plots are taken as treeless
// (grassland restoration) and a warning names the file; without one nothing at all was measured
// and it is a DataError naming the file. A plot table without plots is a DataError.
Inventory read_inventory(const CsvText& plots, const CsvText& trees,
                         const std::optional<CsvText>& understorey);

}  // namespace minecarbon::assess::vegetation
