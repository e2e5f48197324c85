// The areas of an OGR geometry as our MultiPolygon: one code path for every reader of mine
// outlines (a vector file through geo/polygon_layer.h, the PostGIS store's rows through
// store/pg_report_reader.h), so the same shape gives the same rings either way.
#pragma once

#include "minecarbon/geo/polygon.h"

class OGRGeometry;

namespace minecarbon::geo {

// Appends the polygons of `geometry` (a Polygon, MultiPolygon or GeometryCollection, the latter
// as GEOS MakeValid may return it) to `out`, rings as stored (closed); lines, points and empty
// polygons are left out, since only areas count.
void append_polygons(const OGRGeometry& geometry, MultiPolygon& out);

}  // namespace minecarbon::geo
