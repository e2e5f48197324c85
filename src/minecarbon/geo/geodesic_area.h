// Geodesic area of a lon/lat polygon on the WGS84 ellipsoid, m², through PROJ's port of
// GeographicLib (Karney 2013, "Algorithms for geodesics", J. Geodesy 87:43–55,
// doi:10.1007/s00190-012-0578-z): edges are geodesics, accuracy ~1e-9 relative or better for
// mine-sized polygons. Exteriors count positive and holes negative whatever their orientation.
// Matches terra::expanse(transform = TRUE), which calls the same algorithm.
#pragma once

#include "minecarbon/geo/polygon.h"

namespace minecarbon::geo {

// x = longitude, y = latitude, degrees.
double geodesic_area_m2(const MultiPolygon& lonlat);
// Geodesic perimeter of all rings (exteriors and holes), m.
double geodesic_perimeter_m(const MultiPolygon& lonlat);

}  // namespace minecarbon::geo
