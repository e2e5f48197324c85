// The report model against the files it reads: the demo's damage, land-use, emissions and soil
// results, and every value of the model equal to the CSV cell it came from (NA stays NA), every
// mine present, units from the suffix table, and outlines in lon/lat with the areas damage wrote.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>

#include "demo_project.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/geo/geodesic_area.h"
#include "minecarbon/report/report_model.h"
#include "minecarbon/report/web_assets.h"

namespace fs = std::filesystem;

namespace minecarbon::e2e {
namespace {

// ctest runs each test in its own process, and each process makes the demo again: the model
// checks are therefore parts of one test, not one test each.
class ReportModelOnDemo : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    dir_ = new TempDir("report_model");
    ASSERT_EQ(synth_world(dir_->str("demo")).exit_code, 0);
    std::ofstream(dir_->path() / "demo/p.toml")
        << sections_of(slurp(dir_->path() / "demo/project.toml"),
                       {"project", "nep", "damage", "landuse", "emissions"});
    const CliRun run = run_cli("--quiet run " + dir_->str("demo/p.toml"));
    ASSERT_EQ(run.exit_code, 0) << run.err;
    model_ = new report::ReportModel(report::load_report_model(results()));
  }
  static void TearDownTestSuite() {
    delete model_;
    delete dir_;
  }
  static fs::path results() { return dir_->path() / "demo/results"; }
  static double number(const std::string& cell) {
    return cell.empty() || cell == "NA" ? std::nan("") : std::stod(cell);
  }
  // Every cell of a per-mine (or per-mine-and-year) CSV equals the model's value.
  static void expect_table_equals_model(const std::string& stage, const fs::path& csv,
                                        bool per_year) {
    const std::string prefix = stage + "." + csv.stem().string() + ".";
    const auto rows = read_rows(csv);
    ASSERT_FALSE(rows.empty()) << csv;
    std::size_t compared = 0;
    for (const auto& row : rows) {
      const auto mine_it =
          std::find(model_->mine_ids.begin(), model_->mine_ids.end(), row.at("mine_id"));
      ASSERT_NE(mine_it, model_->mine_ids.end()) << row.at("mine_id");
      const std::size_t mine = mine_it - model_->mine_ids.begin();
      for (const auto& [column, cell] : row) {
        if (column == "mine_id" || (per_year && column == "year")) continue;
        const report::ReportVariable* v = model_->find_variable(prefix + column);
        ASSERT_NE(v, nullptr) << prefix << column;
        std::size_t y = 0;
        if (per_year) {
          const auto year_it =
              std::find(v->years.begin(), v->years.end(), std::stoi(row.at("year")));
          ASSERT_NE(year_it, v->years.end());
          y = year_it - v->years.begin();
        }
        if (!v->numeric) {
          EXPECT_EQ(v->texts[y * model_->mine_ids.size() + mine], cell) << v->key;
          continue;
        }
        const double expected = number(cell);
        const double got = v->value(mine, y);
        if (std::isnan(expected))
          EXPECT_TRUE(std::isnan(got)) << v->key << " of " << row.at("mine_id") << " is NA";
        else
          EXPECT_EQ(got, expected) << v->key << " of " << row.at("mine_id");
        ++compared;
      }
    }
    EXPECT_GT(compared, rows.size());
  }
  // The checks of the model, each a part of the one test below.
  static void FindsTheStagesThatRanAndOnlyThose();
  static void EveryMineOfDamageIsPresentInItsOrderWhateverItsStatus();
  static void PerMineValuesEqualTheCsvCellsAndNaStaysNa();
  static void PerYearValuesEqualTheCsvCells();
  static void UnitsComeFromTheSuffixTable();
  static void AggregatesAreTheStagesTables();
  static void OutlinesAreInLonLatWithTheAreasDamageWrote();
  static TempDir* dir_;
  static report::ReportModel* model_;
};
TempDir* ReportModelOnDemo::dir_ = nullptr;
report::ReportModel* ReportModelOnDemo::model_ = nullptr;

void ReportModelOnDemo::FindsTheStagesThatRanAndOnlyThose() {
  EXPECT_TRUE(model_->has_stage("damage"));
  EXPECT_TRUE(model_->has_stage("landuse"));
  EXPECT_TRUE(model_->has_stage("emissions"));
  EXPECT_FALSE(model_->has_stage("potential"));
  EXPECT_FALSE(model_->has_stage("balance"));
  EXPECT_EQ(model_->stages.front().stage, "damage");
  EXPECT_EQ(model_->stages.front().summary.at("stage"), "damage");
}

void ReportModelOnDemo::EveryMineOfDamageIsPresentInItsOrderWhateverItsStatus() {
  const auto rows = read_rows(results() / "tables/mines.csv");
  ASSERT_GE(model_->mine_ids.size(), rows.size());
  std::set<std::string> statuses;
  for (std::size_t m = 0; m < rows.size(); ++m) {
    EXPECT_EQ(model_->mine_ids[m], rows[m].at("mine_id"));
    statuses.insert(rows[m].at("status"));
  }
  const report::ReportVariable* status = model_->find_variable("damage.mines.status");
  ASSERT_NE(status, nullptr);
  EXPECT_FALSE(status->numeric);
  EXPECT_EQ(status->palette, report::PaletteKind::categorical);
  EXPECT_GT(statuses.size(), 1u) << "the demo has mines that were not analysed";
}

void ReportModelOnDemo::PerMineValuesEqualTheCsvCellsAndNaStaysNa() {
  expect_table_equals_model("damage", results() / "tables/mines.csv", false);
  expect_table_equals_model("landuse", results() / "landuse/tables/mines.csv", false);
  expect_table_equals_model("emissions", results() / "emissions/tables/mine_totals.csv", false);
  const report::ReportVariable* loss = model_->find_variable("damage.mines.nep_loss_last_gC_m2_yr");
  ASSERT_NE(loss, nullptr);
  EXPECT_GT(loss->missing, 0u) << "mines not analysed have no loss, drawn as no data";
}

void ReportModelOnDemo::PerYearValuesEqualTheCsvCells() {
  expect_table_equals_model("damage", results() / "tables/mine_year.csv", true);
  expect_table_equals_model("emissions", results() / "emissions/tables/mine_year.csv", true);
  const report::ReportVariable* q = model_->find_variable("damage.mine_year.nep_mine_gC_m2_yr");
  ASSERT_NE(q, nullptr);
  EXPECT_TRUE(q->per_year());
  EXPECT_EQ(q->values.size(), q->years.size() * model_->mine_ids.size());
}

void ReportModelOnDemo::UnitsComeFromTheSuffixTable() {
  EXPECT_EQ(model_->find_variable("damage.mines.nep_loss_last_gC_m2_yr")->unit, "gC m⁻² yr⁻¹");
  EXPECT_EQ(model_->find_variable("damage.mines.nep_change_rel_last_MgC_yr")->unit, "Mg C yr⁻¹");
  EXPECT_EQ(model_->find_variable("emissions.mine_totals.co2e_t")->unit, "t CO₂e");
  EXPECT_EQ(model_->find_variable("landuse.mines.change_tC")->unit, "t C");
  EXPECT_EQ(model_->find_variable("damage.mines.nep_change_rel_last_MgC_yr")->palette,
            report::PaletteKind::diverging);
  // Losses are red: H (negative = lost sink) keeps RdBu's order, −S (positive = lost) reverses it.
  EXPECT_FALSE(model_->find_variable("damage.mines.nep_change_rel_last_MgC_yr")->reversed);
  EXPECT_TRUE(model_->find_variable("damage.mines.nep_loss_last_gC_m2_yr")->reversed);
  // A statistic without a unit is listed, one with a unit is not.
  const auto& none = model_->variables_without_unit;
  EXPECT_NE(std::find(none.begin(), none.end(), "damage.mines.change_rel_mk_z"), none.end());
  EXPECT_EQ(std::find(none.begin(), none.end(), "damage.mines.area_m2"), none.end());
}

void ReportModelOnDemo::AggregatesAreTheStagesTables() {
  const report::ReportTable* years = model_->find_table("damage", "year_summary");
  ASSERT_NE(years, nullptr);
  const auto rows = read_rows(results() / "tables/year_summary.csv");
  ASSERT_EQ(years->rows, rows.size());
  const std::size_t col = years->column("net_change_rel_GgC_yr");
  ASSERT_TRUE(years->numeric[col]);
  for (std::size_t r = 0; r < rows.size(); ++r)
    EXPECT_EQ(years->numbers[col][r], number(rows[r].at("net_change_rel_GgC_yr")));
  EXPECT_NE(model_->find_table("landuse", "date_totals"), nullptr);
}

void ReportModelOnDemo::OutlinesAreInLonLatWithTheAreasDamageWrote() {
  ASSERT_EQ(model_->geometry.size(), model_->mine_ids.size());
  EXPECT_EQ(model_->geometry_source, "damage results.gpkg layer mines");
  const report::ReportVariable* area = model_->find_variable("damage.mines.area_m2");
  ASSERT_NE(area, nullptr);
  std::size_t checked = 0;
  for (std::size_t m = 0; m < model_->mine_ids.size(); ++m) {
    if (model_->geometry[m].empty() || std::isnan(area->value(m))) continue;
    for (const auto& polygon : model_->geometry[m])
      for (const auto& point : polygon.exterior) {
        ASSERT_GE(point.x, -180.0);
        ASSERT_LE(point.x, 180.0);
        ASSERT_GE(point.y, -90.0);
        ASSERT_LE(point.y, 90.0);
      }
    EXPECT_NEAR(geo::geodesic_area_m2(model_->geometry[m]), area->value(m), 1e-6 * area->value(m))
        << model_->mine_ids[m];
    ++checked;
  }
  EXPECT_GT(checked, model_->mine_ids.size() / 2);
}

TEST_F(ReportModelOnDemo, EveryValueUnitTableAndOutlineComesFromTheFiles) {
  {
    SCOPED_TRACE("FindsTheStagesThatRanAndOnlyThose");
    FindsTheStagesThatRanAndOnlyThose();
  }
  {
    SCOPED_TRACE("EveryMineOfDamageIsPresentInItsOrderWhateverItsStatus");
    EveryMineOfDamageIsPresentInItsOrderWhateverItsStatus();
  }
  {
    SCOPED_TRACE("PerMineValuesEqualTheCsvCellsAndNaStaysNa");
    PerMineValuesEqualTheCsvCellsAndNaStaysNa();
  }
  {
    SCOPED_TRACE("PerYearValuesEqualTheCsvCells");
    PerYearValuesEqualTheCsvCells();
  }
  {
    SCOPED_TRACE("UnitsComeFromTheSuffixTable");
    UnitsComeFromTheSuffixTable();
  }
  {
    SCOPED_TRACE("AggregatesAreTheStagesTables");
    AggregatesAreTheStagesTables();
  }
  {
    SCOPED_TRACE("OutlinesAreInLonLatWithTheAreasDamageWrote");
    OutlinesAreInLonLatWithTheAreasDamageWrote();
  }
}

TEST_F(ReportModelOnDemo, TheReportCommandWritesTheFiguresAtomically) {
  const std::string figures = dir_->str("figures");
  const CliRun ok =
      run_cli("--quiet report " + results().string() + " --figures " + figures +
              " --no-html --figure-format svg,png --mine " + model_->mine_ids.front());
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  for (const std::string& name :
       std::vector<std::string>{"yearly_totals", "mine_" + model_->mine_ids.front() + "_series"}) {
    EXPECT_TRUE(fs::exists(fs::path(figures) / (name + ".svg"))) << name;
    EXPECT_TRUE(fs::exists(fs::path(figures) / (name + ".png"))) << name;
  }
  const std::string before = slurp(fs::path(figures) / "yearly_totals.svg");

  // An unknown mine is a usage error naming it, and the figures of the last run stay as they were.
  const CliRun bad = run_cli("--quiet report " + results().string() + " --figures " + figures +
                             " --no-html --mine NOPE");
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("--mine NOPE: no such mine"), std::string::npos) << bad.err;
  EXPECT_EQ(slurp(fs::path(figures) / "yearly_totals.svg"), before);

  // The HTML report needs the web front end built in (test_html_report.cpp tests it).
  if (!report::report_template()) {
    const CliRun html =
        run_cli("--quiet report " + results().string() + " -o " + dir_->str("r.html"));
    EXPECT_EQ(html.exit_code, 2) << html.err;
    EXPECT_NE(html.err.find("built without web assets"), std::string::npos) << html.err;
    EXPECT_FALSE(fs::exists(dir_->path() / "r.html"));
  }

  const CliRun missing = run_cli("--quiet report " + dir_->str("nothing") + " --figures " +
                                 dir_->str("f2") + " --no-html");
  EXPECT_EQ(missing.exit_code, 3) << missing.err;
  EXPECT_FALSE(fs::exists(dir_->path() / "f2"));
}

TEST(ReportModelBadInput, AFolderWithoutResultsNamesItself) {
  TempDir dir("report_model_empty");
  try {
    report::load_report_model(dir.path());
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(dir.str()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no summary.json"), std::string::npos) << e.what();
  }
}

TEST(ReportModelBadInput, ABrokenSummaryNamesTheFile) {
  TempDir dir("report_model_broken");
  std::ofstream(dir.path() / "summary.json") << "{\"stage\": \"damage\", ";
  try {
    report::load_report_model(dir.path());
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("summary.json: not valid JSON"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace minecarbon::e2e
