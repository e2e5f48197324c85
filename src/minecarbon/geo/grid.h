// A north-up raster grid: geometry only, no pixels.
//
// x_min/y_max is the outer corner of the top-left cell; cells are dx wide and dy tall (both > 0,
// CRS units); row 0 is the top row. Rotated geotransforms are refused where grids are built.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace minecarbon::geo {

// A rectangle of cells: offset (row0, col0) and size in a parent grid.
struct Window {
  std::int64_t row0 = 0;
  std::int64_t col0 = 0;
  std::int64_t rows = 0;
  std::int64_t cols = 0;

  bool empty() const { return rows <= 0 || cols <= 0; }
  std::int64_t cells() const { return empty() ? 0 : rows * cols; }
  Window intersect(const Window& other) const;
  bool operator==(const Window&) const = default;
};

struct Grid {
  double x_min = 0;
  double y_max = 0;
  double dx = 1;
  double dy = 1;
  std::int64_t rows = 0;
  std::int64_t cols = 0;

  double x_max() const { return x_min + dx * static_cast<double>(cols); }
  double y_min() const { return y_max - dy * static_cast<double>(rows); }
  double col_x(double col) const { return x_min + col * dx; }  // x of a column edge
  double row_y(double row) const { return y_max - row * dy; }  // y of a row edge
  double cell_center_y(std::int64_t row) const {
    return y_max - (static_cast<double>(row) + 0.5) * dy;
  }
  // Fractional column/row of a coordinate (0 at the left/top edge).
  double col_f(double x) const { return (x - x_min) / dx; }
  double row_f(double y) const { return (y_max - y) / dy; }
  Window full() const { return Window{0, 0, rows, cols}; }

  // Same geometry within `tolerance` of a cell (relative to dx, dy).
  bool same_as(const Grid& other, double tolerance = 1e-6) const;
  // Cells of the two grids nest: along each axis the larger cell size is an integer multiple of
  // the smaller (the ratio within tolerance·ratio of an integer) and the origins differ by a whole
  // number of the smaller cells (within `tolerance` of a smaller cell). Extents may differ. Such grids
  // can be combined cell by cell on common_grid without resampling.
  bool compatible_with(const Grid& other, double tolerance = 1e-6) const;
  // Why compatible_with is false, with the values ("cell width 30 vs 45: ratio 1.5 is not an
  // integer"); empty when the grids are compatible.
  std::string incompatibility(const Grid& other, double tolerance = 1e-6) const;
  std::string describe() const;
  bool operator==(const Grid&) const = default;
};

// The grid both `a` and `b` nest in: the finer cell size along each axis, the union of the two
// extents, the origin of the finer grid's lattice (so cells of the finer grid are cells of the
// result). Throws DataError (naming `a_name`, `b_name` and both grids) when they are not
// compatible_with each other within `tolerance`.
Grid common_grid(const Grid& a, const Grid& b, double tolerance = 1e-6,
                 const std::string& a_name = "first grid",
                 const std::string& b_name = "second grid");

}  // namespace minecarbon::geo
