#include "minecarbon/geo/tpi.h"

#include <cmath>
#include <limits>
#include <string>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"

namespace minecarbon::geo {
namespace {

struct Offset {
  std::ptrdiff_t drow, dcol;
};

// Cells of the circle around a centre on a row with spacings dx, dy (centre excluded).
std::vector<Offset> circle(double dx, double dy, double radius_m) {
  std::vector<Offset> out;
  const auto reach_rows = static_cast<std::ptrdiff_t>(std::floor(radius_m / dy));
  const auto reach_cols = static_cast<std::ptrdiff_t>(std::floor(radius_m / dx));
  for (std::ptrdiff_t dr = -reach_rows; dr <= reach_rows; ++dr)
    for (std::ptrdiff_t dc = -reach_cols; dc <= reach_cols; ++dc) {
      if (dr == 0 && dc == 0) continue;
      const double y = static_cast<double>(dr) * dy, x = static_cast<double>(dc) * dx;
      // A relative 1e-12 so a centre exactly on the circle counts despite rounding.
      if (std::sqrt(x * x + y * y) <= radius_m * (1 + 1e-12)) out.push_back({dr, dc});
    }
  return out;
}

}  // namespace

std::string_view to_string(SlopePosition position) {
  switch (position) {
    case SlopePosition::valley:
      return "valley";
    case SlopePosition::lower_slope:
      return "lower_slope";
    case SlopePosition::flat:
      return "flat";
    case SlopePosition::middle_slope:
      return "middle_slope";
    case SlopePosition::upper_slope:
      return "upper_slope";
    case SlopePosition::ridge:
      return "ridge";
    case SlopePosition::none:
      break;
  }
  return "none";
}

std::vector<double> topographic_position_index(std::span<const double> z, std::size_t rows,
                                               std::size_t cols, std::span<const double> dx_m,
                                               std::span<const double> dy_m, double radius_m) {
  if (z.size() != rows * cols || dx_m.size() != rows || dy_m.size() != rows)
    throw DataError("TPI: " + std::to_string(z.size()) + " values and " +
                    std::to_string(dx_m.size()) + " row spacings for " + std::to_string(rows) +
                    " × " + std::to_string(cols) + " cells; the sizes must agree");
  std::vector<double> tpi(z.size(), kNaN);
  std::vector<Offset> offsets;
  double last_dx = -1, last_dy = -1;
  for (std::size_t row = 0; row < rows; ++row) {
    if (dx_m[row] != last_dx || dy_m[row] != last_dy) {
      last_dx = dx_m[row];
      last_dy = dy_m[row];
      offsets = circle(last_dx, last_dy, radius_m);
      if (offsets.empty())
        throw DataError("TPI: radius " + std::to_string(radius_m) +
                        " m is smaller than the cell spacing (" + std::to_string(last_dx) + " × " +
                        std::to_string(last_dy) + " m on row " + std::to_string(row) +
                        "); set tpi_radius_m to at least one cell");
    }
    for (std::size_t col = 0; col < cols; ++col) {
      const double centre = z[row * cols + col];
      if (std::isnan(centre)) continue;
      double sum = 0;
      std::size_t n = 0;
      for (const Offset& o : offsets) {
        const std::ptrdiff_t r = static_cast<std::ptrdiff_t>(row) + o.drow;
        const std::ptrdiff_t c = static_cast<std::ptrdiff_t>(col) + o.dcol;
        if (r < 0 || c < 0 || r >= static_cast<std::ptrdiff_t>(rows) ||
            c >= static_cast<std::ptrdiff_t>(cols))
          continue;
        const double v = z[static_cast<std::size_t>(r) * cols + static_cast<std::size_t>(c)];
        if (std::isnan(v)) continue;
        sum += v;
        ++n;
      }
      if (n > 0) tpi[row * cols + col] = centre - sum / static_cast<double>(n);
    }
  }
  return tpi;
}

std::vector<double> standardise(std::span<const double> values) {
  double sum = 0;
  std::size_t n = 0;
  for (const double v : values)
    if (!std::isnan(v)) {
      sum += v;
      ++n;
    }
  std::vector<double> out(values.size(), kNaN);
  if (n < 2) return out;
  const double mean = sum / static_cast<double>(n);
  double ss = 0;
  for (const double v : values)
    if (!std::isnan(v)) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / static_cast<double>(n - 1));
  if (!(sd > 0)) return out;
  for (std::size_t idx = 0; idx < values.size(); ++idx)
    if (!std::isnan(values[idx])) out[idx] = (values[idx] - mean) / sd;
  return out;
}

SlopePosition slope_position(double tpi_z, double slope_deg, double flat_slope_deg) {
  if (std::isnan(tpi_z)) return SlopePosition::none;
  if (tpi_z <= -1.0) return SlopePosition::valley;
  if (tpi_z <= -0.5) return SlopePosition::lower_slope;
  if (tpi_z > 1.0) return SlopePosition::ridge;
  if (tpi_z >= 0.5) return SlopePosition::upper_slope;
  if (std::isnan(slope_deg)) return SlopePosition::none;
  return slope_deg <= flat_slope_deg ? SlopePosition::flat : SlopePosition::middle_slope;
}

}  // namespace minecarbon::geo
