// The one override rule of factor tables (assess/factor_table.h, docs/factor_tables.md): user rows
// replace every shipped row with the same key, the other shipped rows stay, and every row keeps
// its source.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "minecarbon/assess/factor_table.h"

namespace minecarbon::assess {
namespace {

struct Row {
  std::string key;
  double value = 0;
  std::string origin;  // file:line
};

std::vector<Row> shipped() {
  return {{"pine", 1.0, "data/t.csv:2"},
          {"oak", 2.0, "data/t.csv:3"},
          {"oak", 2.5, "data/t.csv:4"},  // a key with two rows (two classes)
          {"fir", 3.0, "data/t.csv:5"}};
}

auto key_of = [](const Row& r) { return r.key; };

TEST(FactorTable, UserRowsReplaceEveryShippedRowOfTheirKeyAndTheRestStays) {
  const std::vector<Row> user = {{"oak", 9.0, "mine.csv:2"}, {"birch", 4.0, "mine.csv:3"}};
  const std::vector<Row> merged = merge_factor_rows(shipped(), user, key_of);
  ASSERT_EQ(merged.size(), 4u);
  EXPECT_EQ(merged[0].origin, "data/t.csv:2");  // pine stays
  EXPECT_EQ(merged[1].origin, "data/t.csv:5");  // fir stays
  EXPECT_EQ(merged[2].origin, "mine.csv:2");    // both shipped oak rows replaced by the user's one
  EXPECT_EQ(merged[2].value, 9.0);
  EXPECT_EQ(merged[3].origin, "mine.csv:3");  // a new key is added
  for (const Row& r : merged)
    EXPECT_FALSE(r.key == "oak" && r.origin.rfind("data/", 0) == 0) << r.origin;
}

TEST(FactorTable, NoUserRowsKeepsTheShippedTableAsItIs) {
  const std::vector<Row> merged = merge_factor_rows(shipped(), std::vector<Row>{}, key_of);
  ASSERT_EQ(merged.size(), 4u);
  for (std::size_t idx = 0; idx < merged.size(); ++idx)
    EXPECT_EQ(merged[idx].origin, shipped()[idx].origin);
}

TEST(FactorTable, SeveralUserRowsOfOneKeyAreAllKeptInTheirOrder) {
  const std::vector<Row> user = {{"pine", 5.0, "mine.csv:2"}, {"pine", 6.0, "mine.csv:3"}};
  const std::vector<Row> merged = merge_factor_rows(shipped(), user, key_of);
  ASSERT_EQ(merged.size(), 5u);
  EXPECT_EQ(merged[3].origin, "mine.csv:2");
  EXPECT_EQ(merged[4].origin, "mine.csv:3");
}

TEST(FactorTable, CompositeKeysCompareEveryPart) {
  struct Factor {
    std::string land_use, level;
    double value;
  };
  const std::vector<Factor> base = {{"cropland", "full_tillage", 1.0},
                                    {"cropland", "no_till", 1.1}};
  const std::vector<Factor> mine = {{"cropland", "no_till", 1.2}};
  const auto merged = merge_factor_rows(
      base, mine, [](const Factor& f) { return std::make_pair(f.land_use, f.level); });
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].level, "full_tillage");
  EXPECT_EQ(merged[0].value, 1.0);
  EXPECT_EQ(merged[1].value, 1.2);
}

}  // namespace
}  // namespace minecarbon::assess
