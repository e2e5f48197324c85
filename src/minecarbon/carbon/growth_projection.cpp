#include "minecarbon/carbon/growth_projection.h"

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/random.h"
#include "minecarbon/core/text.h"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>

namespace minecarbon::carbon {
namespace {

// Root bracketing grid and bisection stop for the saturation ages.
constexpr double kSearchStepYr = 1.0;
constexpr double kAgeToleranceYr = 1e-10;
constexpr int kMaxBisections = 200;
// Central-difference step of the delta method, as a fraction of each parameter's standard error:
// small against the spread that matters, large against rounding.
constexpr double kDeltaStepOfSe = 1e-3;
// Give up redrawing after this many rejected draws per requested draw.
constexpr int kMaxRejectionsPerDraw = 100;

// Bisection of a sign change of fn on [lo, hi] (fn(lo) < 0 ≤ fn(hi)).
template <class Fn>
double bisect(Fn&& fn, double lo, double hi) {
  for (int iter = 0; iter < kMaxBisections && hi - lo > kAgeToleranceYr * std::max(1.0, hi);
       ++iter) {
    const double mid = 0.5 * (lo + hi);
    if (fn(mid) < 0.0) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

// Empirical quantile, R type 7, of sorted values.
double quantile_sorted(const std::vector<double>& sorted, double prob) {
  if (sorted.empty()) return kNaN;
  const double h = (static_cast<double>(sorted.size()) - 1.0) * prob;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

void check_options(const ProjectionOptions& o) {
  const auto fail = [](const std::string& what) {
    throw ConfigError("growth projection: " + what);
  };
  if (!std::isfinite(o.age_start_yr) || o.age_start_yr < 0.0) {
    fail("age_start_yr = " + format_plain(o.age_start_yr) + ": must be a finite age >= 0 (years)");
  }
  if (!std::isfinite(o.age_end_yr) || o.age_end_yr < o.age_start_yr) {
    fail("age_end_yr = " + format_plain(o.age_end_yr) +
         ": must be >= age_start_yr = " + format_plain(o.age_start_yr) + " (years)");
  }
  if (!(o.age_step_yr > 0.0) || !std::isfinite(o.age_step_yr)) {
    fail("age_step_yr = " + format_plain(o.age_step_yr) + ": must be > 0 (years); set e.g. 1");
  }
  if (!(o.saturation_fraction > 0.0 && o.saturation_fraction < 1.0)) {
    fail("saturation_fraction = " + format_plain(o.saturation_fraction) +
         ": must be in (0, 1) (fraction of the asymptote); set e.g. 0.95");
  }
  if (!std::isnan(o.increment_threshold_per_yr) && !(o.increment_threshold_per_yr >= 0.0)) {
    fail("increment_threshold_per_yr = " + format_plain(o.increment_threshold_per_yr) +
         ": must be >= 0 (unit of the stock per year), or NaN to disable");
  }
  if (!(o.search_max_age_yr > 0.0) || !std::isfinite(o.search_max_age_yr)) {
    fail("search_max_age_yr = " + format_plain(o.search_max_age_yr) + ": must be > 0 (years)");
  }
  if (!(o.band_level > 0.0 && o.band_level < 1.0)) {
    fail("band_level = " + format_plain(o.band_level) + ": must be in (0, 1); set e.g. 0.95");
  }
  if (o.monte_carlo_draws < 0) {
    fail("monte_carlo_draws = " + std::to_string(o.monte_carlo_draws) + ": must be >= 0");
  }
}

// Layout of the flat vector of all projected quantities of one θ.
struct Layout {
  std::size_t n_ages = 0;
  std::size_t stock(std::size_t idx) const { return idx; }
  std::size_t rate(std::size_t idx) const { return n_ages + idx; }
  std::size_t cumulative(std::size_t idx) const { return 2 * n_ages + idx; }
  std::size_t asymptote() const { return 3 * n_ages; }
  std::size_t current() const { return 3 * n_ages + 1; }
  std::size_t remaining() const { return 3 * n_ages + 2; }
  std::size_t saturation() const { return 3 * n_ages + 3; }
  std::size_t increment_saturation() const { return 3 * n_ages + 4; }
  std::size_t size() const { return 3 * n_ages + 5; }
};

class Projector {
 public:
  Projector(GrowthModel model, const std::vector<double>& ages, const ProjectionOptions& options)
      : model_(model), ages_(ages), options_(options), layout_{ages.size()} {}

  const Layout& layout() const { return layout_; }

  void compute(std::span<const double> theta, std::span<double> out) const {
    const double start_stock = growth_value(model_, options_.age_start_yr, theta);
    for (std::size_t idx = 0; idx < ages_.size(); ++idx) {
      const double stock = growth_value(model_, ages_[idx], theta);
      out[layout_.stock(idx)] = stock;
      out[layout_.rate(idx)] = growth_rate(model_, ages_[idx], theta);
      out[layout_.cumulative(idx)] = stock - start_stock;
    }
    const double asymptote = growth_asymptote(model_, theta);
    out[layout_.asymptote()] = asymptote;
    out[layout_.current()] = start_stock;
    out[layout_.remaining()] = asymptote - start_stock;
    out[layout_.saturation()] = saturation_age(model_, theta, options_.saturation_fraction, 0.0,
                                               options_.search_max_age_yr);
    out[layout_.increment_saturation()] =
        std::isnan(options_.increment_threshold_per_yr)
            ? kNaN
            : increment_saturation_age(model_, theta, options_.increment_threshold_per_yr, 0.0,
                                       options_.search_max_age_yr);
  }

  // Jacobian of all quantities w.r.t. θ (rows: quantities). Stock-based rows are analytic; rates
  // and ages by central differences with step kDeltaStepOfSe·SE_j.
  Eigen::MatrixXd gradient(std::span<const double> theta, const Eigen::MatrixXd& cov) const {
    const std::size_t p = theta.size();
    const std::size_t q = layout_.size();
    Eigen::MatrixXd grad =
        Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(q), static_cast<Eigen::Index>(p));
    std::vector<double> probe(theta.begin(), theta.end());
    std::vector<double> plus(q);
    std::vector<double> minus(q);
    for (std::size_t col = 0; col < p; ++col) {
      const auto c = static_cast<Eigen::Index>(col);
      const double se = std::sqrt(std::max(cov(c, c), 0.0));
      if (!(se > 0.0)) continue;  // no variance in this direction: contributes nothing
      const double h = kDeltaStepOfSe * se;
      probe[col] = theta[col] + h;
      const bool plus_ok = growth_in_domain(model_, probe);
      if (plus_ok) compute(probe, plus);
      probe[col] = theta[col] - h;
      const bool minus_ok = growth_in_domain(model_, probe);
      if (minus_ok) compute(probe, minus);
      probe[col] = theta[col];
      double width = 2.0 * h;
      if (!plus_ok || !minus_ok) {
        compute(theta, plus_ok ? minus : plus);
        width = h;
      }
      for (std::size_t row = 0; row < q; ++row) {
        grad(static_cast<Eigen::Index>(row), c) = (plus[row] - minus[row]) / width;
      }
    }
    // Analytic rows: stock, cumulative sink, asymptote, current stock, remaining potential.
    std::vector<double> g(p);
    std::vector<double> g_start(p);
    growth_gradient(model_, options_.age_start_yr, theta, g_start);
    for (std::size_t idx = 0; idx < ages_.size(); ++idx) {
      growth_gradient(model_, ages_[idx], theta, g);
      for (std::size_t col = 0; col < p; ++col) {
        const auto c = static_cast<Eigen::Index>(col);
        grad(static_cast<Eigen::Index>(layout_.stock(idx)), c) = g[col];
        grad(static_cast<Eigen::Index>(layout_.cumulative(idx)), c) = g[col] - g_start[col];
      }
    }
    for (std::size_t col = 0; col < p; ++col) {
      const auto c = static_cast<Eigen::Index>(col);
      const double d_asymptote = col == 0 ? 1.0 : 0.0;  // the asymptote is θ_0 in every model
      grad(static_cast<Eigen::Index>(layout_.asymptote()), c) = d_asymptote;
      grad(static_cast<Eigen::Index>(layout_.current()), c) = g_start[col];
      grad(static_cast<Eigen::Index>(layout_.remaining()), c) = d_asymptote - g_start[col];
    }
    return grad;
  }

 private:
  GrowthModel model_;
  const std::vector<double>& ages_;
  const ProjectionOptions& options_;
  Layout layout_;
};

// A square root L of Σ (Σ = L Lᵀ): Cholesky, else eigen-decomposition with negative eigenvalues
// clipped at 0 (Σ only positive semi-definite through rounding).
Eigen::MatrixXd covariance_root(const Eigen::MatrixXd& cov, bool& clipped) {
  clipped = false;
  Eigen::LLT<Eigen::MatrixXd> llt(cov);
  if (llt.info() == Eigen::Success) return llt.matrixL();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
  clipped = true;
  return eig.eigenvectors() * eig.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal();
}

}  // namespace

FittedGrowthCurve fitted_curve(const GrowthFit& fit) {
  const std::string name(to_string(fit.model));
  if (fit.fit.status != stats::FitStatus::converged) {
    throw DataError("growth projection: the " + name + " fit has status " +
                    std::string(stats::to_string(fit.fit.status)) + " (" + fit.fit.message +
                    "); only a converged fit can be projected");
  }
  if (!fit.fit.covariance_available) {
    throw DataError("growth projection: the " + name + " fit has no covariance (" +
                    fit.fit.message + "); uncertainty bands need one");
  }
  return FittedGrowthCurve{fit.model, fit.fit.estimates, fit.fit.covariance};
}

double saturation_age(GrowthModel model, std::span<const double> theta, double fraction,
                      double t_min, double t_max) {
  const double target = fraction * growth_asymptote(model, theta);
  const auto excess = [&](double t) { return growth_value(model, t, theta) - target; };
  double lo = t_min;
  double f_lo = excess(lo);
  if (f_lo >= 0.0) return t_min;
  while (lo < t_max) {
    const double hi = std::min(lo + kSearchStepYr, t_max);
    const double f_hi = excess(hi);
    if (f_hi >= 0.0) return bisect(excess, lo, hi);
    if (std::isnan(f_hi)) return kNaN;
    lo = hi;
    f_lo = f_hi;
  }
  return kNaN;
}

double increment_saturation_age(GrowthModel model, std::span<const double> theta,
                                double threshold_per_yr, double t_min, double t_max) {
  const auto rate = [&](double t) { return growth_rate(model, t, theta); };
  double t_prev = t_min;
  double r_prev = rate(t_prev);
  bool past_peak = false;
  while (t_prev < t_max) {
    const double t = std::min(t_prev + kSearchStepYr, t_max);
    const double r = rate(t);
    if (std::isnan(r)) return kNaN;
    if (r < r_prev) past_peak = true;
    if (past_peak && r <= threshold_per_yr) {
      if (r_prev <= threshold_per_yr) return t_prev;  // already below at the first grid age
      // dC/dt decreasing on [t_prev, t]: root of threshold − rate, negative at t_prev.
      return bisect([&](double s) { return threshold_per_yr - rate(s); }, t_prev, t);
    }
    t_prev = t;
    r_prev = r;
  }
  return kNaN;
}

GrowthProjection project_growth(const FittedGrowthCurve& curve, const ProjectionOptions& options) {
  check_options(options);
  const std::string name(to_string(curve.model));
  const std::size_t p = growth_parameter_count(curve.model);
  if (curve.theta.size() != p) {
    throw DataError("growth projection (" + name + "): " + std::to_string(curve.theta.size()) +
                    " parameters given, the model has " + std::to_string(p));
  }
  if (curve.covariance.rows() != static_cast<Eigen::Index>(p) ||
      curve.covariance.cols() != static_cast<Eigen::Index>(p) || !curve.covariance.allFinite()) {
    throw DataError("growth projection (" + name + "): the covariance must be a finite " +
                    std::to_string(p) + " x " + std::to_string(p) + " matrix");
  }
  if (!growth_in_domain(curve.model, curve.theta)) {
    throw DataError("growth projection (" + name +
                    "): the parameters are outside the model's "
                    "domain; refit the curve");
  }

  GrowthProjection out;
  const auto n_ages =
      static_cast<std::size_t>(
          std::floor((options.age_end_yr - options.age_start_yr) / options.age_step_yr + 1e-9)) +
      1;
  out.age_yr.resize(n_ages);
  for (std::size_t idx = 0; idx < n_ages; ++idx) {
    out.age_yr[idx] = options.age_start_yr + static_cast<double>(idx) * options.age_step_yr;
  }
  const Projector projector(curve.model, out.age_yr, options);
  const Layout& layout = projector.layout();
  const std::size_t q = layout.size();

  std::vector<UncertainValue> all(q);
  std::vector<double> at_estimate(q);
  projector.compute(curve.theta, at_estimate);

  // Delta method.
  const boost::math::normal_distribution<double> normal;
  const double z = boost::math::quantile(normal, 0.5 + options.band_level / 2.0);
  const Eigen::MatrixXd grad = projector.gradient(curve.theta, curve.covariance);
  for (std::size_t row = 0; row < q; ++row) {
    const Eigen::RowVectorXd g = grad.row(static_cast<Eigen::Index>(row));
    const double variance = (g * curve.covariance * g.transpose())(0, 0);
    UncertainValue& u = all[row];
    u.value = at_estimate[row];
    u.se_delta = std::sqrt(std::max(variance, 0.0));
    u.delta = {u.value - z * u.se_delta, u.value + z * u.se_delta};
  }

  // Monte Carlo.
  if (options.monte_carlo_draws > 0) {
    bool clipped = false;
    const Eigen::MatrixXd root = covariance_root(curve.covariance, clipped);
    if (clipped) {
      out.warnings.push_back(
          "Monte Carlo: the covariance is not positive definite; negative "
          "eigenvalues were set to 0");
    }
    RandomStream normals(options.seed, StreamPurpose::growth_projection, 0);
    const auto draws = static_cast<std::size_t>(options.monte_carlo_draws);
    Eigen::MatrixXd values(static_cast<Eigen::Index>(q), static_cast<Eigen::Index>(draws));
    const Eigen::Map<const Eigen::VectorXd> theta_hat(curve.theta.data(),
                                                      static_cast<Eigen::Index>(p));
    Eigen::VectorXd zvec(static_cast<Eigen::Index>(p));
    std::vector<double> draw(p);
    const long max_rejections =
        static_cast<long>(kMaxRejectionsPerDraw) * options.monte_carlo_draws;
    std::size_t used = 0;
    while (used < draws && out.mc_draws_rejected <= max_rejections) {
      for (Eigen::Index idx = 0; idx < zvec.size(); ++idx)
        zvec[idx] = normals.normal();
      const Eigen::VectorXd theta = theta_hat + root * zvec;
      draw.assign(theta.data(), theta.data() + theta.size());
      if (!growth_in_domain(curve.model, draw)) {
        ++out.mc_draws_rejected;
        continue;
      }
      projector.compute(draw,
                        std::span<double>(values.col(static_cast<Eigen::Index>(used)).data(), q));
      ++used;
    }
    out.mc_draws_used = static_cast<int>(used);
    if (used < draws) {
      out.warnings.push_back("Monte Carlo: only " + std::to_string(used) + " of " +
                             std::to_string(draws) + " draws fell inside the parameter domain");
    }
    if (out.mc_draws_rejected > 0) {
      out.warnings.push_back("Monte Carlo: " + std::to_string(out.mc_draws_rejected) +
                             " draws outside the parameter domain were redrawn; the bands are "
                             "conditional on the domain");
    }
    const double lo_prob = (1.0 - options.band_level) / 2.0;
    std::vector<double> finite;
    for (std::size_t row = 0; row < q; ++row) {
      finite.clear();
      for (std::size_t col = 0; col < used; ++col) {
        const double v = values(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(col));
        if (std::isfinite(v)) finite.push_back(v);
      }
      UncertainValue& u = all[row];
      if (finite.empty()) continue;
      double sum = 0.0;
      for (const double v : finite)
        sum += v;
      u.mc_mean = sum / static_cast<double>(finite.size());
      double ss = 0.0;
      for (const double v : finite)
        ss += (v - u.mc_mean) * (v - u.mc_mean);
      u.mc_sd = finite.size() > 1 ? std::sqrt(ss / static_cast<double>(finite.size() - 1)) : kNaN;
      std::sort(finite.begin(), finite.end());
      u.monte_carlo = {quantile_sorted(finite, lo_prob), quantile_sorted(finite, 1.0 - lo_prob)};
      const std::size_t missing = used - finite.size();
      if (missing > 0 && row >= layout.asymptote()) {
        const char* what = row == layout.saturation()             ? "saturation_age_yr"
                           : row == layout.increment_saturation() ? "increment_saturation_age_yr"
                                                                  : "a scalar quantity";
        out.warnings.push_back("Monte Carlo: " + std::string(what) + " not reached within " +
                               format_plain(options.search_max_age_yr) + " a in " +
                               std::to_string(missing) + " of " + std::to_string(used) +
                               " draws; band from the others");
      }
    }
  }

  out.stock.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n_ages));
  out.sink_per_yr.assign(all.begin() + static_cast<std::ptrdiff_t>(n_ages),
                         all.begin() + static_cast<std::ptrdiff_t>(2 * n_ages));
  out.cumulative_sink.assign(all.begin() + static_cast<std::ptrdiff_t>(2 * n_ages),
                             all.begin() + static_cast<std::ptrdiff_t>(3 * n_ages));
  out.asymptote = all[layout.asymptote()];
  out.current_stock = all[layout.current()];
  out.remaining_potential = all[layout.remaining()];
  out.saturation_age_yr = all[layout.saturation()];
  out.increment_saturation_age_yr = all[layout.increment_saturation()];
  if (std::isnan(out.saturation_age_yr.value)) {
    out.warnings.push_back("saturation_age_yr: the curve does not reach " +
                           format_plain(100.0 * options.saturation_fraction) +
                           " % of its asymptote within search_max_age_yr = " +
                           format_plain(options.search_max_age_yr) + " a");
  }
  if (!std::isnan(options.increment_threshold_per_yr) &&
      std::isnan(out.increment_saturation_age_yr.value)) {
    out.warnings.push_back(
        "increment_saturation_age_yr: dC/dt stays above " +
        format_plain(options.increment_threshold_per_yr) +
        " per year within search_max_age_yr = " + format_plain(options.search_max_age_yr) + " a");
  }
  return out;
}

}  // namespace minecarbon::carbon
