// True area of raster cells, in m².
//
// Geographic grids (lon/lat degrees on WGS84): the area of the band between two parallels over a
// longitude span Δλ is  A = (b²·Δλ/2)·[q(φ₂) − q(φ₁)],
//   q(φ) = sin φ / (1 − e² sin² φ) + (1 / 2e)·ln((1 + e sin φ) / (1 − e sin φ)),
// with b the semi-minor axis and e the eccentricity (Snyder 1987, Map Projections — A Working
// Manual, USGS PP 1395, eq. 3-12, authalic latitude). This is exact for a cell bounded by
// parallels and meridians. terra::cellSize (1.7-3) takes the cell as a geodesic quadrilateral
// through its corners and comes out 1.3e-9 relative smaller at 30″; both are within any use here.
//
// Projected grids: dx·dy in the CRS's squared linear unit converted to m². Exact on an equal-area
// CRS (EPSG:6933, MODIS sinusoidal); elsewhere off by the projection's areal scale (UTM: < 0.2 %).
#pragma once

#include <vector>

#include "minecarbon/geo/grid.h"

namespace minecarbon::geo {

struct Ellipsoid {
  double a_m = 6378137.0;          // semi-major axis (WGS84)
  double f = 1.0 / 298.257223563;  // flattening (WGS84)
};

// Area of the band between latitudes lat1_deg and lat2_deg over dlon_deg of longitude, m² (≥ 0).
double lat_band_area_m2(double lat1_deg, double lat2_deg, double dlon_deg,
                        const Ellipsoid& ellipsoid = {});

// Area of one cell per grid row (all cells of a row are equal), m².
//   geographic: lat/lon band per row; projected: dx·dy·metres_per_unit² for every row.
std::vector<double> cell_area_by_row_m2(const Grid& grid, bool geographic,
                                        double metres_per_unit = 1.0,
                                        const Ellipsoid& ellipsoid = {});

}  // namespace minecarbon::geo
