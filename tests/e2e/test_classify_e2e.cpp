// `minecarbon classify` end to end: a values table of planted groups, thresholds in two
// dimensions, the real mine layer written as mine_class, and every bad input — exit code, message
// naming the file or field, nothing written.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "cli_harness.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::e2e {
namespace {

namespace fs = std::filesystem;

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

class ClassifyCli : public ::testing::Test {
 protected:
  // 90 mines from three well-separated native-NEP groups (gC m-2 yr-1), in shuffled order; the
  // planted group is in the table so the test can compare.
  void SetUp() override {
    std::mt19937_64 rng(13);
    std::normal_distribution<double> noise(0.0, 12.0);
    const double centres[3] = {40.0, 260.0, 610.0};
    const char* names[3] = {"low", "medium", "high"};
    std::ostringstream csv;
    csv.precision(17);
    csv << "mine_id,nep_ref,gap,region,truth\n";
    for (int idx = 0; idx < 90; ++idx) {
      const int g = (idx * 7) % 3;
      csv << "M" << idx << "," << centres[g] + noise(rng) << "," << (idx % 10) * 20.0 << ","
          << (idx < 45 ? "north" : "south") << "," << names[g] << "\n";
    }
    write_file(dir_.str("v.csv"), csv.str());
  }
  CliRun run(const std::string& args) {
    return run_cli("--quiet classify --out " + dir_.str("out") + " " + args);
  }
  std::string values() const { return "--values " + dir_.str("v.csv"); }
  void expect_nothing_written() { EXPECT_FALSE(fs::exists(dir_.str("out"))); }
  TempDir dir_{"classify_" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())};
};

// Rows of a CSV (quoted fields: recommended uses hold commas) as maps from column to text.
std::vector<std::map<std::string, std::string>> read_rows(const std::string& path) {
  const CsvText csv = read_csv_file(path);
  std::vector<std::map<std::string, std::string>> rows;
  for (const auto& cells : csv.rows) {
    std::map<std::string, std::string> row;
    for (std::size_t col = 0; col < csv.header.size(); ++col)
      row[csv.header[col]] = cells[col];
    rows.push_back(row);
  }
  return rows;
}

TEST_F(ClassifyCli, FisherRecoversThePlantedGroups) {
  CliRun r = run(values() + " --value-field nep_ref");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto truth = read_rows(dir_.str("v.csv"));
  const auto classes = read_rows(dir_.str("out/tables/mine_class.csv"));
  ASSERT_EQ(classes.size(), 90u);
  for (std::size_t idx = 0; idx < classes.size(); ++idx) {
    EXPECT_EQ(classes[idx].at("mine_id"), truth[idx].at("mine_id"));
    EXPECT_EQ(classes[idx].at("class"), truth[idx].at("truth")) << classes[idx].at("mine_id");
    EXPECT_EQ(classes[idx].at("method"), "fisher_jenks");
  }
  // The shipped recommendation (Hu et al. 2023) reaches the high class.
  EXPECT_NE(slurp(dir_.str("out/tables/mine_class.csv")).find("forest, grassland or wetland"),
            std::string::npos);
  EXPECT_EQ(read_rows(dir_.str("out/tables/breaks.csv")).size(), 3u);
  const auto summary = nlohmann::json::parse(slurp(dir_.str("out/summary.json")));
  EXPECT_EQ(summary["counts"]["class"]["high"], 30);
  EXPECT_GT(summary["goodness_of_variance_fit"][0]["gvf"].get<double>(), 0.98);
}

TEST_F(ClassifyCli, ThresholdsInTwoDimensionsFlagPriority) {
  CliRun r = run(values() +
                 " --value-field nep_ref --second-value-field gap --rule thresholds "
                 "--low-max 150 --high-min 450 --second-low-max 40 --second-high-min 140");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto truth = read_rows(dir_.str("v.csv"));
  const auto classes = read_rows(dir_.str("out/tables/mine_class.csv"));
  std::size_t priority = 0;
  for (std::size_t idx = 0; idx < classes.size(); ++idx) {
    const double gap = std::stod(truth[idx].at("gap"));
    const std::string gap_class = gap <= 40 ? "low" : gap >= 140 ? "high" : "medium";
    EXPECT_EQ(classes[idx].at("cell"), truth[idx].at("truth") + "/" + gap_class);
    const bool want = truth[idx].at("truth") == "high" && gap_class == "high";
    EXPECT_EQ(classes[idx].at("priority"), want ? "1" : "0");
    priority += want;
  }
  const auto summary = nlohmann::json::parse(slurp(dir_.str("out/summary.json")));
  EXPECT_EQ(summary["counts"]["priority"], priority);
  EXPECT_GT(priority, 0u);
}

TEST_F(ClassifyCli, QuantilesPerGroup) {
  CliRun r = run(values() + " --value-field nep_ref --method quantile --group-by region");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto breaks = read_rows(dir_.str("out/tables/breaks.csv"));
  ASSERT_EQ(breaks.size(), 6u);
  EXPECT_EQ(breaks[0].at("group"), "north");
  EXPECT_EQ(breaks[3].at("group"), "south");
  // 45 mines per region in tertiles: 15 each (no ties in the data).
  for (const auto& b : breaks)
    EXPECT_EQ(b.at("n_mines"), "15");
}

TEST_F(ClassifyCli, RealMineLayerGetsItsClasses) {
  // The geodesic areas of the 100 real mines (tests/data/mining_polygons) classified in three,
  // written with the polygons as the layer mine_class.
  const std::string data = std::string(MC_TEST_DATA_DIR) + "/mining_polygons/";
  CliRun r = run("--values " + data + "reference_areas_maus_tang_demo.csv --id-field id " +
                 "--value-field terra_area_m2 --mines " + data +
                 "maus_tang_combined_demo_100.gpkg --classes 5");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::exists(dir_.str("out/results.gpkg")));
  const std::string info = slurp(dir_.str("out/tables/breaks.csv"));
  // classInt fisher k = 5 on these areas, tests/data/class_breaks/breaks.csv: the counts.
  const auto breaks = read_rows(dir_.str("out/tables/breaks.csv"));
  ASSERT_EQ(breaks.size(), 5u);
  std::string counts;
  for (const auto& b : breaks)
    counts += (counts.empty() ? "" : ";") + b.at("n_mines");
  const std::string fit = slurp(std::string(MC_TEST_DATA_DIR) + "/class_breaks/fit.csv");
  EXPECT_NE(fit.find("mine_area_m2,fisher,5,"), std::string::npos);
  const std::size_t at = fit.find("mine_area_m2,fisher,5,");
  const std::string row = fit.substr(at, fit.find('\n', at) - at);
  EXPECT_EQ(row.substr(row.rfind(',') + 1), counts);
}

TEST_F(ClassifyCli, MoreClassesThanDistinctValuesIsExit3) {
  write_file(dir_.str("v.csv"), "mine_id,x\nA,1\nB,1\nC,2\nD,2\n");
  CliRun r = run(values() + " --value-field x");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("k = 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 distinct"), std::string::npos) << r.err;
  expect_nothing_written();
}

TEST_F(ClassifyCli, UnknownValueFieldIsExit3NamingFileAndField) {
  CliRun r = run(values() + " --value-field nep");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("v.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'nep'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("value_field"), std::string::npos) << r.err;
  expect_nothing_written();
}

TEST_F(ClassifyCli, DuplicateIdIsExit3NamingBothLines) {
  write_file(dir_.str("v.csv"), "mine_id,x\nA,1\nB,5\nA,9\nC,20\n");
  CliRun r = run(values() + " --value-field x");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("v.csv:4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err;
  expect_nothing_written();
}

TEST_F(ClassifyCli, TextInTheValueColumnIsExit3) {
  write_file(dir_.str("v.csv"), "mine_id,x\nA,1\nB,five\nC,20\n");
  CliRun r = run(values() + " --value-field x");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("'x'"), std::string::npos) << r.err;
  expect_nothing_written();
}

TEST_F(ClassifyCli, BadSettingsAreExit2) {
  for (const std::string& args :
       {values() + " --value-field nep_ref --classes 1",
        values() + " --value-field nep_ref --rule thresholds --high-min 5",
        values() + " --value-field nep_ref --high-min 5",
        values() + " --value-field nep_ref --second-value-field gap --classes 4",
        std::string("--value nep_gap")}) {
    CliRun r = run(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    expect_nothing_written();
  }
}

TEST_F(ClassifyCli, ProjectSectionRunsAfterBalanceSlot) {
  write_file(dir_.str("p.toml"), "[classify]\nvalues = \"v.csv\"\nvalue_field = \"nep_ref\"\n");
  CliRun r = run_cli("--quiet run " + dir_.str("p.toml") + " --out " + dir_.str("res"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_.str("res/classify/tables/mine_class.csv")));
  // A value from a stage the project lacks: exit 2 naming the stage.
  write_file(dir_.str("q.toml"), "[classify]\nvalue = \"nep_gap\"\n");
  r = run_cli("--quiet run " + dir_.str("q.toml") + " --out " + dir_.str("res2"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("[damage]"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace minecarbon::e2e
