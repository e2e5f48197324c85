#include "minecarbon/core/random.h"

#include <cmath>
#include <limits>

namespace minecarbon {

double portable_log(double x) {
  if (std::isnan(x) || x <= 0.0) return std::numeric_limits<double>::quiet_NaN();
  if (std::isinf(x)) return x;
  // frexp and ldexp are exact (they only move the exponent).
  int exponent = 0;
  double m = std::frexp(x, &exponent);  // m in [0.5, 1)
  constexpr double kSqrtHalf = 0.70710678118654752440;
  if (m < kSqrtHalf) {
    m = std::ldexp(m, 1);
    --exponent;
  }
  const double t = (m - 1.0) / (m + 1.0);
  const double t2 = t * t;
  // Horner form of 1 + t²/3 + t⁴/5 + … + t²⁸/29.
  double series = 1.0 / 29.0;
  for (int k = 27; k >= 1; k -= 2)
    series = series * t2 + 1.0 / static_cast<double>(k);
  // ln 2 = kLn2High + kLn2Low; kLn2High has 32 significant bits so e·kLn2High is exact.
  constexpr double kLn2High = 6.93147180369123816490e-01;
  constexpr double kLn2Low = 1.90821492927058770002e-10;
  const double e = static_cast<double>(exponent);
  return e * kLn2High + (2.0 * t * series + e * kLn2Low);
}

double RandomStream::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  double u = 0.0, v = 0.0, s = 0.0;
  do {
    u = 2.0 * uniform01() - 1.0;
    v = 2.0 * uniform01() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * portable_log(s) / s);
  spare_normal_ = v * factor;
  has_spare_normal_ = true;
  return u * factor;
}

}  // namespace minecarbon
