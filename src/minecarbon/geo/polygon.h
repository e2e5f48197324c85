// Plain planar polygons: what the computing code takes instead of GDAL/GEOS objects.
#pragma once

#include <vector>

namespace minecarbon::geo {

struct XY {
  double x = 0;
  double y = 0;
};

using Ring = std::vector<XY>;  // closed or not; the closing vertex is optional

struct Polygon {
  Ring exterior;
  std::vector<Ring> holes;
};

using MultiPolygon = std::vector<Polygon>;

// Shoelace area of a ring in its own units; > 0 when counter-clockwise (x right, y up).
double signed_area(const Ring& ring);
// Planar area: exteriors minus holes, whatever the ring orientation.
double planar_area(const MultiPolygon& shape);

struct Bounds {
  double x_min, y_min, x_max, y_max;
};
Bounds bounds(const MultiPolygon& shape);  // of the exteriors; throws if empty

}  // namespace minecarbon::geo
