#include "minecarbon/geo/terrain.h"

#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"

namespace minecarbon::geo {
namespace {

constexpr double kRadPerDeg = std::numbers::pi / 180.0;
constexpr double kDegPerRad = 180.0 / std::numbers::pi;

struct MethodName {
  SlopeMethod method;
  std::string_view name;
};
constexpr MethodName kMethodNames[] = {{SlopeMethod::zevenbergen_thorne, "zevenbergen_thorne"},
                                       {SlopeMethod::horn, "horn"}};

}  // namespace

std::string_view to_string(SlopeMethod method) {
  for (const auto& entry : kMethodNames)
    if (entry.method == method) return entry.name;
  return "unknown";
}

SlopeMethod slope_method_from_string(std::string_view name) {
  for (const auto& entry : kMethodNames)
    if (entry.name == name) return entry.method;
  throw ConfigError("slope method '" + std::string(name) +
                    "' is unknown; use \"zevenbergen_thorne\" or \"horn\"");
}

TerrainSpacing terrain_spacing(const Grid& grid, bool geographic, double metres_per_unit,
                               const Ellipsoid& ellipsoid) {
  const auto rows = static_cast<std::size_t>(grid.rows);
  TerrainSpacing spacing;
  spacing.dx_m.resize(rows);
  spacing.dy_m.resize(rows);
  const double e2 = ellipsoid.f * (2.0 - ellipsoid.f);
  for (std::size_t row = 0; row < rows; ++row) {
    if (!geographic) {
      spacing.dx_m[row] = grid.dx * metres_per_unit;
      spacing.dy_m[row] = grid.dy * metres_per_unit;
      continue;
    }
    const double phi = grid.cell_center_y(static_cast<std::int64_t>(row)) * kRadPerDeg;
    const double sin_phi = std::sin(phi);
    const double w2 = 1.0 - e2 * sin_phi * sin_phi;
    const double prime_vertical_m = ellipsoid.a_m / std::sqrt(w2);
    const double meridian_m = ellipsoid.a_m * (1.0 - e2) / (w2 * std::sqrt(w2));
    spacing.dx_m[row] = prime_vertical_m * std::cos(phi) * grid.dx * kRadPerDeg;
    spacing.dy_m[row] = meridian_m * grid.dy * kRadPerDeg;
  }
  return spacing;
}

TerrainDerivatives terrain_derivatives(const std::array<double, 9>& z, double dx_m, double dy_m,
                                       SlopeMethod method) {
  const auto& [z1, z2, z3, z4, z5, z6, z7, z8, z9] = z;
  TerrainDerivatives d;
  if (method == SlopeMethod::horn) {
    d.p = ((z3 + 2.0 * z6 + z9) - (z1 + 2.0 * z4 + z7)) / (8.0 * dx_m);
    d.q = ((z1 + 2.0 * z2 + z3) - (z7 + 2.0 * z8 + z9)) / (8.0 * dy_m);
  } else {
    d.p = (z6 - z4) / (2.0 * dx_m);
    d.q = (z2 - z8) / (2.0 * dy_m);
  }
  d.r = (z4 - 2.0 * z5 + z6) / (dx_m * dx_m);
  d.t = (z2 - 2.0 * z5 + z8) / (dy_m * dy_m);
  d.s = (z3 + z7 - z1 - z9) / (4.0 * dx_m * dy_m);
  return d;
}

TerrainValues terrain_values(const TerrainDerivatives& d) {
  TerrainValues v;
  const double g2 = d.p * d.p + d.q * d.q;
  v.slope_deg = std::atan(std::sqrt(g2)) * kDegPerRad;
  v.general_curvature_per_m = -(d.r + d.t);
  if (g2 == 0.0) {
    v.aspect_deg = kNaN;
    v.profile_curvature_per_m = kNaN;
    v.plan_curvature_per_m = kNaN;
    return v;
  }
  double aspect = std::atan2(-d.p, -d.q) * kDegPerRad;
  if (aspect < 0) aspect += 360.0;
  v.aspect_deg = aspect >= 360.0 ? 0.0 : aspect;
  const double pq_s = 2.0 * d.p * d.q * d.s;
  v.profile_curvature_per_m =
      -(d.p * d.p * d.r + pq_s + d.q * d.q * d.t) / (g2 * std::pow(1.0 + g2, 1.5));
  v.plan_curvature_per_m = -(d.q * d.q * d.r - pq_s + d.p * d.p * d.t) / (g2 * std::sqrt(g2));
  return v;
}

TerrainLayers compute_terrain(std::span<const double> z, std::size_t rows, std::size_t cols,
                              std::span<const double> dx_m, std::span<const double> dy_m,
                              SlopeMethod method) {
  if (z.size() != rows * cols || dx_m.size() != rows || dy_m.size() != rows) {
    throw DataError("terrain: " + std::to_string(z.size()) + " elevations, " +
                    std::to_string(dx_m.size()) + " and " + std::to_string(dy_m.size()) +
                    " row spacings for a window of " + std::to_string(rows) + " x " +
                    std::to_string(cols) + " cells");
  }
  for (std::size_t row = 0; row < rows; ++row) {
    if (!(dx_m[row] > 0) || !(dy_m[row] > 0)) {
      throw DataError("terrain: cell spacing of row " + std::to_string(row) + " is " +
                      std::to_string(dx_m[row]) + " x " + std::to_string(dy_m[row]) +
                      " m; it must be > 0");
    }
  }
  TerrainLayers out;
  out.rows = rows;
  out.cols = cols;
  for (auto* layer : {&out.slope_deg, &out.aspect_deg, &out.profile_curvature_per_m,
                      &out.plan_curvature_per_m, &out.general_curvature_per_m})
    layer->assign(rows * cols, kNaN);
  if (rows < 3 || cols < 3) return out;
  std::array<double, 9> window{};
  for (std::size_t row = 1; row + 1 < rows; ++row) {
    for (std::size_t col = 1; col + 1 < cols; ++col) {
      bool complete = true;
      for (std::size_t k = 0; k < 9; ++k) {
        window[k] = z[(row + k / 3 - 1) * cols + (col + k % 3 - 1)];
        complete = complete && !std::isnan(window[k]);
      }
      if (!complete) continue;
      const TerrainValues v =
          terrain_values(terrain_derivatives(window, dx_m[row], dy_m[row], method));
      const std::size_t cell = row * cols + col;
      out.slope_deg[cell] = v.slope_deg;
      out.aspect_deg[cell] = v.aspect_deg;
      out.profile_curvature_per_m[cell] = v.profile_curvature_per_m;
      out.plan_curvature_per_m[cell] = v.plan_curvature_per_m;
      out.general_curvature_per_m[cell] = v.general_curvature_per_m;
    }
  }
  return out;
}

}  // namespace minecarbon::geo
