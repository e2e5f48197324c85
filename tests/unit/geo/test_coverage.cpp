// Coverage fractions on shapes whose answers can be worked out by hand, on a 3 × 3 grid of unit
// cells from (0, 0) to (3, 3) unless said otherwise.
#include "minecarbon/geo/coverage.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace minecarbon::geo {
namespace {

const Grid kUnit3{0.0, 3.0, 1.0, 1.0, 3, 3};

MultiPolygon square(double x0, double y0, double x1, double y1) {
  return {Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, {}}};
}

double at_xy_cell(const Coverage& c, std::int64_t row, std::int64_t col) {
  if (row < c.window.row0 || row >= c.window.row0 + c.window.rows || col < c.window.col0 ||
      col >= c.window.col0 + c.window.cols)
    return 0.0;
  return c.at(row, col);
}

TEST(Coverage, SquareOffsetByHalfACellGivesQuartersHalvesAndOne) {
  Coverage c = compute_coverage(square(0.5, 0.5, 2.5, 2.5), kUnit3);
  EXPECT_NEAR(at_xy_cell(c, 0, 0), 0.25, 1e-15);
  EXPECT_NEAR(at_xy_cell(c, 0, 1), 0.5, 1e-15);
  EXPECT_NEAR(at_xy_cell(c, 0, 2), 0.25, 1e-15);
  EXPECT_NEAR(at_xy_cell(c, 1, 0), 0.5, 1e-15);
  EXPECT_NEAR(at_xy_cell(c, 1, 1), 1.0, 1e-15);
  EXPECT_NEAR(at_xy_cell(c, 2, 2), 0.25, 1e-15);
  EXPECT_NEAR(c.sum(), 4.0, 1e-12);
}

TEST(Coverage, OrientationOfTheRingDoesNotMatter) {
  MultiPolygon clockwise = {Polygon{{{0.5, 0.5}, {0.5, 2.5}, {2.5, 2.5}, {2.5, 0.5}}, {}}};
  Coverage c = compute_coverage(clockwise, kUnit3);
  EXPECT_NEAR(at_xy_cell(c, 1, 1), 1.0, 1e-15);
  EXPECT_NEAR(c.sum(), 4.0, 1e-12);
}

TEST(Coverage, TriangleSplitsItsCellsAlongTheDiagonal) {
  // Right triangle (0,0) (3,0) (0,3): diagonal cells are half covered, those below fully.
  MultiPolygon tri = {Polygon{{{0, 0}, {3, 0}, {0, 3}}, {}}};
  Coverage c = compute_coverage(tri, kUnit3);
  EXPECT_NEAR(at_xy_cell(c, 0, 0), 0.5, 1e-15);  // top-left cell: y in [2,3], x in [0,1]
  EXPECT_NEAR(at_xy_cell(c, 1, 1), 0.5, 1e-15);
  EXPECT_NEAR(at_xy_cell(c, 2, 0), 1.0, 1e-15);
  EXPECT_NEAR(at_xy_cell(c, 0, 2), 0.0, 1e-15);
  EXPECT_NEAR(c.sum(), 4.5, 1e-12);
}

TEST(Coverage, HoleIsSubtractedWhateverItsOrientation) {
  for (bool hole_ccw : {true, false}) {
    Ring hole =
        hole_ccw ? Ring{{1, 1}, {2, 1}, {2, 2}, {1, 2}} : Ring{{1, 1}, {1, 2}, {2, 2}, {2, 1}};
    MultiPolygon donut = {Polygon{{{0, 0}, {3, 0}, {3, 3}, {0, 3}}, {hole}}};
    Coverage c = compute_coverage(donut, kUnit3);
    EXPECT_NEAR(at_xy_cell(c, 1, 1), 0.0, 1e-15) << "hole_ccw=" << hole_ccw;
    EXPECT_NEAR(at_xy_cell(c, 0, 0), 1.0, 1e-15);
    EXPECT_NEAR(c.sum(), 8.0, 1e-12);
  }
}

TEST(Coverage, PolygonSmallerThanACellCoversItsAreaShare) {
  Coverage c = compute_coverage(square(1.2, 1.3, 1.5, 1.4), kUnit3);
  ASSERT_EQ(c.window.cells(), 1);
  EXPECT_NEAR(at_xy_cell(c, 1, 1), 0.3 * 0.1, 1e-15);
}

TEST(Coverage, PolygonLeavingTheGridKeepsOnlyCellsInside) {
  Coverage c = compute_coverage(square(-1.0, 0.5, 1.5, 1.5), kUnit3);
  EXPECT_EQ(c.window.col0, 0);
  EXPECT_NEAR(at_xy_cell(c, 1, 0), 0.5, 1e-15);  // y in [1,2] ∩ [0.5,1.5] = 0.5
  EXPECT_NEAR(at_xy_cell(c, 2, 0), 0.5, 1e-15);
  EXPECT_NEAR(at_xy_cell(c, 1, 1), 0.25, 1e-15);
  EXPECT_NEAR(c.sum(), 1.5, 1e-12);
}

TEST(Coverage, PolygonOutsideTheGridHasAnEmptyWindow) {
  Coverage c = compute_coverage(square(10, 10, 11, 11), kUnit3);
  EXPECT_TRUE(c.window.empty());
  EXPECT_EQ(c.sum(), 0.0);
}

TEST(Coverage, MultipolygonPartsAddUp) {
  MultiPolygon two = square(0, 0, 1, 1);
  two.push_back(square(2, 2, 3, 3)[0]);
  Coverage c = compute_coverage(two, kUnit3);
  EXPECT_NEAR(at_xy_cell(c, 2, 0), 1.0, 1e-15);
  EXPECT_NEAR(at_xy_cell(c, 0, 2), 1.0, 1e-15);
  EXPECT_NEAR(at_xy_cell(c, 1, 1), 0.0, 1e-15);
}

// Σ coverage × cell area = polygon area, for irregular star polygons on a skewed grid whose
// cells are not square, far from the origin (as projected coordinates are).
TEST(Coverage, SumOfCoverageTimesCellAreaIsThePolygonArea) {
  std::mt19937_64 rng(20261122);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Grid grid{500000.0, 4100000.0, 30.0, 20.0, 400, 400};
  for (int trial = 0; trial < 200; ++trial) {
    int n = 5 + static_cast<int>(unit(rng) * 40);
    double cx = 500000.0 + 2000 + unit(rng) * 8000, cy = 4100000.0 - 2000 - unit(rng) * 4000;
    // Jittered, evenly spread angles keep the star simple (a gap over pi would let it cross
    // itself).
    Ring ring;
    for (int k = 0; k < n; ++k) {
      double a = (k + 0.9 * unit(rng)) * 2 * M_PI / n;
      double r = 300 + unit(rng) * 1500;
      ring.push_back({cx + r * std::cos(a), cy + r * std::sin(a)});
    }
    MultiPolygon star = {Polygon{ring, {}}};
    Coverage c = compute_coverage(star, grid);
    double area = planar_area(star);
    EXPECT_NEAR(c.sum() * grid.dx * grid.dy, area, area * 1e-12) << "trial " << trial;
    for (double f : c.frac) {
      ASSERT_GE(f, 0.0);
      ASSERT_LE(f, 1.0);
    }
  }
}

}  // namespace
}  // namespace minecarbon::geo
