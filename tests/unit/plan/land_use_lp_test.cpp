// The land-use LP (CLP, and CBC for the semi-continuous variant) against glpsol: every payoff
// entry and every ε-front point equals the values tests/data/plan_lp/oracle.py produced by
// running glpsol out of process on the same model files (reference_*.csv), to 1e-7 relative.
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <cmath>
#include <string>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/plan/land_use_lp.h"
#include "minecarbon/plan/land_use_tables.h"

namespace minecarbon::plan {
namespace {

const std::string kDir = std::string(MC_TEST_DATA_DIR) + "/plan_lp/";

LandUseTables model_tables(const std::string& class_limits = "class_limits.csv") {
  const toml::table doc = toml::parse_file(kDir + "model.toml");
  const toml::table& s = *doc["plan"]["optimise"].as_table();
  LandUseTables t;
  t.zones = read_csv_file(kDir + s["zones"].value_or(std::string()));
  t.coefficients = read_csv_file(kDir + s["coefficients"].value_or(std::string()));
  t.allowed = read_csv_file(kDir + s["allowed"].value_or(std::string()));
  t.class_limits = read_csv_file(kDir + class_limits);
  t.rows = read_csv_file(kDir + s["rows"].value_or(std::string()));
  for (const auto& o : *s["objectives"].as_array())
    t.objectives.push_back(o.value_or(std::string()));
  t.budget = s["budget"].value_or(0.0);
  t.budget_objective = s["budget_objective"].value_or(std::string());
  return t;
}

bool close(double a, double b) {
  return std::abs(a - b) <= 1e-7 * std::max(1.0, std::abs(b));
}

void expect_payoff_matches(const PayoffTable& payoff, const std::string& reference) {
  const CsvText ref = read_csv_file(kDir + reference);
  ASSERT_EQ(payoff.rows.size(), ref.rows.size());
  for (std::size_t row = 0; row < ref.rows.size(); ++row)
    for (std::size_t o = 0; o < 3; ++o)
      EXPECT_TRUE(close(payoff.rows[row].objective_values[o], ref.number(row, o + 1)))
          << reference << " row " << row + 1 << " objective " << ref.header[o + 1] << ": "
          << payoff.rows[row].objective_values[o] << " vs glpsol " << ref.number(row, o + 1);
}

void expect_front_matches(const EpsilonFront& front, const std::string& reference,
                          std::size_t grid) {
  const CsvText ref = read_csv_file(kDir + reference);
  ASSERT_EQ(front.grid_points, grid);
  ASSERT_EQ(ref.rows.size(), grid);
  std::size_t infeasible = 0;
  std::vector<bool> used(front.points.size(), false);
  const std::size_t first_value = ref.header.size() - 3;
  for (std::size_t row = 0; row < ref.rows.size(); ++row) {
    if (std::isnan(ref.number(row, first_value))) {
      ++infeasible;
      continue;
    }
    bool found = false;
    for (std::size_t p = 0; p < front.points.size() && !found; ++p) {
      bool all = true;
      for (std::size_t o = 0; o < 3; ++o)
        all = all && close(front.points[p].objective_values[o], ref.number(row, first_value + o));
      if (all) found = used[p] = true;
    }
    EXPECT_TRUE(found) << reference << " grid point " << ref.rows[row][0]
                       << " has no equal point on the front";
  }
  EXPECT_EQ(front.infeasible.size(), infeasible);
  for (std::size_t p = 0; p < front.points.size(); ++p)
    EXPECT_TRUE(used[p]) << "front point " << front.points[p].label << " is not in " << reference;
}

TEST(LandUseLp, RefusesASharAboveOne) {
  LandUseTables t = model_tables();
  t.class_limits->rows[0][3] = "1.5";
  try {
    land_use_model(t);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("class_limits.csv:2, column 'min_share'"),
              std::string::npos)
        << e.what();
  }
}

TEST(LandUseLp, PayoffEqualsGlpsol) {
  const LandUseModel m = land_use_model(model_tables());
  ASSERT_EQ(m.classes.size(), 6u);
  ASSERT_EQ(m.zones.size(), 3u);
  const PayoffTable payoff = payoff_table(m, {});
  EXPECT_FALSE(payoff.integer);
  expect_payoff_matches(payoff, "reference_lp_payoff.csv");
}

TEST(LandUseLp, EpsilonFrontEqualsGlpsol) {
  const LandUseModel m = land_use_model(model_tables());
  const LandUseSettings s;
  const PayoffTable payoff = payoff_table(m, s);
  const EpsilonFront front = epsilon_front(m, payoff, s);
  expect_front_matches(front, "reference_lp_front.csv", 121);
  EXPECT_GT(front.infeasible.size(), 0u);  // the corner of both other optima is out of reach
}

TEST(LandUseLp, MilpPayoffAndFrontEqualGlpsol) {
  const LandUseModel m = land_use_model(model_tables("class_limits_milp.csv"));
  LandUseSettings s;
  s.epsilon_points = 5;
  const PayoffTable payoff = payoff_table(m, s);
  EXPECT_TRUE(payoff.integer);
  expect_payoff_matches(payoff, "reference_milp_payoff.csv");
  expect_front_matches(epsilon_front(m, payoff, s), "reference_milp_front.csv", 25);
  // Every forest and pv patch is 0 or at least its minimum.
  for (const auto& row : payoff.rows)
    for (std::size_t z = 0; z < 3; ++z) {
      const double forest = row.area_ha[0 * 3 + z], pv = row.area_ha[4 * 3 + z];
      EXPECT_TRUE(forest < 1e-7 || forest >= 30 - 1e-7) << forest;
      EXPECT_TRUE(pv < 1e-7 || pv >= 25 - 1e-7) << pv;
    }
}

TEST(LandUseLp, BudgetDualIsTheCarbonOfOneMoreYuan) {
  LandUseModel m = land_use_model(model_tables());
  const PayoffTable payoff = payoff_table(m, {});
  const LandUsePoint& carbon = payoff.rows[0];
  double dual = NAN;
  for (const auto& r : carbon.rows)
    if (r.name == "budget") {
      dual = r.dual;
      EXPECT_TRUE(r.binding);
    }
  m.budget += 1.0;
  const double more = payoff_table(m, {}).rows[0].objective_values[0];
  EXPECT_NEAR(more - carbon.objective_values[0], dual, 1e-6);
  EXPECT_GT(dual, 0.0);
}

TEST(LandUseLp, WeightedAndFuzzyPointsLieWithinThePayoffRanges) {
  const LandUseModel m = land_use_model(model_tables());
  const PayoffTable payoff = payoff_table(m, {});
  const LandUsePoint fuzzy = fuzzy_compromise(m, payoff, {});
  EXPECT_GT(fuzzy.lambda, 0.0);
  EXPECT_LE(fuzzy.lambda, 1.0);
  for (std::size_t o = 0; o < 3; ++o) {
    const double mu =
        (fuzzy.objective_values[o] - payoff.worst[o]) / (payoff.best[o] - payoff.worst[o]);
    EXPECT_GE(mu, fuzzy.lambda - 1e-7);
  }
  const LandUsePoint w = weighted_sum(m, payoff, {});
  double total = 0.0;
  for (double a : w.area_ha)
    total += a;
  EXPECT_NEAR(total, 260.0, 1e-7);
}

TEST(LandUseLp, InfeasibleModelNamesTheBudget) {
  LandUseModel m = land_use_model(model_tables());
  m.budget = 2500.0;  // glpsol: INFEASIBLE (reference_status.csv)
  try {
    payoff_table(m, {});
    FAIL();
  } catch (const DataError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("no allocation satisfies every constraint"), std::string::npos) << what;
    EXPECT_NE(what.find("budget (bounds none .. 2500)"), std::string::npos) << what;
  }
}

TEST(LandUseLp, UnboundedModelNamesTheObjective) {
  LandUseModel m = land_use_model(model_tables());
  m.budget = kNoLimit;
  m.zone_area_rule = ZoneAreaRule::at_least;  // glpsol: UNBOUNDED (reference_status.csv)
  try {
    payoff_table(m, {});
    FAIL();
  } catch (const DataError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("objective 'carbon' alone' is unbounded"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace minecarbon::plan
