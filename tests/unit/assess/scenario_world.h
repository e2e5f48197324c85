// A synthetic land-use world for the scenario tests: where planted drivers decide expansion.
// Class 2 ("built") grows next to a road (driver "road" < 1250 m: 60 % of cells), class 1
// ("forest") on steep cells ("slope" > 22.5°: 50 %), 1 % of other cells turn built; "noise"
// decides nothing. T1 is all class 0 but cell 0 (nodata).
#pragma once

#include <cstdint>
#include <vector>

#include "minecarbon/assess/scenario/leas.h"
#include "minecarbon/core/random.h"

namespace minecarbon::test {

struct World {
  std::size_t side = 120;
  std::vector<std::int32_t> t1, t2;
  std::vector<double> road, slope, noise;
};

inline World make_world() {
  World w;
  const std::size_t n = w.side * w.side;
  RandomStream rng(7, StreamPurpose::demo_damage_world, 99);
  w.t1.assign(n, 0);
  w.t2.assign(n, 0);
  for (std::size_t cell = 0; cell < n; ++cell) {
    const double col = static_cast<double>(cell % w.side), row = static_cast<double>(cell / w.side);
    w.road.push_back(col / static_cast<double>(w.side - 1) * 5000.0);  // m to the road
    w.slope.push_back(row / static_cast<double>(w.side - 1) * 30.0);   // degrees
    w.noise.push_back(rng.uniform01());
    const double u = rng.uniform01();
    if (w.road.back() < 1250.0 && u < 0.6)
      w.t2[cell] = 2;
    else if (w.slope.back() > 22.5 && u < 0.5)
      w.t2[cell] = 1;
    else if (u < 0.01)
      w.t2[cell] = 2;
  }
  w.t1[0] = -1;  // one nodata cell
  return w;
}

inline assess::scenario::LeasInputs inputs_of(const World& w) {
  assess::scenario::LeasInputs in;
  in.n_classes = 3;
  in.from_idx = w.t1;
  in.to_idx = w.t2;
  in.driver_names = {"road", "slope", "noise"};
  in.drivers = {w.road, w.slope, w.noise};
  return in;
}

// The same planted rules applied once more to a map: the "observed third date" of validation.
// Cells already changed stay; class-0 cells change by the same rules with fresh draws.
inline std::vector<std::int32_t> next_date(const World& w, const std::vector<std::int32_t>& map,
                                           std::uint64_t index) {
  RandomStream rng(7, StreamPurpose::demo_damage_world, index);
  std::vector<std::int32_t> out = map;
  for (std::size_t cell = 0; cell < map.size(); ++cell) {
    const double u = rng.uniform01();
    if (map[cell] != 0) continue;
    if (w.road[cell] < 1250.0 && u < 0.6)
      out[cell] = 2;
    else if (w.slope[cell] > 22.5 && u < 0.5)
      out[cell] = 1;
    else if (u < 0.01)
      out[cell] = 2;
  }
  return out;
}

}  // namespace minecarbon::test
