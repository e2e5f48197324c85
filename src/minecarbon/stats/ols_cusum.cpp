#include "minecarbon/stats/ols_cusum.h"
#include "minecarbon/core/nan.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace minecarbon::stats {
namespace {

constexpr int kBridgeSeriesTerms = 100;  // strucchange pvalue.efp, "Brownian bridge", max

}  // namespace

double brownian_bridge_sup_p(double x) {
  if (std::isnan(x)) return kNaN;
  if (x < 0.1) return 1.0;
  double sum = 0;
  for (int m = 1; m <= kBridgeSeriesTerms; ++m) {
    const double term = std::exp(-2.0 * (static_cast<double>(m) * m) * (x * x));
    sum += (m % 2 == 0) ? term : -term;
  }
  return 1.0 - (1.0 + 2.0 * sum);
}

OlsCusum ols_cusum(std::span<const double> time, std::span<const double> y, CusumModel model) {
  if (time.size() != y.size())
    throw std::invalid_argument("ols_cusum: time and y differ in length");
  std::vector<double> t_used, y_used;
  for (std::size_t idx = 0; idx < y.size(); ++idx) {
    if (!std::isfinite(time[idx]) || !std::isfinite(y[idx])) continue;
    if (!t_used.empty() && !(time[idx] > t_used.back()))
      throw std::invalid_argument("ols_cusum: time must be strictly increasing");
    t_used.push_back(time[idx]);
    y_used.push_back(y[idx]);
  }
  OlsCusum out;
  out.n = static_cast<int>(y_used.size());
  out.parameters = model == CusumModel::trend ? 2 : 1;
  const auto undefined = [&] {
    out.sigma = out.statistic = out.p = out.argmax_time = kNaN;
    out.argmax = 0;
    out.process.clear();
    return out;
  };
  if (out.n <= out.parameters) return undefined();
  const double n = out.n;
  double mean_t = 0, mean_y = 0;
  for (int idx = 0; idx < out.n; ++idx) {
    mean_t += t_used[idx];
    mean_y += y_used[idx];
  }
  mean_t /= n;
  mean_y /= n;
  double slope = 0;
  if (model == CusumModel::trend) {
    double sxx = 0, sxy = 0;
    for (int idx = 0; idx < out.n; ++idx) {
      sxx += (t_used[idx] - mean_t) * (t_used[idx] - mean_t);
      sxy += (t_used[idx] - mean_t) * (y_used[idx] - mean_y);
    }
    if (!(sxx > 0)) return undefined();
    slope = sxy / sxx;
  }
  std::vector<double> residuals(out.n);
  double mean_e = 0;
  for (int idx = 0; idx < out.n; ++idx) {
    residuals[idx] = (y_used[idx] - mean_y) - slope * (t_used[idx] - mean_t);
    mean_e += residuals[idx];
  }
  mean_e /= n;
  double ss = 0;
  for (double e : residuals)
    ss += (e - mean_e) * (e - mean_e);
  out.sigma = std::sqrt(ss / (n - out.parameters));
  if (!(out.sigma > 0)) return undefined();
  const double scale = out.sigma * std::sqrt(n);
  out.process.resize(out.n);
  double cumulative = 0;
  out.statistic = -1;
  for (int idx = 0; idx < out.n; ++idx) {
    cumulative += residuals[idx];
    out.process[idx] = cumulative / scale;
    if (std::fabs(out.process[idx]) > out.statistic) {
      out.statistic = std::fabs(out.process[idx]);
      out.argmax = idx + 1;
    }
  }
  out.argmax_time = t_used[out.argmax - 1];
  out.p = brownian_bridge_sup_p(out.statistic);
  return out;
}

}  // namespace minecarbon::stats
