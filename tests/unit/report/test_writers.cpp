// The table writers: a CSV formatted on several threads has the same bytes as one formatted on
// one (rows in order, quoting, NA, shortest round-trip numbers); the GeoPackage and the CSVs
// written at the same time are the files written one after another; errors of either writer
// reach the caller.
#include "minecarbon/report/writers.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"

namespace minecarbon::report {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// `rows` rows: ids that need quoting now and then, years, doubles with NaN and infinities.
Table planted_table(std::size_t rows) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<std::string> ids(rows);
  std::vector<std::int64_t> years(rows);
  std::vector<double> values(rows);
  for (std::size_t row = 0; row < rows; ++row) {
    ids[row] = row % 997 == 0 ? "mine \"" + std::to_string(row) + "\", north" : std::to_string(row);
    years[row] = 2000 + static_cast<std::int64_t>(row % 21);
    const double u = unit(rng);
    values[row] = u < 0.03 ? std::nan("") : u < 0.04 ? -INFINITY : 1e3 * (u - 0.5) / 3.0;
  }
  Table table("mine_year");
  table.add("mine_id", ids);
  table.add("year", years);
  table.add("nep_gC_m2_yr", values);
  return table;
}

class WritersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GDALAllRegister();
    dir_ = fs::temp_directory_path() /
           ("mc_writers_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(WritersTest, CsvOnSeveralThreadsHasTheBytesOfOneThread) {
  // 100,003 rows: several rounds of chunks and a short last chunk.
  const Table table = planted_table(100003);
  std::ostringstream expected;
  write_csv(table, expected);
  for (int threads : {1, 2, 3}) {
    const fs::path path = dir_ / ("t" + std::to_string(threads) + ".csv");
    write_csv_file(path.string(), table, threads);
    EXPECT_EQ(slurp(path), expected.str()) << threads << " threads";
  }
  // A table with no rows is its header line.
  const Table empty = planted_table(0);
  write_csv_file((dir_ / "empty.csv").string(), empty, 2);
  EXPECT_EQ(slurp(dir_ / "empty.csv"), "mine_id,year,nep_gC_m2_yr\n");
}

TEST_F(WritersTest, GeoPackageAndCsvsAtOnceAreTheFilesWrittenOneByOne) {
  const Table rows = planted_table(40000);
  Table mines("mines");
  mines.add("mine_id", std::vector<std::string>{"A", "B"});
  const std::vector<geo::MultiPolygon> shapes = {
      {geo::Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 0}}, {}}},
      {geo::Polygon{{{20, 0}, {30, 0}, {30, 10}, {20, 10}, {20, 0}},
                    {{{22, 2}, {24, 2}, {24, 4}, {22, 2}}}}}};
  const GeometryLayer layer{&mines, &shapes, "EPSG:32650"};
  const fs::path gpkg = dir_ / "results.gpkg";
  write_geopackage_and_csvs(
      gpkg.string(), layer, {&rows},
      {{(dir_ / "mine_year.csv").string(), &rows}, {(dir_ / "mines.csv").string(), &mines}}, 3);
  std::ostringstream expected;
  write_csv(rows, expected);
  EXPECT_EQ(slurp(dir_ / "mine_year.csv"), expected.str());
  EXPECT_EQ(slurp(dir_ / "mines.csv"), "mine_id\nA\nB\n");

  GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg.string().c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  OGRLayer* geometry = ds->GetLayerByName("mines");
  ASSERT_NE(geometry, nullptr);
  EXPECT_EQ(geometry->GetFeatureCount(), 2);
  // The reused feature carries no geometry or FID over from one row to the next.
  geometry->ResetReading();
  std::vector<double> areas;
  for (auto& feature : *geometry)
    areas.push_back(feature->GetGeometryRef()->toMultiPolygon()->get_Area());
  ASSERT_EQ(areas.size(), 2u);
  EXPECT_DOUBLE_EQ(areas[0], 50.0);
  EXPECT_DOUBLE_EQ(areas[1], 100.0 - 2.0);
  OGRLayer* table = ds->GetLayerByName("mine_year");
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->GetFeatureCount(), 40000);
  // NaN and infinities are NULL in the GeoPackage; other values exactly as given.
  table->ResetReading();
  const auto& values = std::get<std::vector<double>>(rows.columns()[2].data);
  std::size_t row = 0, nulls = 0;
  for (auto& feature : *table) {
    const double v = values[row++];
    if (!std::isfinite(v)) {
      EXPECT_TRUE(feature->IsFieldNull(2)) << row;
      ++nulls;
    } else {
      EXPECT_EQ(feature->GetFieldAsDouble(2), v) << row;
    }
  }
  EXPECT_EQ(row, 40000u);
  EXPECT_GT(nulls, 0u);
}

TEST_F(WritersTest, AnErrorOfEitherWriterReachesTheCaller) {
  const Table rows = planted_table(10);
  Table mines("mines");
  mines.add("mine_id", std::vector<std::string>{"A"});
  const std::vector<geo::MultiPolygon> shapes = {
      {geo::Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 0}}, {}}}};
  const GeometryLayer layer{&mines, &shapes, "EPSG:32650"};
  const std::string missing = (dir_ / "no_such_folder" / "x").string();
  // The CSV cannot be created: the GeoPackage is still written, the CSV's error is thrown.
  EXPECT_THROW(write_geopackage_and_csvs((dir_ / "ok.gpkg").string(), layer, {&rows},
                                         {{missing + ".csv", &rows}}, 2),
               RunError);
  EXPECT_TRUE(fs::exists(dir_ / "ok.gpkg"));
  // Both fail: the GeoPackage's error wins, on any thread count.
  for (int threads : {1, 2}) {
    try {
      write_geopackage_and_csvs(missing + ".gpkg", layer, {&rows}, {{missing + ".csv", &rows}},
                                threads);
      ADD_FAILURE() << "no error";
    } catch (const RunError& e) {
      EXPECT_NE(std::string(e.what()).find(".gpkg"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace minecarbon::report
