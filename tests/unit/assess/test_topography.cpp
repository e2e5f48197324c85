// The topography stage on synthetic DEMs: the circular aspect mean by hand, a cone whose mines
// have planted aspects and slopes and a sink planted on them (the grouped tests must find it), a
// mine outside the DEM, a lon/lat DEM with true cell sizes, and partial dependence of a forest.
#include "minecarbon/assess/topography.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/ml/dataset.h"
#include "minecarbon/ml/forest.h"

namespace minecarbon::assess {
namespace {

constexpr double kDegPerRad = 180.0 / std::numbers::pi;
constexpr const char* kUtm = "EPSG:32650";  // UTM 50N: coordinates near (500000, 4000000)

geo::MultiPolygon square(double x0, double y0, double x1, double y1) {
  return {geo::Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}, {}}};
}

RunContext quiet_context(int threads = 1) {
  RunContext context;
  context.threads = threads;
  context.quiet = true;
  return context;
}

const TerrainTestRow* find_test(const TopographyResult& r, const std::string& factor,
                                const std::string& test, const std::string& a = "",
                                const std::string& b = "") {
  for (const auto& row : r.tests)
    if (row.factor == factor && row.test == test && row.group_a == a && row.group_b == b)
      return &row;
  return nullptr;
}

TEST(Topography, BadParamsAreOptionErrors) {
  TopographyParams p;
  p.slope_breaks_deg = {15, 8};
  EXPECT_THROW(p.validate(), OptionError);
  p.slope_breaks_deg = {};
  EXPECT_THROW(p.validate(), OptionError);
  p = TopographyParams{};
  p.pd_grid_points = 1;
  EXPECT_THROW(p.validate(), OptionError);
}

TEST(Topography, BandsAndAspectClassesAtTheirEdges) {
  const std::vector<double> breaks{8, 15, 25, 35};
  EXPECT_EQ(slope_band_names(breaks),
            (std::vector<std::string>{"0-8", "8-15", "15-25", "25-35", "35+"}));
  EXPECT_EQ(slope_band(7.99, breaks), 0u);
  EXPECT_EQ(slope_band(8.0, breaks), 1u);
  EXPECT_EQ(slope_band(60.0, breaks), 4u);
  EXPECT_EQ(aspect_class(337.5, 10, 1), 0u);  // N: [337.5, 22.5)
  EXPECT_EQ(aspect_class(22.4, 10, 1), 0u);
  EXPECT_EQ(aspect_class(22.5, 10, 1), 1u);
  EXPECT_EQ(aspect_class(180, 10, 1), 4u);
  EXPECT_EQ(aspect_class(180, 0.5, 1), 8u);  // flat
  EXPECT_EQ(aspect_class(NAN, 10, 1), 8u);
}

// Two cells of equal slope (atan 0.1) facing north (0°) and east (90°): by hand the circular
// mean is 45°, the resultant length cos 45° = 0.7071, northness = eastness = 0.5.
TEST(Topography, CircularAspectMeanByHand) {
  TopographyInputs in;
  in.dem.path = "hand";
  in.dem.crs_wkt = kUtm;
  in.dem.grid = geo::Grid{500000, 4000040, 10, 10, 4, 4};
  // Row-major 4 × 4; cell (1,1): north 9, south 11, west = east 10 → falls north.
  // Cell (1,2): west 10, east 8, north = south 10 → falls east.
  in.dem.z = {10, 9,  10, 10,  //
              10, 10, 10, 8,   //
              10, 11, 10, 10,  //
              10, 10, 10, 10};
  auto layer = std::make_shared<geo::PolygonLayer>();
  layer->crs_wkt = kUtm;
  layer->features.push_back({"two", square(500010, 4000020, 500030, 4000030), {}});
  in.mines = layer;
  TopographyParams params;
  params.tpi_radius_m = 10;
  const TopographyResult r = run_topography(params, in, quiet_context());
  const MineTerrain& m = r.mines.front();
  ASSERT_EQ(m.status, "ok");
  EXPECT_NEAR(m.aspect_mean_deg, 45.0, 1e-9);
  EXPECT_NEAR(m.aspect_resultant_length, std::sqrt(0.5), 1e-12);
  EXPECT_NEAR(m.northness, 0.5, 1e-12);
  EXPECT_NEAR(m.eastness, 0.5, 1e-12);
  EXPECT_NEAR(m.slope_deg.mean, std::atan(0.1) * kDegPerRad, 1e-9);
  EXPECT_NEAR(m.aspect_class_share[0], 0.5, 1e-12);  // N
  EXPECT_NEAR(m.aspect_class_share[2], 0.5, 1e-12);  // E
  EXPECT_NEAR(m.valid_area_m2, 200.0, 1e-9);
}

// A paraboloid hill z = 500 − a·r² (slope atan(2ar), aspect facing away from the top) with mines
// at 8 azimuths × 5 radii, and a sink planted on them: 300 − 2·slope + 80·cos(azimuth).
struct Cone {
  TopographyInputs inputs;
  std::vector<double> azimuth_deg, slope_deg;
};

Cone cone() {
  Cone c;
  const double cell = 10, a = std::tan(40.0 / kDegPerRad) / (2 * 1800.0);
  const std::int64_t n = 400;
  const double x0 = 500000, y1 = 4004000, cx = x0 + 2000, cy = y1 - 2000;
  c.inputs.dem.path = "cone";
  c.inputs.dem.crs_wkt = kUtm;
  c.inputs.dem.grid = geo::Grid{x0, y1, cell, cell, n, n};
  c.inputs.dem.z.resize(static_cast<std::size_t>(n * n));
  for (std::int64_t row = 0; row < n; ++row)
    for (std::int64_t col = 0; col < n; ++col) {
      const double x = x0 + (col + 0.5) * cell - cx, y = y1 - (row + 0.5) * cell - cy;
      c.inputs.dem.z[static_cast<std::size_t>(row * n + col)] = 500 - a * (x * x + y * y);
    }
  auto layer = std::make_shared<geo::PolygonLayer>();
  layer->crs_wkt = kUtm;
  SinkVariable sink{"nep_gC_m2_yr", "planted", {}};
  for (int k = 0; k < 8; ++k)
    for (const double slope : {5.0, 12.0, 20.0, 30.0, 40.0}) {
      const double az = 45.0 * k, r = std::tan(slope / kDegPerRad) / (2 * a);
      const double mx = cx + r * std::sin(az / kDegPerRad), my = cy + r * std::cos(az / kDegPerRad);
      const std::string id = "m" + std::to_string(k) + "_" + std::to_string(int(slope));
      layer->features.push_back({id, square(mx - 30, my - 30, mx + 30, my + 30), {}});
      c.azimuth_deg.push_back(az);
      c.slope_deg.push_back(slope);
      sink.values.emplace_back(id, 300 - 2 * slope + 80 * std::cos(az / kDegPerRad));
    }
  layer->features.push_back({"outside", square(600000, 4100000, 600100, 4100100), {}});
  c.inputs.mines = layer;
  c.inputs.sinks.push_back(sink);
  return c;
}

TEST(Topography, ConeMinesHaveTheirPlantedAspectAndSlope) {
  const Cone c = cone();
  TopographyParams params;
  params.tpi_radius_m = 100;
  const TopographyResult r = run_topography(params, c.inputs, quiet_context(2));
  ASSERT_EQ(r.mines.size(), 41u);
  for (std::size_t k = 0; k < 40; ++k) {
    const MineTerrain& m = r.mines[k];
    ASSERT_EQ(m.status, "ok") << m.id;
    const double d = std::fmod(std::fabs(m.aspect_mean_deg - c.azimuth_deg[k]), 360.0);
    EXPECT_LT(std::min(d, 360.0 - d), 0.5) << m.id;
    EXPECT_GT(m.aspect_resultant_length, 0.95) << m.id;
    EXPECT_NEAR(m.slope_deg.mean, c.slope_deg[k], 1.0) << m.id;
    EXPECT_EQ(m.aspect_class, kAspectClassNames[k / 5]) << m.id;
    EXPECT_EQ(m.slope_band, r.slope_band_names[slope_band(c.slope_deg[k], params.slope_breaks_deg)])
        << m.id;
    EXPECT_NEAR(m.area_m2, 3600.0, 5.0);
    EXPECT_NEAR(m.covered_area_m2, 3600.0, 1e-6);
    EXPECT_GT(m.ls.mean, 0.0);
  }
  EXPECT_EQ(r.mines.back().status, "outside");
  EXPECT_TRUE(std::isnan(r.mines.back().slope_deg.mean));
  EXPECT_EQ(r.warnings.counts().at("mine_outside_dem"), 1u);
}

TEST(Topography, GroupedTestsFindThePlantedEffects) {
  const Cone c = cone();
  TopographyParams params;
  params.tpi_radius_m = 100;
  const TopographyResult r = run_topography(params, c.inputs, quiet_context());
  const TerrainTestRow* aspect = find_test(r, "aspect_class", "kruskal_wallis");
  ASSERT_NE(aspect, nullptr);
  EXPECT_EQ(aspect->n, 40u);
  EXPECT_EQ(aspect->df, 7.0);
  EXPECT_LT(aspect->p, 1e-4);
  const TerrainTestRow* slope = find_test(r, "slope_band", "kruskal_wallis");
  ASSERT_NE(slope, nullptr);
  EXPECT_EQ(slope->df, 4.0);
  // North-facing mines sink more than south-facing ones: every N value beats every S value, so
  // the exact Wilcoxon p for 5 vs 5 is 2/252, before Holm over 28 pairs.
  const TerrainTestRow* ns = find_test(r, "aspect_class", "wilcoxon_holm", "N", "S");
  ASSERT_NE(ns, nullptr);
  EXPECT_TRUE(ns->exact);
  EXPECT_NEAR(ns->p, 2.0 / 252.0, 1e-12);
  EXPECT_DOUBLE_EQ(ns->statistic, 25.0);
  std::map<std::string, double> mean;
  for (const auto& g : r.groups)
    if (g.factor == "aspect_class") mean[g.group] = g.mean;
  EXPECT_NEAR(mean["N"] - mean["S"], 160.0, 1e-9);
  const TerrainTestRow* north = find_test(r, "continuous", "spearman", "northness");
  const TerrainTestRow* steep = find_test(r, "continuous", "spearman", "slope_mean_deg");
  ASSERT_NE(north, nullptr);
  ASSERT_NE(steep, nullptr);
  EXPECT_GT(north->statistic, 0.8);
  EXPECT_LT(steep->statistic, 0.0);
}

TEST(Topography, SameNumbersForOneAndTwoThreads) {
  const Cone c = cone();
  TopographyParams params;
  params.tpi_radius_m = 100;
  const TopographyResult a = run_topography(params, c.inputs, quiet_context(1));
  const TopographyResult b = run_topography(params, c.inputs, quiet_context(2));
  for (std::size_t k = 0; k < a.mines.size(); ++k) {
    EXPECT_EQ(std::isnan(a.mines[k].ls.mean), std::isnan(b.mines[k].ls.mean));
    if (!std::isnan(a.mines[k].ls.mean)) EXPECT_EQ(a.mines[k].ls.mean, b.mines[k].ls.mean);
  }
}

// A plane rising 5 m per 100 m northwards on a lon/lat grid at 45°N: the slope must be
// atan(0.05) with the true north-south cell size (the meridian arc), not degrees.
TEST(Topography, GeographicDemUsesTrueCellSizes) {
  TopographyInputs in;
  in.dem.path = "lonlat";
  in.dem.crs_wkt = "EPSG:4326";
  in.dem.geographic = true;
  const double step = 1.0 / 1200.0;  // 3″
  in.dem.grid = geo::Grid{117.0, 45.05, step, step, 120, 120};
  const double e2 = 0.00669437999014, a = 6378137.0;
  in.dem.z.resize(120 * 120);
  for (std::int64_t row = 0; row < 120; ++row) {
    const double lat = (45.05 - (row + 0.5) * step) / kDegPerRad;
    // Meridian distance from 45°N by the local radius M(φ): enough for a 0.1° span.
    const double m = a * (1 - e2) / std::pow(1 - e2 * std::sin(lat) * std::sin(lat), 1.5);
    for (std::int64_t col = 0; col < 120; ++col)
      in.dem.z[static_cast<std::size_t>(row * 120 + col)] =
          100 + 0.05 * m * (lat - 45.0 / kDegPerRad);
  }
  auto layer = std::make_shared<geo::PolygonLayer>();
  layer->crs_wkt = "EPSG:4326";
  layer->features.push_back({"g", square(117.02, 45.01, 117.08, 45.04), {}});
  in.mines = layer;
  TopographyParams params;
  params.tpi_radius_m = 300;
  const TopographyResult r = run_topography(params, in, quiet_context());
  const MineTerrain& m = r.mines.front();
  ASSERT_EQ(m.status, "ok");
  EXPECT_NEAR(m.slope_deg.mean, std::atan(0.05) * kDegPerRad, 1e-3);
  EXPECT_NEAR(m.aspect_mean_deg, 180.0, 0.01);                  // rises north: faces south
  EXPECT_NEAR(m.covered_area_m2, m.area_m2, 1e-4 * m.area_m2);  // true cell areas
}

// Partial dependence of a forest whose response rises 5 per degree of slope and ignores the
// other covariate: PD rises over the slope grid, the ICE quantiles are ordered, and the
// non-terrain covariate gets no curve.
TEST(Topography, PartialDependenceFollowsThePlantedSlopeEffect) {
  const std::size_t n = 200;
  std::vector<double> slope(n), precip(n), y(n);
  for (std::size_t k = 0; k < n; ++k) {
    slope[k] = 40.0 * static_cast<double>((k * 37) % n) / n;
    precip[k] = 400.0 + static_cast<double>((k * 53) % 97);
    y[k] = 5.0 * slope[k] + 0.01 * precip[k];
  }
  std::vector<double> x_col(slope);
  x_col.insert(x_col.end(), precip.begin(), precip.end());
  const ml::Dataset data(x_col, y, {"slope_deg", "precip_mm_yr"});
  ml::ForestParams fp;
  fp.num_trees = 100;
  const ml::Forest forest = ml::fit_forest(data, fp);
  ForestModel model{
      &forest, {"slope_deg", "precip_mm_yr"}, {slope, precip}, {std::nullopt, std::nullopt}};
  Cone c = cone();
  c.inputs.model = model;
  TopographyParams params;
  params.tpi_radius_m = 100;
  const TopographyResult r = run_topography(params, c.inputs, quiet_context(2));
  ASSERT_EQ(r.partial_dependence.size(), 20u);
  for (const auto& row : r.partial_dependence) {
    EXPECT_EQ(row.covariate, "slope_deg");
    EXPECT_LE(row.ice_q10, row.ice_q50);
    EXPECT_LE(row.ice_q50, row.ice_q90);
  }
  const auto& first = r.partial_dependence.front();
  const auto& last = r.partial_dependence.back();
  EXPECT_DOUBLE_EQ(first.value, *std::min_element(slope.begin(), slope.end()));
  EXPECT_DOUBLE_EQ(last.value, *std::max_element(slope.begin(), slope.end()));
  EXPECT_GT(last.pd - first.pd, 0.75 * 5.0 * (last.value - first.value));
  // PD at a grid point is the mean of the forest's predictions with slope set there.
  double sum = 0;
  for (std::size_t k = 0; k < n; ++k)
    sum += forest.predict_one(std::vector<double>{first.value, precip[k]});
  EXPECT_NEAR(first.pd, sum / n, 1e-9);
}

}  // namespace
}  // namespace minecarbon::assess
