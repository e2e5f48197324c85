// The classify stage (assess/classify.h): rules worked by hand in one and two dimensions, groups,
// recommendations, damage values over the years, and the errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "minecarbon/assess/classify.h"
#include "minecarbon/assess/classify_tables.h"
#include "minecarbon/assess/damage.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"

namespace mc = minecarbon;
namespace as = minecarbon::assess;

namespace {

as::ClassifyInputs inputs_of(const std::vector<double>& values,
                             const std::vector<double>& second = {}) {
  as::ClassifyInputs in;
  for (std::size_t idx = 0; idx < values.size(); ++idx)
    in.mine_ids.push_back("M" + std::to_string(idx + 1));
  in.value = {"nep_ref_gC_m2_yr", "test", values};
  if (!second.empty()) in.second = as::ClassifyVariable{"nep_gap_gC_m2_yr", "test", second};
  return in;
}

std::vector<std::string> classes_of(const as::ClassifyResult& r) {
  std::vector<std::string> out;
  for (const auto& m : r.mines)
    out.push_back(m.class_name);
  return out;
}

}  // namespace

TEST(Classify, ThresholdsNeedBothValues) {
  as::ClassifyParams p;
  p.rule = as::ClassRule::thresholds;
  p.high_min = 100;
  EXPECT_THROW(p.validate(), mc::ConfigError);
  p.low_max = 200;  // above high_min
  EXPECT_THROW(p.validate(), mc::ConfigError);
  p.low_max = 50;
  EXPECT_NO_THROW(p.validate());
}

TEST(Classify, OneClassIsAConfigError) {
  as::ClassifyParams p;
  p.classes = 1;
  EXPECT_THROW(p.validate(), mc::ConfigError);
}

TEST(Classify, ThresholdsByHand) {
  // low <= 50 < medium < 100 <= high; the thresholds themselves fall to low and high.
  as::ClassifyParams p;
  p.rule = as::ClassRule::thresholds;
  p.low_max = 50;
  p.high_min = 100;
  as::ClassifyInputs in = inputs_of({10, 50, 50.5, 99.9, 100, 300, NAN});
  in.recommendations = {{"high", "forest", "s"}, {"low", "PV", "s"}};
  const as::ClassifyResult r = as::run_classify(p, in, mc::RunContext{});
  EXPECT_EQ(classes_of(r),
            (std::vector<std::string>{"low", "low", "medium", "medium", "high", "high", ""}));
  EXPECT_EQ(r.mines[5].recommended_use, "forest");
  EXPECT_EQ(r.mines[0].recommended_use, "PV");
  EXPECT_EQ(r.mines[2].recommended_use, "");  // no medium row given
  EXPECT_EQ(r.summary["counts"]["classified"], 6);
  EXPECT_EQ(r.warnings.size(), 1u);  // M7 has no value
  ASSERT_EQ(r.breaks.size(), 3u);
  EXPECT_EQ(r.breaks[0].n_mines, 2u);
  EXPECT_DOUBLE_EQ(r.breaks[0].upper, 50);
  EXPECT_DOUBLE_EQ(r.breaks[2].lower, 100);
  EXPECT_DOUBLE_EQ(r.breaks[2].class_mean, 200);
}

TEST(Classify, TwoDimensionsByHand) {
  // Native NEP × gap, thresholds on each: 9 cells, high/high the priority.
  as::ClassifyParams p;
  p.rule = as::ClassRule::thresholds;
  p.low_max = 100;
  p.high_min = 300;
  p.second_low_max = 50;
  p.second_high_min = 150;
  as::ClassifyInputs in = inputs_of({400, 400, 200, 50, 350}, {200, 10, 100, 300, 150});
  in.recommendations = {{"high", "forest", "s"}, {"high/low", "grass first", "s"}};
  const as::ClassifyResult r = as::run_classify(p, in, mc::RunContext{});
  std::vector<std::string> cells;
  for (const auto& m : r.mines)
    cells.push_back(m.cell);
  EXPECT_EQ(cells, (std::vector<std::string>{"high/high", "high/low", "medium/medium", "low/high",
                                             "high/high"}));
  EXPECT_TRUE(r.mines[0].priority);
  EXPECT_FALSE(r.mines[1].priority);
  EXPECT_TRUE(r.mines[4].priority);
  EXPECT_EQ(r.summary["counts"]["priority"], 2);
  EXPECT_EQ(r.mines[1].recommended_use, "grass first");  // the cell's row wins
  EXPECT_EQ(r.mines[0].recommended_use, "forest");
  const as::ClassifyTables t = as::to_tables(r, "thresholds");
  EXPECT_EQ(t.mine_class.row_count(), 5u);
  EXPECT_EQ(t.breaks.row_count(), 6u);
}

TEST(Classify, FisherPerGroupRecoversPlantedGroups) {
  // Two regions, each with three well-separated NEP levels at its own scale.
  as::ClassifyParams p;
  p.group_by = "region";
  std::vector<double> v;
  std::vector<std::string> groups, truth;
  const char* names[3] = {"low", "medium", "high"};
  for (int idx = 0; idx < 30; ++idx) {
    const int level = idx % 3;
    const bool north = idx < 15;
    v.push_back((north ? 100.0 : 1000.0) * (level + 1) + idx * 0.1);
    groups.push_back(north ? "north" : "south");
    truth.push_back(names[level]);
  }
  as::ClassifyInputs in = inputs_of(v);
  in.groups = groups;
  const as::ClassifyResult r = as::run_classify(p, in, mc::RunContext{});
  EXPECT_EQ(classes_of(r), truth);
  ASSERT_EQ(r.breaks.size(), 6u);
  EXPECT_EQ(r.breaks[0].group, "north");
  EXPECT_EQ(r.breaks[3].group, "south");
  // Both break conventions are reported: jenks = the class's last member.
  EXPECT_DOUBLE_EQ(r.breaks[0].jenks_break, r.breaks[0].last_member);
  EXPECT_DOUBLE_EQ(r.breaks[0].fisher_break,
                   (r.breaks[0].last_member + r.breaks[1].first_member) / 2);
}

TEST(Classify, TooFewDistinctValuesNamesTheGroup) {
  as::ClassifyParams p;
  p.group_by = "region";
  as::ClassifyInputs in = inputs_of({1, 2, 3, 5, 5, 5});
  in.groups = {"a", "a", "a", "b", "b", "b"};
  try {
    as::run_classify(p, in, mc::RunContext{});
    FAIL() << "expected DataError";
  } catch (const mc::DataError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("group 'b'"), std::string::npos) << m;
    EXPECT_NE(m.find("nep_ref_gC_m2_yr"), std::string::npos) << m;
  }
}

TEST(Classify, DamageValuesLastYearAndMean) {
  as::DamageResult d;
  d.years = {2000, 2001, 2002};
  d.mines.resize(2);
  d.mines[0].mine_id = "A";
  d.mines[1].mine_id = "B";
  auto year = [&](std::size_t mine, int y, double q, double o) {
    as::MineYearRecord r;
    r.mine = mine;
    r.year = y;
    r.nep_mine_gC_m2_yr = q;
    r.nep_ref_gC_m2_yr = o;
    d.mine_years.push_back(r);
  };
  year(0, 2000, 100, 300);
  year(0, 2001, 150, 300);
  year(0, 2002, 200, 330);
  year(1, 2000, 50, 60);
  year(1, 2001, 60, 70);
  year(1, 2002, NAN, 80);
  const std::vector<std::string> ids{"B", "A", "C"};
  const auto last = as::damage_variable(d, as::ClassifyValue::nep_gap, as::YearSummary::last, ids);
  EXPECT_TRUE(std::isnan(last.values[0]));  // B's Q missing in 2002
  EXPECT_DOUBLE_EQ(last.values[1], 130);
  EXPECT_TRUE(std::isnan(last.values[2]));  // C not in damage
  const auto mean = as::damage_variable(d, as::ClassifyValue::nep_gap, as::YearSummary::mean, ids);
  EXPECT_DOUBLE_EQ(mean.values[0], 10);  // (10 + 10) / 2, 2002 skipped
  EXPECT_DOUBLE_EQ(mean.values[1], (200.0 + 150.0 + 130.0) / 3);
  const auto ref = as::damage_variable(d, as::ClassifyValue::nep_ref, as::YearSummary::mean, ids);
  EXPECT_DOUBLE_EQ(ref.values[0], 70);
  EXPECT_EQ(ref.name, "nep_ref_gC_m2_yr");
}
