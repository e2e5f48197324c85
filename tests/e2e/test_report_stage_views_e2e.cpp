// The report's views of the later stages (report/stage_views.cpp) on demo outputs: nep, warning
// and classify in one run of the demo world, scenario on its own demo project; plan and topography
// on folders written by hand in their stages' table layouts. Each stage is found, its per-mine
// variables carry the CSV's values (for the map selector, the table and the panel) with English
// and Chinese labels, and its aggregate tables are there.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "demo_project.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/report/report_model.h"
#include "minecarbon/report/variable_labels.h"

namespace fs = std::filesystem;

namespace minecarbon::e2e {
namespace {

std::size_t mine_of(const report::ReportModel& model, const std::string& id) {
  const auto it = std::find(model.mine_ids.begin(), model.mine_ids.end(), id);
  EXPECT_NE(it, model.mine_ids.end()) << id;
  return static_cast<std::size_t>(it - model.mine_ids.begin());
}

// Every cell of the column equals the variable's value of that row's mine (the CSV read by the
// project's own reader: recommended_use holds quoted commas).
void expect_column_equals(const report::ReportModel& model, const fs::path& csv,
                          const std::string& key, const std::string& id_column,
                          const std::string& column) {
  const report::ReportVariable* v = model.find_variable(key);
  ASSERT_NE(v, nullptr) << key;
  const CsvText table = read_csv_file(csv.string());
  ASSERT_FALSE(table.rows.empty()) << csv;
  const std::size_t id_col = table.column(id_column), col = table.column(column);
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::string& id = table.rows[r][id_col];
    const std::size_t m = mine_of(model, id);
    const std::string& cell = table.rows[r][col];
    if (!v->numeric) {
      EXPECT_EQ(v->texts.at(m), cell == "NA" ? "" : cell) << key << " " << id;
    } else if (cell.empty() || cell == "NA") {
      EXPECT_TRUE(std::isnan(v->values.at(m))) << key << " " << id;
    } else {
      EXPECT_EQ(v->values.at(m), table.number(r, col)) << key << " " << id;
    }
  }
}

void expect_labelled(const std::string& column) {
  const report::VariableLabel label = report::variable_label(column);
  EXPECT_TRUE(label.known) << column;
  EXPECT_NE(label.en, label.zh) << column << ": a Chinese label of its own";
  EXPECT_FALSE(label.description.empty()) << column;
}

TEST(ReportStageViews, NepWarningAndClassifyOfTheDemoRun) {
  const TempDir dir("report_views");
  ASSERT_EQ(synth_world(dir.str("demo")).exit_code, 0);
  std::ofstream(dir.path() / "demo/p.toml") << sections_of(slurp(dir.path() / "demo/project.toml"),
                                                           {"project", "nep", "damage", "warning"})
                                            << "\n[classify]\nvalue = \"nep_ref\"\n";
  const CliRun run = run_cli("--quiet run " + dir.str("demo/p.toml"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path results = dir.path() / "demo/results";
  const report::ReportModel model = report::load_report_model(results);
  for (const char* stage : {"damage", "nep", "warning", "classify"})
    EXPECT_TRUE(model.has_stage(stage)) << stage;
  // Each stage's summary.json names its stage, so the report needs no table signature for them.
  for (const char* stage : {"nep", "warning", "classify"})
    EXPECT_EQ(nlohmann::json::parse(slurp(results / stage / "summary.json")).value("stage", ""),
              stage);

  // nep: its yearly totals as a table, row for row.
  const report::ReportTable* nep = model.find_table("nep", "nep_summary");
  ASSERT_NE(nep, nullptr);
  EXPECT_EQ(nep->rows, read_rows(results / "nep/tables/nep_summary.csv").size());

  // warning: one row per series, keyed by `id` (damage's mine ids in a run).
  const fs::path series = results / "warning/tables/warning_series.csv";
  expect_column_equals(model, series, "warning.warning_series.level", "id", "level");
  expect_column_equals(model, series, "warning.warning_series.sen_slope", "id", "sen_slope");
  expect_column_equals(model, series, "warning.warning_series.mk_p", "id", "mk_p");
  const report::ReportVariable* level = model.find_variable("warning.warning_series.level");
  EXPECT_EQ(level->palette, report::PaletteKind::categorical);
  EXPECT_TRUE(model.find_table("warning", "warning_alerts"));
  // No new mines: the series ids are damage's mines.
  EXPECT_EQ(model.mine_ids.size(), read_rows(results / "tables/mines.csv").size());

  // classify: the class of every mine and the breaks.
  const fs::path classes = results / "classify/tables/mine_class.csv";
  expect_column_equals(model, classes, "classify.mine_class.class", "mine_id", "class");
  expect_column_equals(model, classes, "classify.mine_class.recommended_use", "mine_id",
                       "recommended_use");
  EXPECT_TRUE(model.find_table("classify", "breaks"));

  for (const char* column : {"level", "rules_hit", "mk_p", "sen_slope", "pettitt_time",
                             "bfast_break", "z_spatial_last", "class", "recommended_use"})
    expect_labelled(column);
}

TEST(ReportStageViews, ScenarioDemo) {
  const TempDir dir("report_views_scenario");
  ASSERT_EQ(synth_world(dir.str("demo")).exit_code, 0);
  const CliRun run =
      run_cli("--quiet run " + dir.str("demo/scenario/scenario.toml") + " --out " + dir.str("out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // The scenario folder is found at the root of a single-stage run or in its subfolder.
  const report::ReportModel model = report::load_report_model(dir.path() / "out");
  ASSERT_TRUE(model.has_stage("scenario"));
  for (const char* name :
       {"demand", "scenario_carbon", "validation_metrics", "driver_contribution"}) {
    const report::ReportTable* t = model.find_table("scenario", name);
    ASSERT_NE(t, nullptr) << name;
    const fs::path csv = model.stages.front().dir / "tables" / (std::string(name) + ".csv");
    EXPECT_EQ(t->rows, read_rows(csv).size()) << name;
  }
}

// Plan names itself; topography is known by its mine_terrain table.
TEST(ReportStageViews, PlanAndTopographyFolders) {
  const TempDir dir("report_views_plan");
  fs::create_directories(dir.path() / "plan/tables");
  std::ofstream(dir.path() / "plan/summary.json") << R"({"stage": "plan"})";
  std::ofstream(dir.path() / "plan/tables/schemes.csv")
      << "scheme,zone,area_ha,npv_yuan\nforest,z1,10,1500.5\ngrass,z1,10,-20\n";
  fs::create_directories(dir.path() / "topography/tables");
  std::ofstream(dir.path() / "topography/summary.json") << R"({"counts": {"mines": 2}})";
  std::ofstream(dir.path() / "topography/tables/mine_terrain.csv")
      << "mine_id,status,area_m2,slope_mean_deg,slope_band\nA,ok,1000,12.5,gentle\nB,ok,2000,"
         "NA,\n";
  const report::ReportModel model = report::load_report_model(dir.path());
  EXPECT_TRUE(model.has_stage("plan"));
  ASSERT_TRUE(model.has_stage("topography"));
  ASSERT_NE(model.find_table("plan", "schemes"), nullptr);
  EXPECT_EQ(model.find_table("plan", "schemes")->rows, 2u);
  expect_column_equals(model, dir.path() / "topography/tables/mine_terrain.csv",
                       "topography.mine_terrain.slope_mean_deg", "mine_id", "slope_mean_deg");
  const report::ReportVariable* slope =
      model.find_variable("topography.mine_terrain.slope_mean_deg");
  EXPECT_EQ(slope->unit, "°");
  for (const char* column : {"slope_mean_deg", "slope_band", "northness", "valid_area_m2"})
    expect_labelled(column);
}

}  // namespace
}  // namespace minecarbon::e2e
