// Terrain derivatives: degenerate windows, surfaces with closed-form slope and curvature, and the
// values of gdaldem, SAGA 8.5 and terra 1.7-3 on two real DEMs (tests/data/terrain/README.md).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <numbers>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/geo/terrain.h"

namespace minecarbon::geo {
namespace {

const std::string kData = std::string(MC_TEST_DATA_DIR) + "/terrain";
constexpr double kDegPerRad = 180.0 / std::numbers::pi;

double value_or_nan(const CsvText& csv, std::size_t row, const std::string& column) {
  const std::string& text = csv.rows[row][csv.column(column)];
  return text == "NA" ? kNaN : std::stod(text);
}

// Smallest difference between two azimuths, degrees.
double angle_difference(double a, double b) {
  const double d = std::fmod(std::fabs(a - b), 360.0);
  return std::min(d, 360.0 - d);
}

// A window of z(x, y) sampled at cell centres, x east and y north, centre cell at (0, 0).
std::array<double, 9> sample(double dx, double dy, const auto& surface) {
  std::array<double, 9> z{};
  for (int k = 0; k < 9; ++k) {
    const double x = (k % 3 - 1) * dx, y = (1 - k / 3) * dy;
    z[static_cast<std::size_t>(k)] = surface(x, y);
  }
  return z;
}

// ---- degenerate inputs ---------------------------------------------------------------------

TEST(Terrain, BorderCellsAndNodataNeighboursGiveNaN) {
  std::vector<double> z(5 * 5, 100.0);
  for (std::size_t k = 0; k < z.size(); ++k)
    z[k] += 0.1 * static_cast<double>(k % 5);
  z[0] = kNaN;  // corner: only cell (1, 1) uses it
  const std::vector<double> dx(5, 30.0), dy(5, 30.0);
  const TerrainLayers t = compute_terrain(z, 5, 5, dx, dy);
  for (std::size_t col = 0; col < 5; ++col) {
    EXPECT_TRUE(std::isnan(t.slope_deg[col]));          // top row
    EXPECT_TRUE(std::isnan(t.slope_deg[4 * 5 + col]));  // bottom row
    EXPECT_TRUE(std::isnan(t.slope_deg[col * 5]));      // left column
    EXPECT_TRUE(std::isnan(t.slope_deg[col * 5 + 4]));  // right column
  }
  EXPECT_TRUE(std::isnan(t.slope_deg[1 * 5 + 1]));
  EXPECT_TRUE(std::isnan(t.general_curvature_per_m[1 * 5 + 1]));
  EXPECT_FALSE(std::isnan(t.slope_deg[2 * 5 + 2]));
  EXPECT_FALSE(std::isnan(t.slope_deg[1 * 5 + 2]));
}

TEST(Terrain, WindowSmallerThanThreeCellsIsAllNaN) {
  const std::vector<double> z = {1, 2, 3, 4};
  const std::vector<double> spacing(2, 10.0);
  const TerrainLayers t = compute_terrain(z, 2, 2, spacing, spacing);
  for (double v : t.slope_deg)
    EXPECT_TRUE(std::isnan(v));
}

TEST(Terrain, FlatCellHasZeroSlopeAndNoAspect) {
  std::array<double, 9> z;
  z.fill(250.0);
  const TerrainValues v = terrain_values(terrain_derivatives(z, 30, 30));
  EXPECT_EQ(v.slope_deg, 0.0);
  EXPECT_TRUE(std::isnan(v.aspect_deg));
  EXPECT_TRUE(std::isnan(v.profile_curvature_per_m));
  EXPECT_TRUE(std::isnan(v.plan_curvature_per_m));
  EXPECT_EQ(v.general_curvature_per_m, 0.0);
}

TEST(Terrain, RejectsMismatchedSizesAndZeroSpacing) {
  const std::vector<double> z(9, 1.0), ok(3, 30.0), zero = {30.0, 0.0, 30.0};
  EXPECT_THROW(compute_terrain(z, 3, 4, ok, ok), DataError);
  try {
    compute_terrain(z, 3, 3, ok, zero);
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("row 1"), std::string::npos) << e.what();
  }
}

TEST(SlopeMethod, NameTableRoundTripsAndRejectsUnknown) {
  for (SlopeMethod m : {SlopeMethod::zevenbergen_thorne, SlopeMethod::horn})
    EXPECT_EQ(slope_method_from_string(to_string(m)), m);
  try {
    slope_method_from_string("zt");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("zevenbergen_thorne"), std::string::npos);
  }
}

// ---- closed forms --------------------------------------------------------------------------

TEST(Terrain, PlaneHasItsSlopeAndDownhillAspectAndNoCurvature) {
  // z = 200 − 0.1·x + 0.2·y: rises 0.2 m/m to the north, falls 0.1 m/m to the east, on cells of
  // 30 m east-west and 20 m north-south. Steepest descent points south-east of south.
  for (SlopeMethod method : {SlopeMethod::zevenbergen_thorne, SlopeMethod::horn}) {
    const auto z = sample(30, 20, [](double x, double y) { return 200 - 0.1 * x + 0.2 * y; });
    const TerrainValues v = terrain_values(terrain_derivatives(z, 30, 20, method));
    EXPECT_NEAR(v.slope_deg, std::atan(std::sqrt(0.01 + 0.04)) * kDegPerRad, 1e-12);
    EXPECT_NEAR(v.aspect_deg, 180.0 - std::atan(0.1 / 0.2) * kDegPerRad, 1e-12);
    EXPECT_NEAR(v.profile_curvature_per_m, 0.0, 1e-15);
    EXPECT_NEAR(v.plan_curvature_per_m, 0.0, 1e-15);
    EXPECT_NEAR(v.general_curvature_per_m, 0.0, 1e-15);
  }
}

TEST(Terrain, AspectPointsDownhillClockwiseFromNorth) {
  const struct {
    double gx, gy, aspect;
  } cases[] = {{0, -1, 0}, {-1, 0, 90}, {0, 1, 180}, {1, 0, 270}, {-1, -1, 45}};
  for (const auto& c : cases) {
    const auto z = sample(10, 10, [&](double x, double y) { return c.gx * x + c.gy * y; });
    EXPECT_NEAR(terrain_values(terrain_derivatives(z, 10, 10)).aspect_deg, c.aspect, 1e-12)
        << c.gx << ", " << c.gy;
  }
}

TEST(Terrain, ProfileCurvatureOfASlopingParabolaIsTheCurveCurvature) {
  // z = g·x + c·x²/2 along the slope: at x = 0 the curvature of the profile line is
  // z''/(1 + z'²)^(3/2) = c/(1 + g²)^(3/2); convex (c < 0) counts positive. Central differences
  // are exact on a quadratic, so the match is to rounding.
  const double g = -0.3, c = -0.002;
  const auto z = sample(25, 40, [&](double x, double) { return 500 + g * x + 0.5 * c * x * x; });
  const TerrainValues v = terrain_values(terrain_derivatives(z, 25, 40));
  EXPECT_NEAR(v.profile_curvature_per_m, -c / std::pow(1 + g * g, 1.5), 1e-15);
  EXPECT_NEAR(v.plan_curvature_per_m, 0.0, 1e-15);
  EXPECT_NEAR(v.general_curvature_per_m, -c, 1e-15);
}

TEST(Terrain, PlanCurvatureOfCurvedContoursIsTheirCurvature) {
  // z = g·x + k·y²/2, g < 0 (falls to the east): the contour through the centre is
  // x = (k/(2|g|))·y², of curvature k/|g|. With k > 0 the line y = 0 is a trough: the contours
  // bulge upslope and flow converges, concave, so plan = −(p²·t)/|p|³ = −k/|g| < 0.
  const double g = -0.25, k = 0.004;
  const auto z = sample(30, 30, [&](double x, double y) { return g * x + 0.5 * k * y * y; });
  const TerrainValues v = terrain_values(terrain_derivatives(z, 30, 30));
  EXPECT_NEAR(v.plan_curvature_per_m, -k / std::fabs(g), 1e-15);
  EXPECT_LT(v.plan_curvature_per_m, 0.0);
  EXPECT_NEAR(v.profile_curvature_per_m, 0.0, 1e-15);
}

TEST(Terrain, TwistTermEntersProfileAndPlanWithOppositeSigns) {
  // z = g·(x + y) + s·x·y: r = t = 0, p = q = g, s = ∂²z/∂x∂y.
  const double g = 0.1, s = 1e-4;
  const auto z = sample(30, 30, [&](double x, double y) { return g * (x + y) + s * x * y; });
  const TerrainDerivatives d = terrain_derivatives(z, 30, 30);
  EXPECT_NEAR(d.s, s, 1e-18);
  const TerrainValues v = terrain_values(d);
  const double g2 = 2 * g * g;
  EXPECT_NEAR(v.profile_curvature_per_m, -(2 * g * g * s) / (g2 * std::pow(1 + g2, 1.5)), 1e-16);
  EXPECT_NEAR(v.plan_curvature_per_m, (2 * g * g * s) / std::pow(g2, 1.5), 1e-16);
}

TEST(TerrainSpacing, ProjectedGridUsesCellSizeTimesUnit) {
  const Grid grid{500000, 5000000, 30, 20, 4, 4};
  const TerrainSpacing s = terrain_spacing(grid, false, 0.3048);  // US survey-like feet
  for (std::size_t row = 0; row < 4; ++row) {
    EXPECT_DOUBLE_EQ(s.dx_m[row], 30 * 0.3048);
    EXPECT_DOUBLE_EQ(s.dy_m[row], 20 * 0.3048);
  }
}

TEST(TerrainSpacing, GeographicSpacingAddsUpToTheWgs84MeridianQuadrantAndEquator) {
  // 900 000 rows of 1e-4° from the equator to the pole: Σ Ly is the meridian quadrant,
  // 10 001 965.7293 m on WGS84 (e.g. Karney 2011, GeographicLib's value); the east-west spacing
  // on the equator row is a·Δλ, so 3 600 000 columns span 2πa = 40 075 016.686 m.
  const Grid grid{0, 90, 1e-4, 1e-4, 900000, 1};
  const TerrainSpacing s = terrain_spacing(grid, true);
  double quadrant = 0;
  for (double dy : s.dy_m)
    quadrant += dy;
  EXPECT_NEAR(quadrant, 10001965.7293, 0.01);
  EXPECT_NEAR(s.dx_m.back() * 3600000, 40075016.686, 0.01);
}

// ---- peers: gdaldem, SAGA, terra on a projected 30 m DEM ----------------------------------

struct ProjectedDem {
  CsvText ref = read_csv_file(kData + "/landsat_dem_terrain_reference.csv");
  std::vector<double> z = std::vector<double>(41 * 41, kNaN);
  ProjectedDem() {
    for (std::size_t k = 0; k < ref.rows.size(); ++k) {
      const auto row = static_cast<std::size_t>(ref.number(k, ref.column("row")));
      const auto col = static_cast<std::size_t>(ref.number(k, ref.column("col")));
      z[row * 41 + col] = ref.number(k, ref.column("dem_m"));
    }
  }
  bool interior(std::size_t k) const {
    const double row = ref.number(k, ref.column("row")), col = ref.number(k, ref.column("col"));
    return row > 0 && row < 40 && col > 0 && col < 40;
  }
  std::size_t cell(std::size_t k) const {
    return static_cast<std::size_t>(ref.number(k, ref.column("row"))) * 41 +
           static_cast<std::size_t>(ref.number(k, ref.column("col")));
  }
};

TEST(TerrainPeers, ZevenbergenThorneSlopeAndAspectMatchGdaldemAndSaga) {
  ProjectedDem dem;
  ASSERT_EQ(dem.ref.rows.size(), 1681u);
  const std::vector<double> spacing(41, 30.0);
  const TerrainLayers t = compute_terrain(dem.z, 41, 41, spacing, spacing);
  int compared = 0, aspects = 0;
  for (std::size_t k = 0; k < dem.ref.rows.size(); ++k) {
    if (!dem.interior(k)) continue;
    const std::size_t cell = dem.cell(k);
    // Float32 outputs of ~1–20°: 1e-4° covers their rounding.
    EXPECT_NEAR(t.slope_deg[cell], value_or_nan(dem.ref, k, "gdal_slope_zt_deg"), 1e-4);
    EXPECT_NEAR(t.slope_deg[cell], value_or_nan(dem.ref, k, "saga_m6_slope"), 1e-4);
    ++compared;
    const double gdal_aspect = value_or_nan(dem.ref, k, "gdal_aspect_zt_deg");
    if (t.slope_deg[cell] == 0) {
      EXPECT_TRUE(std::isnan(t.aspect_deg[cell]));
      continue;
    }
    EXPECT_LT(angle_difference(t.aspect_deg[cell], gdal_aspect), 1e-4) << "cell " << cell;
    EXPECT_LT(angle_difference(t.aspect_deg[cell], value_or_nan(dem.ref, k, "saga_m6_aspect")),
              1e-4);
    ++aspects;
  }
  EXPECT_EQ(compared, 39 * 39);
  EXPECT_GT(aspects, 1200);  // the README counts 87 flat interior cells
}

TEST(TerrainPeers, HornSlopeAndAspectMatchGdaldemAndTerra) {
  ProjectedDem dem;
  const std::vector<double> spacing(41, 30.0);
  const TerrainLayers t = compute_terrain(dem.z, 41, 41, spacing, spacing, SlopeMethod::horn);
  for (std::size_t k = 0; k < dem.ref.rows.size(); ++k) {
    if (!dem.interior(k)) continue;
    const std::size_t cell = dem.cell(k);
    EXPECT_NEAR(t.slope_deg[cell], value_or_nan(dem.ref, k, "terra_slope_horn_deg"), 1e-8);
    EXPECT_NEAR(t.slope_deg[cell], value_or_nan(dem.ref, k, "gdal_slope_horn_deg"), 1e-4);
    if (t.slope_deg[cell] > 1e-6) {
      EXPECT_LT(
          angle_difference(t.aspect_deg[cell], value_or_nan(dem.ref, k, "gdal_aspect_horn_deg")),
          1e-4);
    }
  }
}

TEST(TerrainPeers, CurvaturesReproduceSaga85FromOurDerivatives) {
  // SAGA 8.5 METHOD 6: C_GENE = −(r + t) (our general curvature); C_PROF and C_PLAN use its
  // polynomial coefficients D = r/2, E = t/2 where the formulas take r and t (see terrain.h).
  // Rebuilding SAGA's values from our p, q, r, s, t checks each derivative separately.
  ProjectedDem dem;
  const std::vector<double> spacing(41, 30.0);
  const TerrainLayers t = compute_terrain(dem.z, 41, 41, spacing, spacing);
  double worst_general = 0, worst_profile = 0, worst_plan = 0, scale_plan = 0;
  int curved = 0;
  for (std::size_t k = 0; k < dem.ref.rows.size(); ++k) {
    if (!dem.interior(k)) continue;
    const std::size_t cell = dem.cell(k), row = cell / 41, col = cell % 41;
    std::array<double, 9> z{};
    for (std::size_t n = 0; n < 9; ++n)
      z[n] = dem.z[(row + n / 3 - 1) * 41 + col + n % 3 - 1];
    const TerrainDerivatives d = terrain_derivatives(z, 30, 30);
    EXPECT_DOUBLE_EQ(t.general_curvature_per_m[cell], -(d.r + d.t));
    // SAGA sets no curvature where the gradient vanishes (its grids hold 0 there).
    const double g2 = d.p * d.p + d.q * d.q;
    if (g2 == 0) continue;
    worst_general = std::max(worst_general, std::fabs(t.general_curvature_per_m[cell] -
                                                      value_or_nan(dem.ref, k, "saga_m6_cgene")));
    const double rh = d.r / 2, th = d.t / 2, spq = d.s * d.p * d.q;
    const double saga_profile =
        -(rh * d.p * d.p + th * d.q * d.q + 2 * spq) / (g2 * std::pow(1 + g2, 1.5));
    const double saga_plan = -(th * d.p * d.p + rh * d.q * d.q - 2 * spq) / std::pow(g2, 1.5);
    worst_profile = std::max(worst_profile,
                             std::fabs(saga_profile - value_or_nan(dem.ref, k, "saga_m6_cprof")));
    worst_plan =
        std::max(worst_plan, std::fabs(saga_plan - value_or_nan(dem.ref, k, "saga_m6_cplan")));
    scale_plan = std::max(scale_plan, std::fabs(saga_plan));
    if (d.r != 0 || d.t != 0) ++curved;
  }
  // SAGA writes Float32: ~1e-7 relative of values up to 0.013 (general), 0.005 (profile) and
  // 0.08 (plan) 1/m.
  EXPECT_LT(worst_general, 1e-8);
  EXPECT_LT(worst_profile, 1e-8);
  EXPECT_LT(worst_plan, 1e-7);
  EXPECT_GT(scale_plan, 0.05);
  EXPECT_GT(curved, 1000);
}

// ---- peer: terra on a lon/lat DEM -------------------------------------------------------

struct GeographicDem {
  static constexpr std::size_t kRows = 90, kCols = 95;
  CsvText ref = read_csv_file(kData + "/terra_elev_terrain_reference.csv");
  Grid grid{5.741666666666666, 50.191666666666663, 1.0 / 120, 1.0 / 120, kRows, kCols};
  std::vector<double> z = std::vector<double>(kRows * kCols, kNaN);
  GeographicDem() {
    for (std::size_t k = 0; k < ref.rows.size(); ++k)
      z[cell(k)] = ref.number(k, ref.column("elev_m"));
  }
  std::size_t cell(std::size_t k) const {
    return static_cast<std::size_t>(ref.number(k, ref.column("row"))) * kCols +
           static_cast<std::size_t>(ref.number(k, ref.column("col")));
  }
};

TEST(TerrainPeers, LonLatSlopeAndAspectMatchTerraWithTerrasSpacing) {
  GeographicDem dem;
  ASSERT_EQ(dem.ref.rows.size(), 4608u);
  // terra 1.7-3: east-west spacing of the row from the ellipsoid (as ours), north-south spacing
  // a(1 − e²)·Δφ, the meridian arc at the equator, on every row.
  TerrainSpacing terra = terrain_spacing(dem.grid, true);
  const Ellipsoid wgs84;
  const double e2 = wgs84.f * (2 - wgs84.f);
  for (double& dy : terra.dy_m)
    dy = wgs84.a_m * (1 - e2) * dem.grid.dy * std::numbers::pi / 180;
  EXPECT_NEAR(terra.dy_m.front(), 921.4523, 1e-4);  // the spacing terra's slopes imply
  const TerrainLayers zt = compute_terrain(dem.z, dem.kRows, dem.kCols, terra.dx_m, terra.dy_m);
  const TerrainLayers horn =
      compute_terrain(dem.z, dem.kRows, dem.kCols, terra.dx_m, terra.dy_m, SlopeMethod::horn);
  int compared4 = 0, compared8 = 0;
  for (std::size_t k = 0; k < dem.ref.rows.size(); ++k) {
    const std::size_t cell = dem.cell(k);
    const double slope4 = value_or_nan(dem.ref, k, "slope4_deg");
    if (!std::isnan(slope4) && !std::isnan(zt.slope_deg[cell])) {
      EXPECT_NEAR(zt.slope_deg[cell], slope4, 1e-7);
      if (slope4 > 1e-6) {
        EXPECT_LT(angle_difference(zt.aspect_deg[cell], value_or_nan(dem.ref, k, "aspect4_deg")),
                  1e-6);
      }
      ++compared4;
    }
    const double slope8 = value_or_nan(dem.ref, k, "slope8_deg");
    if (!std::isnan(slope8) && !std::isnan(horn.slope_deg[cell])) {
      EXPECT_NEAR(horn.slope_deg[cell], slope8, 1e-7);
      if (slope8 > 1e-6) {
        EXPECT_LT(angle_difference(horn.aspect_deg[cell], value_or_nan(dem.ref, k, "aspect8_deg")),
                  1e-6);
      }
      ++compared8;
    }
  }
  EXPECT_GT(compared4, 4000);
  EXPECT_GT(compared8, 3500);
}

TEST(TerrainPeers, OwnLonLatSpacingDiffersFromTerraOnlyByTheMeridianRadius) {
  // With the true north-south spacing M(φ)·Δφ, slopes differ from terra's by no more than the
  // ratio of the meridian radii M(50°)/M(0°) − 1 = 0.63 %, in the steep-north-south direction.
  GeographicDem dem;
  const TerrainSpacing ours = terrain_spacing(dem.grid, true);
  const TerrainLayers zt = compute_terrain(dem.z, dem.kRows, dem.kCols, ours.dx_m, ours.dy_m);
  const Ellipsoid wgs84;
  const double e2 = wgs84.f * (2 - wgs84.f);
  const double s2 = std::pow(std::sin(50.19 * std::numbers::pi / 180), 2);
  const double radius_ratio = 1 / std::pow(1 - e2 * s2, 1.5);
  double worst = 0;
  for (std::size_t k = 0; k < dem.ref.rows.size(); ++k) {
    const std::size_t cell = dem.cell(k);
    const double slope4 = value_or_nan(dem.ref, k, "slope4_deg");
    if (std::isnan(slope4) || std::isnan(zt.slope_deg[cell]) || slope4 < 0.5) continue;
    const double rel = std::tan(slope4 / kDegPerRad) / std::tan(zt.slope_deg[cell] / kDegPerRad);
    worst = std::max(worst, std::fabs(rel - 1));
    EXPECT_LE(rel, radius_ratio + 1e-12);
    EXPECT_GE(rel, 1 - 1e-12);
  }
  EXPECT_GT(worst, 0.005);  // the steepest north-south slopes show nearly the whole ratio
}

}  // namespace
}  // namespace minecarbon::geo
