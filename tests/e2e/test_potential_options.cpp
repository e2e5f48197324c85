// Every option of the potential stage, declared once in potential_options() (and
// covariate_options() for the entries of the covariates list), shows up in the three places made
// from that table: `minecarbon potential --help`, `minecarbon help --markdown potential` and the
// `parameters` echo of summary.json.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_harness.h"
#include "minecarbon/pipeline/potential_job.h"
#include "test_potential_fixture.h"

namespace minecarbon::e2e {
namespace {

TEST(PotentialOptions, EveryOptionIsInHelpDocsAndTheSummaryEcho) {
  TempDir dir("potential_options");
  potential::write_small_world(dir);
  const auto& table = pipeline::potential_options();
  ASSERT_GT(table.options().size(), 35u);

  CliRun help = run_cli("potential --help > " + dir.str("help.txt"));
  ASSERT_EQ(help.exit_code, 0) << help.err;
  const std::string help_text = slurp(dir.str("help.txt"));
  CliRun docs = run_cli("help --markdown potential > " + dir.str("docs.md"));
  ASSERT_EQ(docs.exit_code, 0) << docs.err;
  const std::string docs_text = slurp(dir.str("docs.md"));
  CliRun run =
      run_cli(potential::small_run(dir, "--max-training-mines 60") + " --out " + dir.str("out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto echo = nlohmann::json::parse(slurp(dir.str("out/summary.json")))["parameters"];

  for (const auto& o : table.options()) {
    const OptionSpec& spec = o.spec;
    // A flag that defaults to true is switched off by --no-<flag>.
    const bool default_on = o.to_json(pipeline::PotentialJob{}) == nlohmann::json(true);
    const std::string flag = default_on ? "--no-" + spec.flag.substr(2) : spec.flag;
    EXPECT_NE(help_text.find(flag + " "), std::string::npos) << flag;
    EXPECT_NE(docs_text.find("| `" + spec.key + "` |"), std::string::npos) << spec.key;
    EXPECT_TRUE(echo.contains(spec.key)) << spec.key;
  }
  // The covariates list: its flags, its keys in the docs, one echo entry per covariate.
  EXPECT_NE(help_text.find("--covariate "), std::string::npos);
  EXPECT_NE(docs_text.find("| `covariates` |"), std::string::npos);
  ASSERT_EQ(echo["covariates"].size(), 3u);
  for (const auto& o : pipeline::covariate_options().options()) {
    EXPECT_NE(docs_text.find("| `covariates." + o.spec.key + "` |"), std::string::npos)
        << o.spec.key;
    EXPECT_TRUE(echo["covariates"][0].contains(o.spec.key)) << o.spec.key;
  }
  // The echo holds the values used, in the documented forms.
  EXPECT_EQ(echo["grid_num_trees"], nlohmann::json::array({60}));
  EXPECT_EQ(echo["grid_mtry"], nlohmann::json::array({1, 2}));
  EXPECT_EQ(echo["max_training_mines"], 60);
  EXPECT_EQ(echo["conditional_mode"], "permimp");
  EXPECT_EQ(echo["covariates"][1]["name"], "x2");
  EXPECT_EQ(echo["covariates"][1]["stat"], "mean");
}

}  // namespace
}  // namespace minecarbon::e2e
