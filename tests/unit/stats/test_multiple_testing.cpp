// Benjamini–Hochberg and Bonferroni against R stats::p.adjust, NA included (tests/data/warning).
#include "minecarbon/stats/multiple_testing.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <stdexcept>
#include <vector>

#include "warning_series.h"

namespace minecarbon::stats {
namespace {

using testing::as_number;

TEST(PAdjust, EmptyAndAllMissingComeBackAsGiven) {
  EXPECT_TRUE(p_adjust({}, PAdjustMethod::benjamini_hochberg).empty());
  const std::vector<double> missing{NAN, NAN};
  for (double p : p_adjust(missing, PAdjustMethod::bonferroni))
    EXPECT_TRUE(std::isnan(p));
}

TEST(PAdjust, HandWorkedBenjaminiHochberg) {
  // Sorted 0.01 0.02 0.03 0.5 (m = 4): (4/1)·0.01 = 0.04, (4/2)·0.02 = 0.04, (4/3)·0.03 = 0.04,
  // 4/4·0.5 = 0.5; running minimum from the top leaves 0.04 0.04 0.04 0.5.
  const std::vector<double> p{0.5, 0.03, NAN, 0.01, 0.02};
  const std::vector<double> bh = p_adjust(p, PAdjustMethod::benjamini_hochberg);
  EXPECT_DOUBLE_EQ(bh[0], 0.5);
  EXPECT_DOUBLE_EQ(bh[1], 0.04);
  EXPECT_TRUE(std::isnan(bh[2]));
  EXPECT_DOUBLE_EQ(bh[3], 0.04);
  EXPECT_DOUBLE_EQ(bh[4], 0.04);
  const std::vector<double> bonferroni = p_adjust(p, PAdjustMethod::bonferroni);
  EXPECT_DOUBLE_EQ(bonferroni[0], 1.0);  // capped
  EXPECT_DOUBLE_EQ(bonferroni[3], 0.04);
}

TEST(PAdjust, ExplicitCountBelowThePValuesIsRefused) {
  const std::vector<double> p{0.1, 0.2, 0.3};
  EXPECT_THROW(p_adjust(p, PAdjustMethod::bonferroni, 2), std::invalid_argument);
  EXPECT_DOUBLE_EQ(p_adjust(p, PAdjustMethod::bonferroni, 10)[0], 1.0);
  EXPECT_DOUBLE_EQ(p_adjust(p, PAdjustMethod::benjamini_hochberg, 6)[0], 0.6);
}

TEST(PAdjust, EqualsRPAdjustBitForBit) {
  std::map<std::string, std::vector<std::map<std::string, std::string>>> sets;
  for (const auto& row : testing::expected_rows("p_adjust_expected.csv"))
    sets[row.at("set")].push_back(row);
  ASSERT_EQ(sets.size(), 6u);
  for (const auto& [name, rows] : sets) {
    SCOPED_TRACE(name);
    std::vector<double> p;
    for (const auto& row : rows)
      p.push_back(as_number(row.at("p")));
    const auto bh = p_adjust(p, PAdjustMethod::benjamini_hochberg);
    const auto bonferroni = p_adjust(p, PAdjustMethod::bonferroni);
    for (std::size_t idx = 0; idx < rows.size(); ++idx) {
      const double want_bh = as_number(rows[idx].at("bh"));
      const double want_bonferroni = as_number(rows[idx].at("bonferroni"));
      EXPECT_EQ(std::isnan(bh[idx]), std::isnan(want_bh)) << "row " << idx;
      EXPECT_EQ(std::isnan(bonferroni[idx]), std::isnan(want_bonferroni)) << "row " << idx;
      if (!std::isnan(want_bh)) EXPECT_EQ(bh[idx], want_bh) << "row " << idx;
      if (!std::isnan(want_bonferroni))
        EXPECT_EQ(bonferroni[idx], want_bonferroni) << "row " << idx;
    }
  }
}

}  // namespace
}  // namespace minecarbon::stats
