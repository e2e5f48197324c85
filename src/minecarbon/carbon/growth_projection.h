// Carbon-sink projection from a fitted growth curve C(t; θ̂) of carbon stock against stand age.
//
// Quantities (t = stand age, a; C in the unit the curve was fitted in, e.g. tC ha⁻¹):
//   stock             C(t)                       at each age of the table
//   sink_per_yr       dC/dt (t)                  instantaneous annual sink, unit of C per year
//   cumulative_sink   C(t) − C(t_start)          sequestered since the first age of the table
//   asymptote         A = lim C(t)               carrying capacity of the site
//   current_stock     C(t_start)
//   remaining_potential  A − C(t_start)          what the stand can still sequester
//   saturation_age_yr    t with C(t) = f·A       f = saturation_fraction (default 0.95)
//   increment_saturation_age_yr  first t after the peak of dC/dt with dC/dt ≤ threshold
// Ages are solved by bracketing on a 1-year grid then bisection to 1e-10·max(1, t) a; NaN (with
// a warning) when not reached by search_max_age_yr.
//
// Uncertainty, two ways, both at `band_level` (two-sided):
//   delta method  Var g(θ̂) ≈ ∇gᵀ Σ ∇g with Σ = Cov(θ̂) of the fit; band g ± z·√Var, z the normal
//                 quantile. ∇g is analytic for the stock (the model's gradient) and by central
//                 differences (step 1e-3·SE_j) for the other quantities.
//   Monte Carlo   θ⁽ˢ⁾ = θ̂ + L z⁽ˢ⁾, Σ = L Lᵀ (Cholesky; eigen-decomposition with negative
//                 eigenvalues set to 0 if Σ is not positive definite), z⁽ˢ⁾ standard normal from
//                 the core/random.h stream (seed, growth_projection, 0) (portable: not the
//                 library's distributions, whose output varies between implementations); draws
//                 outside the model's parameter domain are redrawn (counted). Band = empirical
//                 quantiles (R type 7) of g(θ⁽ˢ⁾); mean and SD are reported too.
// References: delta method and parametric bootstrap for nonlinear regression, Bates & Watts (1988)
// Nonlinear Regression Analysis and Its Applications, Wiley, doi:10.1002/9780470316757, ch. 2.
// The 95 % saturation fraction is a convention (issue 4), not a standard: state it with results.
// Both bands assume the asymptotic normality of θ̂; with few points or strongly curved models they
// are approximate, and Monte Carlo bands can be asymmetric where the delta bands are not.
//
// Contract: the fit must have converged and carry a covariance (DataError otherwise: a failed fit
// is never used silently). Invalid options throw ConfigError with the option name.
#pragma once

#include "minecarbon/carbon/growth_models.h"

#include <Eigen/Core>

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace minecarbon::carbon {

struct ProjectionOptions {
  double age_start_yr = 0.0;  // first age of the table = "now" for current stock and potential
  double age_end_yr = 100.0;  // last age of the table (inclusive if on the step grid)
  double age_step_yr = 1.0;   // table spacing; small steps give smooth curves, longer tables
  // Fraction f of the asymptote defining saturation (0 < f < 1).
  double saturation_fraction = 0.95;
  // Annual increment (unit of C per year) below which the stand counts as saturated; NaN disables
  // that criterion.
  double increment_threshold_per_yr = std::numeric_limits<double>::quiet_NaN();
  // Upper limit of the saturation-age search; ages beyond are reported as NaN with a warning.
  double search_max_age_yr = 1000.0;
  double band_level = 0.95;       // two-sided level of both bands, 0 < level < 1
  int monte_carlo_draws = 1000;   // 0 disables Monte Carlo; more draws give stabler quantiles
  std::uint64_t seed = 20240601;  // Monte Carlo seed; the same seed gives the same bands
};

// One fitted curve: model, estimates and their covariance.
struct FittedGrowthCurve {
  GrowthModel model = GrowthModel::chapman_richards3;
  std::vector<double> theta;
  Eigen::MatrixXd covariance;  // p × p
};

// From a fit; DataError unless the fit converged with a covariance.
FittedGrowthCurve fitted_curve(const GrowthFit& fit);

struct Interval {
  double lower = std::numeric_limits<double>::quiet_NaN();
  double upper = std::numeric_limits<double>::quiet_NaN();
};

// A projected quantity with its uncertainty.
struct UncertainValue {
  double value = std::numeric_limits<double>::quiet_NaN();  // at θ̂
  double se_delta = std::numeric_limits<double>::quiet_NaN();
  Interval delta;  // value ± z·se_delta
  double mc_mean = std::numeric_limits<double>::quiet_NaN();
  double mc_sd = std::numeric_limits<double>::quiet_NaN();
  Interval monte_carlo;  // empirical quantiles of the draws (finite draws only)
};

struct GrowthProjection {
  std::vector<double> age_yr;
  std::vector<UncertainValue> stock;            // C(t)
  std::vector<UncertainValue> sink_per_yr;      // dC/dt
  std::vector<UncertainValue> cumulative_sink;  // C(t) − C(age_start_yr)
  UncertainValue asymptote;
  UncertainValue current_stock;
  UncertainValue remaining_potential;
  UncertainValue saturation_age_yr;            // C(t) = saturation_fraction · A
  UncertainValue increment_saturation_age_yr;  // dC/dt ≤ threshold after the peak; NaN if disabled
  int mc_draws_used = 0;
  int mc_draws_rejected = 0;  // outside the parameter domain, redrawn
  std::vector<std::string> warnings;
};

// Age t ≥ t_min where C(t) = fraction·A (C increasing); NaN if not reached by t_max.
double saturation_age(GrowthModel model, std::span<const double> theta, double fraction,
                      double t_min, double t_max);
// First age after the peak of dC/dt (searched from t_min) where dC/dt ≤ threshold; NaN if not
// reached by t_max.
double increment_saturation_age(GrowthModel model, std::span<const double> theta,
                                double threshold_per_yr, double t_min, double t_max);

GrowthProjection project_growth(const FittedGrowthCurve& curve, const ProjectionOptions& options);

}  // namespace minecarbon::carbon
