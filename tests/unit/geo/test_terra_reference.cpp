// Geodesic mine areas, cell areas and zonal means against R terra 1.7-3 on real mine polygons
// (tests/data/mining_polygons, tests/data/zonal_terra, tests/data/terra_cell_area; READMEs there).
#include <gtest/gtest.h>

#include <map>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/geo/cell_area.h"
#include "minecarbon/geo/coverage.h"
#include "minecarbon/geo/geodesic_area.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/geo/raster_series.h"
#include "minecarbon/geo/zonal.h"

namespace minecarbon::geo {
namespace {

const std::string kData = MC_TEST_DATA_DIR;
const std::string kMines = kData + "/mining_polygons/maus_tang_combined_demo_100.gpkg";

std::map<std::string, MultiPolygon> mines_by_id() {
  PolygonLayer layer = read_polygon_layer(kMines, PolygonLayerOptions{"", "id", true, "mines"});
  std::map<std::string, MultiPolygon> out;
  for (auto& f : layer.features)
    out[f.id] = f.shape;
  return out;
}

TEST(GeodesicArea, MatchesTerraExpanseOnAllHundredRealMines) {
  const auto mines = mines_by_id();
  CsvText ref = read_csv_file(kData + "/mining_polygons/reference_areas_maus_tang_demo.csv");
  ASSERT_EQ(ref.rows.size(), 100u);
  double worst = 0;
  for (std::size_t row = 0; row < ref.rows.size(); ++row) {
    const std::string id = ref.rows[row][ref.column("id")];
    ASSERT_TRUE(mines.count(id)) << id;
    const double expected = ref.number(row, ref.column("terra_area_m2"));
    const double rel = std::fabs(geodesic_area_m2(mines.at(id)) - expected) / expected;
    worst = std::max(worst, rel);
    EXPECT_LT(rel, 1e-6) << "mine " << id;
    EXPECT_NEAR(geodesic_perimeter_m(mines.at(id)),
                ref.number(row, ref.column("terra_perimeter_m")),
                1e-6 * ref.number(row, ref.column("terra_perimeter_m")));
  }
  // GeographicLib on both sides: agreement is far better than the 1e-6 asked for.
  EXPECT_LT(worst, 1e-9);
}

TEST(CellArea, LatitudeBandsAgreeWithTerraCellSize) {
  CsvText ref = read_csv_file(kData + "/terra_cell_area/terra_cell_area_by_row.csv");
  const Grid grid{5.741666666666667, 50.19166666666667, 1.0 / 120, 1.0 / 120, 90, 95};
  const auto area = cell_area_by_row_m2(grid, true);
  for (std::size_t row = 0; row < ref.rows.size(); ++row) {
    const auto r = static_cast<std::size_t>(ref.number(row, ref.column("row")));
    const double expected_m2 = ref.number(row, ref.column("cell_area_km2")) * 1e6;
    // terra takes the cell as a geodesic quadrilateral (1.3e-9 smaller than the band bounded by
    // parallels, see cell_area.h); the band is the cell's true area.
    EXPECT_NEAR(area[r] / expected_m2 - 1.0, 1.3e-9, 1e-10) << "row " << r;
  }
}

TEST(CellArea, BandsAddUpToTheEllipsoidArea) {
  // WGS84 surface area 510,065,621.724 km² (Karney 2013, Table 1 / GeographicLib).
  EXPECT_NEAR(lat_band_area_m2(-90, 90, 360) / 1e6, 510065621.724, 0.01);
}

TEST(ZonalMean, MatchesGeosCellIntersectionsAndTerraExactExtraction) {
  const auto mines = mines_by_id();
  CsvText ref = read_csv_file(kData + "/zonal_terra/reference_zonal_means.csv");
  CsvText terra = read_csv_file(kData + "/zonal_terra/terra_exact_means.csv");
  ASSERT_EQ(ref.rows.size(), 20u);
  ASSERT_EQ(terra.rows.size(), 20u);
  RunContext context;
  context.quiet = true;
  for (std::size_t row = 0; row < ref.rows.size(); ++row) {
    const int k = static_cast<int>(ref.number(row, ref.column("k")));
    std::string id = ref.rows[row][ref.column("id")];
    id.erase(0, id.find_first_not_of(' '));
    RasterSeriesSpec spec;
    spec.pattern = kData + "/zonal_terra/r_{year}.tif";
    spec.first_year = spec.last_year = k;
    RasterSeries series = open_raster_series(spec);
    const Coverage cov = compute_coverage(mines.at(id), series.grid);
    const auto area = cell_area_by_row_m2(series.grid, series.geographic);
    const ZonalSums sums = zonal_sums({&cov}, area, series, context);
    // terra's cell areas differ from the true band areas by ≤ 1.3e-9 (less for smaller cells).
    EXPECT_NEAR(sums.mean(0, 0), ref.number(row, ref.column("mean")), 1e-9 * 300) << "mine " << id;
    // terra's own extract(exact = TRUE) approximates fractions to ~1e-6 (see the README).
    EXPECT_NEAR(sums.mean(0, 0), terra.number(row, terra.column("terra_exact_mean")), 1e-5 * 300)
        << "mine " << id;
    EXPECT_NEAR(sums.valid(0, 0) / ref.number(row, ref.column("valid_area_m2")), 1.0, 2e-9)
        << "mine " << id;
    EXPECT_NEAR(sums.covered_area_m2[0] / ref.number(row, ref.column("covered_area_m2")), 1.0, 2e-9)
        << "mine " << id;
  }
}

}  // namespace
}  // namespace minecarbon::geo
