#include "minecarbon/geo/grid.h"

#include <cstdio>

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

std::string Grid::describe() const {
  char text[200];
  std::snprintf(text, sizeof text, "%lld x %lld cells of %.10g x %.10g from (%.10g, %.10g)",
                static_cast<long long>(cols), static_cast<long long>(rows), dx, dy, x_min, y_max);
  return text;
}

}  // namespace minecarbon::geo
