// PotentialParams from the library: validate() refuses every bad setting with an OptionError
// naming the key, run_potential() calls it before touching its inputs, and the option table's
// count lists ("3,6,11") and name tables parse, print and check as documented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "minecarbon/assess/potential.h"
#include "minecarbon/core/run_context.h"

namespace minecarbon::assess {
namespace {

using ::testing::HasSubstr;

// The key and problem of the OptionError that validate() throws for `params`, or "" if none.
std::string error_of(const PotentialParams& params) {
  try {
    params.validate();
  } catch (const OptionError& e) {
    return with_problem(e.key(), e.problem());
  }
  return "";
}

// Sets option `key` of a default PotentialParams from command-line text, as a front end does.
PotentialParams with(const std::string& key, const std::string& text) {
  PotentialParams params;
  const Option<PotentialParams>* option = PotentialParams::options().find(key);
  if (!option) throw std::logic_error("no option " + key);
  option->from_text(params, text);
  return params;
}

TEST(PotentialParams, DefaultsAreValid) {
  EXPECT_EQ(error_of(PotentialParams{}), "");
}

TEST(PotentialParams, NonFiniteNumbersAreRefusedForEveryNumericOption) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (double bad : {nan, inf, -inf}) {
    PotentialParams p;
    p.response_threshold = bad;
    EXPECT_THAT(error_of(p), HasSubstr("response_threshold: must be a finite number"));
    p = {};
    p.validation_fraction = bad;
    EXPECT_THAT(error_of(p), HasSubstr("validation_fraction: must be a finite number"));
    p = {};
    p.interval = bad;
    EXPECT_THAT(error_of(p), HasSubstr("interval: must be a finite number"));
    p = {};
    p.forest.sample_fraction = bad;
    EXPECT_THAT(error_of(p), HasSubstr("sample_fraction: must be a finite number"));
    p = {};
    p.conditional.threshold = bad;
    EXPECT_THAT(error_of(p), HasSubstr("conditional_threshold: must be a finite number"));
  }
  // The same through the text a flag gives.
  EXPECT_THAT(error_of(with("interval", "nan")), HasSubstr("interval: must be a finite number"));
  EXPECT_THAT(error_of(with("response_threshold", "inf")),
              HasSubstr("response_threshold: must be a finite number"));
}

TEST(PotentialParams, RangesNameTheKeyTheValueAndTheBound) {
  EXPECT_EQ(error_of(with("validation_fraction", "0.95")),
            "validation_fraction = 0.95: must be >= 0 and <= 0.9");
  EXPECT_EQ(error_of(with("interval", "1")), "interval = 1: must be > 0 and < 1");
  EXPECT_EQ(error_of(with("interval", "0")), "interval = 0: must be > 0 and < 1");
  EXPECT_EQ(error_of(with("folds", "1")), "folds = 1: must be >= 2");
  EXPECT_EQ(error_of(with("max_training_mines", "1")), "max_training_mines = 1: must be >= 2");
  EXPECT_EQ(error_of(with("min_training_mines", "1")), "min_training_mines = 1: must be >= 2");
  EXPECT_EQ(error_of(with("permutation_repeats", "0")), "permutation_repeats = 0: must be >= 1");
  EXPECT_EQ(error_of(with("conditional_permutations", "0")),
            "conditional_permutations = 0: must be >= 1");
  EXPECT_EQ(error_of(with("conditional_threshold", "1.5")),
            "conditional_threshold = 1.5: must be <= 1");
  EXPECT_EQ(error_of(with("sample_fraction", "1.2")),
            "sample_fraction = 1.2: must be >= 0 and <= 1");
  // Negative = the mode's default threshold, so it is allowed.
  EXPECT_EQ(error_of(with("conditional_threshold", "-1")), "");
}

TEST(PotentialParams, GridListsCheckEveryItem) {
  EXPECT_EQ(error_of(with("grid_num_trees", "50,0")), "grid_num_trees: item 2 = 0: must be >= 1");
  EXPECT_EQ(error_of(with("grid_min_node_size", "0")),
            "grid_min_node_size: item 1 = 0: must be >= 1");
  EXPECT_EQ(error_of(with("grid_mtry", "0,3")), "");  // 0 = floor(sqrt(p))
  EXPECT_EQ(error_of(with("grid_max_depth", "0")), "");
}

TEST(PotentialParams, CrossFieldRules) {
  PotentialParams p;
  p.min_training_mines = 500;
  p.max_training_mines = 400;
  EXPECT_THAT(error_of(p), HasSubstr("min_training_mines = 500: more than max_training_mines"));
  p = {};
  p.response.clear();
  EXPECT_THAT(error_of(p), HasSubstr("response: required"));
  p.covariates_only = true;  // no response needed
  EXPECT_EQ(error_of(p), "");
}

TEST(PotentialParams, RunPotentialValidatesBeforeReadingItsInputs) {
  PotentialParams p;
  p.interval = 1.5;
  const PotentialInputs inputs;  // empty: a run that got past validate() would fail otherwise
  RunContext context;
  try {
    run_potential(p, inputs, context);
    FAIL() << "run_potential accepted interval = 1.5";
  } catch (const OptionError& e) {
    EXPECT_EQ(e.key(), "interval");
    EXPECT_THAT(e.what(), HasSubstr("potential: interval = 1.5: must be > 0 and < 1"));
  }
}

// ---- the option table ---------------------------------------------------------------------

TEST(PotentialOptions, CountListsParseCommaSeparatedTextAndAppendRepeatedFlags) {
  PotentialParams p = with("grid_mtry", "3,6,11");
  EXPECT_EQ(p.grid.mtry, (std::vector<std::size_t>{3, 6, 11}));
  PotentialParams::options().find("grid_mtry")->from_text(p, "2");
  EXPECT_EQ(p.grid.mtry, (std::vector<std::size_t>{3, 6, 11, 2}));
  for (const char* bad : {"3,,6", "-1", "3.5", "three", "", "3,"}) {
    try {
      with("grid_mtry", bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), HasSubstr("expected whole numbers >= 0 separated by commas")) << bad;
    }
  }
}

TEST(PotentialOptions, CountListsReadTomlArraysOrOneNumber) {
  const toml::table doc = toml::parse("a = [1, 5, 10]\nb = 3\nc = [1, -2]\nd = [1.5]\n");
  const Option<PotentialParams>* option = PotentialParams::options().find("grid_min_node_size");
  PotentialParams p;
  option->from_toml(p, *doc.get("a"));
  EXPECT_EQ(p.grid.min_node_size, (std::vector<std::size_t>{1, 5, 10}));
  option->from_toml(p, *doc.get("b"));
  EXPECT_EQ(p.grid.min_node_size, (std::vector<std::size_t>{3}));
  EXPECT_THROW(option->from_toml(p, *doc.get("c")), std::invalid_argument);
  EXPECT_THROW(option->from_toml(p, *doc.get("d")), std::invalid_argument);
}

TEST(PotentialOptions, ChoicesUseTheEnumsNameTable) {
  EXPECT_EQ(with("missing_covariates", "impute_median").missing_covariates,
            MissingCovariates::impute_median);
  EXPECT_EQ(with("conditional_forest", "party_like").conditional_forest,
            ConditionalForest::party_like);
  EXPECT_EQ(with("conditional_mode", "party").conditional.mode,
            ml::ConditionalImportanceMode::party);
  try {
    with("conditional_forest", "tuned");
    FAIL() << "accepted 'tuned'";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "expected one of model, party_like; got 'tuned'");
  }
  // Printing uses the same table.
  EXPECT_EQ(to_string(MissingCovariates::impute_median), "impute_median");
  EXPECT_EQ(to_string(ConditionalForest::party_like), "party_like");
}

TEST(PotentialOptions, EchoCarriesEveryOptionWithItsValue) {
  PotentialParams p = with("grid_num_trees", "60,120");
  p.missing_covariates = MissingCovariates::impute_median;
  const nlohmann::json echo = options_json(PotentialParams::options(), p);
  EXPECT_EQ(echo.size(), PotentialParams::options().options().size());
  EXPECT_EQ(echo["grid_num_trees"], nlohmann::json::array({60, 120}));
  EXPECT_EQ(echo["grid_mtry"], nlohmann::json::array());
  EXPECT_EQ(echo["missing_covariates"], "impute_median");
  EXPECT_EQ(echo["response_threshold"], 100.0);
  // The rows the docs and --help are made of: one per option, count lists typed as such.
  const auto rows = option_rows(PotentialParams::options());
  ASSERT_EQ(rows.size(), echo.size());
  for (const auto& row : rows)
    if (row.key == "grid_num_trees") {
      EXPECT_EQ(row.type, "list of integers");
      EXPECT_EQ(row.flag, "--grid-trees");
      EXPECT_EQ(row.constraint, ">= 1");
    }
}

}  // namespace
}  // namespace minecarbon::assess
