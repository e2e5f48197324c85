// Exact coverage fractions of a polygon on a raster grid.
//
// coverage(row, col) = area(cell ∩ polygon) / area(cell), in [0, 1], computed in the grid's own
// coordinates (for a lon/lat grid, in degree space, as exactextract and terra `exact = TRUE` do).
//
// Method: Green's theorem, edge by edge. Each polygon edge is cut at row and column lines; a piece
// with signed height dv (in cell units) and mean column position u_m inside cell (r, c) adds
// dv·(c + 1 − u_m) to that cell (the area between the piece and the cell's right side) and dv to
// every cell to its right (through one carry entry, resolved by a prefix sum along the row). After
// all rings, the running sum is the integral of the winding number over each cell: the exact
// covered area. Exterior rings count +1 and holes −1 whatever their stored orientation, so valid
// polygons and multipolygons need no clipping, flood fill or point-in-polygon test. Cost: one pass
// over the edge–cell crossings plus one over the bounding box.
//
// Domain: valid (non-self-intersecting) polygons, as repaired by GEOS MakeValid upstream;
// overlapping parts of a multipolygon would be counted twice. Accuracy: the rounding of doubles,
// ~1e-15 per cell; fractions are clamped to [0, 1]. A polygon that misses the grid gets an empty
// window.
#pragma once

#include <vector>

#include "minecarbon/geo/grid.h"
#include "minecarbon/geo/polygon.h"

namespace minecarbon::geo {

struct Coverage {
  Window window;             // cells of the parent grid, cropped to it
  std::vector<double> frac;  // row-major, window.rows × window.cols, coverage_frac in [0, 1]

  double at(std::int64_t row, std::int64_t col) const {  // parent-grid row/col inside window
    return frac[static_cast<std::size_t>((row - window.row0) * window.cols + (col - window.col0))];
  }
  // Σ coverage: the polygon's area in cell units, within the grid.
  double sum() const;
};

Coverage compute_coverage(const MultiPolygon& shape, const Grid& grid);

// from ← from − part over the cells they share, clamped at 0: the coverage of a set difference
// A \ B when B ⊂ A (the rounding of two exact fractions is the only error, ~1e-15).
void subtract(Coverage& from, const Coverage& part);

}  // namespace minecarbon::geo
