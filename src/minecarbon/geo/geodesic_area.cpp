#include "minecarbon/geo/geodesic_area.h"

#include <geodesic.h>

#include <cmath>
#include <vector>

namespace minecarbon::geo {
namespace {

const geod_geodesic& wgs84() {
  static const geod_geodesic geodesic = [] {
    geod_geodesic g;
    geod_init(&g, 6378137.0, 1.0 / 298.257223563);
    return g;
  }();
  return geodesic;
}

void ring_area_perimeter(const Ring& ring, double& area_m2, double& perimeter_m) {
  std::size_t n = ring.size();
  // The closing vertex, when stored, is not a vertex of its own for GeographicLib.
  if (n > 1 && ring.front().x == ring.back().x && ring.front().y == ring.back().y) --n;
  area_m2 = 0.0;
  perimeter_m = 0.0;
  if (n < 3) return;
  std::vector<double> lats(n), lons(n);
  for (std::size_t idx = 0; idx < n; ++idx) {
    lons[idx] = ring[idx].x;
    lats[idx] = ring[idx].y;
  }
  geod_polygonarea(&wgs84(), lats.data(), lons.data(), static_cast<int>(n), &area_m2, &perimeter_m);
}

}  // namespace

double geodesic_area_m2(const MultiPolygon& lonlat) {
  double total = 0.0, area = 0.0, perimeter = 0.0;
  for (const auto& polygon : lonlat) {
    ring_area_perimeter(polygon.exterior, area, perimeter);
    total += std::fabs(area);
    for (const auto& hole : polygon.holes) {
      ring_area_perimeter(hole, area, perimeter);
      total -= std::fabs(area);
    }
  }
  return total;
}

double geodesic_perimeter_m(const MultiPolygon& lonlat) {
  double total = 0.0, area = 0.0, perimeter = 0.0;
  for (const auto& polygon : lonlat) {
    ring_area_perimeter(polygon.exterior, area, perimeter);
    total += perimeter;
    for (const auto& hole : polygon.holes) {
      ring_area_perimeter(hole, area, perimeter);
      total += perimeter;
    }
  }
  return total;
}

}  // namespace minecarbon::geo
