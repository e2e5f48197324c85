// Tests of carbon::growth_projection: stock, sink, saturation ages and uncertainty bands of known
// curves, checked against closed-form expressions worked out here (not against the code's output).
#include "minecarbon/carbon/growth_projection.h"
#include "minecarbon/core/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

using minecarbon::carbon::FittedGrowthCurve;
using minecarbon::carbon::GrowthModel;
using minecarbon::carbon::project_growth;
using minecarbon::carbon::ProjectionOptions;
using ::testing::HasSubstr;

// Logistic C(t) = A / (1 + B e^(−kt)) in tC ha⁻¹, with a plausible covariance.
constexpr double kA = 120.0;
constexpr double kB = 15.0;
constexpr double kK = 0.12;

FittedGrowthCurve logistic_curve() {
  FittedGrowthCurve curve;
  curve.model = GrowthModel::logistic;
  curve.theta = {kA, kB, kK};
  curve.covariance.resize(3, 3);
  curve.covariance << 16.0, 1.2, -0.012,  //
      1.2, 2.25, 0.006,                   //
      -0.012, 0.006, 0.0001;
  return curve;
}

double logistic(double t) {
  return kA / (1.0 + kB * std::exp(-kK * t));
}
double logistic_rate(double t) {
  const double e = std::exp(-kK * t);
  return kA * kB * kK * e / ((1.0 + kB * e) * (1.0 + kB * e));
}
Eigen::Vector3d logistic_gradient(double t) {
  const double e = std::exp(-kK * t);
  const double d = 1.0 + kB * e;
  return {1.0 / d, -kA * e / (d * d), kA * kB * t * e / (d * d)};
}

ProjectionOptions small_options() {
  ProjectionOptions options;
  options.age_start_yr = 10.0;
  options.age_end_yr = 60.0;
  options.age_step_yr = 5.0;
  options.monte_carlo_draws = 0;
  return options;
}

// ---- degenerate inputs
// ------------------------------------------------------------------------------

TEST(GrowthProjection, UnconvergedFitIsRefused) {
  minecarbon::carbon::GrowthFit fit;
  fit.model = GrowthModel::logistic;
  fit.fit.status = minecarbon::stats::FitStatus::max_iterations;
  fit.fit.message = "stopped after 2 model evaluations";
  try {
    minecarbon::carbon::fitted_curve(fit);
    FAIL() << "expected DataError";
  } catch (const minecarbon::DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("status max_iterations"));
    EXPECT_THAT(e.what(), HasSubstr("only a converged fit can be projected"));
  }
}

TEST(GrowthProjection, InvalidOptionsNameTheOption) {
  ProjectionOptions options = small_options();
  options.saturation_fraction = 1.2;
  try {
    project_growth(logistic_curve(), options);
    FAIL() << "expected ConfigError";
  } catch (const minecarbon::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("saturation_fraction = 1.2: must be in (0, 1)"));
  }
  options = small_options();
  options.age_end_yr = 5.0;
  EXPECT_THROW(project_growth(logistic_curve(), options), minecarbon::ConfigError);
  options = small_options();
  options.age_step_yr = 0.0;
  EXPECT_THROW(project_growth(logistic_curve(), options), minecarbon::ConfigError);
}

TEST(GrowthProjection, WrongCovarianceShapeThrowsDataError) {
  FittedGrowthCurve curve = logistic_curve();
  curve.covariance.resize(2, 2);
  curve.covariance.setIdentity();
  EXPECT_THROW(project_growth(curve, small_options()), minecarbon::DataError);
}

TEST(GrowthProjection, SaturationBeyondSearchLimitIsNaNWithWarning) {
  // Korf C = A exp(−B t^(−c)) reaches 95 % of A at t = (B / −ln 0.95)^(1/c) ≈ 3 650 a > 1 000 a.
  FittedGrowthCurve curve;
  curve.model = GrowthModel::korf;
  curve.theta = {190.0, 7.0, 0.6};
  curve.covariance = Eigen::Matrix3d::Identity() * 1e-4;
  const auto projection = project_growth(curve, small_options());
  EXPECT_TRUE(std::isnan(projection.saturation_age_yr.value));
  ASSERT_FALSE(projection.warnings.empty());
  EXPECT_THAT(projection.warnings.front(), HasSubstr("does not reach 95 % of its asymptote"));
  EXPECT_NEAR(minecarbon::carbon::saturation_age(GrowthModel::korf, curve.theta, 0.95, 0.0, 1e5),
              std::pow(7.0 / -std::log(0.95), 1.0 / 0.6), 1e-6);
}

// ---- known curves, worked analytically
// -----------------------------------------------------------------

TEST(GrowthProjection, StockSinkAndCumulativeSinkOfALogisticCurve) {
  const auto projection = project_growth(logistic_curve(), small_options());
  ASSERT_EQ(projection.age_yr.size(), 11u);  // 10, 15, …, 60
  for (std::size_t idx = 0; idx < projection.age_yr.size(); ++idx) {
    const double t = 10.0 + 5.0 * static_cast<double>(idx);
    EXPECT_DOUBLE_EQ(projection.age_yr[idx], t);
    EXPECT_NEAR(projection.stock[idx].value, logistic(t), 1e-12);
    EXPECT_NEAR(projection.sink_per_yr[idx].value, logistic_rate(t), 1e-12);
    EXPECT_NEAR(projection.cumulative_sink[idx].value, logistic(t) - logistic(10.0), 1e-12);
  }
  EXPECT_DOUBLE_EQ(projection.asymptote.value, kA);
  EXPECT_NEAR(projection.current_stock.value, logistic(10.0), 1e-12);
  EXPECT_NEAR(projection.remaining_potential.value, kA - logistic(10.0), 1e-12);
}

// Cumulative sink equals the integral of the annual sink (trapezoid on a fine grid).
TEST(GrowthProjection, CumulativeSinkIsTheIntegralOfTheAnnualSink) {
  ProjectionOptions options = small_options();
  options.age_step_yr = 0.01;
  const auto projection = project_growth(logistic_curve(), options);
  double integral = 0.0;
  for (std::size_t idx = 1; idx < projection.age_yr.size(); ++idx) {
    integral += 0.5 * options.age_step_yr *
                (projection.sink_per_yr[idx].value + projection.sink_per_yr[idx - 1].value);
  }
  EXPECT_NEAR(integral, projection.cumulative_sink.back().value, 1e-4);
}

// Logistic: C(t) = f·A at t = ln(B f / (1 − f)) / k.
TEST(GrowthProjection, SaturationAgeOfALogisticCurve) {
  for (const double f : {0.9, 0.95, 0.99}) {
    ProjectionOptions options = small_options();
    options.saturation_fraction = f;
    const auto projection = project_growth(logistic_curve(), options);
    EXPECT_NEAR(projection.saturation_age_yr.value, std::log(kB * f / (1.0 - f)) / kK, 1e-8) << f;
  }
}

// Chapman–Richards: (1 − e^(−kt))^c = f at t = −ln(1 − f^(1/c)) / k.
TEST(GrowthProjection, SaturationAgeOfAChapmanRichardsCurve) {
  FittedGrowthCurve curve;
  curve.model = GrowthModel::chapman_richards3;
  curve.theta = {150.0, 0.06, 2.3};
  curve.covariance = Eigen::Matrix3d::Identity() * 1e-6;
  const auto projection = project_growth(curve, small_options());
  EXPECT_NEAR(projection.saturation_age_yr.value, -std::log(1.0 - std::pow(0.95, 1.0 / 2.3)) / 0.06,
              1e-8);
}

// Mitscherlich: dC/dt = A B k e^(−kt) = τ at t = ln(A B k / τ) / k (decreasing from t = 0).
TEST(GrowthProjection, IncrementSaturationAgeOfAMitscherlichCurve) {
  FittedGrowthCurve curve;
  curve.model = GrowthModel::mitscherlich;
  curve.theta = {200.0, 1.0, 0.03};
  curve.covariance = Eigen::Matrix3d::Identity() * 1e-6;
  ProjectionOptions options = small_options();
  options.increment_threshold_per_yr = 0.5;
  const auto projection = project_growth(curve, options);
  EXPECT_NEAR(projection.increment_saturation_age_yr.value, std::log(200.0 * 0.03 / 0.5) / 0.03,
              1e-8);
}

// Logistic: dC/dt = A k u / (1 + u)², u = B e^(−kt); past the peak (u < 1) dC/dt = τ where
// τ u² + (2τ − A k) u + τ = 0, smaller root.
TEST(GrowthProjection, IncrementSaturationAgeIsAfterThePeakOfALogisticCurve) {
  const double tau = 1.0;
  ASSERT_LT(logistic_rate(0.0), tau);  // young ages below τ must not count: the peak comes first
  ProjectionOptions options = small_options();
  options.increment_threshold_per_yr = tau;
  const auto projection = project_growth(logistic_curve(), options);
  const double b = 2.0 * tau - kA * kK;
  const double u = (-b - std::sqrt(b * b - 4.0 * tau * tau)) / (2.0 * tau);
  const double expected = std::log(kB / u) / kK;
  EXPECT_GT(expected, std::log(kB) / kK);  // after the inflection
  EXPECT_NEAR(projection.increment_saturation_age_yr.value, expected, 1e-8);
}

// ---- uncertainty
// --------------------------------------------------------------------------------------

TEST(GrowthProjection, DeltaMethodMatchesTheClosedFormGradient) {
  const FittedGrowthCurve curve = logistic_curve();
  const auto projection = project_growth(curve, small_options());
  const double z = 1.959963984540054;  // standard normal 0.975 quantile
  for (std::size_t idx = 0; idx < projection.age_yr.size(); ++idx) {
    const double t = projection.age_yr[idx];
    const Eigen::Vector3d g = logistic_gradient(t);
    const double se = std::sqrt(g.dot(curve.covariance * g));
    EXPECT_NEAR(projection.stock[idx].se_delta, se, 1e-12 * std::max(1.0, se));
    EXPECT_NEAR(projection.stock[idx].delta.lower, logistic(t) - z * se, 1e-9);
    const Eigen::Vector3d gc = g - logistic_gradient(10.0);
    EXPECT_NEAR(projection.cumulative_sink[idx].se_delta, std::sqrt(gc.dot(curve.covariance * gc)),
                1e-10);
  }
  // Saturation age t* = ln(B f/(1−f))/k: ∂t*/∂A = 0, ∂t*/∂B = 1/(B k), ∂t*/∂k = −t*/k.
  const double t_star = std::log(kB * 0.95 / 0.05) / kK;
  const Eigen::Vector3d gs(0.0, 1.0 / (kB * kK), -t_star / kK);
  const double se_sat = std::sqrt(gs.dot(curve.covariance * gs));
  EXPECT_NEAR(projection.saturation_age_yr.se_delta, se_sat, 1e-5 * se_sat);
  // Remaining potential A − C(t0): gradient e_A − ∇C(t0).
  const Eigen::Vector3d gr = Eigen::Vector3d(1.0, 0.0, 0.0) - logistic_gradient(10.0);
  EXPECT_NEAR(projection.remaining_potential.se_delta, std::sqrt(gr.dot(curve.covariance * gr)),
              1e-10);
}

TEST(GrowthProjection, MonteCarloIsDeterministicForASeed) {
  ProjectionOptions options = small_options();
  options.monte_carlo_draws = 300;
  options.seed = 7;
  const auto first = project_growth(logistic_curve(), options);
  const auto again = project_growth(logistic_curve(), options);
  options.seed = 8;
  const auto other = project_growth(logistic_curve(), options);
  EXPECT_EQ(first.mc_draws_used, 300);
  for (std::size_t idx = 0; idx < first.stock.size(); ++idx) {
    EXPECT_EQ(first.stock[idx].monte_carlo.lower, again.stock[idx].monte_carlo.lower);
    EXPECT_EQ(first.stock[idx].mc_sd, again.stock[idx].mc_sd);
  }
  EXPECT_NE(first.stock[3].monte_carlo.lower, other.stock[3].monte_carlo.lower);
}

// With a small covariance the model is nearly linear over the spread of θ, so Monte Carlo and the
// delta method must agree: SD to 3 %, band limits to 0.5 % of the value (2 % for the annual sink,
// whose late, small values are the most curved in θ).
TEST(GrowthProjection, MonteCarloAgreesWithDeltaMethodForSmallUncertainty) {
  FittedGrowthCurve curve = logistic_curve();
  curve.covariance *= 0.01;
  ProjectionOptions options = small_options();
  options.monte_carlo_draws = 20000;
  options.seed = 2024;
  const auto projection = project_growth(curve, options);
  EXPECT_EQ(projection.mc_draws_rejected, 0);
  for (const auto* series :
       {&projection.stock, &projection.cumulative_sink, &projection.sink_per_yr}) {
    const double band_tol = series == &projection.sink_per_yr ? 0.02 : 0.005;
    for (std::size_t idx = 1; idx < series->size(); ++idx) {
      const auto& u = (*series)[idx];
      EXPECT_NEAR(u.mc_sd, u.se_delta, 0.03 * u.se_delta) << idx;
      EXPECT_NEAR(u.monte_carlo.lower, u.delta.lower, band_tol * std::abs(u.value)) << idx;
      EXPECT_NEAR(u.monte_carlo.upper, u.delta.upper, band_tol * std::abs(u.value)) << idx;
    }
  }
  EXPECT_NEAR(projection.saturation_age_yr.mc_sd, projection.saturation_age_yr.se_delta,
              0.03 * projection.saturation_age_yr.se_delta);
}

TEST(GrowthProjection, DrawsOutsideTheDomainAreRedrawnAndCounted) {
  // k = 0.12 with SD 0.1: about 12 % of draws have k ≤ 0 and must be redrawn.
  FittedGrowthCurve curve = logistic_curve();
  curve.covariance(2, 2) = 0.01;
  curve.covariance(0, 2) = curve.covariance(2, 0) = 0.0;
  curve.covariance(1, 2) = curve.covariance(2, 1) = 0.0;
  ProjectionOptions options = small_options();
  options.monte_carlo_draws = 1000;
  const auto projection = project_growth(curve, options);
  EXPECT_EQ(projection.mc_draws_used, 1000);
  EXPECT_GT(projection.mc_draws_rejected, 50);
  EXPECT_LT(projection.mc_draws_rejected, 250);
  EXPECT_THAT(::testing::PrintToString(projection.warnings), HasSubstr("were redrawn"));
}

}  // namespace
