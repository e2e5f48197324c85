// `minecarbon indices --mines` end to end (docs/indices.md, "Per mine").
// A synthetic 2-band scene (red, nir reflectances, UTM 50N, 30 m) with planted NDVI: every cell
// a polygon touches carries one value, so the area-weighted mean over the polygon is that value
// whatever the coverage fractions, and the areas are the polygons' planar areas:
// - mine A straddles the window boundary at column 256;
// - mine B has a hole whose inner cells carry another NDVI (a mean that counted them would move);
// - the rings (within 5 km, beyond 500 m of every mine) see only the background NDVI.
// On the real Landsat 8 subset, the RSEI grade shares over a cell-aligned mine equal the cell
// counts of the written grade raster. Also: 1 vs 2 threads give the same CSV; a project run too; a mine layer in lon/lat gives the same areas (it is
// transformed into the scene's CRS); a missing id field stops with exit 2 (the shared mine reader's
// ConfigError) naming file, layer and field.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::e2e {
namespace {

constexpr int kCols = 600, kRows = 300;
constexpr double kX0 = 500000.0, kY0 = 4400000.0, kCell = 30.0;

struct Rect {
  int row0, row1, col0, col1;  // cells, inclusive
};
// Planted cells and their (red, nir).
const Rect kRectA{100, 139, 240, 279};      // NDVI (0.5 − 0.1)/(0.5 + 0.1) = 2/3
const Rect kRectB{150, 199, 400, 459};      // (0.6 − 0.2)/0.8 = 0.5
const Rect kHoleCells{171, 179, 421, 429};  // inside B's hole: (0.05 − 0.45)/0.5 = −0.8

bool in(const Rect& r, int row, int col) {
  return row >= r.row0 && row <= r.row1 && col >= r.col0 && col <= r.col1;
}

void write_scene(const std::string& path) {
  GDALAllRegister();
  char** options = nullptr;
  options = CSLSetNameValue(options, "TILED", "YES");
  options = CSLSetNameValue(options, "BLOCKXSIZE", "128");
  options = CSLSetNameValue(options, "BLOCKYSIZE", "128");
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
      path.c_str(), kCols, kRows, 2, GDT_Float32, options));
  CSLDestroy(options);
  double gt[6] = {kX0, kCell, 0, kY0, 0, -kCell};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(32650);
  ds->SetSpatialRef(&srs);
  std::vector<float> red(static_cast<std::size_t>(kCols) * kRows),
      nir(static_cast<std::size_t>(kCols) * kRows);
  for (int row = 0; row < kRows; ++row)
    for (int col = 0; col < kCols; ++col) {
      const std::size_t i = static_cast<std::size_t>(row) * kCols + col;
      red[i] = 0.3f, nir[i] = 0.4f;  // background NDVI 1/7
      if (in(kRectA, row, col)) red[i] = 0.1f, nir[i] = 0.5f;
      if (in(kRectB, row, col)) red[i] = 0.2f, nir[i] = 0.6f;
      if (in(kHoleCells, row, col)) red[i] = 0.45f, nir[i] = 0.05f;
    }
  ASSERT_EQ(CE_None, ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, kCols, kRows, red.data(), kCols,
                                                    kRows, GDT_Float32, 0, 0, nullptr));
  ASSERT_EQ(CE_None, ds->GetRasterBand(2)->RasterIO(GF_Write, 0, 0, kCols, kRows, nir.data(), kCols,
                                                    kRows, GDT_Float32, 0, 0, nullptr));
}

// A ring of (col, row) cell positions as map coordinates.
std::string ring_wkt(const std::vector<std::pair<double, double>>& cells) {
  std::string wkt = "(";
  for (std::size_t i = 0; i <= cells.size(); ++i) {
    const auto& [col, row] = cells[i % cells.size()];
    if (i) wkt += ",";
    wkt += std::to_string(kX0 + kCell * col) + " " + std::to_string(kY0 - kCell * row);
  }
  return wkt + ")";
}
std::vector<std::pair<double, double>> box(double c0, double c1, double r0, double r1) {
  return {{c0, r0}, {c1, r0}, {c1, r1}, {c0, r1}};
}

// Mine A: cols 240.5–279.25, rows 100.3–139.6; mine B: cols 400.2–459.9, rows 150.5–199.5 less
// the hole cols 420.5–430.5, rows 170.25–180.75. Planar areas in m².
const double kAreaA = kCell * kCell * (279.25 - 240.5) * (139.6 - 100.3);
const double kAreaB = kCell * kCell * ((459.9 - 400.2) * (199.5 - 150.5) - 10.0 * 10.5);

// The mines as a GeoPackage in `epsg` (transformed from the scene's UTM 50N when not 32650).
void write_mines(const std::string& path, int epsg, const std::string& id_field = "mine_id") {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
      path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  OGRSpatialReference utm, target;
  utm.importFromEPSG(32650);
  target.importFromEPSG(epsg);
  utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  OGRLayer* layer = ds->CreateLayer("mines", &target, wkbPolygon, nullptr);
  OGRFieldDefn field(id_field.c_str(), OFTString);
  (void)layer->CreateField(&field);
  const std::vector<std::pair<std::string, std::string>> mines = {
      {"A", "POLYGON(" + ring_wkt(box(240.5, 279.25, 100.3, 139.6)) + ")"},
      {"B", "POLYGON(" + ring_wkt(box(400.2, 459.9, 150.5, 199.5)) + "," +
                ring_wkt(box(420.5, 430.5, 170.25, 180.75)) + ")"}};
  std::unique_ptr<OGRCoordinateTransformation> transform(
      OGRCreateCoordinateTransformation(&utm, &target));
  for (const auto& [id, wkt] : mines) {
    OGRGeometry* geometry = nullptr;
    ASSERT_EQ(OGRGeometryFactory::createFromWkt(wkt.c_str(), &utm, &geometry), OGRERR_NONE);
    if (epsg != 32650) {
      geometry->segmentize(kCell);  // vertices along the edges, so the shape survives the CRS
      ASSERT_EQ(geometry->transform(transform.get()), OGRERR_NONE);
    }
    OGRFeature feature(layer->GetLayerDefn());
    feature.SetField(id_field.c_str(), id.c_str());
    feature.SetGeometryDirectly(geometry);
    ASSERT_EQ(layer->CreateFeature(&feature), OGRERR_NONE);
  }
}

CliRun run_mc(const std::string& args, const std::string& globals = "") {
  return run_cli("--quiet " + globals + " " + args);
}

std::string args(const TempDir& dir, const std::string& mines, const std::string& out) {
  return "indices --scene " + dir.str("scene.tif") + " --band red=1 --band nir=2 --index ndvi" +
         " --mines " + mines + " --id-field mine_id --out " + out;
}

// (mine_id, zone) → the row of tables/mine_index.csv for ndvi.
std::map<std::string, std::map<std::string, std::string>> ndvi_rows(const std::string& csv) {
  const CsvText table = read_csv_file(csv);
  std::map<std::string, std::map<std::string, std::string>> rows;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < table.header.size(); ++c)
      row[table.header[c]] = table.rows[r][c];
    if (row["index"] == "ndvi") rows[row["mine_id"] + "/" + row["zone"]] = row;
  }
  return rows;
}

double num(const std::map<std::string, std::string>& row, const std::string& column) {
  return std::stod(row.at(column));
}

TEST(IndicesMinesE2e, PlantedMeansAndAreasPerMineAndRing) {
  TempDir dir("mc_indices_mines");
  write_scene(dir.str("scene.tif"));
  write_mines(dir.str("mines.gpkg"), 32650);
  CliRun run = run_mc(args(dir, dir.str("mines.gpkg"), dir.str("t1")), "--threads 1");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto rows = ndvi_rows(dir.str("t1/tables/mine_index.csv"));
  ASSERT_EQ(rows.size(), 4u);
  const double ndvi_a = (0.5f - 0.1f) / (0.5f + 0.1f), ndvi_b = (0.6f - 0.2f) / (0.6f + 0.2f);
  EXPECT_NEAR(num(rows["A/mine"], "mean"), ndvi_a, 1e-6);
  EXPECT_NEAR(num(rows["B/mine"], "mean"), ndvi_b, 1e-6);  // the hole's −0.8 left out
  EXPECT_NEAR(num(rows["A/mine"], "valid_area_ha"), kAreaA / 1e4, 1e-9 * kAreaA);
  EXPECT_NEAR(num(rows["A/mine"], "covered_area_ha"), kAreaA / 1e4, 1e-9 * kAreaA);
  EXPECT_NEAR(num(rows["B/mine"], "valid_area_ha"), kAreaB / 1e4, 1e-9 * kAreaB);
  // Rings: only background cells (1/7), and a real area (the grid crops them).
  const double background = (0.4f - 0.3f) / (0.4f + 0.3f);
  for (const char* ring : {"A/ring", "B/ring"}) {
    EXPECT_NEAR(num(rows[ring], "mean"), background, 1e-6) << ring;
    EXPECT_GT(num(rows[ring], "valid_area_ha"), 1000.0) << ring;
  }
  {  // results.gpkg: the mines with their NDVI mean over the polygon.
    GDALDatasetUniquePtr gpkg(
        GDALDataset::Open(dir.str("t1/results.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(gpkg);
    OGRLayer* layer = gpkg->GetLayerByName("mine_index");
    ASSERT_NE(layer, nullptr);
    EXPECT_EQ(layer->GetFeatureCount(), 2);
    std::map<std::string, double> mean;
    for (auto& feature : *layer)
      mean[feature->GetFieldAsString("mine_id")] = feature->GetFieldAsDouble("ndvi_mean");
    EXPECT_NEAR(mean["A"], ndvi_a, 1e-6);
    EXPECT_NEAR(mean["B"], ndvi_b, 1e-6);
  }

  // Several windows (tiles of 256: mine A's columns 240–279 cross the one at column 256).
  const std::string summary = slurp(dir.str("t1/summary.json"));
  const auto at = summary.find("\"windows\": ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_GT(std::stoi(summary.substr(at + 11)), 1) << summary.substr(at, 20);

  // Through a project file: the same table in <out>/indices/tables/, rasters in <out>/indices/.
  {
    std::ofstream toml(dir.str("project.toml"));
    toml << "[project]\nout = \"" << dir.str("project") << "\"\n[indices]\nscene = \""
         << dir.str("scene.tif") << "\"\nband = [\"red=1\", \"nir=2\"]\nindex = [\"ndvi\"]\n"
         << "mines = \"" << dir.str("mines.gpkg") << "\"\nid_field = \"mine_id\"\n";
  }
  run = run_mc("run " + dir.str("project.toml"), "--threads 1");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(slurp(dir.str("project/indices/tables/mine_index.csv")),
            slurp(dir.str("t1/tables/mine_index.csv")));
  EXPECT_TRUE(std::filesystem::exists(dir.str("project/indices/ndvi.tif")));
  EXPECT_TRUE(std::filesystem::exists(dir.str("project/indices/results.gpkg")));

  // Same CSV for 2 threads.
  run = run_mc(args(dir, dir.str("mines.gpkg"), dir.str("t2")), "--threads 2");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(slurp(dir.str("t1/tables/mine_index.csv")), slurp(dir.str("t2/tables/mine_index.csv")));

  // The same mines in lon/lat: transformed into UTM 50N, same means, areas within the
  // difference of straight edges in the two CRSs (vertices every 30 m).
  write_mines(dir.str("mines_ll.gpkg"), 4326);
  run = run_mc(args(dir, dir.str("mines_ll.gpkg"), dir.str("ll")));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto ll = ndvi_rows(dir.str("ll/tables/mine_index.csv"));
  EXPECT_NEAR(num(ll["A/mine"], "mean"), ndvi_a, 1e-6);
  EXPECT_NEAR(num(ll["B/mine"], "mean"), ndvi_b, 1e-6);
  EXPECT_NEAR(num(ll["A/mine"], "valid_area_ha"), kAreaA / 1e4, 1e-5 * kAreaA / 1e4);
  EXPECT_NEAR(num(ll["B/mine"], "valid_area_ha"), kAreaB / 1e4, 1e-5 * kAreaB / 1e4);
}

// RSEI grades on the real Landsat 8 subset, over a mine whose edges are cell edges (coverage 1
// or 0): the grade shares are the cell counts of the written rsei_grade.tif over the valid cells
// (projected grid, equal cell areas), counted here independently; no rings (ring_outer_m = 0).
TEST(IndicesMinesE2e, RseiGradeSharesAreTheCountsOfTheGradeRaster) {
  TempDir dir("mc_indices_mines_rsei");
  const std::string l8 = std::string(MC_TEST_DATA_DIR) +
                         "/landsat_indices/landsat8_2013-07-07/"
                         "LC08_L1TP_195025_20130707_20170503_01_T1";
  GDALAllRegister();
  double gt[6];
  std::string wkt;
  {
    GDALDatasetUniquePtr band(GDALDataset::Open((l8 + "_B4.TIF").c_str(), GDAL_OF_RASTER));
    ASSERT_TRUE(band);
    ASSERT_EQ(band->GetGeoTransform(gt), CE_None);
    wkt = band->GetProjectionRef();
  }
  const int row0 = 5, row1 = 31, col0 = 8, col1 = 36;  // cells [row0, row1) × [col0, col1)
  {
    GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
        dir.str("mines.gpkg").c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    OGRSpatialReference srs(wkt.c_str());
    OGRLayer* layer = ds->CreateLayer("mines", &srs, wkbPolygon, nullptr);
    OGRFieldDefn field("mine_id", OFTString);
    ASSERT_EQ(layer->CreateField(&field), OGRERR_NONE);
    auto x = [&](int col) { return std::to_string(gt[0] + gt[1] * col); };
    auto y = [&](int row) { return std::to_string(gt[3] + gt[5] * row); };
    const std::string polygon = "POLYGON((" + x(col0) + " " + y(row0) + "," + x(col1) + " " +
                                y(row0) + "," + x(col1) + " " + y(row1) + "," + x(col0) + " " +
                                y(row1) + "," + x(col0) + " " + y(row0) + "))";
    OGRGeometry* geometry = nullptr;
    ASSERT_EQ(OGRGeometryFactory::createFromWkt(polygon.c_str(), &srs, &geometry), OGRERR_NONE);
    OGRFeature feature(layer->GetLayerDefn());
    feature.SetField("mine_id", "M");
    feature.SetGeometryDirectly(geometry);
    ASSERT_EQ(layer->CreateFeature(&feature), OGRERR_NONE);
  }
  const CliRun run = run_mc(
      "indices --scene " + l8 + "_B{band}.TIF --sensor landsat8 --scaling landsat_l1_toa --mtl " +
      l8 + "_MTL.txt --emissivity 0.97 --index rsei --mines " + dir.str("mines.gpkg") +
      " --id-field mine_id --ring-outer-m 0 --out " + dir.str("out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // Counts from the grade raster.
  GDALDatasetUniquePtr grades(
      GDALDataset::Open(dir.str("out/rsei_grade.tif").c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(grades);
  const int nx = grades->GetRasterXSize(), ny = grades->GetRasterYSize();
  std::vector<double> g(static_cast<std::size_t>(nx) * ny);
  ASSERT_EQ(grades->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, nx, ny, g.data(), nx, ny, GDT_Float64,
                                               0, 0, nullptr),
            CE_None);
  std::array<double, 6> count{};
  for (int row = row0; row < row1; ++row)
    for (int col = col0; col < col1; ++col)
      count[static_cast<std::size_t>(g[static_cast<std::size_t>(row) * nx + col])] += 1;
  const double valid = count[1] + count[2] + count[3] + count[4] + count[5];
  ASSERT_GT(valid, 0);
  const CsvText table = read_csv_file(dir.str("out/tables/mine_index.csv"));
  std::size_t grade_row = table.rows.size();
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    EXPECT_EQ(table.rows[r][table.column("zone")], "mine");  // no rings
    if (table.rows[r][table.column("index")] == "rsei_grade") grade_row = r;
  }
  ASSERT_LT(grade_row, table.rows.size());
  const double cell_ha = std::abs(gt[1] * gt[5]) / 1e4;
  EXPECT_NEAR(table.number(grade_row, table.column("valid_area_ha")), valid * cell_ha, 1e-9);
  EXPECT_NEAR(table.number(grade_row, table.column("covered_area_ha")),
              (row1 - row0) * (col1 - col0) * cell_ha, 1e-9);
  double mean_grade = 0;
  const char* names[] = {"share_poor", "share_fair", "share_moderate", "share_good",
                         "share_excellent"};
  for (std::size_t k = 1; k <= 5; ++k) {
    EXPECT_NEAR(table.number(grade_row, table.column(names[k - 1])), count[k] / valid, 1e-12)
        << names[k - 1];
    mean_grade += static_cast<double>(k) * count[k] / valid;
  }
  EXPECT_NEAR(table.number(grade_row, table.column("mean")), mean_grade, 1e-12);
}

TEST(IndicesMinesE2e, MissingIdFieldStopsNamingLayerAndField) {
  TempDir dir("mc_indices_mines_bad");
  write_scene(dir.str("scene.tif"));
  write_mines(dir.str("mines.gpkg"), 32650, "name");
  const CliRun run = run_mc(args(dir, dir.str("mines.gpkg"), dir.str("out")));
  // geo::read_polygon_layer's ConfigError, shared with every per-mine stage: the id_field
  // setting is what is wrong, so exit 2.
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("no id field 'mine_id'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("layer 'mines'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("mines.gpkg"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir.str("out/tables/mine_index.csv")));
}

}  // namespace
}  // namespace minecarbon::e2e
