#include "minecarbon/carbon/nep_change.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace minecarbon::carbon {
namespace {

// Differences below this share of their operands are rounding (nep_change.h).
constexpr double kRelativeRounding = 1e-12;

}  // namespace

double difference_or_zero(double a, double b) {
  const double d = a - b;
  const double scale = std::max(std::fabs(a), std::fabs(b));
  return std::fabs(d) <= kRelativeRounding * scale ? 0.0 : d;
}

std::vector<NepChange> nep_change(std::span<const double> q_gC_m2_yr,
                                  std::span<const double> o_gC_m2_yr, std::size_t base,
                                  double area_m2) {
  if (q_gC_m2_yr.size() != o_gC_m2_yr.size() || base >= q_gC_m2_yr.size())
    throw std::invalid_argument("nep_change: Q and O must be series of one length holding base");
  const double q_base = q_gC_m2_yr[base], o_base = o_gC_m2_yr[base];
  std::vector<NepChange> out(q_gC_m2_yr.size());
  for (std::size_t year = 0; year < out.size(); ++year) {
    NepChange& c = out[year];
    c.mine_change_gC_m2_yr = difference_or_zero(q_gC_m2_yr[year], q_base);
    c.ref_change_gC_m2_yr = difference_or_zero(o_gC_m2_yr[year], o_base);
    // S is zero when P and W cancel within the rounding of Q and O themselves.
    const double s = c.mine_change_gC_m2_yr - c.ref_change_gC_m2_yr;
    const double scale = std::max({std::fabs(q_gC_m2_yr[year]), std::fabs(q_base),
                                   std::fabs(o_gC_m2_yr[year]), std::fabs(o_base)});
    c.change_rel_gC_m2_yr = std::fabs(s) <= kRelativeRounding * scale ? 0.0 : s;
    c.change_rel_gC_yr = c.change_rel_gC_m2_yr * area_m2;
  }
  return out;
}

}  // namespace minecarbon::carbon
