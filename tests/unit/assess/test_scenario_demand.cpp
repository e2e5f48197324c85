// Demands other than whole Markov steps (assess/scenario/markov.h, assess/scenario.h): the matrix
// root P^f against closed forms (a 2-class chain, an upper-triangular 3-class chain whose root has
// a negative entry by the divided-difference formula), a defective matrix refused, the per-class
// OLS line of the linear demand by hand, and the demand option's parser.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "minecarbon/assess/scenario.h"
#include "minecarbon/assess/scenario/markov.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/options.h"

using namespace minecarbon;
using namespace minecarbon::assess::scenario;

namespace {

MarkovMatrix matrix(std::size_t n, std::vector<double> p) {
  MarkovMatrix m;
  m.n_classes = n;
  m.p = std::move(p);
  return m;
}

}  // namespace

// Two classes, P = [[1−a, a], [b, 1−b]]: P^f = Π + λ^f (I − Π), λ = 1 − a − b, Π's rows the
// stationary π = (b, a)/(a + b).
TEST(ScenarioDemand, MatrixRootOfTwoClassChainIsClosedForm) {
  const double a = 0.2, b = 0.1, f = 0.3;
  const MarkovMatrix p = matrix(2, {1 - a, a, b, 1 - b});
  const MatrixRoot root = markov_fractional_power(p, f);
  const double lambda_f = std::pow(1 - a - b, f);
  const double pi0 = b / (a + b), pi1 = a / (a + b);
  EXPECT_NEAR(root.power.at(0, 0), pi0 + lambda_f * (1 - pi0), 1e-13);
  EXPECT_NEAR(root.power.at(0, 1), pi1 - lambda_f * pi1, 1e-13);
  EXPECT_NEAR(root.power.at(1, 0), pi0 - lambda_f * pi0, 1e-13);
  EXPECT_NEAR(root.power.at(1, 1), pi1 + lambda_f * (1 - pi1), 1e-13);
  EXPECT_EQ(root.negative_entries, 0u);
  EXPECT_LT(root.imaginary_residue, 1e-14);
  // S·P^m·P^f: 1.3 steps of the chain from S = (100, 0).
  const std::vector<double> s = {100, 0};
  MatrixRoot report;
  const std::vector<double> out = project_demand_years_root(s, p, 10, 13, &report);
  const std::vector<double> one = project_demand(s, p, 1);
  EXPECT_NEAR(out[0], one[0] * report.power.at(0, 0) + one[1] * report.power.at(1, 0), 1e-11);
  EXPECT_NEAR(out[0] + out[1], 100, 1e-11);
  // A whole number of steps: the root is the identity and S·P^m is returned.
  const std::vector<double> two = project_demand_years_root(s, p, 10, 20, &report);
  const std::vector<double> expected = project_demand(s, p, 2);
  EXPECT_NEAR(two[0], expected[0], 1e-11);
  EXPECT_NEAR(report.power.at(0, 1), 0, 1e-14);
}

// Upper-triangular P with distinct eigenvalues 0.5, 0.6, 1: by the divided-difference formula of
// a function of a triangular matrix (Higham 2008, Functions of Matrices, Thm 4.11),
//   (P^f)_02 = t01·t12·g[λ0, λ1, λ2] + t02·g[λ0, λ2],  g(x) = x^f,
// which is negative for f = 1/2: the root is not a transition matrix, and is reported so.
TEST(ScenarioDemand, MatrixRootNegativeEntryIsReported) {
  const MarkovMatrix p = matrix(3, {0.5, 0.5, 0, 0, 0.6, 0.4, 0, 0, 1});
  const MatrixRoot root = markov_fractional_power(p, 0.5);
  const auto g = [](double x) { return std::sqrt(x); };
  const double g01 = (g(0.6) - g(0.5)) / 0.1, g12 = (g(1.0) - g(0.6)) / 0.4;
  const double g012 = (g12 - g01) / (1.0 - 0.5);
  const double expected02 = 0.5 * 0.4 * g012;  // ≈ −0.04456
  EXPECT_LT(expected02, 0);
  EXPECT_NEAR(root.power.at(0, 2), expected02, 1e-12);
  EXPECT_NEAR(root.power.at(0, 0), g(0.5), 1e-12);
  EXPECT_EQ(root.negative_entries, 1u);
  EXPECT_NEAR(root.most_negative, expected02, 1e-12);
  for (std::size_t i = 0; i < 3; ++i) {
    double sum = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      sum += root.power.at(i, j);
      double square = 0;  // (P^½)² = P
      for (std::size_t k = 0; k < 3; ++k)
        square += root.power.at(i, k) * root.power.at(k, j);
      EXPECT_NEAR(square, p.at(i, j), 1e-12) << i << "," << j;
    }
    EXPECT_NEAR(sum, 1.0, 1e-12);
  }
}

TEST(ScenarioDemand, DefectiveMatrixHasNoRootHere) {
  // Eigenvalue 0.5 twice with one eigenvector: not diagonalisable.
  const MarkovMatrix p = matrix(3, {0.5, 0.5, 0, 0, 0.5, 0.5, 0, 0, 1});
  EXPECT_THROW(markov_fractional_power(p, 0.5), ConfigError);
  EXPECT_THROW(markov_fractional_power(matrix(2, {1, 0, 0, 1}), 1.0), ConfigError);
}

TEST(ScenarioDemand, LinearDemandIsTheOlsLinePerClass) {
  // Three maps on a line for class 0 (10, 20, 30) and a bent series for class 1 (90, 70, 80):
  // class 1's OLS line has slope (−1·(90−80) + 1·(80−80))/2 per 10 years = −0.5/yr, mean 80.
  const std::vector<std::vector<double>> cells = {{10, 90}, {20, 70}, {30, 80}};
  const std::vector<double> years = {2000, 2010, 2020};
  const std::vector<double> out = linear_demand(cells, years, 2030);
  EXPECT_NEAR(out[0], 40, 1e-12);
  EXPECT_NEAR(out[1], 80 - 0.5 * 20, 1e-12);
  // Two maps: the straight line through them.
  const std::vector<double> two =
      linear_demand({{10, 90}, {30, 70}}, std::vector<double>{2000, 2010}, 2015);
  EXPECT_NEAR(two[0], 40, 1e-12);
  EXPECT_NEAR(two[1], 60, 1e-12);
  EXPECT_THROW(linear_demand({{10, 90}}, std::vector<double>{2000}, 2010), ConfigError);
  EXPECT_THROW(linear_demand({{10, 90}, {20, 80}}, std::vector<double>{2000, 2000}, 2010),
               ConfigError);
}

TEST(ScenarioDemand, DemandOptionParses) {
  using minecarbon::assess::DemandMethod;
  EXPECT_EQ(minecarbon::assess::parse_demand("markov").method, DemandMethod::markov);
  EXPECT_EQ(minecarbon::assess::parse_demand("linear").method, DemandMethod::linear);
  EXPECT_EQ(minecarbon::assess::parse_demand("fixed").method, DemandMethod::fixed);
  const auto plan = minecarbon::assess::parse_demand("plan:epsilon:3");
  EXPECT_EQ(plan.method, DemandMethod::plan);
  EXPECT_EQ(plan.plan_point, "epsilon:3");
  EXPECT_THROW(minecarbon::assess::parse_demand("plan:"), OptionError);
  EXPECT_THROW(minecarbon::assess::parse_demand("ca_markov"), OptionError);
}
