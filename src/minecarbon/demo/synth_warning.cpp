#include "minecarbon/demo/synth_warning.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace minecarbon::demo {
namespace {

constexpr int kMinesPerCase = 3;

// A trendless wiggle in [−amplitude, amplitude]: alternating in sign, its size varying slowly
// with the year, so it has no run of same-signed deviations a trend test or a CUSUM could take
// for a change.
double wiggle(int k, double phase, double amplitude) {
  const double sign = (k % 2 == 0) ? 1.0 : -1.0;
  return amplitude * sign * (0.6 + 0.4 * std::sin(0.7 * k + phase));
}

}  // namespace

SynthWarning make_synth_warning() {
  SynthWarning out;
  const int n_years = out.last_year - out.first_year + 1;
  int next_id = 1;
  auto add = [&](const char* case_name, int planted_year, const char* level, std::vector<int> rules,
                 auto value_of) {
    for (int i = 0; i < kMinesPerCase; ++i) {
      SynthWarningSeries s;
      char id[8];
      std::snprintf(id, sizeof id, "W%02d", next_id++);
      s.id = id;
      s.case_name = case_name;
      s.planted_year = planted_year;
      s.planted_level = level;
      s.expected_rules = rules;
      for (int k = 0; k < n_years; ++k)
        s.nep_gC_m2_yr.push_back(value_of(i, k, out.first_year + k));
      out.series.push_back(std::move(s));
    }
  };
  add("stable", 0, "none", {},
      [](int i, int k, int) { return 230.0 + 20.0 * i + wiggle(k, 0.9 * i, 8.0 + 2.0 * i); });
  add("gradual_decline", 2000, "watch", {1, 2}, [](int i, int k, int year) {
    return 330.0 - 10.0 * i - 5.0 * (year - 2000) + wiggle(k, 1.3 + i, 2.0);
  });
  // Rising by 1 a year within each segment (wiggle 0.3 keeps them strictly rising), so Pettitt's
  // K is exactly the last year before the drop (2011, age 9) and the Mann–Kendall S is near 0
  // (66 rising pairs before, 36 after, 108 falling across).
  add("abrupt_drop", 2012, "warning", {2, 3, 4}, [](int i, int k, int year) {
    return 265.0 + 10.0 * i + (year - 2000) - (year >= 2012 ? 150.0 : 0.0) +
           wiggle(k, 0.4 + i, 0.3);
  });
  add("sink_to_source", 2020, "alarm", {1, 2, 3, 5, 6, 7}, [](int i, int k, int year) {
    return std::min(225.0, -15.0 + 20.0 * (2020 - year)) + wiggle(k, 2.1 + i, 1.5);
  });
  return out;
}

}  // namespace minecarbon::demo
