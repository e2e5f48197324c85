// The carbon balance the demo's planting implies, by hand, for every mine of the demo world
// (docs/balance.md, t CO2e, positive = emission): what `minecarbon balance` must recover when it
// joins the damage, landuse and emissions results of the demo.
//
// For mine i and year Y (the damage years 2000–2020, base year 2000, then to the horizon):
//   process        = Σ of the mine-year's hand-computed emissions (synth_emissions.h truth, AR5)
//                    over every source, a land_cleared row left out in the years a map pair
//                    covers (y0 < Y ≤ y1: the maps count that clearing);
//   foregone_sink  = −S_i(Y) · U_i / 10⁶ · 44/12 in damage years, S_i(Y) = d_i(Y) − d_i(2000)
//                    the planted relative NEP change (synth_world.h) and U_i the mine's geodesic
//                    area (m²); only for mines of at least min_area_km2 (the damage stage analyses
//                    no smaller mine);
//   clearing       = −loss_p · 44/12 / (y1 − y0) in y0 < Y ≤ y1 of each consecutive map pair p,
//                    loss_p = Σ planted carbon change (synth_landuse.h truth) of the transitions
//                    to a lower-carbon class;
//   landuse_gain   = −gain_p · 44/12 / (y1 − y0) in map-pair years without a damage value;
//   restoration    = 0: the demo's restoration removals come from the vegetation stage's fitted
//                    growth curves and the soil stage's RothC runs and IPCC trajectory (every
//                    mine of soil/areas.csv), not from planted values, and
//                    count only in projection years (after 2020), so the truth is the balance of
//                    the run without [vegetation] and [soil]; years up to 2020 are the same with
//                    them.
// Cumulative from the first counted year; carbon-neutral year, its interpolation, the first
// net-removal year and the status as docs/balance.md defines them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "minecarbon/demo/synth_emissions.h"
#include "minecarbon/demo/synth_landuse.h"
#include "minecarbon/demo/synth_world.h"

namespace minecarbon::demo {

struct SynthBalanceYear {
  std::string mine_id;
  int year = 0;
  std::string basis;  // nep, landuse, none
  double process_co2e_t = 0, clearing_co2e_t = 0, foregone_co2e_t = 0, landuse_gain_co2e_t = 0;
  double restoration_co2e_t = 0;
  double net_co2e_t = 0, cumulative_co2e_t = 0;
};

struct SynthBalanceMine {
  std::string mine_id;
  std::string status;  // neutral, not_within_horizon, never_net_emitter
  int first_year = 0;
  std::optional<int> neutral_year, first_net_removal_year;
  std::optional<double> neutral_year_interp;
  double cumulative_co2e_t = 0;  // at the horizon
  // Component totals over the account.
  double process_co2e_t = 0, clearing_co2e_t = 0, foregone_co2e_t = 0, landuse_gain_co2e_t = 0;
  double restoration_co2e_t = 0;
};

struct SynthBalance {
  int horizon_year = 2060;
  std::vector<SynthBalanceYear> years;
  std::vector<SynthBalanceMine> mines;
};

SynthBalance make_synth_balance(const SynthWorld& world, const SynthLanduse& landuse,
                                const SynthEmissions& emissions, int horizon_year,
                                double min_area_km2);

}  // namespace minecarbon::demo
