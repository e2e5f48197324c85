// A synthetic plot inventory with planted answers, for the demo and the end-to-end tests.
//
// Four land uses on the mines of a SynthWorld:
//   conifer_plantation    Cunninghamia lanceolata  volume LY 208-1977, continuous BEF (Fang 2007),
//                                                  roots included in B
//   pine_plantation       Pinus massoniana         volume DB51/T 1466-2012, BEF × WD (synthetic
//                                                  factors), root:shoot IPCC 2019 temperate Asia
//                                                  planted conifer
//   broadleaf_plantation  Robinia pseudoacacia     no volume; Chave et al. 2014 allometry
//   (synthetic
//                                                  wood density), roots Cairns et al. 1997
//                                                  temperate
//   grassland             no trees; herb layer and litter from harvest quadrats (2 plots per mine)
// Each tree land use has a planted Chapman–Richards curve of live-tree carbon against stand age,
// C(t) = A (1 − e^(−k t))^c (tC ha⁻¹). A plot of age t gets the target C(t) · e^ε, ε ~ N(0, σ²)
// (σ = planted_noise_sd_log), and trees whose carbon, computed with the stage's own recipe and the
// true heights, adds up to that target: relative sizes are drawn, then one diameter scale is solved
// by bisection. Heights follow a planted H–D curve H = 1.3 + H_max D / (B + D) with 5 % noise, and
// a fifth of them are left blank for the stage to estimate. A few dead trees,
// shrub/herb/litter/dead wood quadrats and the land-use areas of each mine complete the inventory.
// Fitting the inventory must recover (A, k, c) within sampling error: that is the end-to-end test.
//
// Randomness: one core/random.h stream per (seed, demo_vegetation_mine, mine index), with its
// uniforms and portable normals, so the inventory is the same on every platform.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "minecarbon/assess/vegetation.h"
#include "minecarbon/core/table.h"
#include "minecarbon/demo/synth_world.h"

namespace minecarbon::demo {

struct SynthVegetation {
  Table trees{"trees"};
  Table plots{"plots"};
  Table understorey{"understorey"};
  Table species{"species"};
  Table stratum_areas{"stratum_areas"};
  Table truth_growth{"truth_growth"};  // planted curve parameters per land use
  Table truth_plots{"truth_plots"};    // planted and achieved tree carbon per plot
  double planted_noise_sd_log = 0.0;
  int inventory_year = 0;
};

// Builds the inventory on `world`'s mines. `tables` are the factor tables the stage will read (the
// shipped ones): the generator uses the same rows, so its planted carbon is what the stage
// computes from the true heights.
SynthVegetation make_synth_vegetation(const SynthWorld& world,
                                      const assess::VegetationTables& tables, std::uint64_t seed);

}  // namespace minecarbon::demo
