// Mines and NEP on a projected equal-area grid (EPSG:6933, 500 m cells, as MODIS-like products
// are often delivered): the mine means must equal coverage-weighted means whose fractions come
// from GEOS cell ∩ polygon intersections (through OGR, independent of minecarbon's coverage code).
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <map>
#include <numbers>

#include "cli_harness.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::e2e {
namespace {

constexpr double kX0 = 1.0e6, kY0 = 4.0e6, kCell = 500.0;
constexpr int kCols = 40, kRows = 40;

double value_at(int row, int col, int year) {
  return 250.0 + 80.0 * std::sin(0.37 * col) * std::cos(0.23 * row) + 3.0 * (year - 2000);
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
  for (int year = 2000; year <= 2001; ++year) {
    GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
        (dir + "/nep_" + std::to_string(year) + ".tif").c_str(), kCols, kRows, 1, GDT_Float64,
        nullptr));
    double gt[6] = {kX0, kCell, 0, kY0, 0, -kCell};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs = srs6933();
    ds->SetSpatialRef(&srs);
    std::vector<double> values(kRows * kCols);
    for (int r = 0; r < kRows; ++r)
      for (int c = 0; c < kCols; ++c)
        values[r * kCols + c] = value_at(r, c, year);
    (void)ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, kCols, kRows, values.data(), kCols, kRows,
                                         GDT_Float64, 0, 0, nullptr);
  }
}

// A 17-vertex star around (cx, cy), radius about 2 km.
std::unique_ptr<OGRPolygon> star(double cx, double cy, double radius) {
  OGRLinearRing ring;
  for (int k = 0; k < 17; ++k) {
    const double a = k * 2 * std::numbers::pi / 17;
    const double r = radius * (k % 2 ? 0.55 : 1.0) * (1 + 0.1 * std::sin(3.0 * k));
    ring.addPoint(cx + r * std::cos(a), cy + r * std::sin(a));
  }
  ring.closeRings();
  auto polygon = std::make_unique<OGRPolygon>();
  polygon->addRing(&ring);
  return polygon;
}

void write_layer(const std::string& path, const std::map<std::string, const OGRPolygon*>& shapes) {
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
      path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  OGRSpatialReference srs = srs6933();
  OGRLayer* layer = ds->CreateLayer("zones", &srs, wkbPolygon, nullptr);
  OGRFieldDefn field("mine_id", OFTString);
  (void)layer->CreateField(&field);
  for (const auto& [id, shape] : shapes) {
    OGRFeature feature(layer->GetLayerDefn());
    feature.SetField("mine_id", id.c_str());
    feature.SetGeometry(shape);
    (void)layer->CreateFeature(&feature);
  }
}

// Σ f·x / Σ f with f = area(cell ∩ shape) / area(cell) by GEOS (equal-area grid: a is constant).
double geos_weighted_mean(const OGRPolygon& shape, int year) {
  double sum_f = 0, sum_fx = 0;
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c < kCols; ++c) {
      OGRLinearRing ring;
      const double x = kX0 + c * kCell, y = kY0 - r * kCell;
      ring.addPoint(x, y);
      ring.addPoint(x + kCell, y);
      ring.addPoint(x + kCell, y - kCell);
      ring.addPoint(x, y - kCell);
      ring.closeRings();
      OGRPolygon cell;
      cell.addRing(&ring);
      std::unique_ptr<OGRGeometry> piece(shape.Intersection(&cell));
      // An empty intersection is a collection, not a polygon: take the generic area.
      const double f =
          piece ? OGR_G_Area(OGRGeometry::ToHandle(piece.get())) / (kCell * kCell) : 0.0;
      sum_f += f;
      sum_fx += f * value_at(r, c, year);
    }
  }
  return sum_fx / sum_f;
}

TEST(DamageOnAProjectedGrid, MineAndReferenceMeansEqualGeosWeightedMeans) {
  TempDir dir("projected");
  write_rasters(dir.str("nep"));
  auto mine = star(kX0 + 8000, kY0 - 9000, 2000);
  auto reference = star(kX0 + 12000, kY0 - 11000, 3000);
  write_layer(dir.str("mines.gpkg"), {{"S", mine.get()}});
  write_layer(dir.str("refs.gpkg"), {{"S", reference.get()}});
  CliRun run =
      run_cli("--quiet damage --mines " + dir.str("mines.gpkg") + " --id-field mine_id --nep '" +
              dir.str("nep") + "/nep_{year}.tif' --years 2000-2001 --min-area-km2 0 " +
              "--reference-polygons " + dir.str("refs.gpkg") + " --out " + dir.str("out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  CsvText got = read_csv_file(dir.str("out/tables/mine_year.csv"));
  ASSERT_EQ(got.rows.size(), 2u);
  for (std::size_t row = 0; row < 2; ++row) {
    const int year = static_cast<int>(got.number(row, got.column("year")));
    const double q = got.number(row, got.column("nep_mine_gC_m2_yr"));
    const double o = got.number(row, got.column("nep_ref_gC_m2_yr"));
    EXPECT_NEAR(q, geos_weighted_mean(*mine, year), 1e-9 * std::fabs(q)) << year;
    EXPECT_NEAR(o, geos_weighted_mean(*reference, year), 1e-9 * std::fabs(o)) << year;
    // Valid area on an equal-area grid is the polygon's area in the CRS (m²).
    EXPECT_NEAR(got.number(row, got.column("mine_valid_area_m2")), mine->get_Area(),
                1e-9 * mine->get_Area());
  }
}

}  // namespace
}  // namespace minecarbon::e2e
