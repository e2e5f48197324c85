// The land-use scenario world of the demo (issue 13 §5): three class maps (2000, 2010, 2020) on
// a 30 m UTM grid (EPSG:32649) generated from planted driver effects, for `minecarbon scenario`.
//
// Classes: 1 cropland, 2 forest, 3 grassland, 4 water, 5 built, 6 mine.
// Drivers: road_m (distance to two straight roads, m), slope_deg (smooth relief), noise
// (uniform per cell, decides nothing; a smooth irrelevant field such as elevation would be a
// proxy of location, and so of the roads, and is left out on purpose).
// 2000: water along a river band, forest where slope > 20°, grassland on 12–20°, a mine block,
// built blocks at the road crossing, cropland elsewhere.
// Each decade, every cell draws once (its own stream) and changes by the planted rules:
//   cropland → built         with probability 0.5 if road_m < 600, else 0.002
//   cropland, grassland → forest  with probability 0.3 if slope_deg > 18
// everything else persists. So the planted top driver is road_m for built and slope_deg for
// forest; noise decides nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "minecarbon/geo/grid.h"

namespace minecarbon::demo {

struct SynthScenario {
  std::string crs = "EPSG:32649";
  geo::Grid grid;
  std::vector<int> years{2000, 2010, 2020};
  std::vector<std::vector<std::uint8_t>> maps;  // [date][cell], class codes
  std::vector<std::string> driver_names{"road_m", "slope_deg", "noise"};
  std::vector<std::vector<float>> drivers;  // [driver][cell]
  struct Class {
    int code;
    std::string name;
    double total_tC_ha;  // pools of the demo's pool table (c_above+c_below+c_soil+c_dead)
  };
  std::vector<Class> classes;
  // Planted answers: the top driver of the classes that expand.
  struct Truth {
    int code;
    std::string top_driver;
  };
  std::vector<Truth> truth;
};

// `side` cells per axis (the demo uses 1000).
SynthScenario make_synth_scenario(std::uint64_t seed, std::int64_t side = 1000);

}  // namespace minecarbon::demo
