// The per-series warning stage with mines (issue 12 §4 leftovers):
//   spatial z against the reference zone from damage in memory — on a 20 × 20 equal-area grid
//   with a cell-aligned mine and reference polygon and planted values, warning_spatial_z.csv's
//   reference mean and sd and z equal a hand computation over the planted cells;
//   history_start_field from the mine layer moves BFAST Monitor's history start;
//   --trace writes the MOSUM process; the `warning` layer of results.gpkg read back with GDAL;
//   --mines alone gives the layer for CSV series; bad fields and ids stop with exit 2 or 3.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <fstream>
#include <map>

#include "cli_harness.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::e2e {
namespace {

constexpr double kX0 = -5000.0, kY0 = 4.0e6, kCell = 500.0;
constexpr int kN = 20;

bool in_mine(int r, int c) {
  return r >= 8 && r < 12 && c >= 8 && c < 12;
}
bool in_ref(int r, int c) {
  return r < 4 && c < 4;
}

double value_at(int r, int c, int year) {
  const int i = year - 2000;
  if (in_mine(r, c)) return 150.0 - 4.0 * i + (year >= 2010 ? -50.0 : 0.0) + 0.5 * (r - c);
  if (in_ref(r, c)) return 200.0 + 10.0 * ((r * 3 + c + i) % 5) + i;
  return 100.0;
}

OGRSpatialReference srs6933() {
  OGRSpatialReference srs;
  srs.importFromEPSG(6933);
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

void write_rasters(const std::string& dir) {
  GDALAllRegister();
  std::filesystem::create_directories(dir);
  for (int year = 2000; year <= 2011; ++year) {
    GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
        (dir + "/nep_" + std::to_string(year) + ".tif").c_str(), kN, kN, 1, GDT_Float64, nullptr));
    double gt[6] = {kX0, kCell, 0, kY0, 0, -kCell};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs = srs6933();
    ds->SetSpatialRef(&srs);
    std::vector<double> values(kN * kN);
    for (int r = 0; r < kN; ++r)
      for (int c = 0; c < kN; ++c)
        values[r * kN + c] = value_at(r, c, year);
    (void)ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, kN, kN, values.data(), kN, kN, GDT_Float64,
                                         0, 0, nullptr);
  }
}

// Cell-aligned rectangle of rows r0..r1−1, cols c0..c1−1 (in a 6933 grid at kX0, kY0 by default).
OGRPolygon rect(int r0, int r1, int c0, int c1, double x0 = kX0, double y0 = kY0) {
  OGRLinearRing ring;
  ring.addPoint(x0 + c0 * kCell, y0 - r0 * kCell);
  ring.addPoint(x0 + c1 * kCell, y0 - r0 * kCell);
  ring.addPoint(x0 + c1 * kCell, y0 - r1 * kCell);
  ring.addPoint(x0 + c0 * kCell, y0 - r1 * kCell);
  ring.closeRings();
  OGRPolygon p;
  p.addRing(&ring);
  return p;
}

struct Feature {
  std::string id;
  OGRPolygon shape;
  std::string restored;  // "" = no field value
};

void write_layer(const std::string& path, const std::vector<Feature>& features) {
  GDALAllRegister();  // the test may run alone in its process (ctest runs one test each)
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
      path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  OGRSpatialReference srs = srs6933();
  OGRLayer* layer = ds->CreateLayer("zones", &srs, wkbPolygon, nullptr);
  OGRFieldDefn id("mine_id", OFTString), restored("restored", OFTString);
  (void)layer->CreateField(&id);
  (void)layer->CreateField(&restored);
  for (const auto& f : features) {
    OGRFeature feature(layer->GetLayerDefn());
    feature.SetField("mine_id", f.id.c_str());
    if (!f.restored.empty()) feature.SetField("restored", f.restored.c_str());
    feature.SetGeometry(&f.shape);
    (void)layer->CreateFeature(&feature);
  }
}

double num(const std::string& text) {
  return text == "NA" ? std::nan("") : std::stod(text);
}

// The features of layer `name` of a GeoPackage: id → field → text, and the geometry areas.
std::map<std::string, std::map<std::string, std::string>> read_gpkg(
    const std::string& path, const std::string& name, std::map<std::string, double>* areas) {
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
  EXPECT_TRUE(ds) << path;
  std::map<std::string, std::map<std::string, std::string>> out;
  if (!ds) return out;
  OGRLayer* layer = ds->GetLayerByName(name.c_str());
  EXPECT_NE(layer, nullptr) << name;
  if (!layer) return out;
  for (auto& feature : *layer) {
    const std::string id = feature->GetFieldAsString("mine_id");
    for (int f = 0; f < feature->GetFieldCount(); ++f)
      out[id][feature->GetFieldDefnRef(f)->GetNameRef()] =
          feature->IsFieldSetAndNotNull(f) ? feature->GetFieldAsString(f) : "";
    if (areas && feature->GetGeometryRef())
      (*areas)[id] = OGR_G_Area(OGRGeometry::ToHandle(feature->GetGeometryRef()));
  }
  return out;
}

std::map<std::string, std::vector<std::map<std::string, std::string>>> rows_by_id(
    const std::string& path) {
  const CsvText csv = read_csv_file(path);
  std::map<std::string, std::vector<std::map<std::string, std::string>>> out;
  for (const auto& row : csv.rows) {
    std::map<std::string, std::string> m;
    for (std::size_t c = 0; c < csv.header.size(); ++c)
      m[csv.header[c]] = row[c];
    out[row[0]].push_back(m);
  }
  return out;
}

TEST(WarningMinesE2e, SpatialZHistoryFieldTraceAndLayerUnderRun) {
  TempDir dir("warning_mines_run");
  write_rasters(dir.str("nep"));
  write_layer(dir.str("mines.gpkg"), {{"A", rect(8, 12, 8, 12), "2001"}});
  write_layer(dir.str("refs.gpkg"), {{"A", rect(0, 4, 0, 4), ""}});
  std::ofstream(dir.str("p.toml"))
      << "[damage]\nmines = \"mines.gpkg\"\nid_field = \"mine_id\"\n"
      << "nep = \"nep/nep_{year}.tif\"\nyears = \"2000-2011\"\nmin_area_km2 = 0\n"
      << "reference_polygons = \"refs.gpkg\"\n"
      << "[warning]\nhistory = \"time\"\nhistory_start_field = \"restored\"\n"
      << "monitor_start = 2009\ntrace = true\n";
  const CliRun run = run_cli("-q run " + dir.str("p.toml") + " --out " + dir.str("r"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // Spatial z per year against the planted reference cells (equal areas, full coverage).
  auto spatial = rows_by_id(dir.str("r/warning/tables/warning_spatial_z.csv"));
  ASSERT_EQ(spatial["A"].size(), 12u);
  double z_last = 0;
  for (const auto& row : spatial["A"]) {
    const int year = static_cast<int>(num(row.at("time")));
    double q = 0, o = 0, ss = 0;
    for (int r = 8; r < 12; ++r)
      for (int c = 8; c < 12; ++c)
        q += value_at(r, c, year) / 16;
    for (int r = 0; r < 4; ++r)
      for (int c = 0; c < 4; ++c)
        o += value_at(r, c, year) / 16;
    for (int r = 0; r < 4; ++r)
      for (int c = 0; c < 4; ++c)
        ss += (value_at(r, c, year) - o) * (value_at(r, c, year) - o) / 16;
    const double sd = std::sqrt(ss);
    ASSERT_GT(sd, 5.0);
    EXPECT_EQ(row.at("reference"), "ring");
    EXPECT_NEAR(num(row.at("value")), q, 1e-9 * q) << year;
    EXPECT_NEAR(num(row.at("reference_mean")), o, 1e-9 * o) << year;
    EXPECT_NEAR(num(row.at("reference_sd")), sd, 1e-9 * sd) << year;
    EXPECT_NEAR(num(row.at("z_spatial")), (q - o) / sd, 1e-9) << year;
    z_last = (q - o) / sd;
  }
  auto series = rows_by_id(dir.str("r/warning/tables/warning_series.csv"));
  ASSERT_EQ(series["A"].size(), 1u);
  const auto& a = series["A"][0];
  EXPECT_NEAR(num(a.at("z_spatial_last")), z_last, 1e-9);
  // history_start_field = "restored" (2001 in the layer): history 2001..2008, not 2000.
  EXPECT_EQ(num(a.at("bfast_history_start")), 2001.0);
  EXPECT_EQ(num(a.at("bfast_history_n")), 8.0);
  // Trace: one row per monitored year, k from n + 1.
  auto mosum = rows_by_id(dir.str("r/warning/tables/warning_mosum.csv"));
  ASSERT_EQ(mosum["A"].size(), 3u);  // 2009..2011
  EXPECT_EQ(mosum["A"][0].at("k"), "9");
  EXPECT_EQ(num(mosum["A"][0].at("time")), 2009.0);
  // The layer: the mine's geometry, level and statistics as in warning_series.csv.
  std::map<std::string, double> areas;
  auto layer = read_gpkg(dir.str("r/warning/results.gpkg"), "warning", &areas);
  ASSERT_EQ(layer.size(), 1u);
  EXPECT_EQ(layer["A"]["level"], a.at("level"));
  EXPECT_NEAR(std::stod(layer["A"]["z_spatial_last"]), z_last, 1e-9);
  EXPECT_NEAR(std::stod(layer["A"]["last_value"]), num(a.at("last_value")), 1e-9);
  EXPECT_NEAR(areas["A"], 4.0e6, 1e-3);
}

// Planted series of test_warning_e2e (2000–2020) and a mine square for each id plus one more.
double planted(const std::string& id, int year) {
  const int i = year - 2000;
  const double w = 8.0 * std::sin(i * 2.3) + 5.0 * std::cos(i * 1.7);
  if (id == "stable") return 200.0 + w;
  if (id == "decline") return 260.0 - 6.0 * i + w;
  if (id == "drop") return (year <= 2012 ? 220.0 : 90.0) + w;
  return (year <= 2014 ? 180.0 - 2.0 * i : 150.0 - 35.0 * (year - 2014)) + w;
}

const char* kIds[4] = {"stable", "decline", "drop", "source"};

void write_series(const std::string& path, const std::string& extra_header = "",
                  const std::map<std::string, std::string>& extra = {}) {
  std::ofstream out(path);
  out.precision(17);
  out << "id,year,nep_mine_gC_m2_yr" << extra_header << "\n";
  for (int year = 2000; year <= 2020; ++year)
    for (const char* id : kIds) {
      out << id << ',' << year << ',' << planted(id, year);
      if (!extra_header.empty()) out << ',' << (extra.count(id) ? extra.at(id) : "");
      out << '\n';
    }
}

TEST(WarningMinesE2e, MinesAloneGiveTheLayerAndCsvHistoryStartField) {
  TempDir dir("warning_mines_alone");
  write_series(dir.str("series.csv"), ",restored", {{"drop", "2004"}, {"source", "2004"}});
  std::vector<Feature> mines;
  for (int k = 0; k < 4; ++k)
    mines.push_back({kIds[k], rect(0, 2, 3 * k, 3 * k + 2), ""});
  mines.push_back({"extra", rect(5, 7, 0, 2), ""});
  write_layer(dir.str("mines.gpkg"), mines);
  const CliRun run = run_cli("-q warning --series " + dir.str("series.csv") +
                             " --monitor-start 2010 --history time --history-start 2001 " +
                             "--history-start-field restored --mines " + dir.str("mines.gpkg") +
                             " --id-field mine_id --out " + dir.str("out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto series = rows_by_id(dir.str("out/tables/warning_series.csv"));
  // drop and source start their history at 2004 (the CSV column), the others at 2001.
  EXPECT_EQ(num(series["drop"][0].at("bfast_history_start")), 2004.0);
  EXPECT_EQ(num(series["drop"][0].at("bfast_history_n")), 6.0);
  EXPECT_EQ(num(series["stable"][0].at("bfast_history_start")), 2001.0);
  EXPECT_EQ(num(series["stable"][0].at("bfast_history_n")), 9.0);
  std::map<std::string, double> areas;
  auto layer = read_gpkg(dir.str("out/results.gpkg"), "warning", &areas);
  ASSERT_EQ(layer.size(), 5u);
  for (const char* id : kIds) {
    EXPECT_EQ(layer[id]["level"], series[id][0].at("level")) << id;
    EXPECT_NEAR(std::stod(layer[id]["mk_z"]), num(series[id][0].at("mk_z")), 1e-9) << id;
    EXPECT_NEAR(areas[id], 4 * kCell * kCell, 1e-3) << id;
  }
  EXPECT_EQ(layer["extra"]["level"], "");  // a mine without a series
  EXPECT_FALSE(std::filesystem::exists(dir.str("out/tables/warning_mosum.csv")));
}

TEST(WarningMinesE2e, BadHistoryFieldAndReferenceIdsStopNamingFileAndField) {
  TempDir dir("warning_mines_bad");
  write_series(dir.str("series.csv"));
  const std::string base =
      "-q warning --series " + dir.str("series.csv") + " --monitor-start 2010 --history time ";
  CliRun run = run_cli(base + "--history-start-field restored --out " + dir.str("a"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("history_start_field"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("restored"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("series.csv"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir.str("a")));
  // Two history starts for one series: exit 3 naming the line and column.
  write_series(dir.str("series.csv"), ",restored", {{"drop", "2004"}});
  std::ofstream(dir.str("series.csv"), std::ios::app) << "drop,2021,80,2005\n";
  run = run_cli(base + "--history-start-field restored --out " + dir.str("b"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("series.csv:86"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("'restored'"), std::string::npos) << run.err;
  // history_start_field without history = "time": exit 2 naming both keys.
  run = run_cli("-q warning --series " + dir.str("series.csv") +
                " --history-start-field restored --out " + dir.str("c"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("history-start-field"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("history = \"time\""), std::string::npos) << run.err;
  // reference_ids naming an unknown series: exit 2 naming the key and the series file.
  write_series(dir.str("series.csv"));
  std::ofstream(dir.str("p.toml")) << "[warning]\nseries_csv = \"series.csv\"\n"
                                   << "reference_ids = [\"stable\", \"nowhere\"]\n";
  run = run_cli("-q run " + dir.str("p.toml") + " --out " + dir.str("d"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("reference_ids"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("'nowhere'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("series.csv"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir.str("d/warning/tables/warning_series.csv")));
}

}  // namespace
}  // namespace minecarbon::e2e
