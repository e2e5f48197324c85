#include "minecarbon/geo/grid.h"

#include <cstdio>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon::geo {

Window Window::intersect(const Window& other) const {
  std::int64_t r0 = std::max(row0, other.row0);
  std::int64_t c0 = std::max(col0, other.col0);
  std::int64_t r1 = std::min(row0 + rows, other.row0 + other.rows);
  std::int64_t c1 = std::min(col0 + cols, other.col0 + other.cols);
  if (r1 <= r0 || c1 <= c0) return Window{r0, c0, 0, 0};
  return Window{r0, c0, r1 - r0, c1 - c0};
}

bool Grid::same_as(const Grid& other, double tolerance) const {
  return rows == other.rows && cols == other.cols && std::fabs(dx - other.dx) <= tolerance * dx &&
         std::fabs(dy - other.dy) <= tolerance * dy &&
         std::fabs(x_min - other.x_min) <= tolerance * dx &&
         std::fabs(y_max - other.y_max) <= tolerance * dy;
}

namespace {

// Along one axis: cell sizes `size_a`, `size_b` and edges `edge_a`, `edge_b` (x_min or y_max).
// Returns the reason the two lattices do not nest, or "".
std::string axis_incompatibility(const char* size_name, const char* edge_name, double size_a,
                                 double edge_a, double size_b, double edge_b, double tolerance) {
  const double fine = std::min(size_a, size_b), coarse = std::max(size_a, size_b);
  const double ratio = coarse / fine;
  if (!(std::fabs(ratio - std::round(ratio)) <= tolerance * ratio)) {
    return std::string(size_name) + " " + format_plain(size_a) + " vs " + format_plain(size_b) +
           ": ratio " + format_plain(ratio) + " is not an integer";
  }
  const double shift_cells = (edge_b - edge_a) / fine;
  if (!(std::fabs(shift_cells - std::round(shift_cells)) <= tolerance)) {
    return std::string(edge_name) + " " + format_plain(edge_a) + " vs " + format_plain(edge_b) +
           ": they differ by " + format_plain(shift_cells) +
           " cells of the finer grid, not a whole number";
  }
  return "";
}

}  // namespace

std::string Grid::incompatibility(const Grid& other, double tolerance) const {
  std::string reason =
      axis_incompatibility("cell width", "x_min", dx, x_min, other.dx, other.x_min, tolerance);
  if (reason.empty())
    reason =
        axis_incompatibility("cell height", "y_max", dy, y_max, other.dy, other.y_max, tolerance);
  return reason;
}

bool Grid::compatible_with(const Grid& other, double tolerance) const {
  return incompatibility(other, tolerance).empty();
}

Grid common_grid(const Grid& a, const Grid& b, double tolerance, const std::string& a_name,
                 const std::string& b_name) {
  const std::string reason = a.incompatibility(b, tolerance);
  if (!reason.empty()) {
    throw DataError(a_name + " (" + a.describe() + ") and " + b_name + " (" + b.describe() +
                    ") do not nest: " + reason +
                    "; warp one onto the other's grid (gdalwarp -tr -tap or -te)");
  }
  Grid out;
  out.dx = std::min(a.dx, b.dx);
  out.dy = std::min(a.dy, b.dy);
  // Edges from the finer grid's lattice, so every fine cell is a cell of the result.
  const Grid& fine_x = a.dx <= b.dx ? a : b;
  const Grid& fine_y = a.dy <= b.dy ? a : b;
  const double x_lo = std::min(a.x_min, b.x_min), x_hi = std::max(a.x_max(), b.x_max());
  const double y_hi = std::max(a.y_max, b.y_max), y_lo = std::min(a.y_min(), b.y_min());
  const double col_shift = std::round((x_lo - fine_x.x_min) / out.dx);
  const double row_shift = std::round((fine_y.y_max - y_hi) / out.dy);
  out.x_min = fine_x.x_min + col_shift * out.dx;
  out.y_max = fine_y.y_max - row_shift * out.dy;
  out.cols = static_cast<std::int64_t>(std::llround((x_hi - out.x_min) / out.dx));
  out.rows = static_cast<std::int64_t>(std::llround((out.y_max - y_lo) / out.dy));
  return out;
}

std::string Grid::describe() const {
  char text[200];
  std::snprintf(text, sizeof text, "%lld x %lld cells of %.10g x %.10g from (%.10g, %.10g)",
                static_cast<long long>(cols), static_cast<long long>(rows), dx, dy, x_min, y_max);
  return text;
}

}  // namespace minecarbon::geo
