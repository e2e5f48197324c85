// Entropy weights, TOPSIS (both variants) and AHP against an independent base-R script
// (tests/data/plan_ranking/ranking.R; its printed output is ranking.out), plus hand cases.
#include <gtest/gtest.h>

#include <cmath>

#include "minecarbon/plan/ranking.h"

namespace minecarbon::plan {
namespace {

DecisionMatrix four_schemes() {
  DecisionMatrix m;
  m.alternatives = 4;
  m.indicators = 4;
  m.values = {12000, 3.2e6, 1.5e6, 260, 9500, 2.1e6, 1.1e6, 215,
              15800, 5.6e6, 0.9e6, 355, 7000, 1.2e6, 0.6e6, 170};
  m.directions = {Direction::benefit, Direction::cost, Direction::benefit, Direction::cost};
  return m;
}

void expect_all_near(const std::vector<double>& got, const std::vector<double>& want, double tol) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t idx = 0; idx < got.size(); ++idx)
    EXPECT_NEAR(got[idx], want[idx], tol) << "entry " << idx;
}

TEST(Ranking, EntropyOfAConstantIndicatorIsZeroWeight) {
  DecisionMatrix m;
  m.alternatives = 3;
  m.indicators = 2;
  m.values = {1, 5, 2, 5, 3, 5};
  m.directions = {Direction::benefit, Direction::benefit};
  expect_all_near(entropy_weights(m), {1.0, 0.0}, 1e-15);
}

TEST(Ranking, RankSharesTiesAndPutsNaNLast) {
  EXPECT_EQ(rank_descending({0.5, 0.9, 0.5, NAN}), (std::vector<int>{2, 1, 2, 4}));
}

TEST(Ranking, ParetoFlagsDominatedSchemes) {
  DecisionMatrix m;
  m.alternatives = 3;
  m.indicators = 2;
  m.values = {10, 5, 8, 6, 12, 7};  // benefit, cost: (8, 6) is dominated by (10, 5)
  m.directions = {Direction::benefit, Direction::cost};
  EXPECT_EQ(dominated(m), (std::vector<bool>{false, true, false}));
}

TEST(Ranking, EntropyWeightsMatchR) {
  expect_all_near(
      entropy_weights(four_schemes()),
      {0.2828278867153593, 0.22205112268267957, 0.26887638408344217, 0.22624460651851908}, 1e-14);
}

TEST(Ranking, TopsisVectorMatchesR) {
  const auto m = four_schemes();
  const auto t = topsis(m, entropy_weights(m), TopsisVariant::vector);
  expect_all_near(
      t.d_plus,
      {0.08869517598335791, 0.09840481176505414, 0.17960311211541688, 0.15579499589241375}, 1e-14);
  expect_all_near(
      t.d_minus,
      {0.15525677716704614, 0.14595945697748339, 0.11414787755419123, 0.16320571829457359}, 1e-14);
  expect_all_near(
      t.closeness,
      {0.6364235873583084, 0.59730277969266632, 0.38858721014889958, 0.51161552634928575}, 1e-14);
  EXPECT_EQ(t.rank, (std::vector<int>{1, 2, 4, 3}));
}

TEST(Ranking, TopsisMinMaxMatchesR) {
  const auto m = four_schemes();
  const auto t = topsis(m, entropy_weights(m), TopsisVariant::min_max);
  expect_all_near(
      t.d_plus, {0.39007882546305656, 0.46983467292597092, 0.7535226236480197, 0.74276797911514836},
      1e-14);
  expect_all_near(
      t.d_minus,
      {0.69706993770291759, 0.61309154268198018, 0.55919856983222738, 0.6695488997834278}, 1e-14);
  expect_all_near(
      t.closeness,
      {0.64119094030234058, 0.56614341203088581, 0.42598426277380108, 0.47407838126638335}, 1e-14);
  EXPECT_EQ(t.rank, (std::vector<int>{1, 2, 4, 3}));
}

TEST(Ranking, AhpRandomIndexIsSaatys) {
  const double want[] = {0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49};
  for (std::size_t n = 1; n <= 10; ++n) {
    std::vector<double> ones(n * n, 1.0);
    const auto a = ahp_weights(ones, n);
    EXPECT_DOUBLE_EQ(a.ri, want[n - 1]) << "order " << n;
    EXPECT_NEAR(a.cr, 0.0, 1e-12);  // a matrix of ones is perfectly consistent
    for (double w : a.weights)
      EXPECT_NEAR(w, 1.0 / n, 1e-12);
  }
  EXPECT_TRUE(std::isnan(ahp_weights(std::vector<double>(121, 1.0), 11).cr));
}

TEST(Ranking, AhpWeightsAndConsistencyMatchR) {
  const double t = 1.0 / 3, f = 1.0 / 5, s = 1.0 / 7;
  const auto a = ahp_weights({1, 3, 5, 7, t, 1, 3, 5, f, t, 1, 3, s, f, t, 1}, 4);
  expect_all_near(
      a.weights,
      {0.56500905379904731, 0.26220120556087323, 0.11750425004139854, 0.055285490598680917}, 1e-13);
  EXPECT_NEAR(a.lambda_max, 4.1169824434472631, 1e-12);
  EXPECT_NEAR(a.ci, 0.038994147815754353, 1e-12);
  EXPECT_NEAR(a.cr, 0.043326830906393728, 1e-12);
  EXPECT_TRUE(a.consistent);
}

TEST(Ranking, AhpFlagsAnInconsistentMatrix) {
  // a12 = 9 and a23 = 9 but a13 = 1/9: a cycle of preferences.
  const double n = 1.0 / 9;
  const auto a = ahp_weights({1, 9, n, n, 1, 9, 9, n, 1}, 3);
  EXPECT_GE(a.cr, kConsistencyRatioLimit);
  EXPECT_FALSE(a.consistent);
}

TEST(Ranking, AhpRefusesANonReciprocalMatrix) {
  try {
    ahp_weights({1, 3, 0.5, 1}, 2);
    FAIL() << "expected a refusal";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("row 1, column 2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not reciprocal"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace minecarbon::plan
