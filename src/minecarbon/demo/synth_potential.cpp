#include "minecarbon/demo/synth_potential.h"

#include <cmath>
#include <numbers>

#include "minecarbon/demo/synth_world.h"

namespace minecarbon::demo {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;
constexpr double kCovariateCellDeg = 0.02, kDemCellDeg = 0.0025;

// The fields, at (u, v) in [0, 1]²; each φ is the field rescaled to [0, 1].
double phi_precip(double u, double v) {
  return 0.5 + 0.5 * std::sin(kTwoPi * (0.7 * u + 0.15 * v) + 0.4);
}
double phi_gpp(double u, double v) {
  return 0.5 + 0.5 * std::cos(kTwoPi * (0.2 * u + 0.85 * v) + 1.1);
}
double phi_tmax(double u, double v) {
  return 0.5 + 0.5 * std::sin(kTwoPi * (1.3 * u - 0.9 * v) + 2.0);
}
double precip_mm_yr(double u, double v) {
  return 300.0 + 600.0 * phi_precip(u, v);
}
double gpp_gC_m2_yr(double u, double v) {
  return 500.0 + 900.0 * phi_gpp(u, v);
}
double tmax_C(double u, double v) {
  return 22.0 + 10.0 * phi_tmax(u, v);
}
double tmin_C(double u, double v) {
  return tmax_C(u, v) - 13.0 + 3.0 * std::sin(kTwoPi * (0.6 * u + 1.4 * v));
}
double soc_g_kg(double u, double v) {
  return 6.0 + 14.0 * (0.5 + 0.5 * std::sin(kTwoPi * (2.1 * u + 1.6 * v) + 0.7));
}
double spei(double u, double v) {
  return 1.5 * std::sin(kTwoPi * (2.7 * u - 2.2 * v) + 1.9);
}
double gdp_usd_km2(double u, double v) {
  return 2e5 + 1.8e6 * (0.5 + 0.5 * std::cos(kTwoPi * (1.7 * u + 2.9 * v)));
}
double population_per_cell(double u, double v) {
  auto bump = [](double du, double dv, double width) {
    return std::exp(-(du * du + dv * dv) / width);
  };
  return 200.0 + 3000.0 * bump(u - 0.3, v - 0.6, 0.02) + 1500.0 * bump(u - 0.75, v - 0.25, 0.05);
}
double elevation_m(double u, double v) {
  return 900.0 + 350.0 * std::sin(kTwoPi * 1.3 * u) * std::cos(kTwoPi * 1.1 * v) +
         300.0 * std::sin(kTwoPi * (6.0 * u + 4.0 * v)) +
         120.0 * std::sin(kTwoPi * (23.0 * u - 17.0 * v));
}

// A lon/lat grid of `cell` degrees covering `extent`, its corner on the extent's.
geo::Grid covering(const geo::Bounds& extent, double cell) {
  return geo::Grid{extent.x_min,
                   extent.y_max,
                   cell,
                   cell,
                   static_cast<std::int64_t>(std::ceil((extent.y_max - extent.y_min) / cell)),
                   static_cast<std::int64_t>(std::ceil((extent.x_max - extent.x_min) / cell))};
}

SynthRaster sample_field(const std::string& name, const std::string& stat, const geo::Grid& grid,
                         const geo::Bounds& extent, double (*field)(double, double)) {
  SynthRaster raster{name, stat, grid,
                     std::vector<float>(static_cast<std::size_t>(grid.rows * grid.cols))};
  for (std::int64_t row = 0; row < grid.rows; ++row) {
    const double v = (grid.cell_center_y(row) - extent.y_min) / (extent.y_max - extent.y_min);
    for (std::int64_t col = 0; col < grid.cols; ++col) {
      const double u = (grid.col_x(static_cast<double>(col) + 0.5) - extent.x_min) /
                       (extent.x_max - extent.x_min);
      raster.values[static_cast<std::size_t>(row * grid.cols + col)] =
          static_cast<float>(field(u, v));
    }
  }
  return raster;
}

}  // namespace

double planted_achievable_mean(double u, double v) {
  return 150.0 + 260.0 * phi_precip(u, v) + 110.0 * phi_gpp(u, v) + 50.0 * phi_tmax(u, v);
}

SynthPotential make_synth_potential(const SynthWorld& world) {
  SynthPotential out;
  const geo::Bounds& e = world.extent;
  const geo::Grid cov_grid = covering(e, kCovariateCellDeg);
  out.covariates = {
      sample_field("precip_mm_yr", "mean", cov_grid, e, precip_mm_yr),
      sample_field("gpp_gC_m2_yr", "mean", cov_grid, e, gpp_gC_m2_yr),
      sample_field("tmax_C", "mean", cov_grid, e, tmax_C),
      sample_field("tmin_C", "mean", cov_grid, e, tmin_C),
      sample_field("soc_g_kg", "mean", cov_grid, e, soc_g_kg),
      sample_field("spei", "mean", cov_grid, e, spei),
      sample_field("gdp_usd_km2", "mean", cov_grid, e, gdp_usd_km2),
      sample_field("population", "sum", cov_grid, e, population_per_cell),
  };
  out.dem = sample_field("elevation_m", "mean", covering(e, kDemCellDeg), e, elevation_m);
  return out;
}

}  // namespace minecarbon::demo
