// A synthetic study area for the potential stage, with a planted relation between the covariates
// and the NEP increment that restoration achieves: the demo and the end-to-end tests recover it.
//
// Why a world of its own: the damage demo (synth_world.h) has ~30 mines, too few for a random
// forest. This one has `n_mines` mines (thousands) over 4° × 4° (104–108°E, 34–38°N), on three
// lon/lat grids: NEP on 0.005° (≈ 500 m), climate and socio-economic covariates on 0.02°
// (≈ 2 km), a DEM on 0.0025° (≈ 250 m).
//
// Covariate fields are smooth analytic functions of (u, v) = ((lon − 104)/4, (lat − 34)/4),
// sampled at cell centres (see synth_potential.cpp for the formulas): precipitation, GPP, maximum
// and minimum temperature, soil organic carbon, SPEI, GDP density, population counts per cell,
// and the DEM. The planted achievable NEP increment of mine i, from the fields at its centroid c_i:
//
//   A_i = 150 + 260·φ_P(c_i) + 110·φ_G(c_i) + 50·φ_T(c_i) + ε_i   gC m⁻² yr⁻¹,  ε_i ~ N(0, 12²)
//
// with φ_P, φ_G, φ_T ∈ [0, 1] the precipitation, GPP and maximum-temperature fields rescaled to
// their range: precipitation is the strongest driver; SOC, SPEI, GDP, population, terrain and mine
// area carry no planted effect. A share of the mines is restored as well as it can be (observed
// increment y_i = A_i, planted potential 0); the others are not (y_i uniform in −40…95, below the
// paper's 100 threshold; planted potential A_i − y_i).
//
// The NEP rasters (2015–2020) paint every cell a mine touches with its own NEP: Q_base,i in 2015,
// rising linearly to Q_base,i + y_i in 2020 (values on a 1/16 grid, exact in float32), so the
// damage stage's nep_mine_change_gC_m2_yr in 2020 equals y_i. Mines are ≥ 3 km apart, so no cell
// is shared, and every cell a mine touches (coverage > 0) is painted.
//
// ISO-3 codes are assigned by quadrant only to exercise the grouping: CHN north-west, BRA
// north-east, ZAF south-west, AUS south-east (M49 continents Asia, South America, Africa,
// Oceania).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "minecarbon/geo/grid.h"
#include "minecarbon/geo/polygon.h"

namespace minecarbon::demo {

struct SynthPotentialMine {
  std::string id;
  std::string iso3;
  geo::MultiPolygon shape_lonlat;
  double lon = 0, lat = 0;         // centroid of the star's centre
  bool restored = false;           // y = A
  double achievable_gC_m2_yr = 0;  // A_i
  double observed_gC_m2_yr = 0;    // y_i, the NEP increment 2015 → 2020
  double nep_base_gC_m2_yr = 0;    // Q_base,i
  double planted_potential_gC_m2_yr() const {
    return restored ? 0.0 : achievable_gC_m2_yr - observed_gC_m2_yr;
  }
};

struct SynthRaster {
  std::string name;  // file stem and covariate name, with unit (precip_mm_yr)
  std::string stat;  // how the stage should summarise it: "mean" or "sum"
  geo::Grid grid;
  std::vector<float> values;  // row-major
};

struct SynthPotentialWorld {
  int first_year = 2015;
  int last_year = 2020;
  float nodata = -9999.0f;
  geo::Grid nep_grid;
  std::vector<std::vector<float>> nep;  // [year - first_year][row * cols + col]
  std::vector<SynthRaster> covariates;  // on the 0.02° grid
  SynthRaster dem;                      // elevation_m on the 0.0025° grid
  std::vector<SynthPotentialMine> mines;
  std::string strongest_driver = "precip_mm_yr";
};

// Deterministic for a seed: one core/random.h stream (seed, demo_potential_world), so the same
// world on every compiler and standard library. n_mines ≥ 1; ~45 % of the mines are restored.
SynthPotentialWorld make_synth_potential_world(std::uint64_t seed, std::size_t n_mines);

}  // namespace minecarbon::demo
