// Land-use areas from geo/'s building blocks against R terra 1.7-3 (tests/data/landuse; README and
// make_expected.R there): two categorical map pairs made by classifying real DEMs — Luxembourg
// (lon/lat) and Marburg (UTM 32N) — cross-tabulated cell counts, transition and class areas with
// true cell areas, and exact per-zone class and transition areas on zones with a hole and one
// partly outside the raster. Everything agrees to 1e-9 relative; see below for the one
// definition that differs (the coverage fraction).
//
// True cell area. terra's cellSize(transform = TRUE) is the geodesic area (GeographicLib, as
// geo/geodesic_area.h) of the cell's four corners taken to lon/lat: for a lon/lat grid the
// corners as they are, for a projected grid the corners transformed by PROJ (every cell computed
// when rcx >= the raster's rows and columns). `terra_rule_cell_areas_m2` below builds the same
// from geodesic_area.h and polygon_layer.h's CrsTransform. geo/cell_area.h's rules differ from
// it: the latitude band (lon/lat) by +1.3e-9 relative at 30″, planar dx·dy (projected) by the
// UTM areal scale (−7.9e-4 at Marburg) — the last test measures both.
//
// Coverage fraction. geo/coverage.h's f is planar in the grid's own coordinates (degrees on a
// lon/lat grid), as exactextract's. terra 1.7-3's extract(exact = TRUE) f is instead
// geodesic area(cell ∩ zone) / geodesic area(cell) on lon/lat and projected grids alike
// (make_expected.R checks it), which weights the parts of a cell by their true area: up to 3.0e-5
// different per cell at 30″ (the scale changes by 1.7e-4 over a cell's height at 50° N) and 9.5e-9
// on 30 m UTM cells. So the zone tables carry both: the planar-fraction columns (GEOS
// intersections × terra's cell areas) are checked to 1e-9, terra's own to the measured bound.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "minecarbon/core/csv.h"
#include "minecarbon/geo/block_plan.h"
#include "minecarbon/geo/block_reader.h"
#include "minecarbon/geo/cell_area.h"
#include "minecarbon/geo/coverage.h"
#include "minecarbon/geo/geodesic_area.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/geo/zonal_accumulator.h"

namespace minecarbon::geo {
namespace {

const std::string kDir = std::string(MC_TEST_DATA_DIR) + "/landuse/";
constexpr double kRel = 1e-9;
// Class codes of both dates: from {1, 2, 3}, to {1, 2, 5}.
const std::vector<std::int64_t> kCodes = {1, 2, 3, 5};

// Area of every cell (row-major), m²: the geodesic area of its four corners in lon/lat.
std::vector<double> terra_rule_cell_areas_m2(const Grid& grid, const std::string& crs_wkt,
                                             bool geographic) {
  CrsTransform to_lonlat(crs_wkt, kWgs84);
  std::vector<double> area(static_cast<std::size_t>(grid.rows * grid.cols));
  for (std::int64_t row = 0; row < grid.rows; ++row) {
    for (std::int64_t col = 0; col < grid.cols; ++col) {
      const double x0 = grid.col_x(static_cast<double>(col));
      const double x1 = grid.col_x(static_cast<double>(col + 1));
      const double y0 = grid.row_y(static_cast<double>(row + 1));
      const double y1 = grid.row_y(static_cast<double>(row));
      MultiPolygon cell{Polygon{Ring{{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}, {x0, y0}}, {}}};
      if (!geographic) cell = to_lonlat.apply(cell, "cell corner");
      area[static_cast<std::size_t>(row * grid.cols + col)] = geodesic_area_m2(cell);
    }
  }
  return area;
}

// The two classified maps of one pair, read through the block machinery.
struct MapPair {
  AlignedRasters rasters;
  std::vector<double> from, to;  // row-major, NaN = nodata
  std::vector<double> area_m2;   // terra's rule
  explicit MapPair(const std::string& name)
      : rasters({RasterLayerSpec{kDir + name + "_from.tif", 1, "from", {}, {}, false},
                 RasterLayerSpec{kDir + name + "_to.tif", 1, "to", {}, {}, false}}) {
    const Grid& grid = rasters.grid();
    BlockReader reader(rasters);
    RasterBlock<double> block;
    reader.read(grid.full(), block);
    from = block.values[0];
    to = block.values[1];
    area_m2 = terra_rule_cell_areas_m2(grid, rasters.crs_wkt(), rasters.geographic());
  }
};

// Whole-map results, accumulated block by block on 2 workers and merged in block-id order.
struct MapTotals {
  std::map<std::pair<int, int>, std::int64_t> cells;  // (from, to) codes
  TransitionAreas transitions;
  CategoricalAreas class_from, class_to;
  std::vector<std::int64_t> cells_from, cells_to;
};

MapTotals map_totals(const MapPair& pair) {
  const ClassCodes codes(kCodes);
  const Grid& grid = pair.rasters.grid();
  const BlockPlan plan = pair.rasters.plan();
  struct Part {
    TransitionAccumulator tr{kCodes.size(), kCodes.size()};
    CategoricalAccumulator from{kCodes.size()}, to{kCodes.size()};
    std::vector<std::int64_t> counts = std::vector<std::int64_t>(kCodes.size() * kCodes.size());
    std::vector<std::int64_t> n_from = std::vector<std::int64_t>(kCodes.size());
    std::vector<std::int64_t> n_to = std::vector<std::int64_t>(kCodes.size());
  };
  std::vector<Part> parts(plan.size());
  for_each_block(pair.rasters, plan, 2, [&](const RasterBlock<double>& block, std::size_t) {
    Part& part = parts[block.block_id];
    const Window& w = block.window;
    for (std::int64_t row = w.row0; row < w.row0 + w.rows; ++row) {
      for (std::int64_t col = w.col0; col < w.col0 + w.cols; ++col) {
        const int k = codes.index_of(block.at(0, row, col));
        const int l = codes.index_of(block.at(1, row, col));
        const double a = pair.area_m2[static_cast<std::size_t>(row * grid.cols + col)];
        part.tr.add(1.0, a, k, l);
        part.from.add(1.0, a, k);
        part.to.add(1.0, a, l);
        if (k >= 0) ++part.n_from[static_cast<std::size_t>(k)];
        if (l >= 0) ++part.n_to[static_cast<std::size_t>(l)];
        if (k >= 0 && l >= 0) ++part.counts[static_cast<std::size_t>(k) * kCodes.size() + l];
      }
    }
  });
  Part all;
  for (const Part& part : parts) {
    all.tr.merge(part.tr);
    all.from.merge(part.from);
    all.to.merge(part.to);
    for (std::size_t i = 0; i < all.counts.size(); ++i)
      all.counts[i] += part.counts[i];
    for (std::size_t i = 0; i < kCodes.size(); ++i) {
      all.n_from[i] += part.n_from[i];
      all.n_to[i] += part.n_to[i];
    }
  }
  MapTotals out;
  out.transitions = all.tr.finish();
  out.class_from = all.from.finish();
  out.class_to = all.to.finish();
  out.cells_from = all.n_from;
  out.cells_to = all.n_to;
  for (std::size_t k = 0; k < kCodes.size(); ++k) {
    for (std::size_t l = 0; l < kCodes.size(); ++l) {
      const auto n = all.counts[k * kCodes.size() + l];
      if (n > 0) out.cells[{static_cast<int>(kCodes[k]), static_cast<int>(kCodes[l])}] = n;
    }
  }
  return out;
}

std::size_t code_index(double code) {
  const auto it = std::find(kCodes.begin(), kCodes.end(), static_cast<std::int64_t>(code));
  EXPECT_NE(it, kCodes.end()) << "class " << code;
  return static_cast<std::size_t>(it - kCodes.begin());
}

// |ours − terra| ≤ tol·|terra|; returns the relative difference (for the worst-case report).
double expect_rel(double ours, double terra, const std::string& what, double tol = kRel) {
  const double rel = std::fabs(ours - terra) / std::fabs(terra);
  EXPECT_LE(rel, tol) << what << ": ours " << ours << ", terra " << terra;
  return rel;
}

// terra_exact_tol: how far terra's own extract(exact = TRUE) zone areas may be from ours (the
// fraction definitions differ; see the top of this file); the planar-fraction columns must agree
// to kRel.
void check_map(const std::string& name, double terra_exact_tol) {
  SCOPED_TRACE(name);
  const MapPair pair(name);
  const MapTotals totals = map_totals(pair);
  double worst = 0, worst_terra_exact = 0;

  // crosstab: the same (from, to) pairs, the same counts.
  const CsvText ct = read_csv_file(kDir + name + "_crosstab.csv");
  std::map<std::pair<int, int>, std::int64_t> expected_cells;
  for (std::size_t r = 0; r < ct.rows.size(); ++r) {
    expected_cells[{static_cast<int>(ct.number(r, ct.column("from"))),
                    static_cast<int>(ct.number(r, ct.column("to")))}] =
        static_cast<std::int64_t>(ct.number(r, ct.column("cells")));
  }
  EXPECT_EQ(totals.cells, expected_cells);

  // Transition areas.
  const CsvText tr = read_csv_file(kDir + name + "_transitions.csv");
  double matrix_sum_m2 = 0;
  for (std::size_t r = 0; r < tr.rows.size(); ++r) {
    const std::size_t k = code_index(tr.number(r, tr.column("from")));
    const std::size_t l = code_index(tr.number(r, tr.column("to")));
    const std::string what = "transition " + tr.rows[r][0] + "->" + tr.rows[r][1];
    worst = std::max(worst, expect_rel(totals.transitions.at(k, l),
                                       tr.number(r, tr.column("area_m2")), what + " m2"));
    worst = std::max(worst, expect_rel(totals.transitions.at(k, l) / 1e4,
                                       tr.number(r, tr.column("area_ha")), what + " ha"));
    matrix_sum_m2 += tr.number(r, tr.column("area_m2"));
  }
  ASSERT_GT(tr.rows.size(), 3u);
  // No transition terra does not have: the matrix sums to the same valid area.
  expect_rel(totals.transitions.valid_area_m2, matrix_sum_m2, "transition matrix total");

  // Class areas per date.
  const CsvText ca = read_csv_file(kDir + name + "_class_area.csv");
  double from_sum = 0, to_sum = 0;
  for (std::size_t r = 0; r < ca.rows.size(); ++r) {
    const bool is_from = ca.rows[r][ca.column("date")] == "from";
    const std::size_t k = code_index(ca.number(r, ca.column("class")));
    const CategoricalAreas& ours = is_from ? totals.class_from : totals.class_to;
    const double expected = ca.number(r, ca.column("area_m2"));
    (is_from ? from_sum : to_sum) += expected;
    const std::string what = "class " + ca.rows[r][1] + " at " + ca.rows[r][0];
    worst = std::max(worst, expect_rel(ours.area_m2[k], expected, what));
    EXPECT_EQ((is_from ? totals.cells_from : totals.cells_to)[k],
              static_cast<std::int64_t>(ca.number(r, ca.column("cells"))))
        << what;
  }
  expect_rel(totals.class_from.valid_area_m2, from_sum, "valid area at from");
  expect_rel(totals.class_to.valid_area_m2, to_sum, "valid area at to");

  // Zones: exact coverage × the same cell areas.
  const Grid& grid = pair.rasters.grid();
  const ClassCodes codes(kCodes);
  PolygonLayerOptions options;
  options.layer = name;
  options.id_field = "zone_id";
  options.role = "zones";
  const PolygonLayer zones = read_polygon_layer(kDir + "zones.gpkg", options);
  ASSERT_EQ(zones.features.size(), 4u);
  ASSERT_TRUE(CrsTransform(zones.crs_wkt, pair.rasters.crs_wkt()).identity()) << name;
  struct ZoneResult {
    CategoricalAreas from, to;
    TransitionAreas transitions;
  };
  std::map<std::string, ZoneResult> by_zone;
  for (const PolygonFeature& zone : zones.features) {
    const Coverage cov = compute_coverage(zone.shape, grid);
    CategoricalAccumulator from(kCodes.size()), to(kCodes.size());
    TransitionAccumulator transitions(kCodes.size(), kCodes.size());
    const Window& w = cov.window;
    for (std::int64_t row = w.row0; row < w.row0 + w.rows; ++row) {
      for (std::int64_t col = w.col0; col < w.col0 + w.cols; ++col) {
        const auto cell = static_cast<std::size_t>(row * grid.cols + col);
        const double c = cov.at(row, col);
        const int k = codes.index_of(pair.from[cell]);
        const int l = codes.index_of(pair.to[cell]);
        from.add(c, pair.area_m2[cell], k);
        to.add(c, pair.area_m2[cell], l);
        transitions.add(c, pair.area_m2[cell], k, l);
      }
    }
    by_zone[zone.id] = {from.finish(), to.finish(), transitions.finish()};
  }

  // Both fractions: the planar one (ours) to kRel, terra's exact = TRUE within terra_exact_tol.
  const auto check_zone = [&](double ours, const CsvText& csv, std::size_t r,
                              const std::string& column, const std::string& what) {
    const double planar = csv.number(r, csv.column(column + "_planar_frac_m2"));
    const double terra = csv.number(r, csv.column(column + "_m2"));
    if (planar == 0) {
      EXPECT_EQ(ours, 0.0) << what;
    } else {
      worst = std::max(worst, expect_rel(ours, planar, what + " (planar fraction)"));
    }
    if (terra != 0) {
      worst_terra_exact = std::max(
          worst_terra_exact, expect_rel(ours, terra, what + " (terra exact)", terra_exact_tol));
    }
  };
  const CsvText zca = read_csv_file(kDir + name + "_zone_class_area.csv");
  for (std::size_t r = 0; r < zca.rows.size(); ++r) {
    const std::string id = zca.rows[r][zca.column("zone_id")];
    const bool is_from = zca.rows[r][zca.column("date")] == "from";
    const std::size_t k = code_index(zca.number(r, zca.column("class")));
    ASSERT_TRUE(by_zone.count(id)) << id;
    const CategoricalAreas& ours = is_from ? by_zone[id].from : by_zone[id].to;
    check_zone(ours.area_m2[k], zca, r, "area",
               "zone " + id + " class " + zca.rows[r][2] + " at " + zca.rows[r][1]);
  }
  ASSERT_GT(zca.rows.size(), 10u);
  const CsvText ztr = read_csv_file(kDir + name + "_zone_transitions.csv");
  for (std::size_t r = 0; r < ztr.rows.size(); ++r) {
    const std::string id = ztr.rows[r][ztr.column("zone_id")];
    const std::size_t k = code_index(ztr.number(r, ztr.column("from")));
    const std::size_t l = code_index(ztr.number(r, ztr.column("to")));
    check_zone(by_zone[id].transitions.at(k, l), ztr, r, "area",
               "zone " + id + " transition " + ztr.rows[r][1] + "->" + ztr.rows[r][2]);
  }
  const CsvText zt = read_csv_file(kDir + name + "_zone_totals.csv");
  ASSERT_EQ(zt.rows.size(), 4u);
  for (std::size_t r = 0; r < zt.rows.size(); ++r) {
    const std::string id = zt.rows[r][zt.column("zone_id")];
    const ZoneResult& ours = by_zone[id];
    check_zone(ours.from.covered_area_m2, zt, r, "covered_area", "zone " + id + " covered");
    check_zone(ours.from.valid_area_m2, zt, r, "valid_area_from", "zone " + id + " valid from");
    check_zone(ours.to.valid_area_m2, zt, r, "valid_area_to", "zone " + id + " valid to");
  }
  std::cout << "[ landuse/terra ] " << name << ": worst relative difference " << worst
            << " (terra exact = TRUE fractions: " << worst_terra_exact << ")\n";
}

TEST(LanduseTerra, GeographicMapPairMatchesTerra) {
  // terra's geodesic fractions vs degree-space fractions: up to 3.0e-5 per cell, 2.0e-5 on the
  // smallest zone class areas.
  check_map("lux", 3e-5);
}

TEST(LanduseTerra, ProjectedMapPairMatchesTerra) {
  // UTM: the areal scale varies by ~1e-8 across a 30 m cell, which terra's geodesic fractions
  // see and planar ones do not: 8.4e-9 on the smallest zone class area (601 m²).
  check_map("marburg", 2e-8);
}

// How geo/cell_area.h's rules relate to terra's (see the top of this file): measured here so a
// change in either shows up.
TEST(LanduseTerra, CellAreaRulesAgainstTerrasRule) {
  {
    const MapPair lux("lux");
    const auto band = cell_area_by_row_m2(lux.rasters.grid(), true);
    const Grid& grid = lux.rasters.grid();
    for (std::int64_t row = 0; row < grid.rows; ++row) {
      const double terra = lux.area_m2[static_cast<std::size_t>(row * grid.cols)];
      // The band bounded by parallels is larger than the geodesic quadrilateral by 1.3e-9.
      EXPECT_NEAR(band[static_cast<std::size_t>(row)] / terra - 1.0, 1.3e-9, 1e-10) << row;
    }
  }
  {
    const MapPair marburg("marburg");
    const Grid& grid = marburg.rasters.grid();
    const auto planar = cell_area_by_row_m2(grid, false, marburg.rasters.metres_per_unit());
    const auto [lo, hi] = std::minmax_element(marburg.area_m2.begin(), marburg.area_m2.end());
    EXPECT_EQ(planar[0], 900.0);
    // UTM 32N at 8.77° E, 50.8° N: the true area is 900.7143–900.7151 m² (areal scale of the
    // transverse Mercator ≈ 0.99921 there), so planar areas are 7.9e-4 too small.
    EXPECT_NEAR(*lo, 900.71426, 1e-4);
    EXPECT_NEAR(*hi, 900.71512, 1e-4);
  }
}

}  // namespace
}  // namespace minecarbon::geo
