// A synthetic study area with planted answers, for the demo and the end-to-end tests.
//
// 21 annual NEP rasters (2000–2020) on a 0.0045° (≈ 500 m) lon/lat grid of 210 × 90 cells
// around 110.225°E, 35°N (one UTM zone, 49N, so the land-use maps of synth_landuse.h cover every
// mine). NEP = b(x, y) + g(t) + d_i(t):
//   b  a spatially varying background (gC m⁻² yr⁻¹), the same every year;
//   g  a regional yearly anomaly, the same everywhere;
//   d_i the planted disturbance of mine i, painted on every cell the mine touches:
//      0 before onset, −loss after it, recovering by recovery_per_yr after restoration (≤ 0).
// Then S_t = d_i(t) − d_i(base) exactly, whatever the weights, as long as no reference ring reaches
// a painted cell — which holds with ring_gap_m ≥ one cell diagonal, hence the demo's 1000 m.
// Mines: stars, rectangles, one with a hole, two sharing a border on a grid line, a few below
// 1 km², in three clusters side by side at 35°N; nodata "cloud" patches in some years.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "minecarbon/geo/grid.h"
#include "minecarbon/geo/polygon.h"

namespace minecarbon::demo {

struct SynthMine {
  std::string id;
  std::string iso3;
  geo::MultiPolygon shape_lonlat;
  int onset_year = 0;        // first year of loss
  double loss_gC_m2_yr = 0;  // planted loss after onset (> 0)
  int restore_year = 0;      // first year of recovery; 0 = never
  double recovery_gC_m2_yr2 = 0;
  double disturbance(int year) const;  // d_i(t), ≤ 0
};

struct SynthWorld {
  geo::Grid grid;
  int first_year = 2000;
  int last_year = 2020;
  float nodata = -9999.0f;
  std::vector<SynthMine> mines;
  // values[year - first_year][row * cols + col], gC m⁻² yr⁻¹, nodata where masked.
  std::vector<std::vector<float>> nep;
};

SynthWorld make_synth_world(std::uint64_t seed);

}  // namespace minecarbon::demo
