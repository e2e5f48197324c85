// Alert levels and rule tables (assess/warning/alert_rules.h): reading [warning] from TOML, the
// errors with file, line, rule and caret, the decision (highest level wins, every hit with its
// values, undecided rules with their missing statistics), the shipped default rules, and the
// statistic list.
#include "minecarbon/assess/warning/alert_rules.h"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace minecarbon::assess::warning {
namespace {

AlertRuleSet read(std::string_view text, RuleScope scope = RuleScope::series) {
  const toml::table root = toml::parse(text, std::string_view("project.toml"));
  return read_alert_rules(*root["warning"].as_table(), "project.toml", scope);
}

std::string error_of(std::string_view text) {
  try {
    read(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

::testing::AssertionResult contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << part << "' not in:\n" << text;
}

TEST(AlertRules, NoRulesGiveTheDefaultLevelsAndNoAlert) {
  const AlertRuleSet rules = read("[warning]\n");
  EXPECT_EQ(rules.levels, default_alert_levels());
  EXPECT_TRUE(rules.rules.empty());
  const AlertDecision decision = decide_alert(rules, StatisticValues{});
  EXPECT_EQ(decision.level, -1);
  EXPECT_EQ(rules.level_name(decision.level), "none");
}

TEST(AlertRules, BadLevelListsAreConfigErrors) {
  EXPECT_TRUE(contains(error_of("[warning]\nlevels = []\n"), "needs at least one level"));
  EXPECT_TRUE(
      contains(error_of("[warning]\nlevels = [\"a\", \"b\", \"a\"]\n"), "\"a\" is listed twice"));
  EXPECT_TRUE(contains(error_of("[warning]\nlevels = [\"none\"]\n"), "cannot be a level name"));
  EXPECT_TRUE(contains(error_of("[warning]\nlevels = \"alarm\"\n"),
                       "project.toml:2: [warning] levels: expected a list"));
  EXPECT_TRUE(contains(error_of("[warning]\nlevels = [1]\n"), "every level must be a string"));
}

TEST(AlertRules, UnknownLevelNamesFileLineRuleAndSuggests) {
  const std::string message = error_of(R"([warning]
levels = ["watch", "alarm"]

[[warning.rule]]
level = "watch"
when = "mk_z < 0"

[[warning.rule]]
level = "alrm"
when = "mk_z < -2"
)");
  EXPECT_TRUE(contains(message,
                       "project.toml:9: [warning.rule] rule 2: level = \"alrm\" is not a "
                       "level; the levels are \"watch\", \"alarm\"; did you mean "
                       "\"alarm\"?"));
}

TEST(AlertRules, ConditionErrorShowsTheRuleAndACaret) {
  const std::string message = error_of(R"([warning]
[[warning.rule]]
level = "alarm"
when = "mk_z < ets_hi80"
)");
  EXPECT_TRUE(contains(message,
                       "project.toml:4: [warning.rule] rule 1 (level \"alarm\"): when: "
                       "character 8: unknown statistic 'ets_hi80'"));
  EXPECT_TRUE(contains(message, "\n    mk_z < ets_hi80\n           ^"));
}

TEST(AlertRules, RuleTablesTakeLevelWhenAndNoteOnly) {
  EXPECT_TRUE(contains(error_of("[warning]\n[[warning.rule]]\nlevel = \"alarm\"\nwen = \"mk_z < "
                                "0\"\n"),
                       "project.toml:4: [warning.rule] rule 1: unknown key 'wen'; a rule has "
                       "level, when and note; did you mean 'when'?"));
  EXPECT_TRUE(contains(error_of("[warning]\n[[warning.rule]]\nlevel = \"alarm\"\n"),
                       "project.toml:2: [warning.rule] rule 1: missing when"));
  EXPECT_TRUE(contains(error_of("[warning]\n[[warning.rule]]\nwhen = \"mk_z < 0\"\n"),
                       "rule 1: missing level"));
  EXPECT_TRUE(contains(error_of("[warning]\n[[warning.rule]]\nlevel = 3\nwhen = \"mk_z < 0\"\n"),
                       "project.toml:3: [warning.rule] rule 1: level must be a string"));
  EXPECT_TRUE(
      contains(error_of("[warning]\nrule = \"mk_z < 0\"\n"), "expected [[warning.rule]] tables"));
}

TEST(AlertRules, HighestLevelWinsAndEveryHitKeepsItsValues) {
  const AlertRuleSet rules = read(R"([warning]
levels = ["watch", "warning", "alarm"]
[[warning.rule]]
level = "alarm"
when = "last_value < 0"
[[warning.rule]]
level = "watch"
when = "mk_z < 0 and mk_p_bh < 0.05"
note = "decline"
[[warning.rule]]
level = "warning"
when = "pettitt_p < 0.05"
)");
  ASSERT_EQ(rules.rules.size(), 3u);
  EXPECT_EQ(rules.rules[1].note, "decline");
  EXPECT_EQ(rules.rules[1].line, 8);
  StatisticValues values;
  values.set(Statistic::mk_z, -3.0);
  values.set(Statistic::mk_p_bh, 0.01);
  values.set(Statistic::last_value, 5.0);
  // pettitt_p missing: rule 3 undecided, rule 1 false, rule 2 fires.
  AlertDecision decision = decide_alert(rules, values);
  EXPECT_EQ(rules.level_name(decision.level), "watch");
  ASSERT_EQ(decision.hits.size(), 1u);
  EXPECT_EQ(decision.hits[0].rule, 2);
  ASSERT_EQ(decision.hits[0].values.size(), 2u);
  EXPECT_EQ(decision.hits[0].values[0].first, Statistic::mk_z);
  EXPECT_EQ(decision.hits[0].values[0].second, -3.0);
  EXPECT_EQ(decision.hits[0].values[1].second, 0.01);
  ASSERT_EQ(decision.undecided.size(), 1u);
  EXPECT_EQ(decision.undecided[0].rule, 3);
  ASSERT_EQ(decision.undecided[0].missing.size(), 1u);
  EXPECT_EQ(decision.undecided[0].missing[0], Statistic::pettitt_p);

  values.set(Statistic::pettitt_p, 0.01);
  values.set(Statistic::last_value, -1.0);
  decision = decide_alert(rules, values);
  EXPECT_EQ(rules.level_name(decision.level), "alarm");
  ASSERT_EQ(decision.hits.size(), 3u);  // every hit recorded, in rule order
  EXPECT_EQ(decision.hits[0].rule, 1);
  EXPECT_EQ(decision.hits[2].rule, 3);
  EXPECT_TRUE(decision.undecided.empty());
  EXPECT_EQ(alert_level(rules, values.values()), decision.level);
}

TEST(AlertRules, PixelScopeRefusesSeriesOnlyStatistics) {
  const std::string text =
      "[warning]\n[[warning.rule]]\nlevel = \"alarm\"\nwhen = \"cusum_alarms > 0\"\n";
  EXPECT_NO_THROW(read(text, RuleScope::series));
  EXPECT_THROW(read(text, RuleScope::pixel), ConfigError);
}

// The shipped defaults: each rule fires on its own planted case and on no other.
class DefaultRules : public ::testing::Test {
 protected:
  static AlertRuleSet load() {
    const std::string path = std::string(MC_SOURCE_DIR) + "/data/warning_rules_default.toml";
    const toml::table root = toml::parse_file(path);
    return read_alert_rules(*root["warning"].as_table(), "data/warning_rules_default.toml");
  }
  // A healthy sink: nothing declines, nothing breaks, forecasts stay positive.
  static StatisticValues quiet() {
    StatisticValues v;
    v.set(Statistic::mk_z, 0.4);
    v.set(Statistic::mk_p_bh, 0.7);
    v.set(Statistic::bfast_break, 0);
    v.set(Statistic::bfast_magnitude, 2.0);
    v.set(Statistic::pettitt_p, 0.6);
    v.set(Statistic::pettitt_shift, 5.0);
    v.set(Statistic::pettitt_age_yr, 6);
    v.set(Statistic::ets_damped_hi80_min, 80.0);
    v.set(Statistic::theil_sen_hi80_min, 90.0);
    v.set(Statistic::last_value, 120.0);
    v.set(Statistic::sink_years_before_last, 12);
    return v;  // cusum_alarm_age_yr stays NaN: no Page CUSUM alarm
  }
};

TEST_F(DefaultRules, ShipsThreeLevelsAndSevenRules) {
  const AlertRuleSet rules = load();
  EXPECT_EQ(rules.levels, (std::vector<std::string>{"watch", "warning", "alarm"}));
  ASSERT_EQ(rules.rules.size(), 7u);
  for (const AlertRule& rule : rules.rules)
    EXPECT_FALSE(rule.note.empty()) << "rule " << rule.index;
  EXPECT_EQ(decide_alert(rules, quiet()).hits.size(), 0u);
}

TEST_F(DefaultRules, EachRuleFiresOnItsPlantedCaseOnly) {
  const AlertRuleSet rules = load();
  struct Case {
    std::vector<std::pair<Statistic, double>> set;
    int rule;  // the one that must fire; 0: none
  };
  const std::vector<Case> cases{
      {{{Statistic::mk_z, -3.1}, {Statistic::mk_p_bh, 0.004}}, 1},
      {{{Statistic::mk_z, -3.1}, {Statistic::mk_p_bh, 0.05}}, 0},  // not significant after BH
      {{{Statistic::cusum_alarm_age_yr, 2}}, 2},
      {{{Statistic::cusum_alarm_age_yr, 3}}, 0},  // 4 years ago
      {{{Statistic::bfast_break, 1}, {Statistic::bfast_magnitude, -40}}, 3},
      {{{Statistic::bfast_break, 1}, {Statistic::bfast_magnitude, 10}}, 0},  // a rise
      {{{Statistic::pettitt_p, 0.01},
        {Statistic::pettitt_shift, -60},
        {Statistic::pettitt_age_yr, 4}},
       4},
      {{{Statistic::pettitt_p, 0.01},
        {Statistic::pettitt_shift, -60},
        {Statistic::pettitt_age_yr, 10}},
       0},
      {{{Statistic::ets_damped_hi80_min, -5}}, 5},
      {{{Statistic::theil_sen_hi80_min, -5}}, 6},
      {{{Statistic::last_value, -12}, {Statistic::sink_years_before_last, 3}}, 7},
      {{{Statistic::last_value, -12}, {Statistic::sink_years_before_last, 2}}, 0},
  };
  for (std::size_t idx = 0; idx < cases.size(); ++idx) {
    SCOPED_TRACE("case " + std::to_string(idx));
    StatisticValues values = quiet();
    for (const auto& [statistic, value] : cases[idx].set)
      values.set(statistic, value);
    const AlertDecision decision = decide_alert(rules, values);
    if (cases[idx].rule == 0) {
      EXPECT_TRUE(decision.hits.empty());
      EXPECT_EQ(decision.level, -1);
      continue;
    }
    ASSERT_EQ(decision.hits.size(), 1u);
    EXPECT_EQ(decision.hits[0].rule, cases[idx].rule);
    EXPECT_EQ(decision.level, rules.rules[static_cast<std::size_t>(cases[idx].rule - 1)].level);
  }
}

TEST(StatisticNames, UniqueSnakeCaseAndFoundByName) {
  std::set<std::string_view> seen;
  for (const StatisticInfo& info : kWarningStatistics) {
    EXPECT_TRUE(seen.insert(info.name).second) << info.name;
    for (char c : info.name)
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') << info.name;
    EXPECT_NE(info.name, "and");
    EXPECT_EQ(find_statistic(info.name), info.id);
    EXPECT_FALSE(info.doc.empty());
  }
  EXPECT_FALSE(find_statistic("mk_zz").has_value());
  EXPECT_EQ(nearest_statistic("pettit_p"), "pettitt_p");
}

TEST(StatisticNames, ListingAndDocsNameEveryStatistic) {
  const std::string listing = statistics_listing();
  std::ifstream in(std::string(MC_SOURCE_DIR) + "/docs/warning.md");
  ASSERT_TRUE(in) << "docs/warning.md";
  std::stringstream docs;
  docs << in.rdbuf();
  for (const StatisticInfo& info : kWarningStatistics) {
    EXPECT_TRUE(contains(listing, std::string(info.name) + " "));
    EXPECT_TRUE(contains(docs.str(), "`" + std::string(info.name) + "`"));
  }
}

}  // namespace
}  // namespace minecarbon::assess::warning
