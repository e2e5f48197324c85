#include "minecarbon/assess/warning/alert_rules.h"

#include <cmath>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/options.h"

namespace minecarbon::assess::warning {
namespace {

std::string where(const std::string& file, int line, std::string_view section) {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  return out + ": [" + std::string(section) + "]";
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t idx = 0; idx < names.size(); ++idx)
    out += (idx > 0 ? ", \"" : "\"") + names[idx] + "\"";
  return out;
}

int line_of(const toml::node& node) {
  return static_cast<int>(node.source().begin.line);
}

}  // namespace

const std::string& AlertRuleSet::level_name(int level) const {
  static const std::string none(kNoAlertLevel);
  if (level < 0 || level >= static_cast<int>(levels.size())) return none;
  return levels[static_cast<std::size_t>(level)];
}

std::vector<std::string> default_alert_levels() {
  return {"watch", "warning", "alarm"};
}

AlertRuleSet compile_alert_rules(const std::vector<std::string>& levels,
                                 const std::vector<RuleText>& rules, const std::string& file,
                                 RuleScope scope, std::string_view section) {
  AlertRuleSet out;
  out.file = file;
  const std::string level_where = where(file, 0, section.substr(0, section.find('.')));
  if (levels.empty())
    throw ConfigError(level_where +
                      " levels = []: needs at least one level, lowest first, "
                      "e.g. levels = [\"watch\", \"warning\", \"alarm\"]");
  for (std::size_t idx = 0; idx < levels.size(); ++idx) {
    const std::string& level = levels[idx];
    if (level.empty() || level == kNoAlertLevel)
      throw ConfigError(level_where + " levels: \"" + level + "\" cannot be a level name (\"" +
                        std::string(kNoAlertLevel) +
                        "\" marks a series no rule fired for); choose another name");
    for (std::size_t before = 0; before < idx; ++before) {
      if (levels[before] == level)
        throw ConfigError(level_where + " levels: \"" + level +
                          "\" is listed twice; each level once, lowest first");
    }
  }
  out.levels = levels;
  for (std::size_t idx = 0; idx < rules.size(); ++idx) {
    const RuleText& text = rules[idx];
    const int index = static_cast<int>(idx) + 1;
    const std::string rule_where = " rule " + std::to_string(index);
    int level = -1;
    for (std::size_t known = 0; known < levels.size(); ++known)
      if (levels[known] == text.level) level = static_cast<int>(known);
    if (level < 0) {
      const std::string best = nearest_key(text.level, levels);
      throw ConfigError(where(file, text.level_line > 0 ? text.level_line : text.line, section) +
                        rule_where + ": level = \"" + text.level +
                        "\" is not a level; the levels are " + quoted_list(levels) +
                        (best.empty() ? "" : "; did you mean \"" + best + "\"?"));
    }
    try {
      AlertRule rule;
      rule.index = index;
      rule.level = level;
      rule.note = text.note;
      rule.line = text.line;
      rule.condition = RuleExpression::parse(text.when, scope);
      out.rules.push_back(std::move(rule));
    } catch (const RuleSyntaxError& e) {
      throw ConfigError(where(file, text.line, section) + rule_where + " (level \"" + text.level +
                        "\"): when: character " + std::to_string(e.position()) + ": " +
                        e.problem() + "\n    " + text.when + "\n    " + caret_line(e.position()));
    }
  }
  return out;
}

AlertRuleSet read_alert_rules(const toml::table& section, const std::string& file, RuleScope scope,
                              std::string_view rule_key, std::string_view section_name) {
  const std::string rules_section = std::string(section_name) + "." + std::string(rule_key);
  std::vector<std::string> levels = default_alert_levels();
  if (const toml::node* node = section.get("levels")) {
    const std::string at = where(file, line_of(*node), section_name) + " levels";
    const toml::array* array = node->as_array();
    if (!array) throw ConfigError(at + ": expected a list of level names, lowest first");
    levels.clear();
    for (const toml::node& entry : *array) {
      const auto name = entry.value<std::string>();
      if (!name) throw ConfigError(at + ": every level must be a string");
      levels.push_back(*name);
    }
  }
  std::vector<RuleText> texts;
  if (const toml::node* node = section.get(rule_key)) {
    const toml::array* array = node->as_array();
    if (!array || !array->is_array_of_tables())
      throw ConfigError(where(file, line_of(*node), section_name) + " " + std::string(rule_key) +
                        ": expected [[" + rules_section + "]] tables, each with level and when");
    int index = 0;
    for (const toml::node& entry : *array) {
      ++index;
      const toml::table& table = *entry.as_table();
      RuleText text;
      text.line = line_of(table);
      const std::string at_rule =
          where(file, line_of(table), rules_section) + " rule " + std::to_string(index);
      for (const auto& [key, value] : table) {
        const std::string name(key.str());
        if (name != "level" && name != "when" && name != "note") {
          const std::string best = nearest_key(name, {"level", "when", "note"});
          throw ConfigError(where(file, line_of(value), rules_section) + " rule " +
                            std::to_string(index) + ": unknown key '" + name +
                            "'; a rule has level, when and note" +
                            (best.empty() ? "" : "; did you mean '" + best + "'?"));
        }
        const auto string_value = value.value<std::string>();
        if (!string_value)
          throw ConfigError(where(file, line_of(value), rules_section) + " rule " +
                            std::to_string(index) + ": " + name + " must be a string");
        if (name == "level") {
          text.level = *string_value;
          text.level_line = line_of(value);
        } else if (name == "when") {
          text.when = *string_value;
          text.line = line_of(value);
        } else {
          text.note = *string_value;
        }
      }
      if (!table.contains("level"))
        throw ConfigError(at_rule + ": missing level = \"...\" (one of " + quoted_list(levels) +
                          ")");
      if (!table.contains("when"))
        throw ConfigError(at_rule +
                          ": missing when = \"...\", the condition, e.g. "
                          "when = \"mk_z < 0 and mk_p_bh < 0.05\"");
      texts.push_back(std::move(text));
    }
  }
  return compile_alert_rules(levels, texts, file, scope, rules_section);
}

AlertDecision decide_alert(const AlertRuleSet& rules, const StatisticValues& values) {
  AlertDecision decision;
  for (const AlertRule& rule : rules.rules) {
    const Truth truth = rule.condition.evaluate(values);
    if (truth == Truth::true_) {
      RuleHit hit;
      hit.rule = rule.index;
      hit.level = rule.level;
      for (Statistic statistic : rule.condition.statistics())
        hit.values.emplace_back(statistic, values.get(statistic));
      decision.level = std::max(decision.level, rule.level);
      decision.hits.push_back(std::move(hit));
    } else if (truth == Truth::unknown) {
      UndecidedRule undecided{rule.index, {}};
      for (Statistic statistic : rule.condition.statistics())
        if (std::isnan(values.get(statistic))) undecided.missing.push_back(statistic);
      decision.undecided.push_back(std::move(undecided));
    }
  }
  return decision;
}

int alert_level(const AlertRuleSet& rules, std::span<const double> values) {
  int level = -1;
  for (const AlertRule& rule : rules.rules) {
    if (rule.level > level && rule.condition.evaluate(values) == Truth::true_) level = rule.level;
  }
  return level;
}

}  // namespace minecarbon::assess::warning
