// Tests of stats::fit_curve (Levenberg–Marquardt least squares) and stats::fit_criteria.
//
// Oracles: hand-worked formulas; R 4.2.2 nls / minpack.lm::nlsLM fits stored in
// tests/data/growth_curves (see its README); NIST StRD certified values for Misra1a, BoxBOD, Rat42
// and Rat43 (public domain, https://www.itl.nist.gov/div898/strd/nls/nls_main.shtml).
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/stats/curve_fit.h"

#include "../carbon/test_growth_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

using minecarbon::kNaN;

namespace {

using minecarbon::DataError;
using minecarbon::stats::CurveFitOptions;
using minecarbon::stats::CurveFitResult;
using minecarbon::stats::CurveModel;
using minecarbon::stats::fit_criteria;
using minecarbon::stats::fit_curve;
using minecarbon::stats::FitStatus;
using ::testing::HasSubstr;

using growth_test::Csv;
using growth_test::read_csv;
using growth_test::rel_diff;

// ---- models in R's self-start parameterisations ------------------------------------------------

// SSlogis: y = Asym / (1 + exp((xmid − x)/scal)).
CurveModel sslogis_model() {
  CurveModel m;
  m.name = "SSlogis";
  m.parameter_names = {"Asym", "xmid", "scal"};
  m.value = [](std::span<const double> x, std::span<const double> th, std::span<double> out) {
    for (std::size_t i = 0; i < x.size(); ++i)
      out[i] = th[0] / (1.0 + std::exp((th[1] - x[i]) / th[2]));
  };
  m.jacobian = [](std::span<const double> x, std::span<const double> th,
                  Eigen::Ref<Eigen::MatrixXd> jac) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double e = std::exp((th[1] - x[i]) / th[2]);
      const double d = 1.0 + e;
      const auto row = static_cast<Eigen::Index>(i);
      jac(row, 0) = 1.0 / d;
      jac(row, 1) = -th[0] * e / (th[2] * d * d);
      jac(row, 2) = th[0] * e * (th[1] - x[i]) / (th[2] * th[2] * d * d);
    }
  };
  return m;
}

// SSgompertz: y = Asym exp(−b2 b3^x).
CurveModel ssgompertz_model() {
  CurveModel m;
  m.name = "SSgompertz";
  m.parameter_names = {"Asym", "b2", "b3"};
  m.value = [](std::span<const double> x, std::span<const double> th, std::span<double> out) {
    for (std::size_t i = 0; i < x.size(); ++i)
      out[i] = th[0] * std::exp(-th[1] * std::pow(th[2], x[i]));
  };
  m.jacobian = [](std::span<const double> x, std::span<const double> th,
                  Eigen::Ref<Eigen::MatrixXd> jac) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double b3x = std::pow(th[2], x[i]);
      const double w = std::exp(-th[1] * b3x);
      const auto row = static_cast<Eigen::Index>(i);
      jac(row, 0) = w;
      jac(row, 1) = -th[0] * b3x * w;
      jac(row, 2) = -th[0] * th[1] * x[i] * std::pow(th[2], x[i] - 1.0) * w;
    }
  };
  m.in_domain = [](std::span<const double> th) { return th[2] > 0.0; };
  return m;
}

// y = b1 (1 − exp(−b2 x)) (NIST Misra1a, BoxBOD).
CurveModel exponential_rise_model() {
  CurveModel m;
  m.name = "b1*(1-exp(-b2*x))";
  m.parameter_names = {"b1", "b2"};
  m.value = [](std::span<const double> x, std::span<const double> th, std::span<double> out) {
    for (std::size_t i = 0; i < x.size(); ++i)
      out[i] = th[0] * (1.0 - std::exp(-th[1] * x[i]));
  };
  m.jacobian = [](std::span<const double> x, std::span<const double> th,
                  Eigen::Ref<Eigen::MatrixXd> jac) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double e = std::exp(-th[1] * x[i]);
      jac(static_cast<Eigen::Index>(i), 0) = 1.0 - e;
      jac(static_cast<Eigen::Index>(i), 1) = th[0] * x[i] * e;
    }
  };
  return m;
}

// y = a + b x.
CurveModel line_model() {
  CurveModel m;
  m.name = "line";
  m.parameter_names = {"a", "b"};
  m.value = [](std::span<const double> x, std::span<const double> th, std::span<double> out) {
    for (std::size_t i = 0; i < x.size(); ++i)
      out[i] = th[0] + th[1] * x[i];
  };
  m.jacobian = [](std::span<const double> x, std::span<const double>,
                  Eigen::Ref<Eigen::MatrixXd> jac) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      jac(static_cast<Eigen::Index>(i), 0) = 1.0;
      jac(static_cast<Eigen::Index>(i), 1) = x[i];
    }
  };
  return m;
}

// Rough starts for R's self-start models from the data ranges (not R's own algorithm).
std::vector<std::vector<double>> rough_starts(const std::string& model,
                                              const std::vector<double>& x,
                                              const std::vector<double>& y) {
  const auto [x_min, x_max] = std::minmax_element(x.begin(), x.end());
  const double y_max = *std::max_element(y.begin(), y.end());
  const double span = *x_max - *x_min;
  const double mid = 0.5 * (*x_max + *x_min);
  if (model == "SSlogis")
    return {{1.2 * y_max, mid, span / 4.0}, {2.0 * y_max, *x_max, span / 2.0}};
  return {{1.2 * y_max, 2.0, std::exp(-4.0 / span)}, {2.0 * y_max, 1.0, std::exp(-2.0 / span)}};
}

struct ReferenceFit {
  std::string id;
  std::string model;  // SSlogis or SSgompertz
  std::string dataset;
  std::string subset;
  std::vector<std::string> parameters;
  std::vector<double> estimates;
  std::vector<double> std_errors;
  double rss = 0.0;
  double rse = 0.0;
  double aic = 0.0;
  double bic = 0.0;
  std::size_t df = 0;
};

// Rows of a reference CSV grouped by id, in file order; only SSlogis / SSgompertz fits.
std::vector<ReferenceFit> load_reference(const std::string& file) {
  const Csv csv = read_csv(file);
  const bool extra = file.find("extra") != std::string::npos;
  std::vector<ReferenceFit> fits;
  for (const auto& row : csv.rows) {
    const std::string formula = row[csv.col("formula")];
    std::string model;
    if (formula.find("SSlogis") != std::string::npos) model = "SSlogis";
    if (formula.find("SSgompertz") != std::string::npos) model = "SSgompertz";
    if (model.empty()) continue;
    const std::string id = row[csv.col("id")];
    if (fits.empty() || fits.back().id != id) {
      ReferenceFit fit;
      fit.id = id;
      fit.model = model;
      fit.dataset = row[csv.col("dataset")];
      fit.subset = extra ? id : row[csv.col("subset")];
      fit.rss = std::stod(row[csv.col("rss")]);
      fit.rse = std::stod(row[csv.col(extra ? "rse" : "residual_standard_error")]);
      fit.aic = std::stod(row[csv.col("AIC")]);
      fit.bic = std::stod(row[csv.col("BIC")]);
      fit.df = std::stoul(row[csv.col("df_residual")]);
      fits.push_back(fit);
    }
    fits.back().parameters.push_back(row[csv.col("parameter")]);
    fits.back().estimates.push_back(std::stod(row[csv.col("estimate")]));
    fits.back().std_errors.push_back(std::stod(row[csv.col("std_error")]));
  }
  return fits;
}

// (x, y) of a reference fit: Orange (all or one tree; x = age) or DNase run 1 (x = log conc).
void reference_data(const ReferenceFit& fit, std::vector<double>& x, std::vector<double>& y) {
  x.clear();
  y.clear();
  if (fit.dataset == "Orange") {
    const Csv csv = read_csv("growth_curves/Orange.csv");
    std::string tree;
    const auto pos = fit.id.find("tree");
    if (pos != std::string::npos) tree = fit.id.substr(pos + 4, 1);
    for (const auto& row : csv.rows) {
      if (!tree.empty() && row[csv.col("Tree")] != tree) continue;
      x.push_back(std::stod(row[csv.col("age")]));
      y.push_back(std::stod(row[csv.col("circumference")]));
    }
  } else {
    const Csv csv = read_csv("growth_curves/DNase_run1.csv");
    for (const auto& row : csv.rows) {
      x.push_back(std::log(std::stod(row[csv.col("conc")])));
      y.push_back(std::stod(row[csv.col("density")]));
    }
  }
}

struct Deviation {
  double estimate = 0.0;
  double std_error = 0.0;
};

// Fits every SSlogis/SSgompertz reference of `file` and checks it; returns the largest relative
// deviations of estimates and standard errors in `worst`.
void check_against_r(const std::string& file, double est_tol, double se_tol, Deviation& worst) {
  const auto fits = load_reference(file);
  EXPECT_EQ(fits.size(), 9u) << file;
  for (const auto& ref : fits) {
    SCOPED_TRACE(file + " " + ref.id);
    std::vector<double> x;
    std::vector<double> y;
    reference_data(ref, x, y);
    const CurveModel model = ref.model == "SSlogis" ? sslogis_model() : ssgompertz_model();
    const CurveFitResult fit = fit_curve(model, x, y, rough_starts(ref.model, x, y));
    ASSERT_EQ(fit.status, FitStatus::converged) << fit.message;
    ASSERT_EQ(fit.df_residual, ref.df);
    EXPECT_LE(fit.criteria.rss, ref.rss * (1.0 + 1e-9));
    EXPECT_LT(rel_diff(fit.criteria.rss, ref.rss), 1e-9);
    for (std::size_t j = 0; j < ref.estimates.size(); ++j) {
      SCOPED_TRACE(ref.parameters[j]);
      EXPECT_EQ(fit.parameter_names[j], ref.parameters[j]);
      const double d_est = rel_diff(fit.estimates[j], ref.estimates[j]);
      const double d_se = rel_diff(fit.std_errors[j], ref.std_errors[j]);
      EXPECT_LT(d_est, est_tol);
      EXPECT_LT(d_se, se_tol);
      worst.estimate = std::max(worst.estimate, d_est);
      worst.std_error = std::max(worst.std_error, d_se);
    }
    EXPECT_LT(rel_diff(fit.criteria.rse, ref.rse), 1e-9);
    EXPECT_LT(rel_diff(fit.criteria.aic_loglik, ref.aic), 1e-9);
    EXPECT_LT(rel_diff(fit.criteria.bic_loglik, ref.bic), 1e-9);
  }
}

// ---- degenerate inputs
// ----------------------------------------------------------------------------

TEST(CurveFit, TooFewPointsReportsFailedWithMessage) {
  const std::vector<double> x = {1.0, 2.0};
  const std::vector<double> y = {1.0, 2.0};
  const std::vector<double> start = {100.0, 1.0, 50.0};
  const CurveFitResult fit = fit_curve(sslogis_model(), x, y, start);
  EXPECT_EQ(fit.status, FitStatus::failed);
  EXPECT_THAT(fit.message, HasSubstr("too few points: 2 points for 3 parameters"));
  EXPECT_EQ(fit.starts_tried, 0);
}

TEST(CurveFit, NonFiniteDataReportsFailedWithThePoint) {
  const std::vector<double> x = {1.0, 2.0, 3.0, 4.0};
  const std::vector<double> y = {1.0, 2.0, kNaN, 4.0};
  const std::vector<double> start = {0.0, 1.0};
  const CurveFitResult fit = fit_curve(line_model(), x, y, start);
  EXPECT_EQ(fit.status, FitStatus::failed);
  EXPECT_THAT(fit.message, HasSubstr("point 2 is not finite"));
}

TEST(CurveFit, MismatchedLengthsThrowDataError) {
  const std::vector<double> x = {1.0, 2.0, 3.0};
  const std::vector<double> y = {1.0, 2.0};
  const std::vector<double> start = {0.0, 1.0};
  try {
    fit_curve(line_model(), x, y, start);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("3 x values but 2 y values"));
  }
}

TEST(CurveFit, StartOfWrongLengthThrowsDataError) {
  const std::vector<double> x = {1.0, 2.0, 3.0};
  const std::vector<double> start = {0.0, 1.0, 2.0};
  try {
    fit_curve(line_model(), x, x, start);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("start 0 has 3 values but the model has 2 parameters"));
  }
}

TEST(CurveFit, NoStartsThrowsDataError) {
  const std::vector<double> x = {1.0, 2.0, 3.0};
  const std::vector<std::vector<double>> starts;
  EXPECT_THROW(fit_curve(line_model(), x, x, starts), DataError);
}

TEST(CurveFit, StartOutsideDomainReportsFailed) {
  const std::vector<double> x = {1.0, 2.0, 3.0, 4.0};
  const std::vector<double> y = {0.5, 0.3, 0.2, 0.1};
  const std::vector<double> start = {1.0, 1.0, -0.5};  // b3 < 0: outside the domain
  const CurveFitResult fit = fit_curve(ssgompertz_model(), x, y, start);
  EXPECT_EQ(fit.status, FitStatus::failed);
  EXPECT_THAT(fit.message, HasSubstr("outside the model's domain"));
}

TEST(CurveFit, ExhaustedBudgetReportsMaxIterationsAndKeepsBestAttempt) {
  std::vector<double> x;
  std::vector<double> y;
  const ReferenceFit ref = load_reference("growth_curves/reference_fits.csv").front();
  reference_data(ref, x, y);
  CurveFitOptions options;
  options.max_function_evaluations = 3;
  const std::vector<double> start = {300.0, 500.0, 200.0};
  const CurveFitResult fit = fit_curve(sslogis_model(), x, y, start, options);
  EXPECT_EQ(fit.status, FitStatus::max_iterations);
  EXPECT_THAT(fit.message, HasSubstr("max_function_evaluations = 3"));
  ASSERT_EQ(fit.estimates.size(), 3u);
  EXPECT_TRUE(std::isfinite(fit.criteria.rss));
}

TEST(CurveFit, NonIdentifiableParametersReportSingularGradient) {
  // y = a·b·x: only the product a·b is determined.
  CurveModel m;
  m.name = "product";
  m.parameter_names = {"a", "b"};
  m.value = [](std::span<const double> x, std::span<const double> th, std::span<double> out) {
    for (std::size_t i = 0; i < x.size(); ++i)
      out[i] = th[0] * th[1] * x[i];
  };
  const std::vector<double> x = {1.0, 2.0, 3.0, 4.0};
  const std::vector<double> y = {2.1, 3.9, 6.2, 7.8};
  const std::vector<double> start = {1.0, 1.0};
  const CurveFitResult fit = fit_curve(m, x, y, start);
  EXPECT_EQ(fit.status, FitStatus::failed);
  EXPECT_THAT(fit.message, HasSubstr("singular gradient"));
  EXPECT_FALSE(fit.covariance_available);
  EXPECT_TRUE(std::isnan(fit.std_errors[0]));
}

TEST(CurveFit, DegenerateLimitIsReportedAsFailed) {
  // From b2 = 200, b1 (1 − e^(−b2 x)) is flat in b2 on the BoxBOD ages: the gradient in b2 vanishes
  // and MINPACK stops; that is a degenerate limit (b2 → ∞), not an optimum.
  const std::vector<double> x = {1, 2, 3, 5, 7, 10};
  const std::vector<double> y = {109, 149, 149, 191, 213, 224};
  const std::vector<double> start = {200.0, 200.0};
  const CurveFitResult fit = fit_curve(exponential_rise_model(), x, y, start);
  EXPECT_EQ(fit.status, FitStatus::failed);
  EXPECT_THAT(fit.message, HasSubstr("parameter b2 = 200 has no influence on the fitted values"));
}

TEST(CurveFit, StopsTryingStartsOnceTwoAgree) {
  const std::vector<double> x = {1, 2, 3, 5, 7, 10};
  const std::vector<double> y = {109, 149, 149, 191, 213, 224};
  const std::vector<std::vector<double>> starts = {{100.0, 0.75}, {150.0, 0.5}, {250.0, 0.4}};
  const CurveFitResult fit = fit_curve(exponential_rise_model(), x, y, starts);
  EXPECT_EQ(fit.status, FitStatus::converged);
  EXPECT_EQ(fit.starts_tried, 2);
  CurveFitOptions every;
  every.stop_after_agreeing_starts = 0;
  EXPECT_EQ(fit_curve(exponential_rise_model(), x, y, starts, every).starts_tried, 3);
}

TEST(CurveFit, ExactlyDeterminedFitHasNoStandardErrors) {
  const std::vector<double> x = {1.0, 3.0};
  const std::vector<double> y = {2.0, 8.0};
  const std::vector<double> start = {0.0, 0.0};
  const CurveFitResult fit = fit_curve(line_model(), x, y, start);
  EXPECT_EQ(fit.status, FitStatus::converged);
  EXPECT_NEAR(fit.estimates[0], -1.0, 1e-9);
  EXPECT_NEAR(fit.estimates[1], 3.0, 1e-9);
  EXPECT_EQ(fit.df_residual, 0u);
  EXPECT_TRUE(std::isnan(fit.std_errors[1]));
  EXPECT_TRUE(std::isnan(fit.criteria.rse));
  EXPECT_THAT(fit.message, HasSubstr("no residual degrees of freedom"));
}

TEST(CurveFit, FitStatusNameTableRoundTrips) {
  for (const auto name : minecarbon::stats::fit_status_names()) {
    EXPECT_EQ(minecarbon::stats::to_string(minecarbon::stats::parse_fit_status(name)), name);
  }
  try {
    minecarbon::stats::parse_fit_status("done");
    FAIL() << "expected ConfigError";
  } catch (const minecarbon::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("converged, max_iterations, failed"));
  }
}

// ---- worked by hand ---------------------------------------------------------------------------

TEST(CurveFit, StraightLineMatchesClosedFormOls) {
  const std::vector<double> x = {1.0, 2.0, 4.0, 5.0, 7.0, 8.0};
  const std::vector<double> y = {2.9, 5.2, 8.8, 11.1, 15.3, 16.8};
  const std::vector<double> start = {0.0, 0.0};
  const CurveFitResult fit = fit_curve(line_model(), x, y, start);
  ASSERT_EQ(fit.status, FitStatus::converged) << fit.message;
  const double n = 6.0;
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const double b = sxy / sxx;
  const double a = my - b * mx;
  double rss = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    rss += std::pow(y[i] - a - b * x[i], 2);
  const double sigma = std::sqrt(rss / (n - 2.0));
  EXPECT_NEAR(fit.estimates[0], a, 1e-10);
  EXPECT_NEAR(fit.estimates[1], b, 1e-10);
  EXPECT_NEAR(fit.std_errors[1], sigma / std::sqrt(sxx), 1e-10);
  EXPECT_NEAR(fit.std_errors[0], sigma * std::sqrt(1.0 / n + mx * mx / sxx), 1e-10);
  EXPECT_NEAR(fit.covariance(0, 1), -mx * sigma * sigma / sxx, 1e-10);
  EXPECT_NEAR(fit.criteria.rss, rss, 1e-10);
}

TEST(CurveFit, CriteriaFollowTheirFormulas) {
  const std::vector<double> y = {1.0, 2.0, 3.0, 4.0};
  const std::vector<double> fitted = {1.1, 1.9, 3.2, 3.8};
  const auto c = fit_criteria(y, fitted, 2);
  const double rss = 0.10;  // 0.01 + 0.01 + 0.04 + 0.04
  const double n = 4.0;
  EXPECT_NEAR(c.rss, rss, 1e-14);
  EXPECT_NEAR(c.rse, std::sqrt(rss / 2.0), 1e-14);
  EXPECT_NEAR(c.rmse, std::sqrt(rss / n), 1e-14);
  EXPECT_NEAR(c.r_squared, 1.0 - rss / 5.0, 1e-14);  // SST = 2.25 + 0.25 + 0.25 + 2.25
  const double loglik =
      -n / 2.0 * (std::log(2.0 * std::numbers::pi) + 1.0 - std::log(n) + std::log(rss));
  EXPECT_NEAR(c.log_likelihood, loglik, 1e-12);
  EXPECT_NEAR(c.aic_loglik, -2.0 * loglik + 6.0, 1e-12);
  EXPECT_NEAR(c.bic_loglik, -2.0 * loglik + 3.0 * std::log(n), 1e-12);
  EXPECT_NEAR(c.aic_least_squares, n * std::log(rss / n) + 4.0, 1e-12);
  EXPECT_NEAR(c.aicc_least_squares, n * std::log(rss / n) + 4.0 + 12.0, 1e-12);  // 2·2·3/(4−2−1)
  EXPECT_NEAR(c.bic_least_squares, n * std::log(rss / n) + 2.0 * std::log(n), 1e-12);
  // The two AIC conventions differ by n(ln 2π + 1) + 2 (docs/carbon_methods.md §1.3).
  EXPECT_NEAR(c.aic_loglik - c.aic_least_squares,
              n * (std::log(2.0 * std::numbers::pi) + 1.0) + 2.0, 1e-12);
  // P with t_{0.975}(df = 2) = 4.302652729749462 (R: qt(0.975, 2)); mean(ŷ) = 2.5.
  const double p_expected =
      (1.0 - 4.302652729749462 * std::sqrt(rss) / (2.5 * std::sqrt(n * 2.0))) * 100.0;
  EXPECT_NEAR(c.precision_pct, p_expected, 1e-9);
  EXPECT_NEAR(c.total_relative_error_pct, 0.0 / 10.0 * 100.0, 1e-12);  // Σ residuals = 0
  const double rma = (0.1 / 1.1 + 0.1 / 1.9 + 0.2 / 3.2 + 0.2 / 3.8) / 4.0 * 100.0;
  EXPECT_NEAR(c.mean_abs_relative_error_pct, rma, 1e-12);
  const double ee = (-0.1 / 1.1 + 0.1 / 1.9 - 0.2 / 3.2 + 0.2 / 3.8) / 4.0 * 100.0;
  EXPECT_NEAR(c.mean_relative_error_pct, ee, 1e-12);
}

TEST(CurveFit, PrecisionTDegreesOfFreedomOptionIsUsed) {
  const std::vector<double> y = {1.0, 2.0, 3.0, 4.0};
  const std::vector<double> fitted = {1.1, 1.9, 3.2, 3.8};
  CurveFitOptions options;
  options.precision_t_df = minecarbon::stats::PrecisionTDf::sample_size;
  // t_{0.975}(df = 4) = 2.776445105197793 (R: qt(0.975, 4)).
  const double expected =
      (1.0 - 2.776445105197793 * std::sqrt(0.1) / (2.5 * std::sqrt(8.0))) * 100.0;
  EXPECT_NEAR(fit_criteria(y, fitted, 2, options).precision_pct, expected, 1e-9);
}

TEST(CurveFit, NumericJacobianGivesTheSameFit) {
  std::vector<double> x;
  std::vector<double> y;
  const ReferenceFit ref = load_reference("growth_curves/reference_fits.csv").front();
  reference_data(ref, x, y);
  CurveModel numeric = sslogis_model();
  numeric.jacobian = nullptr;
  const auto starts = rough_starts("SSlogis", x, y);
  const CurveFitResult a = fit_curve(sslogis_model(), x, y, starts);
  const CurveFitResult b = fit_curve(numeric, x, y, starts);
  ASSERT_EQ(b.status, FitStatus::converged) << b.message;
  for (std::size_t j = 0; j < 3; ++j) {
    EXPECT_LT(rel_diff(b.estimates[j], a.estimates[j]), 1e-7);
    EXPECT_LT(rel_diff(b.std_errors[j], a.std_errors[j]), 1e-6);
  }
}

TEST(CurveFit, BestOfSeveralStartsWins) {
  std::vector<double> x;
  std::vector<double> y;
  const ReferenceFit ref = load_reference("growth_curves/reference_fits.csv").front();
  reference_data(ref, x, y);
  // The first start is outside nothing but hopeless (flat curve); the second is good.
  const std::vector<std::vector<double>> starts = {{1.0, -1e5, 1.0}, {200.0, 700.0, 350.0}};
  const CurveFitResult fit = fit_curve(sslogis_model(), x, y, starts);
  ASSERT_EQ(fit.status, FitStatus::converged);
  EXPECT_EQ(fit.start_index, 1);
  EXPECT_EQ(fit.starts_tried, 2);
  EXPECT_LT(rel_diff(fit.criteria.rss, ref.rss), 1e-9);
}

// ---- known answers: R ---------------------------------------------------------------------------

// R's nls with its default stop (relative offset < 1e-5): the README of tests/data/growth_curves
// shows its estimates sit up to ~1.3e-6 from the exact optimum, so they are checked to 1e-5, with
// RSS no larger than R's.
TEST(CurveFit, ReproducesRNlsDefaultFits) {
  Deviation worst;
  check_against_r("growth_curves/reference_fits.csv", 1e-5, 1e-5, worst);
  std::printf("R nls default: max rel. deviation estimates %.3g, std errors %.3g\n", worst.estimate,
              worst.std_error);
}

// The same nine fits by nlsLM at machine-precision tolerances: estimates to 1e-6, SEs to 1e-5.
TEST(CurveFit, ReproducesRTightFits) {
  Deviation worst;
  check_against_r("growth_curves/reference_fits_extra.csv", 1e-6, 1e-5, worst);
  std::printf("R nlsLM tight: max rel. deviation estimates %.3g, std errors %.3g\n", worst.estimate,
              worst.std_error);
}

// ---- known answers: NIST StRD, both certified starts
// -----------------------------------------------

struct NistCase {
  std::string name;
  std::vector<double> x;
  std::vector<double> y;
  std::vector<std::vector<double>> starts;
  std::vector<double> certified;
  std::vector<double> certified_se;
  double certified_rss;
};

void check_nist(const CurveModel& model, const NistCase& c) {
  for (std::size_t s = 0; s < c.starts.size(); ++s) {
    SCOPED_TRACE(c.name + " start " + std::to_string(s + 1));
    const CurveFitResult fit = fit_curve(model, c.x, c.y, c.starts[s]);
    ASSERT_EQ(fit.status, FitStatus::converged) << fit.message;
    EXPECT_LT(rel_diff(fit.criteria.rss, c.certified_rss), 1e-8);
    for (std::size_t j = 0; j < c.certified.size(); ++j) {
      EXPECT_LT(rel_diff(fit.estimates[j], c.certified[j]), 1e-6) << "b" << j + 1;
      EXPECT_LT(rel_diff(fit.std_errors[j], c.certified_se[j]), 1e-5) << "b" << j + 1;
    }
  }
}

TEST(CurveFit, NistMisra1aFromBothStarts) {
  NistCase c{"Misra1a",
             {77.6, 114.9, 141.1, 190.8, 239.9, 289.0, 332.8, 378.4, 434.8, 477.3, 536.8, 593.1,
              689.1, 760.0},
             {10.07, 14.73, 17.94, 23.93, 29.61, 35.18, 40.02, 44.82, 50.76, 55.05, 61.01, 66.40,
              75.47, 81.78},
             {{500.0, 1e-4}, {250.0, 5e-4}},
             {2.3894212918e+02, 5.5015643181e-04},
             {2.7070075241e+00, 7.2668688436e-06},
             1.2455138894e-01};
  check_nist(exponential_rise_model(), c);
}

TEST(CurveFit, NistBoxBodFromBothStarts) {
  NistCase c{"BoxBOD",
             {1, 2, 3, 5, 7, 10},
             {109, 149, 149, 191, 213, 224},
             {{1.0, 1.0}, {100.0, 0.75}},
             {2.1380940889e+02, 5.4723748542e-01},
             {1.2354515176e+01, 1.0455993237e-01},
             1.1680088766e+03};
  check_nist(exponential_rise_model(), c);
}

TEST(CurveFit, NistRat42FromBothStarts) {
  CurveModel m;
  m.name = "Rat42";
  m.parameter_names = {"b1", "b2", "b3"};
  m.value = [](std::span<const double> x, std::span<const double> b, std::span<double> out) {
    for (std::size_t i = 0; i < x.size(); ++i)
      out[i] = b[0] / (1.0 + std::exp(b[1] - b[2] * x[i]));
  };
  NistCase c{"Rat42",
             {9, 14, 21, 28, 42, 57, 63, 70, 79},
             {8.93, 10.80, 18.59, 22.33, 39.35, 56.11, 61.73, 64.62, 67.08},
             {{100.0, 1.0, 0.1}, {75.0, 2.5, 0.07}},
             {7.2462237576e+01, 2.6180768402e+00, 6.7359200066e-02},
             {1.7340283401e+00, 8.8295217536e-02, 3.4465663377e-03},
             8.0565229338e+00};
  check_nist(m, c);  // numeric Jacobian
}

TEST(CurveFit, NistRat43FromBothStarts) {
  CurveModel m;
  m.name = "Rat43";
  m.parameter_names = {"b1", "b2", "b3", "b4"};
  m.value = [](std::span<const double> x, std::span<const double> b, std::span<double> out) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      out[i] = b[0] / std::pow(1.0 + std::exp(b[1] - b[2] * x[i]), 1.0 / b[3]);
    }
  };
  NistCase c{"Rat43",
             {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
             {16.08, 33.83, 65.80, 97.20, 191.55, 326.20, 386.87, 520.53, 590.03, 651.92, 724.93,
              699.56, 689.96, 637.56, 717.41},
             {{100.0, 10.0, 1.0, 1.0}, {700.0, 5.0, 0.75, 1.3}},
             {6.9964151270e+02, 5.2771253025e+00, 7.5962938329e-01, 1.2792483859e+00},
             {1.6302297817e+01, 2.0828735829e+00, 1.9566123451e-01, 6.8761936385e-01},
             8.7864049080e+03};
  check_nist(m, c);  // numeric Jacobian
}

}  // namespace
