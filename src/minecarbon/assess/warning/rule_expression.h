// The condition of an alert rule: a small expression language over the statistics of one series
// (statistic_names.h), parsed once and evaluated per mine or per pixel. docs/warning.md,
// "Alert rules", is the user's description; this is the definition.
//
// Grammar (whitespace between tokens is ignored):
//   condition  := or
//   or         := and ("or" and)*                  left-associative
//   and        := not ("and" not)*                 left-associative
//   not        := "not" not | "(" or ")" | comparison
//   comparison := operand ("<" | "<=" | ">" | ">=" | "==" | "!=") operand
//   operand    := ["-"] (number | statistic)
//   number     := digits ["." digits] [("e" | "E") ["+" | "-"] digits]  or "." digits ...
//   statistic  := a name of kWarningStatistics ([A-Za-z_][A-Za-z0-9_]*)
// So "not" binds tighter than "and", "and" tighter than "or", and comparisons tightest:
//   not a < 1 and b > 2 or c == 0   is   ((not (a < 1)) and (b > 2)) or (c == 0).
// Comparisons do not chain (a < b < c is an error: write a < b and b < c); parentheses group
// conditions, not operands; keywords are lower case.
//
// Missing values. A statistic the stage could not compute is NaN. A comparison with a NaN
// operand is neither true nor false but unknown, and unknown propagates as in SQL's three-valued
// logic (Kleene): not unknown = unknown; false and unknown = false; true or unknown = true;
// otherwise and/or with an unknown operand is unknown. A rule fires only when its condition is
// true. So a comparison with NaN never makes a rule fire, and neither does its negation:
// "not (mk_p < 0.05)" does not fire for a series too short for the Mann–Kendall test. The
// evaluation reports the statistics that were missing, so an undecided rule can say why.
// Infinite values compare as IEEE numbers.
//
// Errors: parse() throws RuleSyntaxError with the 1-based character position (Unicode code
// points, so a caret under the text lines up) and a message saying what was expected;
// alert_rules.h adds the file, line and rule.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/assess/warning/statistic_names.h"
#include "minecarbon/core/errors.h"

namespace minecarbon::assess::warning {

// Which statistics a rule may name: every one (per series), or only those the per-pixel pass
// computes (StatisticInfo::per_pixel).
enum class RuleScope { series, pixel };

class RuleSyntaxError : public ConfigError {
 public:
  RuleSyntaxError(std::size_t position, std::string problem)
      : ConfigError("character " + std::to_string(position) + ": " + problem),
        position_(position),
        problem_(std::move(problem)) {}
  std::size_t position() const { return position_; }  // 1-based character
  const std::string& problem() const { return problem_; }

 private:
  std::size_t position_;
  std::string problem_;
};

enum class Truth : std::uint8_t { false_, true_, unknown };

// Values of the statistics of one series, NaN until set.
class StatisticValues {
 public:
  StatisticValues();
  void set(Statistic id, double value) { values_[static_cast<std::size_t>(id)] = value; }
  double get(Statistic id) const { return values_[static_cast<std::size_t>(id)]; }
  // By name; std::invalid_argument for a name not in kWarningStatistics.
  void set(std::string_view name, double value);
  std::span<const double> values() const { return values_; }

 private:
  std::array<double, kStatisticCount> values_;
};

enum class CompareOp : std::uint8_t { less, less_equal, greater, greater_equal, equal, not_equal };

class RuleExpression {
 public:
  // Throws RuleSyntaxError.
  static RuleExpression parse(std::string_view text, RuleScope scope = RuleScope::series);

  // Three-valued result on `values` (indexed by Statistic).
  Truth evaluate(std::span<const double> values) const;
  Truth evaluate(const StatisticValues& values) const { return evaluate(values.values()); }

  // The statistics the condition names, each once, in order of first appearance.
  const std::vector<Statistic>& statistics() const { return statistics_; }
  const std::string& text() const { return text_; }
  // Fully parenthesised form, for tests and messages: "((a < 1) and (not (b >= -2)))".
  std::string canonical() const;

 private:
  friend class RuleParser;
  struct Operand {
    bool is_statistic = false;
    Statistic statistic{};
    double number = 0;
    bool negate = false;
  };
  enum class Kind : std::uint8_t { or_, and_, not_, compare };
  struct Node {
    Kind kind = Kind::compare;
    int first = -1, second = -1;  // children (second unused by not)
    CompareOp op = CompareOp::less;
    Operand left, right;
  };
  Truth evaluate_node(int node, std::span<const double> values) const;
  std::string canonical_node(int node) const;
  std::string text_;
  std::vector<Node> nodes_;
  int root_ = -1;
  std::vector<Statistic> statistics_;
};

// The caret line under a condition: spaces up to `position` (1-based character), then '^'.
std::string caret_line(std::size_t position);

}  // namespace minecarbon::assess::warning
