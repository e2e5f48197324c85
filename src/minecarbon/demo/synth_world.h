// The demo's one synthetic study area, with planted answers for every stage.
//
// Mines: `kSynthLatticeCols` × `kSynthLatticeRows` sites 3.6 km apart (jittered by up to ±250 m)
// around 110.225°E, 35°N, all in UTM zone 49N so the land-use maps of synth_landuse.h cover every
// mine. Most sites hold a star; site 0 (the westernmost column) a mine with a hole (an unmined
// island), one site two rectangles sharing a border on a grid line, and every 40th site a star
// below 1 km² (the damage stage analyses none of those). Mines' touched cells never meet: the
// closest two outlines are farther apart than one cell diagonal.
//
// NEP: 21 annual rasters (2000–2020) on a 0.0045° (≈ 500 m) lon/lat grid reaching 6 km beyond
// the mines. NEP = b(x, y) + g(t) + d_i(t):
//   b  a spatially varying background (gC m⁻² yr⁻¹), the same every year; on every cell a mine
//      touches, the mine's own uniform floor level instead;
//   g  a regional yearly anomaly, the same everywhere;
//   d_i the planted disturbance of mine i on every cell it touches:
//      0 before onset, −loss after it, recovering by recovery_per_yr after restoration (≤ 0).
// Then S_t = d_i(t) − d_i(base) exactly, whatever the weights, as long as no reference ring reaches
// a painted cell — which holds with ring_gap_m ≥ one cell diagonal, hence the demo's 1000 m.
// Nodata: a lake between mines every year and "clouds" over half of one mine in two years.
//
// The potential relation (synth_potential.h) is planted on the same mines: each mine has an
// achievable NEP increment A_i from the covariate fields at its centre plus noise, and is either
// restored as well as it can be (its increment 2000 → 2020 is A_i) or not (its increment is
// uniform in −40…95, below the potential stage's threshold of 100). The increment
//   y_i = Q_2020 − Q_2000 = g(2020) − g(2000) + d_i(2020) − d_i(2000)
// is what the damage stage measures (nep_mine_change_gC_m2_yr in 2020), so each mine's onset,
// loss and recovery are chosen to give it: a restored mine was stripped before 2000 and recovers
// during the record, an unrestored one mostly loses NEP after 2000. All values are sixteenths.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "minecarbon/geo/grid.h"
#include "minecarbon/geo/polygon.h"

namespace minecarbon::demo {

// Lattice of mine sites; the demo's mine count (one site holds two mines).
inline constexpr int kSynthLatticeCols = 20;
inline constexpr int kSynthLatticeRows = 14;

struct SynthMine {
  std::string id;
  std::string iso3;
  geo::MultiPolygon shape_lonlat;
  double lon = 0, lat = 0;   // the site's centre (the covariate fields are read there)
  int onset_year = 0;        // first year of loss
  double loss_gC_m2_yr = 0;  // planted loss after onset (> 0)
  int restore_year = 0;      // first year of recovery; 0 = never
  double recovery_gC_m2_yr2 = 0;
  double disturbance(int year) const;  // d_i(t), ≤ 0
  // The potential planting (synth_potential.h).
  bool potential_restored = false;    // restored as well as it can be: increment = achievable
  double achievable_gC_m2_yr = 0;     // A_i
  double nep_increment_gC_m2_yr = 0;  // y_i = Q_2020 − Q_2000, what damage measures
  double planted_potential_gC_m2_yr() const {
    return potential_restored ? 0.0 : achievable_gC_m2_yr - nep_increment_gC_m2_yr;
  }
};

struct SynthWorld {
  geo::Grid grid;
  int first_year = 2000;
  int last_year = 2020;
  float nodata = -9999.0f;
  geo::Bounds extent{};  // of the NEP grid; the covariate fields' (u, v) span it
  std::vector<SynthMine> mines;
  std::vector<double> anomaly;  // g(t) per year
  // values[year - first_year][row * cols + col], gC m⁻² yr⁻¹, nodata where masked.
  std::vector<std::vector<float>> nep;
};

SynthWorld make_synth_world(std::uint64_t seed);

}  // namespace minecarbon::demo
