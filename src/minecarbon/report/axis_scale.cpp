#include "minecarbon/report/axis_scale.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace minecarbon::report {
namespace {

// The nice number nearest `x` (rounded) or at least `x` (not rounded): 1, 2, 5 or 10 × 10^k.
double nice_number(double x, bool round) {
  const double exponent = std::floor(std::log10(x));
  const double fraction = x / std::pow(10.0, exponent);
  double nice = 10.0;
  if (round)
    nice = fraction < 1.5 ? 1.0 : fraction < 3.0 ? 2.0 : fraction < 7.0 ? 5.0 : 10.0;
  else
    nice = fraction <= 1.0 ? 1.0 : fraction <= 2.0 ? 2.0 : fraction <= 5.0 ? 5.0 : 10.0;
  return nice * std::pow(10.0, exponent);
}

}  // namespace

AxisTicks nice_ticks(double low, double high, int target) {
  if (low > high) std::swap(low, high);
  if (low == high) {
    const double magnitude =
        low == 0.0 ? 1.0 : std::pow(10.0, std::floor(std::log10(std::abs(low))));
    low -= magnitude;
    high += magnitude;
  }
  const double range = nice_number(high - low, false);
  AxisTicks ticks;
  ticks.step = nice_number(range / std::max(1, target - 1), true);
  const double first = std::floor(low / ticks.step);
  const double last = std::ceil(high / ticks.step);
  for (double k = first; k <= last; k += 1.0)
    ticks.values.push_back(k * ticks.step == 0.0 ? 0.0 : k * ticks.step);
  return ticks;
}

std::string tick_label(double value, double step) {
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, std::abs(value));
  std::string digits(buffer);
  const std::size_t point = digits.find('.');
  std::size_t int_end = point == std::string::npos ? digits.size() : point;
  // Thin space (U+2009) every three digits of the integer part, as SI writes large numbers.
  for (std::ptrdiff_t at = static_cast<std::ptrdiff_t>(int_end) - 3; at > 0; at -= 3)
    digits.insert(static_cast<std::size_t>(at), "\u2009");
  const bool negative = value < 0 && std::abs(value) >= 0.5 * std::pow(10.0, -decimals);
  return negative ? "\u2212" + digits : digits;
}

LinearScale::LinearScale(double domain_low, double domain_high, double page_low, double page_high)
    : d0_(domain_low), d1_(domain_high), p0_(page_low), p1_(page_high) {}

double LinearScale::operator()(double value) const {
  if (d1_ == d0_) return 0.5 * (p0_ + p1_);
  return p0_ + (value - d0_) / (d1_ - d0_) * (p1_ - p0_);
}

}  // namespace minecarbon::report
