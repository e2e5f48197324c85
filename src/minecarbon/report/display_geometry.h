// The mines' outlines as the report draws them: a point on each mine's surface (the circle shown
// at low zoom), and outlines simplified for display when the full ones do not fit the report's
// size budget (report/html_report.h).
//
// Works in lon/lat degrees (the report model's EPSG:4326). A tolerance is given in metres and
// applied as tolerance_m / 111 320 degrees (the length of one degree of latitude, or of longitude
// at the equator), so the displacement on the ground is at most tolerance_m everywhere (less in
// longitude away from the equator, where a degree is shorter).
#pragma once

#include <vector>

#include "minecarbon/geo/polygon.h"

namespace minecarbon::report {

inline constexpr double kMetresPerDegree = 111320.0;

// A point inside the mine (GEOS PointOnSurface: on the surface even for a U-shaped pit whose
// centroid lies outside it). {NaN, NaN} for a mine without geometry.
geo::XY point_on_surface(const geo::MultiPolygon& shape);
// The same, or the centre of the outline's bounding box when GEOS finds no point (a degenerate
// outline), so that every mine with an outline can be drawn; {NaN, NaN} without one. Used by
// the figures and the map tiles in whatever coordinates they are given.
geo::XY point_on_surface_or_centre(const geo::MultiPolygon& shape);

// GEOS TopologyPreserveSimplify of `shape` with `tolerance_deg` (Douglas–Peucker that keeps rings
// valid and holes inside their shells). Because a coarse tolerance can eat a mine away, a mine of
// at least `keep_area_km2` keeps its planar area within `max_area_change` (relative): if the
// simplified outline changes it more, the tolerance is halved until it does not (at most eleven
// times, to 1/2048 of the tolerance), and then the outline is kept as it is. An empty result (a mine thinner than the tolerance) keeps the
// original too.
geo::MultiPolygon simplify_for_display(const geo::MultiPolygon& shape, double tolerance_deg,
                                       double approx_area_km2, double keep_area_km2 = 1.0,
                                       double max_area_change = 0.01);

// The Hausdorff distance between two shapes (GEOS, in their units): what the tests check a
// simplification against.
double hausdorff_distance(const geo::MultiPolygon& a, const geo::MultiPolygon& b);

// Planar area in square degrees times the local size of a degree (cos φ at the shape's middle
// latitude): an approximate area in km² for deciding which mines must keep their area.
double approx_area_km2(const geo::MultiPolygon& shape);

}  // namespace minecarbon::report
