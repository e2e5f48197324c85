#include "minecarbon/stats/mosum_critical_values.h"

#include <array>
#include <cstddef>
#include <string>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon::stats {

namespace {

#include "minecarbon/stats/mosum_critical_values_table.inc"

static_assert(kTableCritval.size() ==
                  kTableH.size() * kTablePeriod.size() * kTableOneMinusAlpha.size(),
              "critical value table shape");

template <std::size_t N>
std::string list_values(const std::array<double, N>& values) {
  std::string out;
  for (std::size_t idx = 0; idx < N; ++idx)
    out += (idx ? ", " : "") + format_plain(values[idx]);
  return out;
}

template <std::size_t N>
std::size_t exact_index(const std::array<double, N>& values, double x) {
  for (std::size_t idx = 0; idx < N; ++idx)
    if (values[idx] == x) return idx;
  return N;
}

}  // namespace

double mosum_critical_value(double h, double end, double level) {
  const std::size_t h_idx = exact_index(kTableH, h);
  if (h_idx == kTableH.size()) {
    throw ConfigError("h = " + format_plain(h) +
                      ": no MOSUM critical values for this bandwidth; the simulated table "
                      "(strucchange monitorMECritvalTable) has h = " +
                      list_values(kTableH) + "; set h to one of them");
  }
  const std::size_t end_idx = exact_index(kTablePeriod, end);
  if (end_idx == kTablePeriod.size()) {
    throw ConfigError("end = " + format_plain(end) +
                      ": no MOSUM critical values for this monitoring horizon (in multiples of "
                      "the history length); the table has end = " +
                      list_values(kTablePeriod) + "; set end to one of them");
  }
  // Linear interpolation in 1 − α on the tabulated grid, as R's approx(rule = 1): outside the
  // grid there is no value.
  const double v = 1.0 - level;
  const auto& x = kTableOneMinusAlpha;
  if (!(v >= x.front() && v <= x.back())) {
    throw ConfigError("level = " + format_plain(level) +
                      ": MOSUM critical values exist for significance levels 0.001 to 0.05 "
                      "only (the simulated table's range); set level within that range");
  }
  const std::size_t base = (h_idx * kTablePeriod.size() + end_idx) * x.size();
  std::size_t i = 0;
  std::size_t j = x.size() - 1;
  while (i + 1 < j) {  // bisection keeps x[i] <= v <= x[j]
    const std::size_t mid = (i + j) / 2;
    if (v < x[mid])
      j = mid;
    else
      i = mid;
  }
  const double yi = kTableCritval[base + i];
  const double yj = kTableCritval[base + j];
  if (v == x[j]) return yj;
  if (v == x[i]) return yi;
  return yi + (yj - yi) * ((v - x[i]) / (x[j] - x[i]));
}

std::span<const double> mosum_table_h() {
  return kTableH;
}
std::span<const double> mosum_table_end() {
  return kTablePeriod;
}
std::span<const double> mosum_table_one_minus_alpha() {
  return kTableOneMinusAlpha;
}
double mosum_table_value(std::size_t h_idx, std::size_t end_idx, std::size_t level_idx) {
  return kTableCritval.at((h_idx * kTablePeriod.size() + end_idx) * kTableOneMinusAlpha.size() +
                          level_idx);
}

}  // namespace minecarbon::stats
