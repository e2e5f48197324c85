#include "minecarbon/geo/polygon.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace minecarbon::geo {

double signed_area(const Ring& ring) {
  const std::size_t n = ring.size();
  if (n < 3) return 0.0;
  // Shifting to the first vertex keeps the cross products small (no cancellation far from 0).
  const double x0 = ring[0].x, y0 = ring[0].y;
  double twice = 0.0;
  for (std::size_t idx = 0; idx < n; ++idx) {
    const XY& a = ring[idx];
    const XY& b = ring[(idx + 1) % n];
    twice += (a.x - x0) * (b.y - y0) - (b.x - x0) * (a.y - y0);
  }
  return 0.5 * twice;
}

double planar_area(const MultiPolygon& shape) {
  double area = 0.0;
  for (const auto& polygon : shape) {
    area += std::fabs(signed_area(polygon.exterior));
    for (const auto& hole : polygon.holes)
      area -= std::fabs(signed_area(hole));
  }
  return area;
}

Bounds bounds(const MultiPolygon& shape) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  Bounds b{inf, inf, -inf, -inf};
  for (const auto& polygon : shape) {
    for (const auto& p : polygon.exterior) {
      b.x_min = std::min(b.x_min, p.x);
      b.y_min = std::min(b.y_min, p.y);
      b.x_max = std::max(b.x_max, p.x);
      b.y_max = std::max(b.y_max, p.y);
    }
  }
  if (!(b.x_min <= b.x_max)) throw std::invalid_argument("bounds of an empty shape");
  return b;
}

}  // namespace minecarbon::geo
