#include "minecarbon/stats/ets.h"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "minecarbon/stats/nelder_mead.h"

namespace minecarbon::stats {

namespace {

// forecast::ets defaults (bounds = "both").
constexpr double kAlphaLower = 1e-4;
constexpr double kAlphaUpper = 0.9999;
constexpr double kBetaLower = 1e-4;
constexpr double kBetaUpper = 0.9999;
constexpr double kPhiLower = 0.8;
constexpr double kPhiUpper = 0.98;
constexpr int kMaxEvaluations = 2000;  // etsmodel's maxit
constexpr int kInitialPoints = 10;     // initstate: line through the first max(10, 2m) values

// The longest run of finite values, as R's na.contiguous (ties: the first run).
std::pair<int, int> longest_finite_run(std::span<const double> y) {
  const int n = static_cast<int>(y.size());
  std::vector<int> segment(y.size());
  int count = 0;
  for (int t = 0; t < n; ++t) {
    if (!std::isfinite(y[static_cast<std::size_t>(t)])) ++count;
    segment[static_cast<std::size_t>(t)] = count;
  }
  std::vector<int> length(static_cast<std::size_t>(count) + 1, 0);
  for (int s : segment)
    ++length[static_cast<std::size_t>(s)];
  int best = 0;
  for (int s = 1; s <= count; ++s)
    if (length[static_cast<std::size_t>(s)] > length[static_cast<std::size_t>(best)]) best = s;
  int first = -1;
  int last = -1;
  for (int t = 0; t < n; ++t) {
    if (segment[static_cast<std::size_t>(t)] != best) continue;
    if (first < 0) first = t;
    last = t;
  }
  if (first >= 0 && !std::isfinite(y[static_cast<std::size_t>(first)])) ++first;
  return {first, last};
}

struct Params {
  double alpha, beta, phi, l0, b0;
};

// Whether (α, β, φ) lies within forecast's usual bounds and the admissible region.
bool feasible(const Params& p, bool damped) {
  if (p.alpha < kAlphaLower || p.alpha > kAlphaUpper) return false;
  if (p.beta < kBetaLower || p.beta > p.alpha || p.beta > kBetaUpper) return false;
  if (damped && (p.phi < kPhiLower || p.phi > kPhiUpper)) return false;
  if (p.phi < 0 || p.phi > 1 + 1e-8) return false;
  if (p.alpha < 1 - 1 / p.phi || p.alpha > 1 + 1 / p.phi) return false;
  if (p.beta < p.alpha * (p.phi - 1) || p.beta > (1 + p.phi) * (2 - p.alpha)) return false;
  return true;
}

// Runs the filter; returns Σe² and leaves the last state in l, b.
double filter(std::span<const double> y, const Params& p, double& l, double& b) {
  l = p.l0;
  b = p.b0;
  double sse = 0.0;
  for (double yt : y) {
    const double old_l = l;
    const double phib = p.phi * b;
    const double forecast = old_l + phib;
    const double e = yt - forecast;
    l = forecast + p.alpha * (yt - forecast);
    // b_t = φb + β·e written as forecast's update does: φb + (β/α)(l_t − l_{t−1} − φb).
    b = phib + (p.beta / p.alpha) * ((l - old_l) - phib);
    sse += e * e;
  }
  return sse;
}

}  // namespace

EtsFit ets_fit(std::span<const double> y_all, bool damped) {
  EtsFit fit;
  fit.damped = damped;
  const auto [first, last] = longest_finite_run(y_all);
  if (first < 0 || last < first) return fit;
  fit.first_index = first;
  fit.last_index = last;
  const std::span<const double> y =
      y_all.subspan(static_cast<std::size_t>(first), static_cast<std::size_t>(last - first + 1));
  const int n = static_cast<int>(y.size());
  fit.n = n;
  // forecast::ets: n <= npars + 4 (npars = 4, +1 damped) falls back to HoltWinters().
  if (n <= 4 + (damped ? 1 : 0) + 4) return fit;
  if (std::all_of(y.begin(), y.end(), [&](double v) { return v == y[0]; })) {
    fit.status = EtsStatus::constant_series;
    return fit;
  }

  // Initial states: least-squares line of the first min(10, n) values on 1..min(10, n).
  const int m = std::min(kInitialPoints, n);
  double mean_x = 0.0;
  double mean_y = 0.0;
  for (int t = 0; t < m; ++t) {
    mean_x += t + 1;
    mean_y += y[static_cast<std::size_t>(t)];
  }
  mean_x /= m;
  mean_y /= m;
  double sxy = 0.0;
  double sxx = 0.0;
  for (int t = 0; t < m; ++t) {
    sxy += (t + 1 - mean_x) * (y[static_cast<std::size_t>(t)] - mean_y);
    sxx += (t + 1 - mean_x) * (t + 1 - mean_x);
  }
  double b0 = sxy / sxx;
  double l0 = mean_y - b0 * mean_x;
  if (std::abs(l0 + b0) < 1e-8) {
    l0 *= 1 + 1e-3;
    b0 *= 1 - 1e-3;
  }
  // Initial smoothing parameters (forecast's initparam with m = 1).
  const double alpha0 = kAlphaLower + 0.2 * (kAlphaUpper - kAlphaLower);
  const double beta0 = kBetaLower + 0.1 * (std::min(kBetaUpper, alpha0) - kBetaLower);
  const double phi0 = kPhiLower + 0.99 * (kPhiUpper - kPhiLower);

  auto unpack = [damped](std::span<const double> th) {
    Params p{};
    std::size_t k = 0;
    p.alpha = th[k++];
    p.beta = th[k++];
    p.phi = damped ? th[k++] : 1.0;
    p.l0 = th[k++];
    p.b0 = th[k++];
    return p;
  };
  auto objective = [&](std::span<const double> th) {
    const Params p = unpack(th);
    if (!feasible(p, damped)) return std::numeric_limits<double>::infinity();
    double l = 0;
    double b = 0;
    double lik = n * std::log(filter(y, p, l, b));
    if (lik < -1e10) lik = -1e10;  // forecast's guard against perfect fits
    if (std::isnan(lik)) return std::numeric_limits<double>::infinity();
    return lik;
  };
  std::vector<double> start{alpha0, beta0};
  if (damped) start.push_back(phi0);
  start.push_back(l0);
  start.push_back(b0);
  NelderMeadOptions options;
  options.max_evaluations = kMaxEvaluations;
  const NelderMeadResult opt = nelder_mead(objective, start, options);
  fit.evaluations = opt.evaluations;
  fit.converged = opt.converged;
  const Params p = unpack(opt.x);
  if (!std::isfinite(opt.value) || !feasible(p, damped)) {
    fit.status = EtsStatus::optimiser_failed;
    return fit;
  }
  fit.alpha = p.alpha;
  fit.beta = p.beta;
  fit.phi = p.phi;
  fit.level0 = p.l0;
  fit.slope0 = p.b0;
  fit.sse = filter(y, p, fit.level, fit.slope);
  const double lik = n * std::log(fit.sse);
  const int n_theta = static_cast<int>(start.size());
  const int np = n_theta + 1;
  fit.loglik = -0.5 * lik;
  fit.aic = lik + 2.0 * np;
  fit.bic = lik + std::log(static_cast<double>(n)) * np;
  fit.aicc = fit.aic + 2.0 * np * (np + 1) / (n - np - 1);
  fit.sigma2 = fit.sse / (n - n_theta);
  fit.status = EtsStatus::ok;
  return fit;
}

EtsForecast ets_forecast(const EtsFit& fit, int horizon) {
  EtsForecast out;
  if (fit.status != EtsStatus::ok || horizon <= 0) return out;
  const boost::math::normal normal;
  const double z80 = boost::math::quantile(normal, 0.9);
  const double z95 = boost::math::quantile(normal, 0.975);
  double phi_sum = 0.0;  // φ + ... + φ^h
  double phi_pow = 1.0;
  double var_sum = 1.0;  // 1 + Σ_{j<h} c_j²
  for (int h = 1; h <= horizon; ++h) {
    phi_pow *= fit.phi;
    phi_sum += phi_pow;
    const double mean = fit.level + phi_sum * fit.slope;
    const double sd = std::sqrt(fit.sigma2 * var_sum);
    out.mean.push_back(mean);
    out.lo80.push_back(mean - z80 * sd);
    out.hi80.push_back(mean + z80 * sd);
    out.lo95.push_back(mean - z95 * sd);
    out.hi95.push_back(mean + z95 * sd);
    const double c = fit.alpha + fit.beta * phi_sum;  // c_h for the next step's variance
    var_sum += c * c;
  }
  return out;
}

}  // namespace minecarbon::stats
