// The HTML report on the demo's results, read back through the contract (docs/report_island.md)
// by the test's own decoder: every value equals the CSV cell it came from (f64 exactly, f32 to
// 1e-6 relative), NA stays NaN, every mine is present with its outline, the headline table equals
// year_summary, two runs under SOURCE_DATE_EPOCH give the same bytes; and each bad input of
// issue 14 stops with a message naming what was wrong and writes nothing. The web front end's
// template is replaced by a small one (the real one is tested by the browser tests).
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>

#include "../unit/report/island_decoder.h"
#include "demo_project.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/pipeline/report_job.h"
#include "minecarbon/report/column_units.h"
#include "minecarbon/report/report_model.h"

namespace fs = std::filesystem;

namespace minecarbon::e2e {
namespace {

using test::kTestTemplate;

double number(const std::string& cell) {
  return cell.empty() || cell == "NA" ? std::nan("") : std::stod(cell);
}

const nlohmann::json* find_variable(const nlohmann::json& vars, const std::string& key) {
  for (const auto& v : vars)
    if (v["key"] == key) return &v;
  return nullptr;
}

// Every cell of `csv` (a per-mine or per-mine-and-year table of `stage`) equals the island's.
std::size_t expect_csv_equals_island(const test::DecodedIsland& d, const std::string& stage,
                                     const fs::path& csv, bool per_year) {
  const auto& ids = d.header["mines"]["ids"];
  std::map<std::string, std::size_t> mine_of;
  for (std::size_t m = 0; m < ids.size(); ++m)
    mine_of[ids[m]] = m;
  const std::size_t n = ids.size();
  const std::string prefix = stage + "." + csv.stem().string() + ".";
  std::map<std::string, std::vector<double>> numbers;
  std::map<std::string, std::vector<std::uint16_t>> codes;
  std::size_t compared = 0;
  for (const auto& row : read_rows(csv)) {
    EXPECT_TRUE(mine_of.count(row.at("mine_id"))) << row.at("mine_id");
    const std::size_t mine = mine_of.at(row.at("mine_id"));
    for (const auto& [column, cell] : row) {
      if (column == "mine_id" || (per_year && column == "year")) continue;
      const nlohmann::json* v = find_variable(d.header["variables"], prefix + column);
      if (!v) {
        ADD_FAILURE() << "no variable " << prefix << column;
        continue;
      }
      std::size_t y = 0;
      if (per_year) {
        const auto years = (*v)["years"].get<std::vector<int>>();
        y = std::find(years.begin(), years.end(), std::stoi(row.at("year"))) - years.begin();
        EXPECT_LT(y, years.size());
      }
      const std::size_t slot = y * n + mine;
      if (v->contains("codes")) {
        auto& c = codes[prefix + column];
        if (c.empty()) c = d.codes(*v);
        if (cell.empty() || cell == "NA")
          EXPECT_EQ(c.at(slot), 65535);
        else
          EXPECT_EQ((*v)["categories"].at(c.at(slot)), cell) << prefix << column;
        ++compared;
        continue;
      }
      auto& values = numbers[prefix + column];
      if (values.empty()) values = d.values(*v);
      const double expected = number(cell), got = values.at(slot);
      if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(got)) << prefix << column << " of " << row.at("mine_id");
      } else if (d.is_f32(*v)) {
        EXPECT_NEAR(got, expected, 1e-6 * std::abs(expected) + 1e-30)
            << prefix << column << " of " << row.at("mine_id");
      } else {
        EXPECT_EQ(got, expected) << prefix << column << " of " << row.at("mine_id");
      }
      // The unit is the suffix table's.
      const report::UnitRule* rule = report::unit_rule_of(column);
      EXPECT_EQ((*v)["unit"], rule ? std::string(rule->unit) : std::string()) << column;
      ++compared;
    }
  }
  return compared;
}

class HtmlReportOnDemo : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    dir_ = new TempDir("html_report");
    ASSERT_EQ(synth_world(dir_->str("demo")).exit_code, 0);
    std::ofstream(dir_->path() / "demo/p.toml") << sections_of(
        slurp(dir_->path() / "demo/project.toml"), {"project", "nep", "damage", "potential"});
    const CliRun run = run_cli("--quiet run " + dir_->str("demo/p.toml"));
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  static fs::path results() { return dir_->path() / "demo/results"; }
  static TempDir* dir_;
};
TempDir* HtmlReportOnDemo::dir_ = nullptr;

// ctest runs each test in its own process, each making the demo again: one test, many checks.
TEST_F(HtmlReportOnDemo, IslandEqualsTheFilesAndTheBytesRepeat) {
  ::setenv("SOURCE_DATE_EPOCH", "1796601600", 1);
  pipeline::ReportJob job;
  job.results_dir = results().string();
  const RunContext context;
  const std::string path = pipeline::run_report_html(job, context, kTestTemplate);
  EXPECT_EQ(fs::path(path), results() / "report.html");  // the default -o
  const std::string html = slurp(path);
  const auto d = test::decode_report(html);
  EXPECT_EQ(d.meta["created"], "2026-12-07T00:00:00Z");

  // Every mine of the damage table, with a point and (full geometry) an outline.
  const auto mines = read_rows(results() / "tables/mines.csv");
  std::set<std::string> expected_ids;
  for (const auto& row : mines)
    expected_ids.insert(row.at("mine_id"));
  const auto ids = d.header["mines"]["ids"].get<std::vector<std::string>>();
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), expected_ids);
  EXPECT_EQ(d.header["mines"]["count"], ids.size());
  ASSERT_EQ(d.meta["geometry"]["kind"], "full");
  const auto points = d.buffer<std::int32_t>(d.header["geometry"]["points"], "i32");
  const report::ReportModel model = report::load_report_model(results());
  for (std::size_t m = 0; m < ids.size(); ++m) {
    ASSERT_NE(points[2 * m], INT32_MIN) << ids[m];
    const auto rings = test::decoded_mine(d, m);
    ASSERT_FALSE(rings.empty()) << ids[m];
    const double area = geo::planar_area(model.geometry[m]);
    // Each vertex moves by at most half a grid step (1/kCoordScale degree) in x and in y, which
    // changes the area by at most the perimeter times that move (√2 · half a step).
    double perimeter = 0;
    for (const geo::Polygon& part : model.geometry[m]) {
      std::vector<const geo::Ring*> rings_of_part{&part.exterior};
      for (const geo::Ring& hole : part.holes)
        rings_of_part.push_back(&hole);
      for (const geo::Ring* ring : rings_of_part)
        for (std::size_t i = 0; i < ring->size(); ++i) {
          const geo::XY& a = (*ring)[i];
          const geo::XY& b = (*ring)[(i + 1) % ring->size()];
          perimeter += std::hypot(b.x - a.x, b.y - a.y);
        }
    }
    const double half_step = 0.5 / report::kCoordScale;
    EXPECT_NEAR(test::decoded_area(rings), area, perimeter * half_step * std::sqrt(2.0) + 1e-12)
        << ids[m];
  }
  // Every status as damage wrote it.
  for (std::size_t m = 0; m < ids.size(); ++m)
    for (const auto& row : mines)
      if (row.at("mine_id") == ids[m]) EXPECT_EQ(d.header["mines"]["status"][m], row.at("status"));

  // Every value against its CSV cell.
  EXPECT_GT(expect_csv_equals_island(d, "damage", results() / "tables/mines.csv", false),
            mines.size());
  EXPECT_GT(expect_csv_equals_island(d, "damage", results() / "tables/mine_year.csv", true),
            mines.size());
  EXPECT_GT(
      expect_csv_equals_island(d, "potential", results() / "potential/tables/potential.csv", false),
      0u);

  // The headline's numbers: the year_summary table, cell for cell.
  const nlohmann::json* summary = nullptr;
  for (const auto& t : d.header["tables"])
    if (t["stage"] == "damage" && t["name"] == "year_summary") summary = &t;
  ASSERT_NE(summary, nullptr);
  const auto rows = read_rows(results() / "tables/year_summary.csv");
  ASSERT_EQ((*summary)["rows"], rows.size());
  const auto& columns = (*summary)["columns"];
  for (std::size_t c = 0; c < columns.size(); ++c) {
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const std::string& cell = rows[r].at(columns[c]);
      const auto& got = (*summary)["data"][c][r];
      if (!(*summary)["numeric"][c])
        EXPECT_EQ(got, cell);
      else if (std::isnan(number(cell)))
        EXPECT_TRUE(got.is_null()) << columns[c];
      else
        EXPECT_EQ(got.get<double>(), number(cell)) << columns[c] << " row " << r;
    }
  }
  // The stages' summaries as written.
  ASSERT_FALSE(d.meta["stages"].empty());
  EXPECT_EQ(d.meta["stages"][0]["stage"], "damage");
  EXPECT_EQ(d.meta["stages"][0]["summary"],
            nlohmann::json::parse(slurp(results() / "summary.json")));

  // The same inputs and SOURCE_DATE_EPOCH: the same bytes.
  job.out = dir_->str("again.html");
  pipeline::run_report_html(job, context, kTestTemplate);
  EXPECT_TRUE(slurp(job.out) == html) << "two runs differ";

  // Compared with itself: set B's values are set A's.
  job.compare = results().string();
  job.out = dir_->str("compare.html");
  const auto c = test::decode_report(slurp(pipeline::run_report_html(job, context, kTestTemplate)));
  ASSERT_TRUE(c.header.contains("compare"));
  EXPECT_FALSE(c.meta["compare"].is_null());
  const auto& b_vars = c.header["compare"]["variables"];
  ASSERT_FALSE(b_vars.empty());
  for (const auto& bv : b_vars) {
    const std::string key = bv["key"].get<std::string>().substr(2);
    const nlohmann::json* av = find_variable(c.header["variables"], key);
    ASSERT_NE(av, nullptr) << key;
    const auto a_values = c.values(*av), b_values = c.values(bv);
    ASSERT_EQ(a_values.size(), b_values.size());
    for (std::size_t i = 0; i < a_values.size(); ++i)
      EXPECT_TRUE(a_values[i] == b_values[i] ||
                  (std::isnan(a_values[i]) && std::isnan(b_values[i])))
          << key;
  }

  // Outlines that do not fit the budget are simplified (tolerance stated), then points.
  job.compare.clear();
  job.out = dir_->str("small.html");
  job.max_size_mb = static_cast<double>(html.size()) / 1e6 * 0.97;
  const auto s = test::decode_report(slurp(pipeline::run_report_html(job, context, kTestTemplate)));
  EXPECT_NE(s.meta["geometry"]["kind"], "full");
  EXPECT_FALSE(s.meta["geometry"]["note"].get<std::string>().empty());
  EXPECT_LE(fs::file_size(job.out), static_cast<std::uintmax_t>(job.max_size_mb * 1e6));

  // An output that cannot be written: a RunError naming it, nothing left behind.
  job.max_size_mb = 50;
  job.out = dir_->str("no_such_folder/r.html");
  EXPECT_THROW(pipeline::run_report_html(job, context, kTestTemplate), RunError);
  fs::create_directory(dir_->path() / "a_folder");
  job.out = dir_->str("a_folder");
  try {
    pipeline::run_report_html(job, context, kTestTemplate);
    ADD_FAILURE() << "no RunError";
  } catch (const RunError& e) {
    EXPECT_NE(std::string(e.what()).find("a_folder"), std::string::npos) << e.what();
  }
  for (const auto& entry : fs::directory_iterator(dir_->path()))
    EXPECT_EQ(entry.path().string().find(".partial"), std::string::npos) << entry.path();
  ::unsetenv("SOURCE_DATE_EPOCH");
}

// A damage results folder of three mines written by hand, for the bad inputs.
class HtmlReportBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.path() / "r/tables");
    write("r/summary.json", R"({"stage": "damage", "warnings": []})");
    write("r/tables/mines.csv",
          "mine_id,status,nep_loss_last_gC_m2_yr\nA,ok,1.5\nB,below_min_area,NA\nC,ok,-2\n");
    write("r/tables/mine_year.csv",
          "mine_id,year,nep_mine_gC_m2_yr\nA,2000,1.25\nA,2001,2\nC,2000,3\n");
    job_.results_dir = dir_.str("r");
    job_.out = dir_.str("out.html");
  }
  void write(const std::string& relative, const std::string& text) {
    std::ofstream(dir_.path() / relative) << text;
  }
  // The error's message, checking its type and that no report was written.
  template <class Error>
  std::string error_of() {
    try {
      pipeline::run_report_html(job_, context_, kTestTemplate);
    } catch (const Error& e) {
      EXPECT_FALSE(fs::exists(job_.out));
      return e.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "another error: " << e.what();
      return "";
    }
    ADD_FAILURE() << "no error";
    return "";
  }
  TempDir dir_{"html_report_bad"};
  pipeline::ReportJob job_;
  RunContext context_;
};

TEST_F(HtmlReportBadInput, TheHandWrittenFolderIsAValidReport) {
  pipeline::run_report_html(job_, context_, kTestTemplate);
  const auto d = test::decode_report(slurp(job_.out));
  EXPECT_EQ(d.header["mines"]["ids"], nlohmann::json({"A", "B", "C"}));
  EXPECT_EQ(d.meta["geometry"]["kind"], "none");
}

TEST_F(HtmlReportBadInput, AMissingFolderIsNamed) {
  job_.results_dir = dir_.str("nowhere");
  EXPECT_NE(error_of<DataError>().find("nowhere"), std::string::npos);
}

TEST_F(HtmlReportBadInput, AFolderWithoutKnownResultsSaysWhatWasExpected) {
  fs::create_directory(dir_.path() / "empty");
  job_.results_dir = dir_.str("empty");
  EXPECT_NE(error_of<DataError>().find("summary.json"), std::string::npos);
}

TEST_F(HtmlReportBadInput, ABrokenSummaryGivesTheLine) {
  write("r/summary.json", "{\"stage\": \"damage\",\n\"warnings\": [}\n");
  const std::string what = error_of<DataError>();
  EXPECT_NE(what.find("summary.json"), std::string::npos) << what;
  EXPECT_NE(what.find("line 2"), std::string::npos) << what;
}

TEST_F(HtmlReportBadInput, AGeoPackageWithoutTheMinesLayerIsNamed) {
  GDALAllRegister();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  GDALDataset* ds =
      driver->Create(dir_.str("r/results.gpkg").c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  ASSERT_NE(ds, nullptr);
  OGRSpatialReference wgs84;
  wgs84.importFromEPSG(4326);
  ds->CreateLayer("other", &wgs84, wkbMultiPolygon, nullptr);
  GDALClose(ds);
  const std::string what = error_of<DataError>();
  EXPECT_NE(what.find("results.gpkg"), std::string::npos) << what;
  EXPECT_NE(what.find("'mines'"), std::string::npos) << what;
}

TEST_F(HtmlReportBadInput, AnUnknownMineInATableGivesFileLineAndId) {
  write("r/tables/mine_year.csv", "mine_id,year,nep_mine_gC_m2_yr\nA,2000,1.25\nZ9,2001,2\n");
  const std::string what = error_of<DataError>();
  EXPECT_NE(what.find("mine_year.csv:3"), std::string::npos) << what;
  EXPECT_NE(what.find("'Z9'"), std::string::npos) << what;
}

TEST_F(HtmlReportBadInput, TextInANumericColumnGivesFileLineAndColumn) {
  write("r/tables/mines.csv",
        "mine_id,status,nep_loss_last_gC_m2_yr\nA,ok,1.5\nB,ok,lots\nC,ok,-2\n");
  const std::string what = error_of<DataError>();
  EXPECT_NE(what.find("mines.csv:3"), std::string::npos) << what;
  EXPECT_NE(what.find("nep_loss_last_gC_m2_yr"), std::string::npos) << what;
  EXPECT_NE(what.find("'lots'"), std::string::npos) << what;
}

TEST_F(HtmlReportBadInput, ABudgetBelowTheSmallestReportStatesTheSmallestSize) {
  job_.max_size_mb = 0.01;  // the template alone is smaller, the islands are not
  std::string big_title(20000, 'x');
  job_.title = big_title;
  const std::string what = error_of<ConfigError>();
  EXPECT_NE(what.find("smallest possible"), std::string::npos) << what;
  // The size it names is what the smallest report takes: the title alone is 0.02 MB.
  const std::size_t at = what.find("pass --max-size-mb ");
  ASSERT_NE(at, std::string::npos) << what;
  const double smallest = std::stod(what.substr(at + 19));
  EXPECT_GT(smallest, 0.02);
  EXPECT_LT(smallest, 0.1);
}

TEST_F(HtmlReportBadInput, ComparisonWithNoCommonMinesIsRefused) {
  fs::create_directories(dir_.path() / "other/tables");
  write("other/summary.json", R"({"stage": "damage"})");
  write("other/tables/mines.csv", "mine_id,nep_loss_last_gC_m2_yr\nX,1\n");
  job_.compare = dir_.str("other");
  EXPECT_NE(error_of<ConfigError>().find("share no mine id"), std::string::npos);
}

}  // namespace
}  // namespace minecarbon::e2e
