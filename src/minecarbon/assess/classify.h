// The classify stage: high / medium / low sink-potential classes of mines (Hu Zhenqi et al. 2023,
// Coal Science and Technology 51(1):474, §2.2: mines divided into high, medium and low carbon-sink
// potential against the native ecosystem's NEP; high → forest, grass, wetland first; low →
// low-carbon uses such as photovoltaics with restoration; medium → balance carbon, economic and
// social benefit). The paper gives no numeric thresholds, so the stage offers
//   - rule = "thresholds": low ≤ low_max < medium < high_min ≤ high, thresholds the user gives
//     (no defaults: the literature thresholds are unconfirmed);
//   - rule = "breaks": data-driven breaks of stats/class_breaks.h (Fisher–Jenks, quantile, equal
//     interval, mean ± s·SD) over all mines or per group, classes named low, medium, high in
//     ascending order of the value (k = 3; other k give class_1 … class_k).
// Optionally two-dimensional: a second value classified the same way, each mine in one of the
// 3 × 3 cells "<class>/<class 2>"; the cell high/high (e.g. a high native NEP and a large NEP gap:
// "high potential and large gap") is flagged as priority.
//
// Values per mine (ClassifyInputs) come from a stage's typed result (damage: reference NEP O, mine
// NEP Q, gap O − Q, in the last year or averaged over the years; potential: predicted NEP ŷ and
// the potential max(0, ŷ − y)) or from any CSV column (pipeline/classify_job.h). Details and
// sources: docs/classify.md.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/core/name_table.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/stats/class_breaks.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

struct DamageResult;
struct PotentialResult;

// Where a mine's value comes from when no values table is given.
enum class ClassifyValue { nep_ref, nep_mine, nep_gap, predicted_nep, potential };
inline constexpr NameTable<ClassifyValue, 5> kClassifyValueNames{{{
    {ClassifyValue::nep_ref, "nep_ref"},
    {ClassifyValue::nep_mine, "nep_mine"},
    {ClassifyValue::nep_gap, "nep_gap"},
    {ClassifyValue::predicted_nep, "predicted_nep"},
    {ClassifyValue::potential, "potential"},
}}};
// The output column of each value (units in the name).
std::string value_column(ClassifyValue value);
// Whether the value comes from the damage stage (else potential).
bool from_damage(ClassifyValue value);

// Damage values over the years: the last year of the series, or the mean over its years.
enum class YearSummary { last, mean };
inline constexpr NameTable<YearSummary, 2> kYearSummaryNames{{{
    {YearSummary::last, "last"},
    {YearSummary::mean, "mean"},
}}};

enum class ClassRule { breaks, thresholds };
inline constexpr NameTable<ClassRule, 2> kClassRuleNames{{{
    {ClassRule::breaks, "breaks"},
    {ClassRule::thresholds, "thresholds"},
}}};

struct ClassifyParams {
  // A stage's value (kClassifyValueNames) or "" when a values table's value_field gives it.
  std::string value;
  std::string second_value;  // optional second dimension (or second_value_field)
  YearSummary years = YearSummary::last;
  ClassRule rule = ClassRule::breaks;
  stats::BreakMethod method = stats::BreakMethod::fisher_jenks;
  std::size_t classes = 3;   // k of the breaks
  double sd_multiple = 1.0;  // s of mean_sd
  // rule = thresholds: low ≤ low_max < medium < high_min ≤ high; no defaults.
  std::optional<double> high_min, low_max;
  std::optional<double> second_high_min, second_low_max;
  // Breaks per group of this field (values table or mine layer); empty = over all mines.
  std::string group_by;

  static const OptionTable<ClassifyParams>& options();
  // Ranges and the rules between options; throws OptionError naming the key.
  void validate() const;
};

// One variable of every mine, aligned with ClassifyInputs::mine_ids; NaN = no value.
struct ClassifyVariable {
  std::string name;    // output column, e.g. nep_gap_gC_m2_yr or the table's field
  std::string origin;  // "damage (in memory)", "values.csv column x"
  std::vector<double> values;
};

struct ClassifyInputs {
  std::vector<std::string> mine_ids;  // unique
  ClassifyVariable value;
  std::optional<ClassifyVariable> second;  // with a second dimension
  std::vector<std::string> groups;         // per mine when grouping; empty otherwise
  // Recommended use per class name (low, medium, high, or a cell such as high/high, which wins
  // over its first class), with the source of each row.
  struct Recommendation {
    std::string class_name, use, source;
  };
  std::vector<Recommendation> recommendations;
};

// The value of every mine of a damage result (`years` summary) or potential result, by id.
ClassifyVariable damage_variable(const DamageResult& damage, ClassifyValue value, YearSummary years,
                                 const std::vector<std::string>& mine_ids);
ClassifyVariable potential_variable(const PotentialResult& potential, ClassifyValue value,
                                    const std::vector<std::string>& mine_ids);

struct MineClass {
  std::string mine_id;
  std::string group;  // "all" without grouping
  double value = 0;
  std::string class_name;  // "" when the value is NaN
  std::size_t class_index = stats::kNoClass;
  double value_2 = 0;  // second dimension (NaN without)
  std::string class_2;
  std::string cell;  // "<class>/<class 2>"; "" when either is missing
  bool priority = false;
  std::string recommended_use;
};

// One class of one variable in one group.
struct ClassBreakRow {
  std::string group;
  std::string variable;         // the value's column name
  std::string method;           // fisher_jenks, …, or thresholds
  std::string closure;          // left, right, or "thresholds"
  std::size_t class_index = 0;  // 1-based
  std::string class_name;
  double lower = 0, upper = 0;               // the class's breaks
  double first_member = 0, last_member = 0;  // NaN for an empty class
  double fisher_break = 0, jenks_break = 0;  // upper break, both conventions (NaN otherwise)
  std::size_t n_mines = 0;
  double class_mean = 0;
  double gvf = 0;  // of the whole classification of this variable and group
};

struct ClassifyResult {
  std::vector<MineClass> mines;  // in input order
  std::vector<ClassBreakRow> breaks;
  std::string value_name, second_name;
  nlohmann::json summary;
  ProblemList warnings;  // codes: no_value, group_too_small
};

// Classifies every mine. Throws DataError for k > distinct values of a group (naming the group,
// variable and counts); ConfigError for bad parameters.
ClassifyResult run_classify(const ClassifyParams& params, const ClassifyInputs& inputs,
                            const RunContext& context);

// Class names for k classes: low, medium, high for 3; low, high for 2; class_1… otherwise.
std::vector<std::string> class_names(std::size_t k);

}  // namespace minecarbon::assess
