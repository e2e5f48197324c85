#include "minecarbon/carbon/growth_models.h"

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

namespace minecarbon::carbon {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Start asymptote A₀ = factor × max(y): 1.05 is aomisc's choice (docs/carbon_methods.md §1.2);
// the larger factors cover data still far from the plateau (young stands).
constexpr std::array<double, 3> kAsymptoteFactors = {1.05, 1.5, 2.5};
// Shapes tried for Chapman–Richards (c₀) and Richards (m₀) starts.
constexpr std::array<double, 4> kChapmanShapes = {0.5, 1.0, 2.0, 3.0};
constexpr std::array<double, 3> kRichardsShapes = {0.5, 1.0, 2.0};

// ---- parameter tables -------------------------------------------------------------------------

constexpr GrowthParameterInfo kA = {"A", "y", "asymptote (upper limit of y)"};
constexpr GrowthParameterInfo kBLogistic = {"B", "1",
                                            "position: y(0) = A/(1+B); inflection at ln(B)/k"};
constexpr GrowthParameterInfo kBGompertz = {"B", "1", "displacement: y(0) = A e^(−B)"};
constexpr GrowthParameterInfo kBRange = {"B", "1", "growth range: B = 1 passes through the origin"};
constexpr GrowthParameterInfo kBWeibull = {"B", "y", "range: y(0) = A − B; B = A passes through 0"};
constexpr GrowthParameterInfo kBSchumacher = {"B", "a", "age scale: ln y = ln A − B/t"};
constexpr GrowthParameterInfo kBKorf = {"B", "a^c", "scale: y = A exp(−B t^(−c))"};
constexpr GrowthParameterInfo kK = {"k", "1/a", "rate"};
constexpr GrowthParameterInfo kKWeibull = {"k", "a^(−m)", "rate"};
constexpr GrowthParameterInfo kC = {"c", "1", "shape exponent"};
constexpr GrowthParameterInfo kCKorf = {"c", "1", "shape exponent of age"};
constexpr GrowthParameterInfo kM = {"m", "1", "shape (allometric constant): exponent 1/(1−m)"};
constexpr GrowthParameterInfo kMRichards = {"m", "1", "shape: exponent 1/m; m = 1 is logistic"};
constexpr GrowthParameterInfo kMWeibull = {"m", "1", "shape exponent of age"};
constexpr GrowthParameterInfo kAsym = {"Asym", "y", "asymptote"};
constexpr GrowthParameterInfo kR0 = {"R0", "y", "value at t = 0"};
constexpr GrowthParameterInfo kLrc = {"lrc", "ln(1/a)", "natural log of the rate constant"};

constexpr std::array kLogisticParams = {kA, kBLogistic, kK};
constexpr std::array kGompertzParams = {kA, kBGompertz, kK};
constexpr std::array kCr3Params = {kA, kK, kC};
constexpr std::array kCr4Params = {kA, kBRange, kK, kM};
constexpr std::array kRichardsParams = {kA, kBLogistic, kK, kMRichards};
constexpr std::array kMitscherlichParams = {kA, kBRange, kK};
constexpr std::array kSchumacherParams = {kA, kBSchumacher};
constexpr std::array kKorfParams = {kA, kBKorf, kCKorf};
constexpr std::array kWeibullParams = {kA, kBWeibull, kKWeibull, kMWeibull};
constexpr std::array kAsympParams = {kAsym, kR0, kLrc};

const std::array<GrowthModelInfo, 10> kModelTable = {{
    {GrowthModel::logistic, "logistic", "y = A / (1 + B exp(-k t))", kLogisticParams},
    {GrowthModel::gompertz, "gompertz", "y = A exp(-B exp(-k t))", kGompertzParams},
    {GrowthModel::chapman_richards3, "chapman_richards3", "y = A (1 - exp(-k t))^c", kCr3Params},
    {GrowthModel::chapman_richards4, "chapman_richards4", "y = A (1 - B exp(-k t))^(1/(1-m))",
     kCr4Params},
    {GrowthModel::richards, "richards", "y = A / (1 + B exp(-k t))^(1/m)", kRichardsParams},
    {GrowthModel::mitscherlich, "mitscherlich", "y = A (1 - B exp(-k t))", kMitscherlichParams},
    {GrowthModel::schumacher, "schumacher", "y = A exp(-B / t)", kSchumacherParams},
    {GrowthModel::korf, "korf", "y = A exp(-B t^(-c))", kKorfParams},
    {GrowthModel::weibull, "weibull", "y = A - B exp(-k t^m)", kWeibullParams},
    {GrowthModel::asymptotic_regression, "asymptotic_regression",
     "y = Asym + (R0 - Asym) exp(-exp(lrc) t)", kAsympParams},
}};

constexpr std::array<std::string_view, 8> kCriterionNames = {
    "aic_loglik", "aic_least_squares", "aicc_least_squares", "bic_loglik", "rse",
    "rmse",       "r_squared",         "precision"};

// ---- model kernels ----------------------------------------------------------------------------
// Each kernel: value(t, θ), gradient(t, θ, g), rate(t, θ) = dy/dt, in_domain(θ). θ is a pointer
// to the parameters in table order. The dispatcher picks the kernel once per batch so the loops
// over points have no switch.

struct Logistic {
  static double value(double t, const double* th) {
    return th[0] / (1.0 + th[1] * std::exp(-th[2] * t));
  }
  static void gradient(double t, const double* th, double* g) {
    const double e = std::exp(-th[2] * t);
    const double d = 1.0 + th[1] * e;
    g[0] = 1.0 / d;
    g[1] = -th[0] * e / (d * d);
    g[2] = th[0] * th[1] * t * e / (d * d);
  }
  static double rate(double t, const double* th) {
    const double e = std::exp(-th[2] * t);
    const double d = 1.0 + th[1] * e;
    return th[0] * th[1] * th[2] * e / (d * d);
  }
  static bool in_domain(const double* th) { return th[0] > 0.0 && th[1] > 0.0 && th[2] > 0.0; }
};

struct Gompertz {
  static double value(double t, const double* th) {
    return th[0] * std::exp(-th[1] * std::exp(-th[2] * t));
  }
  static void gradient(double t, const double* th, double* g) {
    const double e = std::exp(-th[2] * t);
    const double w = std::exp(-th[1] * e);
    g[0] = w;
    g[1] = -th[0] * e * w;
    g[2] = th[0] * th[1] * t * e * w;
  }
  static double rate(double t, const double* th) {
    const double e = std::exp(-th[2] * t);
    return th[0] * th[1] * th[2] * e * std::exp(-th[1] * e);
  }
  static bool in_domain(const double* th) { return th[0] > 0.0 && th[1] > 0.0 && th[2] > 0.0; }
};

struct ChapmanRichards3 {
  static double value(double t, const double* th) {
    const double u = -std::expm1(-th[1] * t);
    return u > 0.0 ? th[0] * std::pow(u, th[2]) : 0.0;
  }
  static void gradient(double t, const double* th, double* g) {
    const double u = -std::expm1(-th[1] * t);
    if (!(u > 0.0)) {
      g[0] = g[1] = g[2] = 0.0;
      return;
    }
    const double e = 1.0 - u;  // e^(−kt); relative error ≤ ε/e, harmless in a derivative
    const double log_u = std::log(u);
    const double uc = std::exp(th[2] * log_u);  // u^c, sharing ln u with ∂/∂c
    g[0] = uc;
    g[1] = th[0] * th[2] * (uc / u) * t * e;
    g[2] = th[0] * uc * log_u;
  }
  static double rate(double t, const double* th) {
    const double u = -std::expm1(-th[1] * t);
    if (!(u > 0.0)) {
      if (t < 0.0) return 0.0;
      return th[2] < 1.0 ? kInf : (th[2] == 1.0 ? th[0] * th[1] : 0.0);
    }
    return th[0] * th[2] * std::pow(u, th[2] - 1.0) * th[1] * std::exp(-th[1] * t);
  }
  static bool in_domain(const double* th) { return th[0] > 0.0 && th[1] > 0.0 && th[2] > 0.0; }
};

// The base u = 1 − B e^(−kt) is clamped at 0 (y = 0 before t₀ = ln(B)/k),
// docs/carbon_methods.md §1.1.
struct ChapmanRichards4 {
  static double value(double t, const double* th) {
    const double u = 1.0 - th[1] * std::exp(-th[2] * t);
    return u > 0.0 ? th[0] * std::pow(u, 1.0 / (1.0 - th[3])) : 0.0;
  }
  static void gradient(double t, const double* th, double* g) {
    const double e = std::exp(-th[2] * t);
    const double u = 1.0 - th[1] * e;
    if (!(u > 0.0)) {
      g[0] = g[1] = g[2] = g[3] = 0.0;
      return;
    }
    const double p = 1.0 / (1.0 - th[3]);
    const double log_u = std::log(u);
    const double up = std::exp(p * log_u);  // u^p, sharing ln u with ∂/∂m
    const double up1 = up / u;
    g[0] = up;
    g[1] = -th[0] * p * up1 * e;
    g[2] = th[0] * p * up1 * th[1] * t * e;
    g[3] = th[0] * up * log_u * p * p;
  }
  static double rate(double t, const double* th) {
    const double e = std::exp(-th[2] * t);
    const double u = 1.0 - th[1] * e;
    if (!(u > 0.0)) return 0.0;
    const double p = 1.0 / (1.0 - th[3]);
    return th[0] * p * std::pow(u, p - 1.0) * th[1] * th[2] * e;
  }
  static bool in_domain(const double* th) {
    return th[0] > 0.0 && th[1] > 0.0 && th[2] > 0.0 && th[3] < 1.0;
  }
};

struct Richards {
  static double value(double t, const double* th) {
    return th[0] * std::pow(1.0 + th[1] * std::exp(-th[2] * t), -1.0 / th[3]);
  }
  static void gradient(double t, const double* th, double* g) {
    const double e = std::exp(-th[2] * t);
    const double d = 1.0 + th[1] * e;
    const double dq = std::pow(d, -1.0 / th[3]);
    const double common = th[0] / th[3] * dq / d;  // (A/m) D^(−1/m − 1)
    g[0] = dq;
    g[1] = -common * e;
    g[2] = common * th[1] * t * e;
    g[3] = th[0] * dq * std::log(d) / (th[3] * th[3]);
  }
  static double rate(double t, const double* th) {
    const double e = std::exp(-th[2] * t);
    const double d = 1.0 + th[1] * e;
    return th[0] / th[3] * std::pow(d, -1.0 / th[3] - 1.0) * th[1] * th[2] * e;
  }
  static bool in_domain(const double* th) { return th[0] > 0.0 && th[2] > 0.0 && th[3] > 0.0; }
};

struct Mitscherlich {
  static double value(double t, const double* th) {
    return th[0] * (1.0 - th[1] * std::exp(-th[2] * t));
  }
  static void gradient(double t, const double* th, double* g) {
    const double e = std::exp(-th[2] * t);
    g[0] = 1.0 - th[1] * e;
    g[1] = -th[0] * e;
    g[2] = th[0] * th[1] * t * e;
  }
  static double rate(double t, const double* th) {
    return th[0] * th[1] * th[2] * std::exp(-th[2] * t);
  }
  static bool in_domain(const double* th) { return th[0] > 0.0 && th[2] > 0.0; }
};

// At t = 0 the limits (B > 0) are used: y = 0, dy/dt = 0. Negative ages give NaN.
struct Schumacher {
  static double value(double t, const double* th) {
    if (t > 0.0) return th[0] * std::exp(-th[1] / t);
    return t == 0.0 ? 0.0 : kNaN;
  }
  static void gradient(double t, const double* th, double* g) {
    if (!(t > 0.0)) {
      g[0] = g[1] = (t == 0.0 ? 0.0 : kNaN);
      return;
    }
    const double w = std::exp(-th[1] / t);
    g[0] = w;
    g[1] = -th[0] * w / t;
  }
  static double rate(double t, const double* th) {
    if (!(t > 0.0)) return t == 0.0 ? 0.0 : kNaN;
    return th[0] * th[1] * std::exp(-th[1] / t) / (t * t);
  }
  static bool in_domain(const double* th) { return th[0] > 0.0 && th[1] > 0.0; }
};

struct Korf {
  static double value(double t, const double* th) {
    if (t > 0.0) return th[0] * std::exp(-th[1] * std::pow(t, -th[2]));
    return t == 0.0 ? 0.0 : kNaN;
  }
  static void gradient(double t, const double* th, double* g) {
    if (!(t > 0.0)) {
      g[0] = g[1] = g[2] = (t == 0.0 ? 0.0 : kNaN);
      return;
    }
    const double s = std::pow(t, -th[2]);
    const double w = std::exp(-th[1] * s);
    g[0] = w;
    g[1] = -th[0] * s * w;
    g[2] = th[0] * w * th[1] * s * std::log(t);
  }
  static double rate(double t, const double* th) {
    if (!(t > 0.0)) return t == 0.0 ? 0.0 : kNaN;
    const double s = std::pow(t, -th[2]);
    return th[0] * std::exp(-th[1] * s) * th[1] * th[2] * s / t;
  }
  static bool in_domain(const double* th) { return th[0] > 0.0 && th[1] > 0.0 && th[2] > 0.0; }
};

struct Weibull {
  static double value(double t, const double* th) {
    if (t < 0.0) return kNaN;
    return th[0] - th[1] * std::exp(-th[2] * std::pow(t, th[3]));
  }
  static void gradient(double t, const double* th, double* g) {
    if (t < 0.0) {
      g[0] = g[1] = g[2] = g[3] = kNaN;
      return;
    }
    const double s = std::pow(t, th[3]);
    const double w = std::exp(-th[2] * s);
    g[0] = 1.0;
    g[1] = -w;
    g[2] = th[1] * s * w;
    g[3] = t > 0.0 ? th[1] * th[2] * s * std::log(t) * w : 0.0;
  }
  static double rate(double t, const double* th) {
    if (t < 0.0) return kNaN;
    if (t == 0.0) return th[3] < 1.0 ? kInf : (th[3] == 1.0 ? th[1] * th[2] : 0.0);
    const double s = std::pow(t, th[3]);
    return th[1] * std::exp(-th[2] * s) * th[2] * th[3] * s / t;
  }
  static bool in_domain(const double* th) { return th[0] > 0.0 && th[2] > 0.0 && th[3] > 0.0; }
};

struct AsymptoticRegression {
  static double value(double t, const double* th) {
    return th[0] + (th[1] - th[0]) * std::exp(-std::exp(th[2]) * t);
  }
  static void gradient(double t, const double* th, double* g) {
    const double r = std::exp(th[2]);
    const double e = std::exp(-r * t);
    g[0] = 1.0 - e;
    g[1] = e;
    g[2] = -(th[1] - th[0]) * t * r * e;
  }
  static double rate(double t, const double* th) {
    const double r = std::exp(th[2]);
    return (th[0] - th[1]) * r * std::exp(-r * t);
  }
  static bool in_domain(const double*) { return true; }
};

template <class Fn>
decltype(auto) dispatch(GrowthModel model, Fn&& fn) {
  switch (model) {
    case GrowthModel::logistic:
      return fn(Logistic{});
    case GrowthModel::gompertz:
      return fn(Gompertz{});
    case GrowthModel::chapman_richards3:
      return fn(ChapmanRichards3{});
    case GrowthModel::chapman_richards4:
      return fn(ChapmanRichards4{});
    case GrowthModel::richards:
      return fn(Richards{});
    case GrowthModel::mitscherlich:
      return fn(Mitscherlich{});
    case GrowthModel::schumacher:
      return fn(Schumacher{});
    case GrowthModel::korf:
      return fn(Korf{});
    case GrowthModel::weibull:
      return fn(Weibull{});
    case GrowthModel::asymptotic_regression:
      return fn(AsymptoticRegression{});
  }
  throw RunError("growth model enum value " + std::to_string(static_cast<int>(model)) +
                 " has no kernel");
}

void check_theta(GrowthModel model, std::span<const double> theta) {
  if (theta.size() != growth_parameter_count(model)) {
    throw DataError("growth model " + std::string(to_string(model)) + ": " +
                    std::to_string(theta.size()) + " parameters given, expected " +
                    std::to_string(growth_parameter_count(model)));
  }
}

// ---- self-start helpers -----------------------------------------------------------------------

struct Line {
  double intercept = kNaN;
  double slope = kNaN;
};

// OLS z = a + b u over the pairs; NaN line when fewer than two distinct u.
Line ols(const std::vector<double>& u, const std::vector<double>& z) {
  const std::size_t n = u.size();
  if (n < 2) return {};
  const double mean_u = std::accumulate(u.begin(), u.end(), 0.0) / static_cast<double>(n);
  const double mean_z = std::accumulate(z.begin(), z.end(), 0.0) / static_cast<double>(n);
  double suu = 0.0;
  double suz = 0.0;
  for (std::size_t idx = 0; idx < n; ++idx) {
    suu += (u[idx] - mean_u) * (u[idx] - mean_u);
    suz += (u[idx] - mean_u) * (z[idx] - mean_z);
  }
  if (!(suu > 0.0)) return {};
  Line line;
  line.slope = suz / suu;
  line.intercept = mean_z - line.slope * mean_u;
  return line;
}

// Pairs (u(t), z(t, y)) over points where both are finite.
template <class U, class Z>
void transform(std::span<const double> t, std::span<const double> y, U&& u_of, Z&& z_of,
               std::vector<double>& u, std::vector<double>& z) {
  u.clear();
  z.clear();
  for (std::size_t idx = 0; idx < t.size(); ++idx) {
    const double uu = u_of(t[idx]);
    const double zz = z_of(y[idx]);
    if (std::isfinite(uu) && std::isfinite(zz)) {
      u.push_back(uu);
      z.push_back(zz);
    }
  }
}

// Sets the parameters that enter linearly to their least-squares values given the others — A for
// y = A g(t), (A, B) for Weibull y = A − B w(t), (Asym, R0) for SSasymp — and returns the RSS of
// the result. One pass of model evaluations; NaN RSS if the model is not finite on the data.
double refine_and_score(GrowthModel model, std::span<const double> t, std::span<const double> y,
                        std::vector<double>& theta) {
  const std::size_t n = t.size();
  std::vector<double> h(n);  // the nonlinear part: g(t), or h2(t) for the two-linear models
  double a = 0.0;
  double b = 0.0;
  if (model == GrowthModel::weibull || model == GrowthModel::asymptotic_regression) {
    // y = a·h1 + b·h2: Weibull h1 = 1, h2 = −w (a = A, b = B); SSasymp h1 = 1 − e, h2 = e.
    const bool weibull = model == GrowthModel::weibull;
    double s11 = 0.0, s12 = 0.0, s22 = 0.0, s1y = 0.0, s2y = 0.0;
    for (std::size_t idx = 0; idx < n; ++idx) {
      h[idx] = weibull ? -std::exp(-theta[2] * std::pow(t[idx], theta[3]))
                       : std::exp(-std::exp(theta[2]) * t[idx]);
      const double h1 = weibull ? 1.0 : 1.0 - h[idx];
      s11 += h1 * h1;
      s12 += h1 * h[idx];
      s22 += h[idx] * h[idx];
      s1y += h1 * y[idx];
      s2y += h[idx] * y[idx];
    }
    const double det = s11 * s22 - s12 * s12;
    a = theta[0];
    b = theta[1];
    if (std::abs(det) > 1e-12 * s11 * s22) {
      const double a_ls = (s22 * s1y - s12 * s2y) / det;
      const double b_ls = (s11 * s2y - s12 * s1y) / det;
      if (std::isfinite(a_ls) && std::isfinite(b_ls)) {
        a = a_ls;
        b = b_ls;
      }
    }
    theta[0] = a;
    theta[1] = b;
    double rss = 0.0;
    for (std::size_t idx = 0; idx < n; ++idx) {
      const double h1 = weibull ? 1.0 : 1.0 - h[idx];
      const double r = y[idx] - a * h1 - b * h[idx];
      rss += r * r;
    }
    return rss;
  }
  std::vector<double> unit(theta);
  unit[0] = 1.0;
  double sgy = 0.0;
  double sgg = 0.0;
  dispatch(model, [&](auto kernel) {
    for (std::size_t idx = 0; idx < n; ++idx) {
      h[idx] = kernel.value(t[idx], unit.data());
      sgy += h[idx] * y[idx];
      sgg += h[idx] * h[idx];
    }
  });
  a = sgy / sgg;
  if (std::isfinite(a) && a > 0.0) theta[0] = a;
  double rss = 0.0;
  for (std::size_t idx = 0; idx < n; ++idx) {
    const double r = y[idx] - theta[0] * h[idx];
    rss += r * r;
  }
  return rss;
}

// Generic fallback start from the data's ranges (used only when no transform works).
std::vector<double> fallback_start(GrowthModel model, double y_max, double t_span) {
  const double a = y_max > 0.0 ? 1.05 * y_max : 1.0;
  const double k = t_span > 0.0 ? 3.0 / t_span : 0.1;
  switch (model) {
    case GrowthModel::logistic:
      return {a, 10.0, k};
    case GrowthModel::gompertz:
      return {a, 3.0, k};
    case GrowthModel::chapman_richards3:
      return {a, k, 2.0};
    case GrowthModel::chapman_richards4:
      return {a, 1.0, k, 0.5};
    case GrowthModel::richards:
      return {a, 2.0, k, 1.0};
    case GrowthModel::mitscherlich:
      return {a, 1.0, k};
    case GrowthModel::schumacher:
      return {a, t_span > 0.0 ? t_span / 4.0 : 1.0};
    case GrowthModel::korf:
      return {a, 3.0, 1.0};
    case GrowthModel::weibull:
      return {a, a, k, 1.0};
    case GrowthModel::asymptotic_regression:
      return {a, 0.0, std::log(k)};
  }
  return {};
}

// Raw candidates (before linear refinement) from the linearising transforms of
// docs/carbon_methods.md §1.2.
std::vector<std::vector<double>> raw_candidates(GrowthModel model, std::span<const double> t,
                                                std::span<const double> y, double y_max) {
  std::vector<std::vector<double>> out;
  std::vector<double> u;
  std::vector<double> z;
  const auto identity = [](double v) { return v; };
  const auto log_positive = [](double v) { return v > 0.0 ? std::log(v) : kNaN; };
  const auto inverse_positive = [](double v) { return v > 0.0 ? 1.0 / v : kNaN; };

  for (const double factor : kAsymptoteFactors) {
    const double a0 = factor * y_max;
    const auto ratio = [a0](double v) { return v > 0.0 && v < a0 ? v / a0 : kNaN; };
    switch (model) {
      case GrowthModel::logistic: {
        transform(
            t, y, identity, [&](double v) { return std::log(1.0 / ratio(v) - 1.0); }, u, z);
        const Line line = ols(u, z);
        out.push_back({a0, std::exp(line.intercept), -line.slope});
        break;
      }
      case GrowthModel::gompertz: {
        transform(
            t, y, identity, [&](double v) { return std::log(-std::log(ratio(v))); }, u, z);
        const Line line = ols(u, z);
        out.push_back({a0, std::exp(line.intercept), -line.slope});
        break;
      }
      case GrowthModel::mitscherlich:
      case GrowthModel::asymptotic_regression: {
        transform(
            t, y, identity, [&](double v) { return std::log(1.0 - ratio(v)); }, u, z);
        const Line line = ols(u, z);
        const double b = std::exp(line.intercept);
        const double k = -line.slope;
        if (model == GrowthModel::mitscherlich) {
          out.push_back({a0, b, k});
        } else {
          out.push_back({a0, a0 * (1.0 - b), std::log(k)});
        }
        break;
      }
      case GrowthModel::chapman_richards3:
      case GrowthModel::chapman_richards4: {
        for (const double c0 : kChapmanShapes) {
          transform(
              t, y, identity,
              [&](double v) { return std::log(1.0 - std::pow(ratio(v), 1.0 / c0)); }, u, z);
          if (model == GrowthModel::chapman_richards3) {
            // through the origin: z = −k t
            double stz = 0.0;
            double stt = 0.0;
            for (std::size_t idx = 0; idx < u.size(); ++idx) {
              stz += u[idx] * z[idx];
              stt += u[idx] * u[idx];
            }
            out.push_back({a0, stt > 0.0 ? -stz / stt : kNaN, c0});
          } else {
            const Line line = ols(u, z);
            out.push_back({a0, std::exp(line.intercept), -line.slope, 1.0 - 1.0 / c0});
          }
        }
        break;
      }
      case GrowthModel::richards: {
        for (const double m0 : kRichardsShapes) {
          transform(
              t, y, identity,
              [&](double v) { return std::log(std::pow(1.0 / ratio(v), m0) - 1.0); }, u, z);
          const Line line = ols(u, z);
          out.push_back({a0, std::exp(line.intercept), -line.slope, m0});
        }
        break;
      }
      case GrowthModel::schumacher:
        break;  // exact transform below, no A₀ needed
      case GrowthModel::korf: {
        transform(
            t, y, log_positive, [&](double v) { return std::log(std::log(1.0 / ratio(v))); }, u, z);
        const Line line = ols(u, z);
        out.push_back({a0, std::exp(line.intercept), -line.slope});
        break;
      }
      case GrowthModel::weibull: {
        transform(
            t, y, log_positive, [&](double v) { return std::log(-std::log(1.0 - ratio(v))); }, u,
            z);
        const Line line = ols(u, z);
        out.push_back({a0, a0, std::exp(line.intercept), line.slope});
        break;
      }
    }
  }
  if (model == GrowthModel::schumacher || model == GrowthModel::korf) {
    // ln y = ln A − B/t: exact OLS start for Schumacher, and Korf with c = 1.
    transform(t, y, inverse_positive, log_positive, u, z);
    const Line line = ols(u, z);
    if (model == GrowthModel::schumacher) {
      out.push_back({std::exp(line.intercept), -line.slope});
    } else {
      out.push_back({std::exp(line.intercept), -line.slope, 1.0});
    }
  }
  return out;
}

}  // namespace

// ---- name tables ------------------------------------------------------------------------------

std::span<const GrowthModelInfo> growth_model_table() {
  return kModelTable;
}

const GrowthModelInfo& growth_model_info(GrowthModel model) {
  for (const auto& info : kModelTable) {
    if (info.model == model) return info;
  }
  throw RunError("growth model enum value " + std::to_string(static_cast<int>(model)) +
                 " is missing from the name table");
}

std::string_view to_string(GrowthModel model) {
  return growth_model_info(model).name;
}

std::string growth_model_choices() {
  std::string out;
  for (const auto& info : kModelTable) {
    if (!out.empty()) out += ", ";
    out += info.name;
  }
  return out;
}

GrowthModel parse_growth_model(std::string_view name) {
  for (const auto& info : kModelTable) {
    if (info.name == name) return info.model;
  }
  throw ConfigError("growth model '" + std::string(name) + "' is unknown: expected one of " +
                    growth_model_choices());
}

std::size_t growth_parameter_count(GrowthModel model) {
  return growth_model_info(model).parameters.size();
}

std::string_view to_string(SelectionCriterion criterion) {
  return kCriterionNames[static_cast<std::size_t>(criterion)];
}

std::string selection_criterion_choices() {
  std::string out;
  for (const auto name : kCriterionNames) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

SelectionCriterion parse_selection_criterion(std::string_view name) {
  for (std::size_t idx = 0; idx < kCriterionNames.size(); ++idx) {
    if (kCriterionNames[idx] == name) return static_cast<SelectionCriterion>(idx);
  }
  throw ConfigError("selection criterion '" + std::string(name) + "' is unknown: expected one of " +
                    selection_criterion_choices());
}

bool higher_is_better(SelectionCriterion criterion) {
  return criterion == SelectionCriterion::r_squared || criterion == SelectionCriterion::precision;
}

double criterion_value(const stats::FitCriteria& c, SelectionCriterion criterion) {
  switch (criterion) {
    case SelectionCriterion::aic_loglik:
      return c.aic_loglik;
    case SelectionCriterion::aic_least_squares:
      return c.aic_least_squares;
    case SelectionCriterion::aicc_least_squares:
      return c.aicc_least_squares;
    case SelectionCriterion::bic_loglik:
      return c.bic_loglik;
    case SelectionCriterion::rse:
      return c.rse;
    case SelectionCriterion::rmse:
      return c.rmse;
    case SelectionCriterion::r_squared:
      return c.r_squared;
    case SelectionCriterion::precision:
      return c.precision_pct;
  }
  return kNaN;
}

// ---- evaluation -------------------------------------------------------------------------------

double growth_value(GrowthModel model, double t, std::span<const double> theta) {
  check_theta(model, theta);
  return dispatch(model, [&](auto kernel) { return kernel.value(t, theta.data()); });
}

void growth_gradient(GrowthModel model, double t, std::span<const double> theta,
                     std::span<double> gradient) {
  check_theta(model, theta);
  if (gradient.size() != theta.size()) {
    throw DataError("growth_gradient: output has " + std::to_string(gradient.size()) +
                    " slots for " + std::to_string(theta.size()) + " parameters");
  }
  dispatch(model, [&](auto kernel) { kernel.gradient(t, theta.data(), gradient.data()); });
}

double growth_rate(GrowthModel model, double t, std::span<const double> theta) {
  check_theta(model, theta);
  return dispatch(model, [&](auto kernel) { return kernel.rate(t, theta.data()); });
}

double growth_asymptote(GrowthModel model, std::span<const double> theta) {
  check_theta(model, theta);
  return theta[0];  // A, or Asym: the first parameter of every model in the table
}

bool growth_in_domain(GrowthModel model, std::span<const double> theta) {
  check_theta(model, theta);
  if (!std::all_of(theta.begin(), theta.end(), [](double v) { return std::isfinite(v); })) {
    return false;
  }
  return dispatch(model, [&](auto kernel) { return kernel.in_domain(theta.data()); });
}

stats::CurveModel growth_curve_model(GrowthModel model) {
  stats::CurveModel curve;
  const GrowthModelInfo& info = growth_model_info(model);
  curve.name = std::string(info.name);
  for (const auto& param : info.parameters)
    curve.parameter_names.emplace_back(param.name);
  curve.value = [model](std::span<const double> x, std::span<const double> theta,
                        std::span<double> out) {
    dispatch(model, [&](auto kernel) {
      for (std::size_t idx = 0; idx < x.size(); ++idx)
        out[idx] = kernel.value(x[idx], theta.data());
    });
  };
  curve.jacobian = [model](std::span<const double> x, std::span<const double> theta,
                           Eigen::Ref<Eigen::MatrixXd> jac) {
    dispatch(model, [&](auto kernel) {
      std::array<double, 8> g{};
      const auto p = static_cast<Eigen::Index>(theta.size());
      for (std::size_t idx = 0; idx < x.size(); ++idx) {
        kernel.gradient(x[idx], theta.data(), g.data());
        for (Eigen::Index col = 0; col < p; ++col) {
          jac(static_cast<Eigen::Index>(idx), col) = g[static_cast<std::size_t>(col)];
        }
      }
    });
  };
  curve.in_domain = [model](std::span<const double> theta) {
    return growth_in_domain(model, theta);
  };
  return curve;
}

std::vector<std::vector<double>> growth_self_start(GrowthModel model, std::span<const double> t,
                                                   std::span<const double> y) {
  if (t.size() != y.size()) {
    throw DataError("growth_self_start(" + std::string(to_string(model)) + "): " +
                    std::to_string(t.size()) + " ages but " + std::to_string(y.size()) + " values");
  }
  double y_max = -kInf;
  double t_min = kInf;
  double t_max = -kInf;
  for (std::size_t idx = 0; idx < t.size(); ++idx) {
    if (!std::isfinite(t[idx]) || !std::isfinite(y[idx])) continue;
    y_max = std::max(y_max, y[idx]);
    t_min = std::min(t_min, t[idx]);
    t_max = std::max(t_max, t[idx]);
  }
  const double t_span = t_max > t_min ? t_max - t_min : 0.0;

  struct Scored {
    std::vector<double> theta;
    double rss;
  };
  std::vector<Scored> scored;
  if (y_max > 0.0) {
    for (auto& theta : raw_candidates(model, t, y, y_max)) {
      if (!growth_in_domain(model, theta)) continue;
      const double rss = refine_and_score(model, t, y, theta);
      if (!growth_in_domain(model, theta)) continue;
      if (std::isfinite(rss)) scored.push_back({std::move(theta), rss});
    }
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const Scored& a, const Scored& b) { return a.rss < b.rss; });
  std::vector<std::vector<double>> starts;
  for (auto& item : scored)
    starts.push_back(std::move(item.theta));
  if (starts.empty()) starts.push_back(fallback_start(model, y_max, t_span));
  return starts;
}

// ---- fitting and ranking ----------------------------------------------------------------------

GrowthFit fit_growth(GrowthModel model, std::span<const double> t_yr, std::span<const double> y,
                     const GrowthFitOptions& options,
                     std::span<const std::vector<double>> extra_starts) {
  if (t_yr.size() != y.size()) {
    throw DataError("fit_growth(" + std::string(to_string(model)) +
                    "): " + std::to_string(t_yr.size()) + " ages but " + std::to_string(y.size()) +
                    " values; pass one age per value");
  }
  std::vector<std::vector<double>> starts = growth_self_start(model, t_yr, y);
  const auto keep = static_cast<std::size_t>(std::max(options.max_self_starts, 1));
  if (starts.size() > keep) starts.resize(keep);
  starts.insert(starts.end(), extra_starts.begin(), extra_starts.end());
  GrowthFit out;
  out.model = model;
  out.fit = stats::fit_curve(growth_curve_model(model), t_yr, y, starts, options.solver);
  return out;
}

std::vector<GrowthFit> fit_growth_models(std::span<const GrowthModel> models,
                                         std::span<const double> t_yr, std::span<const double> y,
                                         const GrowthFitOptions& options) {
  std::vector<GrowthFit> fits;
  fits.reserve(models.size());
  for (const GrowthModel model : models)
    fits.push_back(fit_growth(model, t_yr, y, options));
  return fits;
}

std::vector<RankedGrowthFit> rank_growth_fits(std::span<const GrowthFit> fits,
                                              SelectionCriterion criterion) {
  std::vector<RankedGrowthFit> ranked;
  std::vector<RankedGrowthFit> unranked;
  for (std::size_t idx = 0; idx < fits.size(); ++idx) {
    RankedGrowthFit row;
    row.fit_index = idx;
    row.model = fits[idx].model;
    const auto& fit = fits[idx].fit;
    row.value =
        fit.status == stats::FitStatus::failed ? kNaN : criterion_value(fit.criteria, criterion);
    if (fit.status != stats::FitStatus::converged) {
      row.note =
          "not ranked: fit " + std::string(stats::to_string(fit.status)) + " (" + fit.message + ")";
      row.delta = kNaN;
      unranked.push_back(std::move(row));
    } else if (!std::isfinite(row.value)) {
      row.note = "not ranked: " + std::string(to_string(criterion)) + " is not finite";
      row.delta = kNaN;
      unranked.push_back(std::move(row));
    } else {
      ranked.push_back(std::move(row));
    }
  }
  const bool higher = higher_is_better(criterion);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [higher](const RankedGrowthFit& a, const RankedGrowthFit& b) {
                     return higher ? a.value > b.value : a.value < b.value;
                   });
  for (std::size_t idx = 0; idx < ranked.size(); ++idx) {
    ranked[idx].rank = static_cast<int>(idx) + 1;
    ranked[idx].delta = std::abs(ranked[idx].value - ranked.front().value);
  }
  ranked.insert(ranked.end(), std::make_move_iterator(unranked.begin()),
                std::make_move_iterator(unranked.end()));
  return ranked;
}

}  // namespace minecarbon::carbon
