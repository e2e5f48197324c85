// Yeo-Johnson transform, log-likelihood and λ search against SciPy 1.10.1 / scikit-learn 1.2.1.
// Golden values: tests/data/yeo_johnson/README.md.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/stats/yeo_johnson.h"

namespace mc = minecarbon;
namespace st = minecarbon::stats;

namespace {

nlohmann::json load_json(const std::string& name) {
  const std::string path = std::string(MC_TEST_DATA_DIR) + "/yeo_johnson/" + name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open test data " + path);
  return nlohmann::json::parse(in);
}

const nlohmann::json& golden() {
  static const nlohmann::json json = load_json("yj_reference_scipy1.10.1_sklearn1.2.1.json");
  return json;
}

std::vector<double> vector_named(const std::string& name) {
  static const nlohmann::json json = load_json("yj_vectors.json");
  return json.at(name).get<std::vector<double>>();
}

const std::vector<std::string> kCases = {"exp_grid", "mixed",     "neg",
                                         "sym",      "year_like", "elevation_like"};

st::YeoJohnsonLambdaOptions brent_options() {
  st::YeoJohnsonLambdaOptions options;
  options.optimizer = st::YeoJohnsonOptimizer::brent_bracket;
  return options;
}

}  // namespace

// ---- degenerate input ---------------------------------------------------------------------

TEST(YeoJohnson, FewerThanTwoValuesIsADataError) {
  std::vector<double> one = {3.0};
  EXPECT_THROW(st::fit_yeo_johnson_lambda(std::vector<double>{}), mc::DataError);
  EXPECT_THROW(st::fit_yeo_johnson_lambda(one), mc::DataError);
}

TEST(YeoJohnson, NonFiniteValueIsADataErrorNamingItsIndex) {
  std::vector<double> x = {1.0, 2.0, std::numeric_limits<double>::quiet_NaN(), 4.0};
  try {
    st::fit_yeo_johnson_lambda(x);
    FAIL() << "expected DataError";
  } catch (const mc::DataError& error) {
    EXPECT_THAT(error.what(), testing::HasSubstr("value 2"));
    EXPECT_THAT(error.what(), testing::HasSubstr("finite"));
  }
}

TEST(YeoJohnson, ConstantInputGivesIdentityLambdaWithStatus) {
  std::vector<double> zeros(5, 0.0), sevens(4, 7.0);
  for (auto optimizer :
       {st::YeoJohnsonOptimizer::bounded, st::YeoJohnsonOptimizer::brent_bracket}) {
    st::YeoJohnsonLambdaOptions options;
    options.optimizer = optimizer;
    for (const auto& x : {zeros, sevens}) {
      const auto fit = st::fit_yeo_johnson_lambda(x, options);
      EXPECT_EQ(fit.lambda, 1.0);
      EXPECT_EQ(fit.status, st::YeoJohnsonFitStatus::constant_input);
    }
  }
}

TEST(YeoJohnson, BadOptionsAreConfigErrorsNamingTheOption) {
  const std::vector<double> x = {1, 2, 3};
  st::YeoJohnsonLambdaOptions options;
  options.xtol = 0;
  EXPECT_THAT([&] { st::fit_yeo_johnson_lambda(x, options); },
              testing::ThrowsMessage<mc::ConfigError>(testing::HasSubstr("xtol = 0")));
  options = {};
  options.max_iterations = 0;
  EXPECT_THAT([&] { st::fit_yeo_johnson_lambda(x, options); },
              testing::ThrowsMessage<mc::ConfigError>(testing::HasSubstr("max_iterations = 0")));
  options = brent_options();
  options.bracket_low = options.bracket_high = 1.0;
  EXPECT_THAT([&] { st::fit_yeo_johnson_lambda(x, options); },
              testing::ThrowsMessage<mc::ConfigError>(testing::HasSubstr("bracket")));
  EXPECT_THAT(
      [] { st::yeo_johnson_optimizer_from_string("newton"); },
      testing::ThrowsMessage<mc::ConfigError>(testing::HasSubstr("bounded, brent_bracket")));
}

// ---- cases worked by hand -----------------------------------------------------------------

TEST(YeoJohnson, LambdaOneIsTheIdentity) {
  for (double x : {-5.0, -0.5, 0.0, 0.25, 3.0, 1e6})
    EXPECT_DOUBLE_EQ(st::yeo_johnson(x, 1.0), x);
}

TEST(YeoJohnson, SpecialBranchesUseTheNaturalLog) {
  EXPECT_DOUBLE_EQ(st::yeo_johnson(std::exp(1.0) - 1.0, 0.0), 1.0);      // ln(e) = 1
  EXPECT_DOUBLE_EQ(st::yeo_johnson(-(std::exp(2.0) - 1.0), 2.0), -2.0);  // −ln(e²)
  EXPECT_DOUBLE_EQ(st::yeo_johnson(3.0, 2.0), (16.0 - 1.0) / 2.0);
  EXPECT_DOUBLE_EQ(st::yeo_johnson(-3.0, 0.0), -(16.0 - 1.0) / 2.0);
  EXPECT_EQ(st::yeo_johnson(0.0, -7.0), 0.0);
}

TEST(YeoJohnson, TransformIsContinuousInLambdaAtTheBranchPoints) {
  for (double x : {0.3, 4.0, 250.0}) {
    EXPECT_NEAR(st::yeo_johnson(x, 1e-9), std::log1p(x), 1e-8 * std::log1p(x));
    EXPECT_NEAR(st::yeo_johnson(-x, 2.0 + 1e-9), -std::log1p(x), 1e-8 * std::log1p(x));
  }
}

TEST(YeoJohnson, InverseRoundTripsOverBothBranches) {
  for (double lambda : {-1.5, -0.2, 0.0, 0.7, 1.0, 2.0, 3.1}) {
    for (double x : {-20.0, -1.0, -1e-3, 0.0, 1e-3, 0.5, 40.0}) {
      const double z = st::yeo_johnson(x, lambda);
      EXPECT_NEAR(st::yeo_johnson_inverse(z, lambda), x, 1e-12 * (1 + std::fabs(x)))
          << "lambda " << lambda << " x " << x;
    }
  }
  // Outside the range of ψ: λ < 0 bounds ψ above by −1/λ.
  EXPECT_TRUE(std::isnan(st::yeo_johnson_inverse(2.5, -0.5)));
}

TEST(YeoJohnson, TransformIsStrictlyIncreasing) {
  const std::vector<double> grid = {-50, -3, -1, -0.1, 0, 0.1, 1, 3, 50};
  for (double lambda : {-2.0, 0.0, 0.5, 2.0, 4.0}) {
    for (std::size_t idx = 1; idx < grid.size(); ++idx) {
      EXPECT_LT(st::yeo_johnson(grid[idx - 1], lambda), st::yeo_johnson(grid[idx], lambda));
    }
  }
}

// ---- known answers from SciPy 1.10.1 / scikit-learn 1.2.1 ----------------------------------

TEST(YeoJohnson, LogLikelihoodMatchesScipyAtFiveLambdas) {
  for (const auto& name : kCases) {
    const auto x = vector_named(name);
    for (const auto& [lambda_text, expected] : golden()["cases"][name]["llf_at"].items()) {
      const double lambda = std::stod(lambda_text);
      EXPECT_NEAR(st::yeo_johnson_log_likelihood(x, lambda), expected.get<double>(),
                  1e-10 * std::fabs(expected.get<double>()))
          << name << " at λ = " << lambda;
    }
  }
}

TEST(YeoJohnson, BrentBracketLambdaMatchesScipy110AndSklearn12) {
  for (const auto& name : kCases) {
    const auto x = vector_named(name);
    const auto fit = st::fit_yeo_johnson_lambda(x, brent_options());
    const auto& expected = golden()["cases"][name];
    EXPECT_EQ(fit.status, st::YeoJohnsonFitStatus::converged) << name << ": " << fit.message;
    EXPECT_NEAR(fit.lambda, expected["lambda_scipy_brent_-2_2"].get<double>(), 1e-6) << name;
    EXPECT_NEAR(fit.lambda, expected["lambda_scipy_default"].get<double>(), 1e-6) << name;
    EXPECT_NEAR(fit.lambda, expected["lambda_sklearn"].get<double>(), 1e-6) << name;
  }
}

TEST(YeoJohnson, BoundedLambdaAndBoundsMatchScipy112Algorithm) {
  for (const auto& name : kCases) {
    const auto x = vector_named(name);
    const auto fit = st::fit_yeo_johnson_lambda(x);
    const auto& expected = golden()["cases"][name]["lambda_bounded_emulated_(lb,ub)"];
    EXPECT_EQ(fit.status, st::YeoJohnsonFitStatus::converged) << name << ": " << fit.message;
    EXPECT_NEAR(fit.lambda, expected[0].get<double>(), 1e-6) << name;
    EXPECT_NEAR(fit.lower_bound, expected[1][0].get<double>(), 1e-12) << name;
    EXPECT_NEAR(fit.upper_bound, expected[1][1].get<double>(), 1e-12) << name;
  }
}

TEST(YeoJohnson, YearLikeDataRunsAwayUnboundedButStopsAtTheBoundWhenBounded) {
  // scipy issue 18389: the two optimisers disagree by 15 on this column.
  const auto x = vector_named("year_like");
  const auto brent = st::fit_yeo_johnson_lambda(x, brent_options());
  const auto bounded = st::fit_yeo_johnson_lambda(x);
  EXPECT_GT(brent.lambda, 47.0);
  EXPECT_NEAR(bounded.lambda, bounded.upper_bound, 1e-6);
  EXPECT_TRUE(std::isfinite(st::yeo_johnson(x.front(), bounded.lambda)));
}

TEST(YeoJohnson, StandardisedValuesMatchSklearnPowerTransformer) {
  st::YeoJohnsonParams params;
  params.lambda = brent_options();  // scikit-learn 1.2 fits λ with Brent from (−2, 2)
  for (const auto& name : kCases) {
    const auto x = vector_named(name);
    const auto column = st::fit_yeo_johnson(x, params);
    const auto z = column.transform(x);
    const auto expected = golden()["cases"][name]["sklearn_std_first3"].get<std::vector<double>>();
    for (std::size_t idx = 0; idx < expected.size(); ++idx) {
      EXPECT_NEAR(z[idx], expected[idx], 1e-6 * std::max(1.0, std::fabs(expected[idx])))
          << name << " value " << idx;
    }
  }
}

TEST(YeoJohnson, BoundedLambdaIsAStationaryPointOfTheLikelihood) {
  // Interior optimum: the finite-difference derivative of ℓ vanishes there (relative to its
  // size one unit of λ away).
  for (const std::string name : {"mixed", "neg", "sym", "elevation_like"}) {
    const auto x = vector_named(name);
    const double lambda = st::fit_yeo_johnson_lambda(x).lambda;
    const double h = 1e-4;
    const double slope = (st::yeo_johnson_log_likelihood(x, lambda + h) -
                          st::yeo_johnson_log_likelihood(x, lambda - h)) /
                         (2 * h);
    const double slope_away = (st::yeo_johnson_log_likelihood(x, lambda + 1 + h) -
                               st::yeo_johnson_log_likelihood(x, lambda + 1 - h)) /
                              (2 * h);
    EXPECT_LT(std::fabs(slope), 1e-4 * std::fabs(slope_away)) << name;
  }
}

// ---- fitting on training data and applying to new data -------------------------------------

TEST(YeoJohnson, FittedColumnAppliesTrainingLambdaMeanAndScaleToNewData) {
  const auto train = vector_named("mixed");
  const auto column = st::fit_yeo_johnson(train);
  const auto z_train = column.transform(train);
  double sum = 0, sum_sq = 0;
  for (double z : z_train)
    sum += z;
  for (double z : z_train)
    sum_sq += (z - sum / z_train.size()) * (z - sum / z_train.size());
  EXPECT_NEAR(sum / z_train.size(), 0.0, 1e-12);
  EXPECT_NEAR(std::sqrt(sum_sq / z_train.size()), 1.0, 1e-12);

  const std::vector<double> fresh = {-10.0, 0.0, 2.5, 30.0};
  const auto z = column.transform(fresh);
  for (std::size_t idx = 0; idx < fresh.size(); ++idx) {
    EXPECT_DOUBLE_EQ(z[idx],
                     (st::yeo_johnson(fresh[idx], column.lambda()) - column.mean) / column.scale);
    EXPECT_NEAR(column.inverse(z[idx]), fresh[idx], 1e-11 * (1 + std::fabs(fresh[idx])));
  }
}

TEST(YeoJohnson, WithoutStandardisationTheColumnIsThePlainTransform) {
  st::YeoJohnsonParams params;
  params.standardize = false;
  const auto x = vector_named("exp_grid");
  const auto column = st::fit_yeo_johnson(x, params);
  EXPECT_EQ(column.mean, 0.0);
  EXPECT_EQ(column.scale, 1.0);
  EXPECT_DOUBLE_EQ(column.transform(x[5]), st::yeo_johnson(x[5], column.lambda()));
}
