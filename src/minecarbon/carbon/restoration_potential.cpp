#include "minecarbon/carbon/restoration_potential.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "minecarbon/core/nan.h"
#include "minecarbon/core/units.h"

namespace minecarbon::carbon {
namespace {

// max(0, a − y) for finite y; NaN for a non-finite a.
double clamped_gap(double achievable, double observed) {
  if (!std::isfinite(achievable)) return kNaN;
  return std::max(0.0, achievable - observed);
}

}  // namespace

double restoration_potential(double achievable, double observed) {
  if (!std::isfinite(observed)) return kNaN;
  return clamped_gap(achievable, observed);
}

PotentialInterval restoration_potential_interval(double achievable, double achievable_low,
                                                 double achievable_high, double observed) {
  PotentialInterval out;
  if (!std::isfinite(achievable) || !std::isfinite(observed)) {
    out.potential = out.low = out.high = kNaN;
    return out;
  }
  out.known = true;
  out.potential = std::max(0.0, achievable - observed);
  out.low = clamped_gap(achievable_low, observed);
  out.high = clamped_gap(achievable_high, observed);
  out.excludes_zero = achievable_low > observed;
  return out;
}

double potential_GgC_yr(double potential_gC_m2_yr, double area_m2) {
  return potential_gC_m2_yr * area_m2 / (units::kGPerMg * units::kMgPerGg);
}

}  // namespace minecarbon::carbon
