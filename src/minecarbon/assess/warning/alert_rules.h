// Alert levels and the rules that raise them (issue 12 §4; docs/warning.md, "Alert rules").
//
// A rule set is an ordered list of levels, lowest first (default "watch", "warning", "alarm"),
// and rules, each a level and a condition (rule_expression.h). For one series every rule is
// evaluated; the series gets the highest level among the rules that fire ("none" when none
// fires), and every rule that fires is recorded with the values of the statistics it names.
// Rules whose condition is unknown because a statistic was missing are recorded with the names
// of the missing statistics, so a report can say "rule 3 not decided: bfast_magnitude missing".
//
// In a project file:
//   [warning]
//   levels = ["watch", "warning", "alarm"]
//   [[warning.rule]]
//   level = "alarm"
//   when = "ets_damped_hi80_min < 0"
//   note = "sink -> source within the horizon"      # optional, echoed in outputs
// The shipped defaults (docs/warning.md §8, proposed in the issue 12 methods note) are data/warning_rules_default.toml, in the
// same form: a starting point, not a standard. Every mistake is a ConfigError naming the file,
// the line, the rule (1-based, in file order) and, for conditions, the character, with the
// condition and a caret under the spot:
//   project.toml:14: [warning.rule] rule 2 (level "alarm"): when: character 7: unknown
//   statistic 'ets_hi80'; did you mean ...
//       mk_z < ets_hi80
//              ^
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "minecarbon/assess/warning/rule_expression.h"
#include "minecarbon/assess/warning/statistic_names.h"

namespace minecarbon::assess::warning {

// "none": the level of a series no rule fired for; it cannot be a level name.
inline constexpr std::string_view kNoAlertLevel = "none";

struct AlertRule {
  int index = 0;  // 1-based, in the order given
  int level = 0;  // index into AlertRuleSet::levels
  std::string note;
  RuleExpression condition;
  int line = 0;  // where `when` was written (0: not from a file)
};

struct AlertRuleSet {
  std::string file;                 // where the rules came from, for messages and outputs
  std::vector<std::string> levels;  // lowest first
  std::vector<AlertRule> rules;
  const std::string& level_name(int level) const;  // "none" for −1
};

// A rule as written, before checking.
struct RuleText {
  std::string level;
  std::string when;
  std::string note;
  int line = 0;        // line of `when` (0: unknown)
  int level_line = 0;  // line of `level`
};

// Checks levels (at least one, unique, not empty or "none") and compiles every rule; throws
// ConfigError as described above.
AlertRuleSet compile_alert_rules(const std::vector<std::string>& levels,
                                 const std::vector<RuleText>& rules, const std::string& file,
                                 RuleScope scope = RuleScope::series,
                                 std::string_view section = "warning.rule");

// Reads `levels` and the array of tables `rule_key` ("rule": [[warning.rule]]) from the stage's
// table `section` of `file`. Without `levels` the default levels are used; without rules the set
// has none (the stage then takes the shipped defaults). Each rule table takes `level`, `when`
// and an optional `note`; anything else is refused with "did you mean".
AlertRuleSet read_alert_rules(const toml::table& section, const std::string& file,
                              RuleScope scope = RuleScope::series,
                              std::string_view rule_key = "rule",
                              std::string_view section_name = "warning");

// The default levels, lowest first.
std::vector<std::string> default_alert_levels();

struct RuleHit {
  int rule = 0;                                      // AlertRule::index
  int level = 0;                                     // its level
  std::vector<std::pair<Statistic, double>> values;  // the statistics it names, as used
};

struct UndecidedRule {
  int rule = 0;
  std::vector<Statistic> missing;  // named statistics that were NaN
};

struct AlertDecision {
  int level = -1;  // highest level among the hits; −1: none
  std::vector<RuleHit> hits;
  std::vector<UndecidedRule> undecided;
};

AlertDecision decide_alert(const AlertRuleSet& rules, const StatisticValues& values);

// The level alone, for per-pixel use: no allocation. −1 when no rule fires.
int alert_level(const AlertRuleSet& rules, std::span<const double> values);

}  // namespace minecarbon::assess::warning
