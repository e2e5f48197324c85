// A synthetic 16-day NDVI stack with planted answers, shared by the per-pixel warning tests
// (tests/unit/assess/test_warning_pixel.cpp and tests/e2e/test_warning_pixel_e2e.cpp):
//   NDVI = 0.55 + 0.2·cos(2π(t − 0.6)) + 0.004·(t − first_year) + N(0, noise)   (healthy cover)
// minus `drop` from `drop_time` on in the pixels marked disturbed. Gaps: whole cloudy scenes
// (every date whose index d has d·7 mod 11 == 3, shared by all pixels: about 9 % of dates), and
// in every third pixel its own ≈ 10 % of dates missing (NaN). Each pixel's noise and gaps come
// from a generator seeded by (seed, pixel), so the stack does not depend on the call order.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

namespace minecarbon::testing {

struct PixelStack {
  int rows = 0, cols = 0;
  std::vector<double> time_yr;  // per date
  std::vector<double> values;   // date-major: values[d·rows·cols + row·cols + col], NaN = gap
  std::vector<char> disturbed;  // per pixel
  std::size_t pixels() const { return static_cast<std::size_t>(rows) * cols; }
  double at(std::size_t date, std::size_t pixel) const { return values[date * pixels() + pixel]; }
};

struct PixelStackSpec {
  int rows = 12, cols = 10;
  int first_year = 2005, years = 6, per_year = 23;
  double noise = 0.02;
  double drop = 0.25, drop_time = 2009.5;
  std::uint64_t seed = 42;
  bool gaps = true;
  // Disturbed pixels: a rectangle [row0, row1) × [col0, col1), and a second one.
  int row0 = 0, row1 = 0, col0 = 0, col1 = 0;
  int row2 = 0, row3 = 0, col2 = 0, col3 = 0;
};

inline PixelStack make_pixel_stack(const PixelStackSpec& spec) {
  PixelStack s;
  s.rows = spec.rows;
  s.cols = spec.cols;
  const int n_dates = spec.years * spec.per_year;
  for (int d = 0; d < n_dates; ++d)
    s.time_yr.push_back(spec.first_year + static_cast<double>(d) / spec.per_year);
  const std::size_t n_pix = s.pixels();
  s.values.assign(static_cast<std::size_t>(n_dates) * n_pix, 0.0);
  s.disturbed.assign(n_pix, 0);
  for (int row = 0; row < spec.rows; ++row)
    for (int col = 0; col < spec.cols; ++col) {
      const std::size_t px = static_cast<std::size_t>(row) * spec.cols + col;
      const bool in_a = row >= spec.row0 && row < spec.row1 && col >= spec.col0 && col < spec.col1;
      const bool in_b = row >= spec.row2 && row < spec.row3 && col >= spec.col2 && col < spec.col3;
      s.disturbed[px] = (in_a || in_b) ? 1 : 0;
      std::mt19937_64 rng(spec.seed * 1000003ULL + px);
      std::normal_distribution<double> noise(0.0, spec.noise);
      std::uniform_real_distribution<double> unit(0.0, 1.0);
      const bool own_gaps = spec.gaps && px % 3 == 0;
      for (int d = 0; d < n_dates; ++d) {
        const double t = s.time_yr[static_cast<std::size_t>(d)];
        double v = 0.55 + 0.2 * std::cos(2.0 * std::numbers::pi * (t - 0.6)) +
                   0.004 * (t - spec.first_year) + noise(rng);
        if (s.disturbed[px] && t >= spec.drop_time) v -= spec.drop;
        const bool gap_draw = unit(rng) < 0.1;
        if (spec.gaps && (d * 7) % 11 == 3) v = std::nan("");
        if (own_gaps && gap_draw) v = std::nan("");
        s.values[static_cast<std::size_t>(d) * n_pix + px] = v;
      }
    }
  return s;
}

}  // namespace minecarbon::testing
