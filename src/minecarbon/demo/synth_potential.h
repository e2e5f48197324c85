// The potential relation planted on the demo world's mines (synth_world.h): covariate rasters and
// the achievable NEP increment they drive, for `minecarbon potential` to recover.
//
// Covariate fields are smooth analytic functions of (u, v) = ((lon − x_min)/(x_max − x_min),
// (lat − y_min)/(y_max − y_min)) over the world's NEP grid, sampled at cell centres (formulas in
// synth_potential.cpp): precipitation, GPP, maximum and minimum temperature, soil organic carbon,
// SPEI, GDP density, population counts per cell, and the DEM. The planted achievable increment of
// mine i, from the fields at its site centre c_i:
//
//   A_i = 150 + 260·φ_P(c_i) + 110·φ_G(c_i) + 50·φ_T(c_i) + ε_i   gC m⁻² yr⁻¹,  ε_i ~ N(0, 12²)
//
// with φ_P, φ_G, φ_T ∈ [0, 1] the precipitation, GPP and maximum-temperature fields rescaled to
// their range: precipitation is the strongest driver; SOC, SPEI, GDP, population, terrain and mine
// area carry no planted effect. synth_world.h turns A_i into each mine's NEP history (a restored
// mine's increment is A_i up to the rounding to sixteenths, which is then A_i's planted value).
//
// Covariates on a 0.02° (≈ 2 km) grid and the DEM on 0.0025° (≈ 250 m), both lon/lat and covering
// the NEP grid.
#pragma once

#include <string>
#include <vector>

#include "minecarbon/geo/grid.h"

namespace minecarbon::demo {

struct SynthWorld;

struct SynthRaster {
  std::string name;  // file stem and covariate name, with unit (precip_mm_yr)
  std::string stat;  // how the stage should summarise it: "mean" or "sum"
  geo::Grid grid;
  std::vector<float> values;  // row-major
};

struct SynthPotential {
  std::vector<SynthRaster> covariates;  // on the 0.02° grid
  SynthRaster dem;                      // elevation_m on the 0.0025° grid
  std::string strongest_driver = "precip_mm_yr";
};

// The planted achievable increment without its noise, at (u, v) ∈ [0, 1]².
double planted_achievable_mean(double u, double v);

// Deterministic (no draws): the fields follow from the world's extent.
SynthPotential make_synth_potential(const SynthWorld& world);

}  // namespace minecarbon::demo
