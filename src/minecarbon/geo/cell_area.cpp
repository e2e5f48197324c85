#include "minecarbon/geo/cell_area.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace minecarbon::geo {
namespace {

double authalic_q(double sin_phi, double e) {
  const double e_sin = e * sin_phi;
  return sin_phi / (1.0 - e_sin * e_sin) + (0.5 / e) * std::log((1.0 + e_sin) / (1.0 - e_sin));
}

}  // namespace

double lat_band_area_m2(double lat1_deg, double lat2_deg, double dlon_deg,
                        const Ellipsoid& ellipsoid) {
  constexpr double deg = std::numbers::pi / 180.0;
  const double e2 = ellipsoid.f * (2.0 - ellipsoid.f);
  const double e = std::sqrt(e2);
  const double b = ellipsoid.a_m * (1.0 - ellipsoid.f);
  const double lo = std::clamp(std::min(lat1_deg, lat2_deg), -90.0, 90.0);
  const double hi = std::clamp(std::max(lat1_deg, lat2_deg), -90.0, 90.0);
  const double dq = authalic_q(std::sin(hi * deg), e) - authalic_q(std::sin(lo * deg), e);
  return 0.5 * b * b * std::fabs(dlon_deg) * deg * dq;
}

std::vector<double> cell_area_by_row_m2(const Grid& grid, bool geographic, double metres_per_unit,
                                        const Ellipsoid& ellipsoid) {
  std::vector<double> area(static_cast<std::size_t>(grid.rows));
  for (std::int64_t row = 0; row < grid.rows; ++row) {
    area[static_cast<std::size_t>(row)] =
        geographic ? lat_band_area_m2(grid.row_y(static_cast<double>(row + 1)),
                                      grid.row_y(static_cast<double>(row)), grid.dx, ellipsoid)
                   : grid.dx * grid.dy * metres_per_unit * metres_per_unit;
  }
  return area;
}

}  // namespace minecarbon::geo
