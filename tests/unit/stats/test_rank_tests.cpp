// Kruskal–Wallis, Wilcoxon rank-sum with Holm, Spearman: by hand, then R 4.2 kruskal.test,
// pairwise.wilcox.test and cor(spearman) (tests/data/topography/make_reference_r.R).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "minecarbon/core/csv.h"
#include "minecarbon/stats/kruskal.h"
#include "minecarbon/stats/ranks.h"
#include "minecarbon/stats/spearman.h"
#include "minecarbon/stats/wilcoxon.h"

namespace minecarbon::stats {
namespace {

const std::string kData = std::string(MC_TEST_DATA_DIR) + "/topography";

double number_or_nan(const std::string& text) {
  return text.empty() || text == "NA" ? NAN : std::stod(text);
}

struct Reference {
  std::string test, a, b;
  double statistic, p;
};

std::vector<Reference> references(const std::string& which) {
  const CsvText csv = read_csv_file(kData + "/rank_tests_reference.csv");
  std::vector<Reference> out;
  for (const auto& row : csv.rows)
    if (row[csv.column("case")] == which)
      out.push_back({row[csv.column("test")], row[csv.column("a")], row[csv.column("b")],
                     number_or_nan(row[csv.column("statistic")]),
                     number_or_nan(row[csv.column("p")])});
  return out;
}

TEST(Ranks, TiesShareTheirMeanPosition) {
  const Ranks r = average_ranks(std::vector<double>{3, 1, 3, 2, 3});
  EXPECT_EQ(r.rank, (std::vector<double>{4, 1, 4, 2, 4}));
  EXPECT_DOUBLE_EQ(r.tie_sum, 27.0 - 3.0);
}

TEST(KruskalWallis, OneGroupOrAllEqualIsNaN) {
  const std::vector<double> v{1, 2, 3};
  EXPECT_TRUE(std::isnan(kruskal_wallis(v, std::vector<std::size_t>{0, 0, 0}).h));
  EXPECT_TRUE(std::isnan(
      kruskal_wallis(std::vector<double>{5, 5, 5}, std::vector<std::size_t>{0, 1, 1}).p));
}

TEST(KruskalWallis, ByHandWithoutTies) {
  // Groups {1, 2}, {3, 4}: R = 3, 7; H = 12/20·(9/2 + 49/2) − 15 = 2.4.
  const KruskalWallis kw =
      kruskal_wallis(std::vector<double>{1, 2, 3, 4}, std::vector<std::size_t>{0, 0, 1, 1});
  EXPECT_NEAR(kw.h, 2.4, 1e-12);
  EXPECT_EQ(kw.df, 1u);
  EXPECT_NEAR(kw.p, std::erfc(std::sqrt(2.4 / 2.0)), 1e-12);  // χ²₁ tail
}

TEST(WilcoxonRankSum, ExactByHand) {
  // x above every y, sizes 3 and 3: W = 9, P(W ≥ 9) = 1/20, p = 0.1.
  const RankSumTest t =
      wilcoxon_rank_sum(std::vector<double>{4, 5, 6}, std::vector<double>{1, 2, 3});
  EXPECT_TRUE(t.exact);
  EXPECT_DOUBLE_EQ(t.w, 9.0);
  EXPECT_NEAR(t.p, 0.1, 1e-15);
}

TEST(WilcoxonRankSum, HolmByHand) {
  const std::vector<double> adjusted = holm_adjust(std::vector<double>{0.01, 0.04, NAN, 0.03});
  EXPECT_DOUBLE_EQ(adjusted[0], 0.03);
  EXPECT_DOUBLE_EQ(adjusted[3], 0.06);
  EXPECT_DOUBLE_EQ(adjusted[1], 0.06);  // max(2·0.03, 1·0.04)
  EXPECT_TRUE(std::isnan(adjusted[2]));
}

// airquality: Ozone by Month (5–9), with NA and ties.
struct Airquality {
  std::vector<double> ozone, temp;
  std::vector<std::size_t> month;  // 0 = May
};

Airquality airquality() {
  const CsvText csv = read_csv_file(kData + "/airquality.csv");
  Airquality out;
  for (const auto& row : csv.rows) {
    out.ozone.push_back(number_or_nan(row[csv.column("Ozone")]));
    out.temp.push_back(number_or_nan(row[csv.column("Temp")]));
    out.month.push_back(std::stoul(row[csv.column("Month")]) - 5);
  }
  return out;
}

TEST(KruskalWallis, MatchesRKruskalTestWithTies) {
  const Airquality aq = airquality();
  const KruskalWallis kw = kruskal_wallis(aq.ozone, aq.month);
  for (const auto& ref : references("airquality_ozone_month")) {
    if (ref.test != "kruskal") continue;
    EXPECT_NEAR(kw.h, ref.statistic, 1e-10);
    EXPECT_NEAR(kw.p, ref.p, 1e-12);
  }
  EXPECT_EQ(kw.df, 4u);
  EXPECT_EQ(kw.n, 116u);
}

TEST(WilcoxonRankSum, PairwiseHolmMatchesRWithTies) {
  const Airquality aq = airquality();
  const auto pairs = pairwise_wilcoxon_holm(aq.ozone, aq.month);
  ASSERT_EQ(pairs.size(), 10u);
  std::size_t checked = 0;
  for (const auto& ref : references("airquality_ozone_month")) {
    if (ref.test == "kruskal") continue;
    const std::size_t a = std::stoul(ref.a) - 5, b = std::stoul(ref.b) - 5;
    for (const auto& pair : pairs) {
      if (pair.group_a != a || pair.group_b != b) continue;
      EXPECT_FALSE(pair.test.exact);
      EXPECT_NEAR(ref.test == "wilcox_holm" ? pair.p_holm : pair.test.p, ref.p,
                  1e-12 + 1e-9 * ref.p)
          << ref.test << " " << ref.a << "-" << ref.b;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 20u);
}

TEST(WilcoxonRankSum, PairwiseExactMatchesRWithoutTies) {
  const CsvText csv = read_csv_file(kData + "/small_exact.csv");
  std::vector<double> values;
  std::vector<std::size_t> group;
  const std::map<std::string, std::size_t> index{{"g", 0}, {"x", 1}, {"y", 2}};  // R's level order
  for (const auto& row : csv.rows) {
    values.push_back(std::stod(row[csv.column("value")]));
    group.push_back(index.at(row[csv.column("group")]));
  }
  const KruskalWallis kw = kruskal_wallis(values, group);
  const auto pairs = pairwise_wilcoxon_holm(values, group);
  std::size_t checked = 0;
  for (const auto& ref : references("small_exact")) {
    if (ref.test == "kruskal") {
      EXPECT_NEAR(kw.h, ref.statistic, 1e-10);
      EXPECT_NEAR(kw.p, ref.p, 1e-12);
      continue;
    }
    for (const auto& pair : pairs) {
      if (pair.group_a != index.at(ref.a) || pair.group_b != index.at(ref.b)) continue;
      EXPECT_TRUE(pair.test.exact);
      EXPECT_NEAR(pair.p_holm, ref.p, 1e-12);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 3u);
}

TEST(Spearman, MatchesRWithTies) {
  const Airquality aq = airquality();
  const SpearmanCorrelation rho = spearman(aq.ozone, aq.temp);
  for (const auto& ref : references("airquality_ozone_temp"))
    EXPECT_NEAR(rho.rho, ref.statistic, 1e-12);
  EXPECT_EQ(rho.n, 116u);
  EXPECT_LT(rho.p, 1e-10);
  const SpearmanCorrelation perfect =
      spearman(std::vector<double>{1, 2, 3, 4}, std::vector<double>{10, 20, 30, 400});
  EXPECT_DOUBLE_EQ(perfect.rho, 1.0);
  EXPECT_TRUE(std::isnan(spearman(std::vector<double>{1, 2}, std::vector<double>{1, 2}).rho));
}

}  // namespace
}  // namespace minecarbon::stats
