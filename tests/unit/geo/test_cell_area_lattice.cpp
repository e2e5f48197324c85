// ProjectedCellAreaLattice (geo/categorical_raster.h): true cell areas of a projected grid
// interpolated from a lattice of exact geodesic cell areas must equal the exact per-cell areas
// (ProjectedCellAreas, the rule checked against R terra in test_landuse_terra.cpp) to 1e-9
// relative, on grids chosen to stress the interpolation: UTM 30 m cells at the zone edge and 6°
// beyond it (where the scale changes fastest), at 60° N, across the equator, a 1000 m grid over
// 500 km; very coarse cells fall back to the exact rule.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "minecarbon/geo/categorical_raster.h"

namespace minecarbon::geo {
namespace {

struct Case {
  std::string name;
  std::string crs;
  Grid grid;
};

inline Grid make_grid(double x_min, double y_max, double cell_m, std::int64_t rows,
                      std::int64_t cols) {
  Grid g;
  g.x_min = x_min;
  g.y_max = y_max;
  g.dx = cell_m;
  g.dy = cell_m;
  g.rows = rows;
  g.cols = cols;
  return g;
}

// Largest relative difference between lattice and exact areas over some windows of the grid: its
// four corners, its centre, and one straddling lattice intervals at an odd offset.
double max_rel_error(const Case& c, const ProjectedCellAreaLattice& lattice, double* worst_sum,
                     double* noise) {
  ProjectedCellAreas exact(c.crs);
  const Grid& g = c.grid;
  const std::int64_t n = 48;
  const std::vector<Window> windows = {
      {0, 0, n, n},
      {0, g.cols - n, n, n},
      {g.rows - n, 0, n, n},
      {g.rows - n, g.cols - n, n, n},
      {g.rows / 2 - n / 2, g.cols / 2 - n / 2, n, n},
      {g.rows / 3 + 7, g.cols / 5 + 13, n, 3 * n},
  };
  double worst = 0;
  std::vector<double> want, got;
  for (const Window& w : windows) {
    exact.areas_m2(g, w, want);
    lattice.areas_m2(w, got);
    EXPECT_EQ(want.size(), got.size());
    double sum_want = 0, sum_got = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
      worst = std::max(worst, std::fabs(got[i] - want[i]) / want[i]);
      sum_want += want[i];
      sum_got += got[i];
    }
    *worst_sum = std::max(*worst_sum, std::fabs(sum_got - sum_want) / sum_want);
    // The exact rule's own rounding noise ε: along a row the true area's second difference is
    // ~(30 m/R)² ≈ 2e-11 relative, so |Δ²| ≤ 4ε measures the noise.
    for (std::int64_t r = 0; r < w.rows; ++r)
      for (std::int64_t k = 1; k + 1 < w.cols; ++k) {
        const std::size_t i = static_cast<std::size_t>(r * w.cols + k);
        *noise = std::max(*noise, std::fabs(want[i - 1] - 2 * want[i] + want[i + 1]) / want[i] / 4);
      }
  }
  return worst;
}

TEST(CellAreaLattice, MatchesExactGeodesicAreasTo1e9OnStressGrids) {
  const std::vector<Case> cases = {
      // UTM 32N (central meridian 9° E): 30 m cells at 50° N across the zone edge (6° E).
      {"zone edge 50N", "EPSG:32632", make_grid(250000, 5560000, 30, 3000, 3000)},
      // 6° beyond the zone edge at the equator (lon ≈ 0°, x ≈ −500 km, scale 1.013).
      {"6 deg beyond edge, equator", "EPSG:32632", make_grid(-560000, 60000, 30, 3000, 3000)},
      // 60° N at the zone edge.
      {"zone edge 60N", "EPSG:32632", make_grid(300000, 6700000, 30, 3000, 3000)},
      // Across the equator at the central meridian.
      {"equator", "EPSG:32632", make_grid(480000, 45000, 30, 3000, 1500)},
      // 1000 m cells over 500 km spanning the zone edge.
      {"1000 m", "EPSG:32632", make_grid(0, 5800000, 1000, 500, 500)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const ProjectedCellAreaLattice lattice(c.crs, c.grid);
    ASSERT_FALSE(lattice.exact());
    EXPECT_LE(lattice.error_bound_rel(), 1e-10);
    double worst_sum = 0, noise = 0;
    const double worst = max_rel_error(c, lattice, &worst_sum, &noise);
    // Per cell: the derived bound plus the exact rule's rounding noise, which the interpolation
    // averages but cannot reproduce (≤ 1 noise of the cell, 1.25² of the nodes): 1e-9 where
    // that noise is small (equator, 1000 m cells), ~8e-9 at 50–60° N where GeographicLib's
    // area of a 900 m² quadrilateral carries ~4e-9 rounding.
    EXPECT_LE(worst, std::max(1e-9, lattice.error_bound_rel() + 2.6 * noise));
    // Sums over a window: the noise partly averages out.
    EXPECT_LE(worst_sum, 2.5e-9);
    std::printf(
        "%s: step %lld cells, bound %.3g, exact-rule noise %.3g, worst cell %.3g, worst "
        "window sum %.3g\n",
        c.name.c_str(), static_cast<long long>(lattice.step_cells()), lattice.error_bound_rel(),
        noise, worst, worst_sum);
    // 30 m cells: a lattice coarse enough to make the exact areas negligible in cost.
    if (c.grid.dx == 30) {
      EXPECT_GE(lattice.step_cells(), 64);
    }
  }
}

TEST(CellAreaLattice, NodeCellsAreExact) {
  const Grid g = make_grid(250000, 5560000, 30, 600, 600);
  const ProjectedCellAreaLattice lattice("EPSG:32632", g);
  ASSERT_FALSE(lattice.exact());
  const std::int64_t step = lattice.step_cells();
  ProjectedCellAreas exact("EPSG:32632");
  std::vector<double> want, got;
  const Window w{step, step, 1, 1};
  exact.areas_m2(g, w, want);
  lattice.areas_m2(w, got);
  EXPECT_EQ(got[0], want[0]);
}

TEST(CellAreaLattice, VeryCoarseCellsFallBackToTheExactRule) {
  // 100 km cells over 3000 km: the bound cannot be met with a lattice step of 4 or more cells.
  const Grid g = make_grid(-1000000, 7000000, 100000, 30, 30);
  const ProjectedCellAreaLattice lattice("EPSG:32632", g);
  EXPECT_TRUE(lattice.exact());
  EXPECT_EQ(lattice.step_cells(), 0);
}

}  // namespace
}  // namespace minecarbon::geo
