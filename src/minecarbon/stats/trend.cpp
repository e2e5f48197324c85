#include "minecarbon/stats/trend.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/stats/median.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <vector>

namespace minecarbon::stats {
namespace {

struct Points {
  std::vector<double> x, y;
};

Points finite_points(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) throw std::invalid_argument("trend: x and y differ in length");
  Points points;
  for (std::size_t idx = 0; idx < x.size(); ++idx) {
    if (std::isfinite(x[idx]) && std::isfinite(y[idx])) {
      points.x.push_back(x[idx]);
      points.y.push_back(y[idx]);
    }
  }
  return points;
}

// Σ t(t−1)(2t+5) and Σ t(t−1)/2 over groups of equal values.
std::pair<double, double> tie_sums(const std::vector<double>& values) {
  std::map<double, int> counts;
  for (double v : values)
    ++counts[v];
  double var_term = 0, pair_term = 0;
  for (const auto& [value, t] : counts) {
    var_term += static_cast<double>(t) * (t - 1) * (2.0 * t + 5.0);
    pair_term += static_cast<double>(t) * (t - 1) / 2.0;
  }
  return {var_term, pair_term};
}

int sign(double v) {
  return (v > 0) - (v < 0);
}

}  // namespace

OlsFit ols(std::span<const double> x, std::span<const double> y) {
  Points p = finite_points(x, y);
  OlsFit fit;
  fit.n = static_cast<int>(p.x.size());
  if (fit.n < 2) return OlsFit{fit.n, kNaN, kNaN, kNaN};
  double mean_x = 0, mean_y = 0;
  for (int idx = 0; idx < fit.n; ++idx) {
    mean_x += p.x[idx];
    mean_y += p.y[idx];
  }
  mean_x /= fit.n;
  mean_y /= fit.n;
  double sxx = 0, sxy = 0, syy = 0;
  for (int idx = 0; idx < fit.n; ++idx) {
    const double dx = p.x[idx] - mean_x, dy = p.y[idx] - mean_y;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx == 0) return OlsFit{fit.n, kNaN, kNaN, kNaN};
  fit.slope = sxy / sxx;
  fit.intercept = mean_y - fit.slope * mean_x;
  fit.r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : kNaN;
  return fit;
}

MannKendall mann_kendall(std::span<const double> x, std::span<const double> y) {
  Points p = finite_points(x, y);
  const std::size_t n = p.x.size();
  MannKendall mk;
  mk.n = static_cast<int>(n);
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      s += sign(p.x[j] - p.x[i]) * sign(p.y[j] - p.y[i]);
    }
  }
  mk.s = s;
  const double nd = static_cast<double>(n);
  const auto [y_var_ties, y_pair_ties] = tie_sums(p.y);
  const auto [x_var_ties, x_pair_ties] = tie_sums(p.x);
  (void)x_var_ties;
  mk.var_s = (nd * (nd - 1) * (2 * nd + 5) - y_var_ties) / 18.0;
  const double n0 = nd * (nd - 1) / 2.0;
  const double denom = std::sqrt((n0 - y_pair_ties) * (n0 - x_pair_ties));
  mk.tau_b = denom > 0 ? s / denom : kNaN;
  if (n < 3 || !(mk.var_s > 0)) {
    mk.z = mk.p = mk.z_no_continuity = mk.p_no_continuity = kNaN;
    return mk;
  }
  const double sd = std::sqrt(mk.var_s);
  const boost::math::normal standard_normal;
  mk.z = (s - sign(s)) / sd;
  mk.z_no_continuity = s / sd;
  mk.p = 2.0 * boost::math::cdf(boost::math::complement(standard_normal, std::fabs(mk.z)));
  mk.p_no_continuity = 2.0 * boost::math::cdf(boost::math::complement(
                                 standard_normal, std::fabs(mk.z_no_continuity)));
  return mk;
}

SenSlope sen_slope(std::span<const double> x, std::span<const double> y) {
  Points p = finite_points(x, y);
  const std::size_t n = p.x.size();
  SenSlope sen;
  sen.n = static_cast<int>(n);
  std::vector<double> slopes;
  slopes.reserve(n * (n - 1) / 2);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      if (p.x[j] != p.x[i]) slopes.push_back((p.y[j] - p.y[i]) / (p.x[j] - p.x[i]));
    }
  }
  sen.slope = median(std::move(slopes));
  sen.intercept = std::isnan(sen.slope) ? kNaN : median(p.y) - sen.slope * median(p.x);
  return sen;
}

bool has_variation(std::span<const double> y, double operand_scale) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, magnitude = 0;
  int n = 0;
  for (double v : y) {
    if (!std::isfinite(v)) continue;
    ++n;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    magnitude = std::max(magnitude, std::fabs(v));
  }
  if (n < 2) return false;
  const double scale = std::max(magnitude, std::fabs(operand_scale));
  return hi - lo > kRelativeRounding * scale;
}

TrendTests trend_tests(std::span<const double> x, std::span<const double> y, double operand_scale) {
  if (x.size() != y.size()) throw std::invalid_argument("trend: x and y differ in length");
  TrendTests out;
  for (std::size_t idx = 0; idx < x.size(); ++idx)
    out.n += std::isfinite(x[idx]) && std::isfinite(y[idx]);
  const Points p = finite_points(x, y);
  const bool distinct_x =
      !p.x.empty() && std::any_of(p.x.begin(), p.x.end(), [&](double v) { return v != p.x[0]; });
  if (distinct_x && !has_variation(p.y, operand_scale)) {
    double mean_y = 0;
    for (double v : p.y)
      mean_y += v;
    mean_y /= out.n;
    out.no_variation = true;
    out.ols = OlsFit{out.n, 0.0, mean_y, kNaN};
    out.mk.n = out.n;
    out.mk.tau_b = out.mk.z = out.mk.p = out.mk.z_no_continuity = out.mk.p_no_continuity = kNaN;
    out.sen = SenSlope{out.n, 0.0, median(p.y)};
    return out;
  }
  out.ols = ols(x, y);
  out.mk = mann_kendall(x, y);
  out.sen = sen_slope(x, y);
  return out;
}

}  // namespace minecarbon::stats

namespace minecarbon::stats {

SenSlopeInterval sen_slope_interval(std::span<const double> x, std::span<const double> y,
                                    double confidence, SenRankRule rule) {
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("sen_slope_interval: confidence must be in (0, 1)");
  Points p = finite_points(x, y);
  const std::size_t n = p.x.size();
  SenSlopeInterval out;
  out.n = static_cast<int>(n);
  out.confidence = confidence;
  std::vector<double> slopes;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      if (p.x[j] != p.x[i]) slopes.push_back((p.y[j] - p.y[i]) / (p.x[j] - p.x[i]));
    }
  }
  if (n < 3 || slopes.size() < 2) {
    out.slope = out.lower = out.upper = kNaN;
    return out;
  }
  std::sort(slopes.begin(), slopes.end());
  out.slope = median(slopes);
  const double nd = static_cast<double>(n);
  const double var_s =
      (nd * (nd - 1) * (2 * nd + 5) - tie_sums(p.x).first - tie_sums(p.y).first) / 18.0;
  const boost::math::normal standard_normal;
  const double z = boost::math::quantile(standard_normal, 0.5 + 0.5 * confidence);
  const double c = z * std::sqrt(var_s);
  const double count = static_cast<double>(slopes.size());
  // M₁ and M₂ (1-based, possibly fractional); the upper limit is the slope of rank M₂ + 1, the
  // one added after rounding, as SciPy adds it.
  const double m1 = (count - c) / 2.0, m2 = (count + c) / 2.0;
  const auto at_rank = [&](double half_rank, double offset) {
    double rank = (rule == SenRankRule::rounded ? std::nearbyint(half_rank) : half_rank) + offset;
    rank = std::clamp(rank, 1.0, count);
    const auto below = static_cast<std::size_t>(std::floor(rank));
    const double fraction = rank - static_cast<double>(below);
    if (fraction == 0 || below >= slopes.size()) return slopes[below - 1];
    return slopes[below - 1] + fraction * (slopes[below] - slopes[below - 1]);
  };
  out.lower = at_rank(m1, 0.0);
  out.upper = at_rank(m2, 1.0);
  return out;
}

}  // namespace minecarbon::stats
