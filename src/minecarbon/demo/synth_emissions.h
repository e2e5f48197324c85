// Activity data of the demo mines for `minecarbon emissions`, with the emissions they imply by
// hand (docs/emissions.md formulas and factor values, AR5), not by the stage's code.
//
// Every mine of the demo world has activity: while it operates, from its onset year (or 2000) to
// the year before its restoration (or 2020), every source below; once closed, only the
// electricity of its drainage pumps (5 % of an operating mine's draw), from five years after
// restoration began (or after 2000) to 2020. No random draws: amounts are short decimals made
// from the mine's index and the year, so the CSV holds them exactly. Over the mines and years the
// rows cover every source and unit of the stage:
//   diesel      offroad in L, m3, t or GJ (cycling by mine and year), stationary in L;
//   explosive   t with a fuel-oil fraction (carbon balance: w × 3.1863 t CO2 per t);
//   electricity kWh or MWh in the demo's region (CN-SN, the demo sits in Shaanxi) with the demo's
//               own grid table 2000–2020 (synthetic values) that lacks one year, so the stage
//               falls back to the year before and warns;
//   coal_surface t raw coal, by subtype low/average/high, by overburden depth, or neither;
//   ch4_recovered m3 or t CH4 (every other mine), 30 % of the mine-year's fugitive CH4, with a
//               flare efficiency;
//   land_cleared ha in the onset year and the next two, former class cropland, forest or
//               grassland of the demo pool table (synth_landuse.h).
#pragma once

#include <string>
#include <vector>

#include "minecarbon/demo/synth_landuse.h"
#include "minecarbon/demo/synth_world.h"

namespace minecarbon::demo {

struct SynthActivityRow {
  std::string mine_id;
  int year = 0;
  std::string source, unit, subtype, region;
  double amount = 0;
  double fuel_oil_fraction = -1;   // < 0: blank
  double overburden_depth_m = -1;  // < 0: blank
  double flare_efficiency = -1;    // < 0: blank
};

struct SynthGridFactor {
  std::string region;
  int year = 0;
  double co2_t_per_MWh = 0;
};

// Truth per mine, year and source (t of each gas, t CO2e under AR5).
struct SynthEmissionsTruth {
  std::string mine_id;
  int year = 0;
  std::string source;
  double co2_t = 0, ch4_t = 0, n2o_t = 0, co2e_t = 0;
};

struct SynthEmissions {
  std::string region = "CN-SN";
  int missing_grid_year = 2013;  // not in the demo grid table: the stage uses 2012
  std::vector<SynthActivityRow> activity;
  std::vector<SynthGridFactor> grid;
  std::vector<SynthEmissionsTruth> truth;  // ordered by mine, year, source
};

SynthEmissions make_synth_emissions(const SynthWorld& world, const SynthLanduse& landuse);

}  // namespace minecarbon::demo
