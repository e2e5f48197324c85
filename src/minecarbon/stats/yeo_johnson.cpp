#include "minecarbon/stats/yeo_johnson.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <utility>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"

namespace minecarbon::stats {

namespace {

// SciPy's branch threshold: np.spacing(1.0) = DBL_EPSILON.
constexpr double kBranchEps = DBL_EPSILON;
constexpr double kInf = std::numeric_limits<double>::infinity();

// Σ sign(x_i) · ln(|x_i| + 1): the Jacobian term of ℓ, independent of λ.
double jacobian_sum(std::span<const double> x) {
  double sum = 0.0;
  for (double value : x) {
    const double magnitude = std::log1p(std::fabs(value));
    sum += value > 0 ? magnitude : (value < 0 ? -magnitude : 0.0);
  }
  return sum;
}

// ℓ(λ) given the precomputed Jacobian sum. The variance is the plain two-pass formula on purpose:
// SciPy rejects λ where σ̂² overflows (ψ ~ 1e154), and the unbounded optimiser stops at that
// cliff, so an overflow-proof (scaled) variance would move λ̂ away from SciPy's answer.
double log_likelihood_with(std::span<const double> x, double lambda, double jacobian) {
  const std::size_t n = x.size();
  if (n == 0) return kNaN;
  double sum = 0.0;
  for (double value : x)
    sum += yeo_johnson(value, lambda);
  const double mean = sum / static_cast<double>(n);
  double sum_sq = 0.0;
  for (double value : x) {
    const double deviation = yeo_johnson(value, lambda) - mean;
    sum_sq += deviation * deviation;
  }
  const double variance = sum_sq / static_cast<double>(n);
  if (variance < DBL_MIN) return kInf;  // SciPy: "tiny variance" → +inf (then rejected)
  return -static_cast<double>(n) / 2.0 * std::log(variance) + (lambda - 1.0) * jacobian;
}

// What both optimisers minimise: −ℓ, with every infinite ℓ (tiny or overflowing variance)
// turned into +inf so the optimiser steps away from it; NaN stays NaN, as in SciPy.
class NegativeLogLikelihood {
 public:
  explicit NegativeLogLikelihood(std::span<const double> x) : x_(x), jacobian_(jacobian_sum(x)) {}

  double operator()(double lambda) {
    ++evaluations_;
    const double llf = log_likelihood_with(x_, lambda, jacobian_);
    if (std::isinf(llf)) return kInf;
    return -llf;
  }
  int evaluations() const { return evaluations_; }

 private:
  std::span<const double> x_;
  double jacobian_;
  int evaluations_ = 0;
};

// sign(v) + (v == 0): +1 for v ≥ 0, −1 for v < 0, NaN for NaN (numpy semantics of SciPy's code).
double sign_or_one(double v) {
  if (std::isnan(v)) return kNaN;
  return v < 0 ? -1.0 : 1.0;
}

// np.maximum: NaN if either argument is NaN.
double nan_max(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return kNaN;
  return a > b ? a : b;
}

struct OptimizerOutcome {
  double x = kNaN;
  double fx = kNaN;
  int iterations = 0;
  double lower = kNaN;
  double upper = kNaN;
  YeoJohnsonFitStatus status = YeoJohnsonFitStatus::converged;
  std::string message;
};

// ---------------------------------------------------------------------------------------------
// Why not Boost.Math brent_find_minima: it is the same family of algorithm (Brent 1973, "localmin")
// but it starts at the upper end of the interval, measures its tolerance in bits (at most 26 for
// double: 3e-8·|x| + 7.5e-9) and has no downhill bracket search. Where the optimum is interior it
// lands within ~5e-8 of SciPy. Where the answer is decided by where the search stops near a cliff
// or a bound, it does not: on the year-like column SciPy ≤ 1.11 returns λ = 47.2111056, 4.9e-7
// below the point where σ̂² overflows, and Boost run on SciPy's final bracket stops 1.6e-6 away
// (measured), outside the 1e-6 the golden tests demand. Matching SciPy to 1e-6 therefore needs
// SciPy's own iterations, which the two functions below follow step for step (same trial
// points, same comparisons including how NaN compares, same update rules); written from the
// algorithms' descriptions. Measured against SciPy's golden λ: ≤ 1.5e-8 (brent_bracket) and
// ≤ 5e-7 (bounded; the exp_grid optimum λ = 0 is flat and SciPy itself stops 5e-7 from it).
// ---------------------------------------------------------------------------------------------

// Downhill bracket search: from (xa, xb), walk downhill with golden-ratio growth and parabolic
// extrapolation (capped at grow_limit times the last step) until f(xb) ≤ f(xc), giving points
// with f(xa) > f(xb) ≤ f(xc) (SciPy optimize.bracket, constants 1.618034, 110, 1e-21, 1000).
struct Bracket {
  double xa, xb, xc, fa, fb, fc;
  bool ok = true;
};

Bracket bracket_downhill(NegativeLogLikelihood& f, double xa, double xb) {
  constexpr double kGold = 1.618034;
  constexpr double kGrowLimit = 110.0;
  constexpr double kVerySmall = 1e-21;
  constexpr int kMaxIterations = 1000;
  double fa = f(xa);
  double fb = f(xb);
  if (fa < fb) {
    std::swap(xa, xb);
    std::swap(fa, fb);
  }
  double xc = xb + kGold * (xb - xa);
  double fc = f(xc);
  int iteration = 0;
  while (fc < fb) {
    const double tmp1 = (xb - xa) * (fb - fc);
    const double tmp2 = (xb - xc) * (fb - fa);
    const double val = tmp2 - tmp1;
    const double denom = std::fabs(val) < kVerySmall ? 2.0 * kVerySmall : 2.0 * val;
    double w = xb - ((xb - xc) * tmp2 - (xb - xa) * tmp1) / denom;
    const double wlim = xb + kGrowLimit * (xc - xb);
    if (iteration > kMaxIterations) return {xa, xb, xc, fa, fb, fc, false};
    ++iteration;
    double fw;
    if ((w - xc) * (xb - w) > 0.0) {  // parabolic point between xb and xc
      fw = f(w);
      if (fw < fc) {
        return {xb, w, xc, fb, fw, fc, true};
      } else if (fw > fb) {
        return {xa, xb, w, fa, fb, fw, true};
      }
      w = xc + kGold * (xc - xb);
      fw = f(w);
    } else if ((w - wlim) * (wlim - xc) >= 0.0) {  // beyond the growth limit: clip
      w = wlim;
      fw = f(w);
    } else if ((w - wlim) * (xc - w) > 0.0) {  // between xc and the limit
      fw = f(w);
      if (fw < fc) {
        xb = xc;
        xc = w;
        w = xc + kGold * (xc - xb);
        fb = fc;
        fc = fw;
        fw = f(w);
      }
    } else {  // parabola useless: golden step
      w = xc + kGold * (xc - xb);
      fw = f(w);
    }
    xa = xb;
    xb = xc;
    xc = w;
    fa = fb;
    fb = fc;
    fc = fw;
  }
  return {xa, xb, xc, fa, fb, fc, true};
}

// Brent's minimiser started from a bracket, tolerance tol·|x| + 1e-11 (SciPy optimize.brent).
OptimizerOutcome minimize_brent_bracket(NegativeLogLikelihood& f,
                                        const YeoJohnsonLambdaOptions& o) {
  constexpr double kMinTol = 1.0e-11;
  constexpr double kGoldenSection = 0.3819660;
  OptimizerOutcome out;
  const Bracket br = bracket_downhill(f, o.bracket_low, o.bracket_high);
  out.lower = std::min(br.xa, br.xc);
  out.upper = std::max(br.xa, br.xc);
  if (!br.ok) {
    out.x = br.xb;
    out.fx = br.fb;
    out.status = YeoJohnsonFitStatus::failed;
    out.message = "the downhill bracket search did not find a bracket in 1000 steps";
    return out;
  }
  double x = br.xb, w = br.xb, v = br.xb;
  double fx = br.fb, fw = br.fb, fv = br.fb;
  double a = br.xa < br.xc ? br.xa : br.xc;
  double b = br.xa < br.xc ? br.xc : br.xa;
  double deltax = 0.0;
  double rat = 0.0;
  int iteration = 0;
  bool tolerance_met = false;
  while (iteration < o.max_iterations) {
    const double tol1 = o.xtol * std::fabs(x) + kMinTol;
    const double tol2 = 2.0 * tol1;
    const double xmid = 0.5 * (a + b);
    if (std::fabs(x - xmid) < (tol2 - 0.5 * (b - a))) {
      tolerance_met = true;
      break;
    }
    if (std::fabs(deltax) <= tol1) {
      deltax = x >= xmid ? a - x : b - x;  // golden-section step
      rat = kGoldenSection * deltax;
    } else {  // try a parabolic step through x, w, v
      const double tmp1 = (x - w) * (fx - fv);
      double tmp2 = (x - v) * (fx - fw);
      double p = (x - v) * tmp2 - (x - w) * tmp1;
      tmp2 = 2.0 * (tmp2 - tmp1);
      if (tmp2 > 0.0) p = -p;
      tmp2 = std::fabs(tmp2);
      const double dx_temp = deltax;
      deltax = rat;
      if ((p > tmp2 * (a - x)) && (p < tmp2 * (b - x)) &&
          (std::fabs(p) < std::fabs(0.5 * tmp2 * dx_temp))) {
        rat = p * 1.0 / tmp2;
        const double u = x + rat;
        if ((u - a) < tol2 || (b - u) < tol2) rat = xmid - x >= 0 ? tol1 : -tol1;
      } else {
        deltax = x >= xmid ? a - x : b - x;
        rat = kGoldenSection * deltax;
      }
    }
    double u;
    if (std::fabs(rat) < tol1) {
      u = rat >= 0 ? x + tol1 : x - tol1;
    } else {
      u = x + rat;
    }
    const double fu = f(u);
    if (fu > fx) {
      if (u < x) {
        a = u;
      } else {
        b = u;
      }
      if ((fu <= fw) || (w == x)) {
        v = w;
        w = u;
        fv = fw;
        fw = fu;
      } else if ((fu <= fv) || (v == x) || (v == w)) {
        v = u;
        fv = fu;
      }
    } else {
      if (u >= x) {
        a = x;
      } else {
        b = x;
      }
      v = w;
      w = x;
      x = u;
      fv = fw;
      fw = fx;
      fx = fu;
    }
    ++iteration;
  }
  out.x = x;
  out.fx = fx;
  out.iterations = iteration;
  if (std::isnan(x) || std::isnan(fx)) {
    out.status = YeoJohnsonFitStatus::failed;
    out.message = "the log-likelihood was NaN at the optimiser's point (the transform overflowed)";
  } else if (!tolerance_met) {
    out.status = YeoJohnsonFitStatus::max_iterations;
    out.message = "Brent's method reached max_iterations = " + std::to_string(o.max_iterations);
  }
  return out;
}

// Brent's bounded minimiser on [lower, upper] (SciPy optimize.fminbound / method "bounded").
OptimizerOutcome minimize_bounded(NegativeLogLikelihood& f, double lower, double upper,
                                  const YeoJohnsonLambdaOptions& o) {
  const double sqrt_eps = std::sqrt(2.2e-16);  // SciPy's constant, not DBL_EPSILON
  const double golden_mean = 0.5 * (3.0 - std::sqrt(5.0));
  const double xatol = o.xtol;
  const int max_evaluations = o.max_iterations;
  OptimizerOutcome out;
  out.lower = lower;
  out.upper = upper;
  double a = lower, b = upper;
  double fulc = a + golden_mean * (b - a);
  double nfc = fulc, xf = fulc;
  double rat = 0.0, e = 0.0;
  double x = xf;
  double fx = f(x);
  int num = 1;
  double fu = kInf;
  double ffulc = fx, fnfc = fx;
  double xm = 0.5 * (a + b);
  double tol1 = sqrt_eps * std::fabs(xf) + xatol / 3.0;
  double tol2 = 2.0 * tol1;
  bool cap_reached = false;
  while (std::fabs(xf - xm) > (tol2 - 0.5 * (b - a))) {
    bool golden = true;
    if (std::fabs(e) > tol1) {  // try a parabolic fit
      golden = false;
      double r = (xf - nfc) * (fx - ffulc);
      double q = (xf - fulc) * (fx - fnfc);
      double p = (xf - fulc) * q - (xf - nfc) * r;
      q = 2.0 * (q - r);
      if (q > 0.0) p = -p;
      q = std::fabs(q);
      r = e;
      e = rat;
      if ((std::fabs(p) < std::fabs(0.5 * q * r)) && (p > q * (a - xf)) && (p < q * (b - xf))) {
        rat = (p + 0.0) / q;
        x = xf + rat;
        if (((x - a) < tol2) || ((b - x) < tol2)) rat = tol1 * sign_or_one(xm - xf);
      } else {
        golden = true;
      }
    }
    if (golden) {
      e = xf >= xm ? a - xf : b - xf;
      rat = golden_mean * e;
    }
    x = xf + sign_or_one(rat) * nan_max(std::fabs(rat), tol1);
    fu = f(x);
    ++num;
    if (fu <= fx) {
      if (x >= xf) {
        a = xf;
      } else {
        b = xf;
      }
      fulc = nfc;
      ffulc = fnfc;
      nfc = xf;
      fnfc = fx;
      xf = x;
      fx = fu;
    } else {
      if (x < xf) {
        a = x;
      } else {
        b = x;
      }
      if ((fu <= fnfc) || (nfc == xf)) {
        fulc = nfc;
        ffulc = fnfc;
        nfc = x;
        fnfc = fu;
      } else if ((fu <= ffulc) || (fulc == xf) || (fulc == nfc)) {
        fulc = x;
        ffulc = fu;
      }
    }
    xm = 0.5 * (a + b);
    tol1 = sqrt_eps * std::fabs(xf) + xatol / 3.0;
    tol2 = 2.0 * tol1;
    if (num >= max_evaluations) {
      cap_reached = true;
      break;
    }
  }
  out.x = xf;
  out.fx = fx;
  out.iterations = num - 1;
  if (std::isnan(xf) || std::isnan(fx) || std::isnan(fu)) {
    out.status = YeoJohnsonFitStatus::failed;
    out.message = "the log-likelihood was NaN during the bounded search";
  } else if (cap_reached) {
    out.status = YeoJohnsonFitStatus::max_iterations;
    out.message = "the bounded search reached max_iterations = " + std::to_string(max_evaluations);
  }
  return out;
}

// SciPy ≥ 1.12 bounds: keep (1 + 20·max|x|)^λ and its square within double range, so every ψ_i
// and σ̂² stay finite. The factor 20 and the ε margins are SciPy's.
std::pair<double, double> overflow_safe_bounds(std::span<const double> x) {
  double max_abs = 0.0;
  bool any_negative = false, all_negative = true;
  for (double value : x) {
    max_abs = std::max(max_abs, std::fabs(value));
    if (value < 0) {
      any_negative = true;
    } else {
      all_negative = false;
    }
  }
  const double log1p_max_x = std::log1p(20.0 * max_abs);
  const double log_eps = std::log(DBL_EPSILON);
  const double log_tiny = (std::log(DBL_MIN) - log_eps) / 2.0;
  const double log_max = (std::log(DBL_MAX) + log_eps) / 2.0;
  double lower = log_tiny / log1p_max_x;
  double upper = log_max / log1p_max_x;
  if (all_negative) {
    const double new_lower = 2.0 - upper;
    upper = 2.0 - lower;
    lower = new_lower;
  } else if (any_negative) {
    const double new_lower = std::max(2.0 - upper, lower);
    upper = std::min(2.0 - lower, upper);
    lower = new_lower;
  }
  return {lower, upper};
}

void check_finite(std::span<const double> x, const char* what) {
  if (x.size() < 2) {
    std::ostringstream msg;
    msg << what << ": " << x.size()
        << " value(s): Yeo-Johnson λ needs at least 2 values; pass the whole training column";
    throw DataError(msg.str());
  }
  for (std::size_t idx = 0; idx < x.size(); ++idx) {
    if (!std::isfinite(x[idx])) {
      std::ostringstream msg;
      msg << what << ": value " << idx << " is " << x[idx]
          << ": Yeo-Johnson λ needs finite values; drop nodata rows before fitting";
      throw DataError(msg.str());
    }
  }
}

}  // namespace

double yeo_johnson(double x, double lambda) {
  if (x >= 0) {
    if (std::fabs(lambda) < kBranchEps) return std::log1p(x);
    return std::expm1(lambda * std::log1p(x)) / lambda;
  }
  const double power = 2.0 - lambda;
  if (std::fabs(power) > kBranchEps) return -std::expm1(power * std::log1p(-x)) / power;
  return -std::log1p(-x);
}

void yeo_johnson(std::span<const double> x, double lambda, std::span<double> out) {
  if (out.size() != x.size()) {
    throw DataError("yeo_johnson: output has " + std::to_string(out.size()) + " slots for " +
                    std::to_string(x.size()) + " values; sizes must match");
  }
  for (std::size_t idx = 0; idx < x.size(); ++idx)
    out[idx] = yeo_johnson(x[idx], lambda);
}

double yeo_johnson_inverse(double z, double lambda) {
  if (std::isnan(z)) return z;
  if (z >= 0) {
    if (std::fabs(lambda) < kBranchEps) return std::expm1(z);
    const double base = lambda * z;  // (x + 1)^λ = 1 + λz must be > 0
    if (base <= -1.0) return kNaN;
    return std::expm1(std::log1p(base) / lambda);
  }
  const double power = 2.0 - lambda;
  if (std::fabs(power) <= kBranchEps) return -std::expm1(-z);
  const double base = -power * z;  // (1 − x)^(2−λ) = 1 − (2−λ)z must be > 0
  if (base <= -1.0) return kNaN;
  return -std::expm1(std::log1p(base) / power);
}

double yeo_johnson_log_likelihood(std::span<const double> x, double lambda) {
  return log_likelihood_with(x, lambda, jacobian_sum(x));
}

std::string_view to_string(YeoJohnsonOptimizer optimizer) {
  switch (optimizer) {
    case YeoJohnsonOptimizer::bounded:
      return "bounded";
    case YeoJohnsonOptimizer::brent_bracket:
      return "brent_bracket";
  }
  return "?";
}

YeoJohnsonOptimizer yeo_johnson_optimizer_from_string(std::string_view name) {
  for (auto optimizer : {YeoJohnsonOptimizer::bounded, YeoJohnsonOptimizer::brent_bracket}) {
    if (name == to_string(optimizer)) return optimizer;
  }
  throw ConfigError("yeo_johnson optimizer = '" + std::string(name) +
                    "': unknown; expected one of: bounded, brent_bracket");
}

std::string_view to_string(YeoJohnsonFitStatus status) {
  switch (status) {
    case YeoJohnsonFitStatus::converged:
      return "converged";
    case YeoJohnsonFitStatus::constant_input:
      return "constant_input";
    case YeoJohnsonFitStatus::max_iterations:
      return "max_iterations";
    case YeoJohnsonFitStatus::failed:
      return "failed";
  }
  return "?";
}

YeoJohnsonLambdaFit fit_yeo_johnson_lambda(std::span<const double> x,
                                           const YeoJohnsonLambdaOptions& options) {
  if (!(options.xtol > 0) || !std::isfinite(options.xtol)) {
    throw ConfigError("yeo_johnson xtol = " + std::to_string(options.xtol) +
                      ": must be a finite number > 0; SciPy uses 1.48e-8");
  }
  if (options.max_iterations < 1) {
    throw ConfigError("yeo_johnson max_iterations = " + std::to_string(options.max_iterations) +
                      ": must be >= 1; SciPy uses 500");
  }
  if (options.optimizer == YeoJohnsonOptimizer::brent_bracket &&
      (!std::isfinite(options.bracket_low) || !std::isfinite(options.bracket_high) ||
       options.bracket_low == options.bracket_high)) {
    throw ConfigError("yeo_johnson bracket = (" + std::to_string(options.bracket_low) + ", " +
                      std::to_string(options.bracket_high) +
                      "): must be two distinct finite numbers; SciPy uses (-2, 2)");
  }
  check_finite(x, "yeo_johnson fit");

  YeoJohnsonLambdaFit fit;
  const bool constant =
      std::all_of(x.begin(), x.end(), [&](double value) { return value == x.front(); });
  if (constant) {
    fit.lambda = 1.0;
    fit.log_likelihood = yeo_johnson_log_likelihood(x, 1.0);
    fit.status = YeoJohnsonFitStatus::constant_input;
    fit.message = "all values are equal: λ is not identifiable; λ = 1 (identity) is used";
    return fit;
  }

  NegativeLogLikelihood objective(x);
  OptimizerOutcome outcome;
  if (options.optimizer == YeoJohnsonOptimizer::bounded) {
    const auto [lower, upper] = overflow_safe_bounds(x);
    outcome = minimize_bounded(objective, lower, upper, options);
  } else {
    outcome = minimize_brent_bracket(objective, options);
  }
  fit.lambda = outcome.x;
  fit.log_likelihood = -outcome.fx;
  fit.status = outcome.status;
  fit.message = outcome.message;
  fit.evaluations = objective.evaluations();
  fit.iterations = outcome.iterations;
  fit.lower_bound = outcome.lower;
  fit.upper_bound = outcome.upper;
  return fit;
}

double YeoJohnsonColumn::transform(double x) const {
  return (yeo_johnson(x, fit.lambda) - mean) / scale;
}

std::vector<double> YeoJohnsonColumn::transform(std::span<const double> x) const {
  std::vector<double> out(x.size());
  for (std::size_t idx = 0; idx < x.size(); ++idx)
    out[idx] = transform(x[idx]);
  return out;
}

double YeoJohnsonColumn::inverse(double z) const {
  return yeo_johnson_inverse(z * scale + mean, fit.lambda);
}

std::vector<double> YeoJohnsonColumn::inverse(std::span<const double> z) const {
  std::vector<double> out(z.size());
  for (std::size_t idx = 0; idx < z.size(); ++idx)
    out[idx] = inverse(z[idx]);
  return out;
}

YeoJohnsonColumn fit_yeo_johnson(std::span<const double> x, const YeoJohnsonParams& params) {
  YeoJohnsonColumn column;
  column.fit = fit_yeo_johnson_lambda(x, params.lambda);
  column.standardize = params.standardize;
  if (column.fit.status == YeoJohnsonFitStatus::failed ||
      column.fit.status == YeoJohnsonFitStatus::max_iterations) {
    throw RunError("yeo_johnson fit (" + std::string(to_string(params.lambda.optimizer)) +
                   "): " + std::string(to_string(column.fit.status)) + ": " + column.fit.message +
                   "; try optimizer = bounded, or check the column for extreme values");
  }
  if (!params.standardize) return column;
  // Standardise over the fitting data: mean 0, population SD 1 (scikit-learn StandardScaler).
  double sum = 0.0;
  for (double value : x)
    sum += yeo_johnson(value, column.fit.lambda);
  const double n = static_cast<double>(x.size());
  column.mean = sum / n;
  double sum_sq = 0.0;
  for (double value : x) {
    const double deviation = yeo_johnson(value, column.fit.lambda) - column.mean;
    sum_sq += deviation * deviation;
  }
  const double sd = std::sqrt(sum_sq / n);
  if (!std::isfinite(sd) || !std::isfinite(column.mean)) {
    throw RunError("yeo_johnson fit: the transformed column overflows at λ = " +
                   std::to_string(column.fit.lambda) +
                   "; use optimizer = bounded (overflow-safe bounds)");
  }
  column.scale = sd > 0 ? sd : 1.0;
  return column;
}

}  // namespace minecarbon::stats
