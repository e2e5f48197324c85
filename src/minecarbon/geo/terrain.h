// Terrain derivatives of a DEM: slope, aspect and profile, plan and general curvature, on grids
// whose cells have true sizes in metres (on lon/lat grids the east-west size shrinks with
// latitude, row by row).
//
// A cell and its eight neighbours, row 0 at the top (north):
//
//     z1 z2 z3        NW  N  NE
//     z4 z5 z6   =    W   C  E
//     z7 z8 z9        SW  S  SE
//
// with Lx, Ly the distances (m) between the centres of neighbouring cells east-west and
// north-south. The partial derivatives of the Zevenbergen & Thorne (1987) nine-term polynomial at
// the centre (x east, y north; Zevenbergen, L.W. & Thorne, C.R., Earth Surf. Process. Landforms
// 12:47-56, doi:10.1002/esp.3290120107):
//
//     p = ∂z/∂x    = (z6 − z4) / (2·Lx)               (ZT's G)
//     q = ∂z/∂y    = (z2 − z8) / (2·Ly)               (ZT's H)
//     r = ∂²z/∂x²  = (z4 − 2·z5 + z6) / Lx²           (2·ZT's D)
//     t = ∂²z/∂y²  = (z2 − 2·z5 + z8) / Ly²           (2·ZT's E)
//     s = ∂²z/∂x∂y = (z3 + z7 − z1 − z9) / (4·Lx·Ly)  (ZT's F)
//
// Optionally the gradient (p, q) comes from Horn's (1981) weighted 3×3 differences instead
// (Horn, B.K.P., Proc. IEEE 69(1):14-47, doi:10.1109/PROC.1981.11918; gdaldem's and terra's
// default):
//     p = ((z3 + 2·z6 + z9) − (z1 + 2·z4 + z7)) / (8·Lx)
//     q = ((z1 + 2·z2 + z3) − (z7 + 2·z8 + z9)) / (8·Ly)
// The curvatures always use the ZT second derivatives r, s, t.
//
// From them (Evans 1979; Moore, Grayson & Ladson 1991, Hydrol. Process. 5:3-30,
// doi:10.1002/hyp.3360050103; Florinsky 2016, Digital Terrain Analysis, 2nd ed., ch. 2):
//
//     slope_deg    = atan(√(p² + q²)), degrees
//     aspect_deg   = azimuth of steepest descent, clockwise from north, in [0, 360):
//                    atan2(−p, −q); NaN where p = q = 0 (flat: no direction)
//     profile      = −(p²·r + 2·p·q·s + q²·t) / ((p² + q²)·(1 + p² + q²)^(3/2))   1/m
//     plan         = −(q²·r − 2·p·q·s + p²·t) / (p² + q²)^(3/2)                   1/m
//     general      = −(r + t)                                                    1/m
//
// Signs: positive = convex (profile: flow accelerates downslope; plan: contours bulge outward,
// flow diverges; general: a dome), negative = concave; SAGA's convention. profile and plan are NaN
// where p = q = 0.
//
// Agreement with peer tools (tests/unit/geo/test_terrain.cpp, data in tests/data/terrain/):
// * ZT slope and aspect equal gdaldem's `-alg ZevenbergenThorne` and SAGA 8.5 `ta_morphometry 0`
//   METHOD 6 (float32 output); Horn slope and aspect equal gdaldem's and terra's defaults.
// * general equals SAGA 8.5's C_GENE wherever the gradient is not zero (SAGA sets no curvature,
//   i.e. 0, on flat cells). SAGA 8.5 METHOD 6 computes its profile, plan and tangential
//   curvatures with the polynomial coefficients D = r/2 and E = t/2 in place of r and t (its own
//   formula for a quadratic in r, t, s), so its C_PROF and C_PLAN differ from the definitions
//   above wherever r or t matter; the tests reproduce SAGA's values from our p, q, r, s, t to check
//   every derivative, and check our curvatures against surfaces with closed-form curvature.
// * On lon/lat grids terra 1.7-3 uses the same east-west spacing (the ellipsoidal length of the
//   row's parallel arc) but a north-south spacing measured at the equator (M(0)·Δφ, 0.6 % short
//   at 50°N); with terra's spacing passed in, our values equal terra's `terrain(neighbors = 4)`
//   (= ZT) and `terrain(neighbors = 8)` (= Horn) to 1e-7 degrees.
//
// Domain and edges: cells on the border of the window, or with a nodata (NaN) neighbour, get NaN
// in every output (no extrapolation). Lx and Ly must be > 0. Accuracy: the finite differences are
// second-order in the cell size; on a lon/lat grid the east-west spacing of the rows above and
// below differs from the centre row's by a relative (Δφ·tan φ), which is neglected (as by terra).
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "minecarbon/geo/cell_area.h"
#include "minecarbon/geo/grid.h"

namespace minecarbon::geo {

// Distances between neighbouring cell centres, per grid row, metres.
struct TerrainSpacing {
  std::vector<double> dx_m;  // east-west, per row
  std::vector<double> dy_m;  // north-south, per row
};

// Geographic grid (degrees): at the row's centre latitude φ,
//   Lx = N(φ)·cos φ·Δλ,   Ly = M(φ)·Δφ   (Δλ, Δφ the cell size in radians),
//   N = a / √(1 − e² sin² φ) (prime vertical radius), M = a(1 − e²) / (1 − e² sin² φ)^(3/2)
//   (meridian radius of curvature); exact to O(Δφ²) relative.
// Projected grid: Lx = dx·metres_per_unit, Ly = dy·metres_per_unit on every row (the
// projection's scale error is not corrected: < 0.1 % within a UTM zone).
TerrainSpacing terrain_spacing(const Grid& grid, bool geographic, double metres_per_unit = 1.0,
                               const Ellipsoid& ellipsoid = {});

enum class SlopeMethod { zevenbergen_thorne, horn };

// Name table: "zevenbergen_thorne", "horn".
std::string_view to_string(SlopeMethod method);
// Throws ConfigError naming the accepted names.
SlopeMethod slope_method_from_string(std::string_view name);

struct TerrainDerivatives {
  double p = 0, q = 0;         // first derivatives (x east, y north), m/m
  double r = 0, s = 0, t = 0;  // second derivatives, 1/m
};

// z holds z1..z9 in the order drawn above (row-major, north row first); no NaN check.
TerrainDerivatives terrain_derivatives(const std::array<double, 9>& z, double dx_m, double dy_m,
                                       SlopeMethod method = SlopeMethod::zevenbergen_thorne);

struct TerrainValues {
  double slope_deg = 0;
  double aspect_deg = 0;               // NaN on flat cells
  double profile_curvature_per_m = 0;  // NaN on flat cells
  double plan_curvature_per_m = 0;     // NaN on flat cells
  double general_curvature_per_m = 0;
};

TerrainValues terrain_values(const TerrainDerivatives& d);

// Terrain of every cell of a window of elevations. `z` is row-major, rows × cols, NaN = nodata;
// `dx_m`, `dy_m` hold the spacing of each of the window's rows. Every output has rows × cols
// values, NaN where the 3×3 neighbourhood is incomplete (the border and next to nodata).
struct TerrainLayers {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> slope_deg;
  std::vector<double> aspect_deg;
  std::vector<double> profile_curvature_per_m;
  std::vector<double> plan_curvature_per_m;
  std::vector<double> general_curvature_per_m;
};

// Throws DataError when sizes disagree or a spacing is not > 0.
TerrainLayers compute_terrain(std::span<const double> z, std::size_t rows, std::size_t cols,
                              std::span<const double> dx_m, std::span<const double> dy_m,
                              SlopeMethod method = SlopeMethod::zevenbergen_thorne);

}  // namespace minecarbon::geo
