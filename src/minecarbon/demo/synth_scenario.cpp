#include "minecarbon/demo/synth_scenario.h"

#include <cmath>

#include "minecarbon/assess/scenario/scenario_streams.h"
#include "minecarbon/core/random.h"

namespace minecarbon::demo {

SynthScenario make_synth_scenario(std::uint64_t seed, std::int64_t side) {
  SynthScenario w;
  w.grid.x_min = 500000;
  w.grid.y_max = 3900000;
  w.grid.dx = w.grid.dy = 30;
  w.grid.rows = w.grid.cols = side;
  // Pool totals of ChinaXiv:202103.00039's loess-hills watershed for forest, grass (methods
  // §3.5, an example fixture); cropland, water, built and mine are illustrative.
  w.classes = {{1, "cropland", 90.0}, {2, "forest", 163.7}, {3, "grassland", 97.26},
               {4, "water", 0.0},     {5, "built", 20.0},   {6, "mine", 5.0}};
  w.truth = {{5, "road_m"}, {2, "slope_deg"}};
  const std::size_t n = static_cast<std::size_t>(side * side);
  const double s = static_cast<double>(side);
  w.drivers.assign(3, std::vector<float>(n));
  std::vector<std::uint8_t> map(n);
  const double road_col = 0.35 * s, road_row = 0.6 * s;
  for (std::int64_t row = 0; row < side; ++row)
    for (std::int64_t col = 0; col < side; ++col) {
      const std::size_t cell = static_cast<std::size_t>(row * side + col);
      const double x = static_cast<double>(col), y = static_cast<double>(row);
      const double road_m =
          30.0 * std::min(std::abs(x + 0.5 - road_col), std::abs(y + 0.5 - road_row));
      // Relief: steep towards the north edge, with a ridge wave.
      const double slope = 30.0 * std::pow(1.0 - y / s, 2.0) + 4.0 * std::sin(x / s * 12.566);
      RandomStream noise(seed, assess::scenario::kScenarioDemoStream, cell);
      w.drivers[0][cell] = static_cast<float>(road_m);
      w.drivers[1][cell] = static_cast<float>(std::max(0.0, slope));
      w.drivers[2][cell] = static_cast<float>(noise.uniform01());
      std::uint8_t c = 1;
      if (std::abs(x - 0.8 * s) < 0.015 * s)
        c = 4;
      else if (slope > 20)
        c = 2;
      else if (slope > 12)
        c = 3;
      else if (x > 0.55 * s && x < 0.7 * s && y > 0.75 * s && y < 0.9 * s)
        c = 6;
      else if (std::abs(x - road_col) < 0.04 * s && std::abs(y - road_row) < 0.04 * s)
        c = 5;
      map[cell] = c;
    }
  w.maps.push_back(map);
  for (std::size_t date = 1; date < w.years.size(); ++date) {
    for (std::size_t cell = 0; cell < n; ++cell) {
      RandomStream rng(seed, assess::scenario::kScenarioDemoStream, (date << 40) + cell);
      const double u = rng.uniform01();
      const std::uint8_t c = map[cell];
      if (c == 1 && u < (w.drivers[0][cell] < 600 ? 0.5 : 0.002))
        map[cell] = 5;
      else if ((c == 1 || c == 3) && w.drivers[1][cell] > 18 && rng.uniform01() < 0.3)
        map[cell] = 2;
    }
    w.maps.push_back(map);
  }
  return w;
}

}  // namespace minecarbon::demo
