#include "minecarbon/stats/spearman.h"

#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "minecarbon/stats/ranks.h"

namespace minecarbon::stats {

SpearmanCorrelation spearman(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) throw std::invalid_argument("spearman: x and y differ in length");
  std::vector<double> xs, ys;
  for (std::size_t idx = 0; idx < x.size(); ++idx)
    if (!std::isnan(x[idx]) && !std::isnan(y[idx])) {
      xs.push_back(x[idx]);
      ys.push_back(y[idx]);
    }
  SpearmanCorrelation out;
  out.n = xs.size();
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  out.rho = out.p = kNaN;
  if (out.n < 3) return out;
  const Ranks rx = average_ranks(xs), ry = average_ranks(ys);
  const double mean = (static_cast<double>(out.n) + 1.0) / 2.0;  // of ranks 1 … n
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t idx = 0; idx < out.n; ++idx) {
    const double dx = rx.rank[idx] - mean, dy = ry.rank[idx] - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!(sxx > 0) || !(syy > 0)) return out;
  out.rho = sxy / std::sqrt(sxx * syy);
  const double df = static_cast<double>(out.n) - 2.0;
  if (std::fabs(out.rho) >= 1.0) {
    out.p = 0.0;
    return out;
  }
  const double t = out.rho * std::sqrt(df / (1.0 - out.rho * out.rho));
  const boost::math::students_t dist(df);
  out.p = 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t)));
  return out;
}

}  // namespace minecarbon::stats
