#include "minecarbon/core/text.h"

#include <charconv>
#include <cmath>

namespace minecarbon {

namespace {

// Shortest round-trip text of a finite double.
std::string shortest(double value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

}  // namespace

std::string format_number(double value) {
  if (std::isnan(value)) return "NA";
  if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
  return shortest(value);
}

std::string format_plain(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    // -0.0 prints as "0": a sign on zero tells a reader nothing.
    return std::to_string(static_cast<long long>(value));
  }
  return shortest(value);
}

}  // namespace minecarbon
