#include "minecarbon/carbon/landuse_valuation.h"

#include <cmath>
#include <string>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"
#include "minecarbon/core/units.h"

namespace minecarbon::carbon {

double valuation_constant(int year_from, int year_to, double price_per_tC, double discount_rate_pct,
                          double rate_change_pct) {
  if (year_to <= year_from)
    throw ConfigError("landuse: valuation from " + std::to_string(year_from) + " to " +
                      std::to_string(year_to) +
                      ": the later date must be after the earlier one (dates in increasing order)");
  if (!(discount_rate_pct > -100.0) || !(rate_change_pct > -100.0))
    throw ConfigError("landuse: discount_rate_pct and rate_change_pct must be > -100 (got " +
                      format_plain(discount_rate_pct) + ", " + format_plain(rate_change_pct) + ")");
  const double n = static_cast<double>(year_to - year_from);
  const double ratio = 1.0 / ((1.0 + discount_rate_pct / 100.0) * (1.0 + rate_change_pct / 100.0));
  // InVEST tests ratio == 1 exactly (both rates 0, or rates that cancel in floating point).
  if (ratio == 1.0) return price_per_tC;
  return price_per_tC / n * (1.0 - std::pow(ratio, n)) / (1.0 - ratio);
}

double price_per_tc_from_co2e(double price_per_tco2e) {
  return price_per_tco2e * units::kCo2PerC;
}

}  // namespace minecarbon::carbon
