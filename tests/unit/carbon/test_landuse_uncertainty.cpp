// Tests of carbon::landuse_uncertainty: the Monte Carlo of land-use stocks and changes against
// closed forms worked out here — the variance of a weighted sum of independent normals, the mean
// and sd of the triangular and of the normal truncated at 0 — not against the code's own output.
#include "minecarbon/carbon/landuse_uncertainty.h"
#include "minecarbon/core/errors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace {

using minecarbon::ConfigError;
using minecarbon::carbon::ClassPoolDensities;
using minecarbon::carbon::landuse_uncertainty;
using minecarbon::carbon::PoolDensity;
using minecarbon::carbon::PoolSpread;
using minecarbon::carbon::UncertaintyRow;
using minecarbon::carbon::UncertaintySpec;
using minecarbon::carbon::UnitClassAreas;

PoolDensity normal(double mean, double sd) {
  PoolDensity p;
  p.mean_tC_ha = mean;
  p.spread = PoolSpread::normal;
  p.sd_tC_ha = sd;
  return p;
}
PoolDensity fixed(double mean) {
  PoolDensity p;
  p.mean_tC_ha = mean;
  return p;
}
PoolDensity triangular(double min, double mode, double max) {
  PoolDensity p;
  p.mean_tC_ha = mode;
  p.spread = PoolSpread::triangular;
  p.min_tC_ha = min;
  p.max_tC_ha = max;
  return p;
}

// Three classes (forest, cropland, pit) whose pools are far from 0 in sd units (truncation at 0
// has probability < 1e-15), so the analytic variance holds.
std::vector<ClassPoolDensities> three_classes() {
  return {
      {normal(80, 12), normal(20, 4), normal(90, 15), normal(10, 3)},  // forest
      {normal(5, 1), normal(2, 0.5), normal(60, 9), fixed(0)},         // cropland
      {fixed(0), fixed(0), normal(8, 1.5), fixed(0)},                  // pit: soil only
  };
}

// area_ha[date][class] of two units over three dates.
std::vector<UnitClassAreas> two_units() {
  return {
      {"all", {{500, 300, 20}, {420, 310, 90}, {380, 280, 160}}},
      {"M1", {{40, 10, 0}, {15, 12, 23}, {5, 10, 35}}},
  };
}

UncertaintySpec spec(std::size_t draws, std::uint64_t seed = 20261207) {
  UncertaintySpec s;
  s.draws = draws;
  s.seed = seed;
  s.years = {2000, 2010, 2020};
  s.pairs = {{0, 1}, {1, 2}, {0, 2}};
  return s;
}

// Σ_p sd² and Σ_p mean of each class, from the table above, worked out by hand.
const std::vector<double> kVarSum = {12.0 * 12 + 4 * 4 + 15 * 15 + 3 * 3, 1 + 0.25 + 81, 2.25};
const std::vector<double> kMeanSum = {200, 67, 8};

double hand_sd(const std::vector<double>& weights) {
  double v = 0;
  for (std::size_t k = 0; k < weights.size(); ++k)
    v += weights[k] * weights[k] * kVarSum[k];
  return std::sqrt(v);
}
double hand_mean(const std::vector<double>& weights) {
  double m = 0;
  for (std::size_t k = 0; k < weights.size(); ++k)
    m += weights[k] * kMeanSum[k];
  return m;
}

TEST(LanduseUncertainty, NormalPoolsMatchAnalyticSdForStocksAndChanges) {
  const auto units = two_units();
  const auto rows = landuse_uncertainty(three_classes(), units, spec(20000), 2);
  // Per unit: 3 stocks then 3 changes.
  ASSERT_EQ(rows.size(), 12u);
  const std::vector<std::pair<std::size_t, std::size_t>> pairs = {{0, 1}, {1, 2}, {0, 2}};
  const std::vector<int> years = {2000, 2010, 2020};
  for (std::size_t u = 0; u < units.size(); ++u) {
    for (std::size_t i = 0; i < 6; ++i) {
      const UncertaintyRow& row = rows[u * 6 + i];
      std::vector<double> w(3);
      EXPECT_EQ(row.unit_id, units[u].unit_id);
      if (i < 3) {
        EXPECT_EQ(row.quantity, "stock");
        EXPECT_EQ(row.year_from, years[i]);
        EXPECT_EQ(row.year_to, years[i]);
        w = units[u].area_ha[i];
      } else {
        const auto [from, to] = pairs[i - 3];
        EXPECT_EQ(row.quantity, "change");
        EXPECT_EQ(row.year_from, years[from]);
        EXPECT_EQ(row.year_to, years[to]);
        for (std::size_t k = 0; k < 3; ++k)
          w[k] = units[u].area_ha[to][k] - units[u].area_ha[from][k];
      }
      const double sd = hand_sd(w), mean = hand_mean(w);
      SCOPED_TRACE(row.unit_id + " " + row.quantity + " " + std::to_string(i));
      EXPECT_NEAR(row.mean_tC, mean, 1e-9 * std::abs(mean));
      EXPECT_NEAR(row.analytic_sd_tC, sd, 1e-12 * sd);
      EXPECT_NEAR(row.mc_sd_tC, sd, 0.02 * sd);
      // The MC mean within 4 standard errors (sd/√n) of the analytic mean.
      EXPECT_NEAR(row.mc_mean_tC, mean, 4.0 * sd / std::sqrt(20000.0));
      // Normal quantiles: mean ± 1.959964 sd, the median at the mean (within 5 % of sd).
      EXPECT_NEAR(row.p2_5_tC, mean - 1.959964 * sd, 0.05 * sd);
      EXPECT_NEAR(row.p50_tC, mean, 0.05 * sd);
      EXPECT_NEAR(row.p97_5_tC, mean + 1.959964 * sd, 0.05 * sd);
    }
  }
  // One draw of a class is shared by every date: a change's draws are the difference of the
  // stocks' draws, so the MC means subtract exactly (up to rounding).
  EXPECT_NEAR(rows[5].mc_mean_tC, rows[2].mc_mean_tC - rows[0].mc_mean_tC,
              1e-9 * std::abs(rows[5].mc_mean_tC));
  // A class whose area does not change contributes nothing to the change's sd: M1 pair 2000→2020
  // has class 2 (cropland) at 10 ha both times.
  EXPECT_NEAR(rows[6 + 5].analytic_sd_tC, hand_sd({-35, 0, 35}), 1e-12);
}

TEST(LanduseUncertainty, SameNumbersForAnyThreadCount) {
  const auto one = landuse_uncertainty(three_classes(), two_units(), spec(3001), 1);
  const auto two = landuse_uncertainty(three_classes(), two_units(), spec(3001), 2);
  const auto five = landuse_uncertainty(three_classes(), two_units(), spec(3001), 5);
  ASSERT_EQ(one.size(), two.size());
  ASSERT_EQ(one.size(), five.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    for (const auto* other : {&two[i], &five[i]}) {
      EXPECT_EQ(one[i].unit_id, other->unit_id);
      EXPECT_EQ(one[i].mc_mean_tC, other->mc_mean_tC);
      EXPECT_EQ(one[i].mc_sd_tC, other->mc_sd_tC);
      EXPECT_EQ(one[i].p2_5_tC, other->p2_5_tC);
      EXPECT_EQ(one[i].p50_tC, other->p50_tC);
      EXPECT_EQ(one[i].p97_5_tC, other->p97_5_tC);
    }
  }
  // Another seed gives other draws.
  const auto other_seed = landuse_uncertainty(three_classes(), two_units(), spec(3001, 7), 2);
  EXPECT_NE(one[0].mc_mean_tC, other_seed[0].mc_mean_tC);
}

// Triangular(a, c, b): mean (a + b + c)/3, variance (a² + b² + c² − ab − ac − bc)/18, median
// a + √((b − a)(c − a)/2) when c ≥ (a + b)/2.
TEST(LanduseUncertainty, TriangularMatchesClosedForm) {
  const double a = 10, c = 40, b = 50;
  const std::vector<ClassPoolDensities> classes = {
      {fixed(0), fixed(0), triangular(a, c, b), fixed(0)}};
  const std::vector<UnitClassAreas> units = {{"all", {{2.0}, {3.0}}}};
  UncertaintySpec s;
  s.draws = 20000;
  s.seed = 11;
  s.years = {2000, 2020};
  s.pairs = {{0, 1}};
  const auto rows = landuse_uncertainty(classes, units, s, 2);
  ASSERT_EQ(rows.size(), 3u);
  const double mean = (a + b + c) / 3.0;
  const double sd = std::sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18.0);
  const double median = a + std::sqrt((b - a) * (c - a) / 2.0);
  // stock 2000 (2 ha), stock 2020 (3 ha), change (+1 ha).
  const std::vector<double> ha = {2.0, 3.0, 1.0};
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_DOUBLE_EQ(rows[i].mean_tC, ha[i] * c);  // at the pool means: the mode
    EXPECT_NEAR(rows[i].mc_mean_tC, ha[i] * mean, 4.0 * ha[i] * sd / std::sqrt(20000.0));
    EXPECT_NEAR(rows[i].mc_sd_tC, ha[i] * sd, 0.02 * ha[i] * sd);
    EXPECT_NEAR(rows[i].p50_tC, ha[i] * median, 0.03 * ha[i] * sd);
    EXPECT_GE(rows[i].p2_5_tC, ha[i] * a);
    EXPECT_LE(rows[i].p97_5_tC, ha[i] * b);
    EXPECT_TRUE(std::isnan(rows[i].analytic_sd_tC));  // triangular: no analytic sd
  }
}

// Normal(μ, σ) truncated at 0 (α = −μ/σ, Z = 1 − Φ(α)): mean μ + σφ(α)/Z, variance
// σ²[1 + αφ(α)/Z − (φ(α)/Z)²].
TEST(LanduseUncertainty, TruncationAtZeroKeepsDrawsNonNegative) {
  const double mu = 1.0, sigma = 2.0;
  const std::vector<ClassPoolDensities> classes = {
      {normal(mu, sigma), fixed(0), fixed(0), fixed(0)}};
  const std::vector<UnitClassAreas> units = {{"all", {{1.0}}}};
  UncertaintySpec s;
  s.draws = 20000;
  s.seed = 3;
  s.years = {2000};
  const auto rows = landuse_uncertainty(classes, units, s, 2);
  ASSERT_EQ(rows.size(), 1u);
  const double alpha = -mu / sigma;
  const double phi = std::exp(-alpha * alpha / 2.0) / std::sqrt(2.0 * std::numbers::pi);
  const double z = 0.5 * std::erfc(alpha / std::numbers::sqrt2);
  const double mean = mu + sigma * phi / z;
  const double sd = sigma * std::sqrt(1.0 + alpha * phi / z - (phi / z) * (phi / z));
  EXPECT_NEAR(rows[0].mc_mean_tC, mean, 4.0 * sd / std::sqrt(20000.0));
  EXPECT_NEAR(rows[0].mc_sd_tC, sd, 0.02 * sd);
  // Without truncation the mean would be μ = 1, 3 % of draws below the 2.5 % quantile −2.92.
  EXPECT_GT(rows[0].mc_mean_tC, 1.4);
  EXPECT_GE(rows[0].p2_5_tC, 0.0);
  // The analytic sd ignores truncation (documented): it is σ.
  EXPECT_DOUBLE_EQ(rows[0].analytic_sd_tC, sigma);
}

TEST(LanduseUncertainty, PoolsWithoutSpreadGiveSdZero) {
  const std::vector<ClassPoolDensities> classes = {
      {fixed(30.1), fixed(7.3), fixed(55.5), fixed(1.1)},
      {fixed(2), fixed(1), normal(5, 0), fixed(0)},  // sd 0: no spread either
  };
  const std::vector<UnitClassAreas> units = {{"all", {{1.7, 3.3}, {0.9, 4.1}}}};
  UncertaintySpec s;
  s.draws = 50;
  s.years = {2000, 2010};
  s.pairs = {{0, 1}};
  const auto rows = landuse_uncertainty(classes, units, s, 2);
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) {
    EXPECT_EQ(row.mc_sd_tC, 0.0);
    EXPECT_EQ(row.analytic_sd_tC, 0.0);
    EXPECT_EQ(row.p2_5_tC, row.p97_5_tC);
    EXPECT_EQ(row.mc_mean_tC, row.p50_tC);
    EXPECT_NEAR(row.mc_mean_tC, row.mean_tC, 1e-12 * std::abs(row.mean_tC));
  }
  EXPECT_NEAR(rows[0].mean_tC, 1.7 * 94.0 + 3.3 * 8.0, 1e-12);
  EXPECT_NEAR(rows[2].mean_tC, (0.9 - 1.7) * 94.0 + (4.1 - 3.3) * 8.0, 1e-12);
}

TEST(LanduseUncertainty, BadSpreadsAreConfigErrors) {
  const std::vector<UnitClassAreas> units = {{"all", {{1.0}}}};
  UncertaintySpec s;
  s.draws = 10;
  s.years = {2000};
  const auto run = [&](const PoolDensity& pool) {
    const std::vector<ClassPoolDensities> classes = {{fixed(1), pool, fixed(1), fixed(1)}};
    return landuse_uncertainty(classes, units, s, 1);
  };
  EXPECT_THROW(run(normal(5, -1)), ConfigError);
  EXPECT_THROW(run(normal(5, std::nan(""))), ConfigError);
  EXPECT_THROW(run(triangular(6, 5, 9)), ConfigError);   // min > mean
  EXPECT_THROW(run(triangular(1, 5, 4)), ConfigError);   // max < mean
  EXPECT_THROW(run(triangular(-1, 5, 9)), ConfigError);  // min < 0
  EXPECT_THROW(run(fixed(-2)), ConfigError);             // negative mean
  try {
    run(normal(5, -1));
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("c_below"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(run(triangular(5, 5, 5)));
  s.draws = 1;
  EXPECT_THROW(run(normal(5, 1)), ConfigError);
  s.draws = 10;
  s.pairs = {{0, 1}};  // date 1 does not exist
  EXPECT_THROW(run(normal(5, 1)), ConfigError);
  s.pairs.clear();
  const std::vector<ClassPoolDensities> one_class = {{fixed(1), fixed(1), fixed(1), fixed(1)}};
  const std::vector<UnitClassAreas> nan_area = {{"M1", {{std::nan("")}}}};
  EXPECT_THROW(landuse_uncertainty(one_class, nan_area, s, 1), ConfigError);
  const std::vector<UnitClassAreas> wrong_shape = {{"M1", {{1.0, 2.0}}}};  // 2 classes, 1 given
  EXPECT_THROW(landuse_uncertainty(one_class, wrong_shape, s, 1), ConfigError);
}

}  // namespace
