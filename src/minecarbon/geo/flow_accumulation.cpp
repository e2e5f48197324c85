#include "minecarbon/geo/flow_accumulation.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <queue>
#include <string>
#include <utility>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"

namespace minecarbon::geo {
namespace {

constexpr double kRadPerDeg = std::numbers::pi / 180.0;

// Neighbours in N, NE, E, SE, S, SW, W, NW order (row offset, column offset).
constexpr std::array<int, 8> kDRow = {-1, -1, 0, 1, 1, 1, 0, -1};
constexpr std::array<int, 8> kDCol = {0, 1, 1, 1, 0, -1, -1, -1};

void check_sizes(std::size_t n, std::size_t rows, std::size_t cols, std::span<const double> dx_m,
                 std::span<const double> dy_m, const char* what) {
  if (n != rows * cols || dx_m.size() != rows || dy_m.size() != rows)
    throw DataError(std::string(what) + ": grid of " + std::to_string(n) + " values for " +
                    std::to_string(rows) + " × " + std::to_string(cols) + " cells with " +
                    std::to_string(dx_m.size()) + " and " + std::to_string(dy_m.size()) +
                    " row spacings; the sizes must agree");
  for (std::size_t row = 0; row < rows; ++row)
    if (!(dx_m[row] > 0) || !(dy_m[row] > 0))
      throw DataError(std::string(what) + ": row " + std::to_string(row) +
                      " has a cell spacing that is not > 0");
}

// Distance from a cell of `row` to its neighbour in direction `dir`, m.
double step_length(std::span<const double> dx_m, std::span<const double> dy_m, std::size_t row,
                   int dir) {
  const double dx = dx_m[row], dy = dy_m[row];
  if (kDRow[dir] == 0) return dx;
  if (kDCol[dir] == 0) return dy;
  return std::sqrt(dx * dx + dy * dy);
}

}  // namespace

std::string_view to_string(FlowMethod method) {
  return method == FlowMethod::d8 ? "d8" : "mfd";
}

FlowMethod flow_method_from_string(std::string_view name) {
  if (name == "d8") return FlowMethod::d8;
  if (name == "mfd") return FlowMethod::mfd;
  throw ConfigError("flow method '" + std::string(name) + "' is unknown; use \"d8\" or \"mfd\"");
}

std::vector<double> fill_depressions(std::span<const double> z, std::size_t rows, std::size_t cols,
                                     std::span<const double> dx_m, std::span<const double> dy_m,
                                     double min_slope_deg) {
  check_sizes(z.size(), rows, cols, dx_m, dy_m, "depression fill");
  const double tan_min = std::tan(min_slope_deg * kRadPerDeg);
  std::vector<double> filled(z.begin(), z.end());
  std::vector<std::uint8_t> done(z.size(), 0);
  using Entry = std::pair<double, std::size_t>;  // (spill elevation, cell): lowest, then first
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
  auto valid = [&](std::ptrdiff_t row, std::ptrdiff_t col) {
    return row >= 0 && col >= 0 && row < static_cast<std::ptrdiff_t>(rows) &&
           col < static_cast<std::ptrdiff_t>(cols) &&
           !std::isnan(z[static_cast<std::size_t>(row) * cols + static_cast<std::size_t>(col)]);
  };
  for (std::size_t row = 0; row < rows; ++row) {
    for (std::size_t col = 0; col < cols; ++col) {
      const std::size_t cell = row * cols + col;
      if (std::isnan(z[cell])) continue;
      bool edge = false;
      for (int dir = 0; dir < 8 && !edge; ++dir)
        edge = !valid(static_cast<std::ptrdiff_t>(row) + kDRow[dir],
                      static_cast<std::ptrdiff_t>(col) + kDCol[dir]);
      if (!edge) continue;
      done[cell] = 1;  // 1 = queued (tentative), 2 = final
      queue.emplace(z[cell], cell);
    }
  }
  // Dijkstra-like: a cell is final when taken from the queue; until then a later, lower spill
  // path may still lower its tentative value (so the result does not depend on the tie order).
  while (!queue.empty()) {
    const auto [spill, cell] = queue.top();
    queue.pop();
    if (done[cell] == 2 || spill > filled[cell]) continue;  // final already, or a stale entry
    done[cell] = 2;
    const std::size_t row = cell / cols, col = cell % cols;
    for (int dir = 0; dir < 8; ++dir) {
      const std::ptrdiff_t nrow = static_cast<std::ptrdiff_t>(row) + kDRow[dir];
      const std::ptrdiff_t ncol = static_cast<std::ptrdiff_t>(col) + kDCol[dir];
      if (!valid(nrow, ncol)) continue;
      const std::size_t next =
          static_cast<std::size_t>(nrow) * cols + static_cast<std::size_t>(ncol);
      if (done[next] == 2) continue;
      const double candidate =
          std::max(z[next], spill + tan_min * step_length(dx_m, dy_m, row, dir));
      if (done[next] == 1 && !(candidate < filled[next])) continue;
      done[next] = 1;
      filled[next] = candidate;
      queue.emplace(candidate, next);
    }
  }
  return filled;
}

std::vector<double> flow_accumulation_m2(std::span<const double> z, std::size_t rows,
                                         std::size_t cols, std::span<const double> dx_m,
                                         std::span<const double> dy_m,
                                         std::span<const double> cell_area_m2, FlowMethod method,
                                         double convergence) {
  check_sizes(z.size(), rows, cols, dx_m, dy_m, "flow accumulation");
  if (cell_area_m2.size() != rows)
    throw DataError("flow accumulation: " + std::to_string(cell_area_m2.size()) +
                    " row cell areas for " + std::to_string(rows) + " rows");
  std::vector<double> area(z.size(), kNaN);
  std::vector<std::size_t> order;
  order.reserve(z.size());
  for (std::size_t cell = 0; cell < z.size(); ++cell) {
    if (std::isnan(z[cell])) continue;
    area[cell] = cell_area_m2[cell / cols];
    order.push_back(cell);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return z[a] > z[b]; });
  std::array<double, 8> weight{};
  for (const std::size_t cell : order) {
    const std::size_t row = cell / cols, col = cell % cols;
    double total = 0, best = 0;
    int best_dir = -1;
    bool outlet = false;
    auto elevation = [&](std::ptrdiff_t r, std::ptrdiff_t c) {
      if (r < 0 || c < 0 || r >= static_cast<std::ptrdiff_t>(rows) ||
          c >= static_cast<std::ptrdiff_t>(cols))
        return kNaN;
      return z[static_cast<std::size_t>(r) * cols + static_cast<std::size_t>(c)];
    };
    const auto r0 = static_cast<std::ptrdiff_t>(row), c0 = static_cast<std::ptrdiff_t>(col);
    for (int dir = 0; dir < 8 && !outlet; ++dir) {
      weight[dir] = 0;
      double zn = elevation(r0 + kDRow[dir], c0 + kDCol[dir]);
      if (std::isnan(zn)) {
        // D8: a cell on the border or next to nodata is an outlet, its water leaves the DEM.
        if (method == FlowMethod::d8) {
          outlet = true;
          break;
        }
        // MFD: the missing neighbour's drop mirrors the rise from the opposite one (the surface
        // continued as a plane), and the share sent there leaves the DEM (both as SAGA).
        const double opposite = elevation(r0 - kDRow[dir], c0 - kDCol[dir]);
        if (std::isnan(opposite)) continue;
        zn = 2.0 * z[cell] - opposite;
      }
      if (!(zn < z[cell])) continue;
      const double gradient = (z[cell] - zn) / step_length(dx_m, dy_m, row, dir);
      if (method == FlowMethod::d8) {
        if (gradient > best) {
          best = gradient;
          best_dir = dir;
        }
      } else {
        weight[dir] = std::pow(gradient, convergence);
        total += weight[dir];
      }
    }
    if (outlet) continue;
    if (method == FlowMethod::d8) {
      if (best_dir < 0) continue;
      weight[best_dir] = 1;
      total = 1;
    }
    if (!(total > 0)) continue;
    for (int dir = 0; dir < 8; ++dir) {
      if (weight[dir] == 0 || std::isnan(elevation(r0 + kDRow[dir], c0 + kDCol[dir]))) continue;
      const std::size_t next =
          static_cast<std::size_t>(static_cast<std::ptrdiff_t>(row) + kDRow[dir]) * cols +
          static_cast<std::size_t>(static_cast<std::ptrdiff_t>(col) + kDCol[dir]);
      area[next] += area[cell] * weight[dir] / total;
    }
  }
  return area;
}

double specific_catchment_area_m(double area_m2, double cell_area_m2) {
  return area_m2 / std::sqrt(cell_area_m2);
}

double ls_factor_moore(double sca_m, double slope_rad) {
  // Moore & Burch (1986) exponents and unit-plot constants (22.13 m length, 9 % = sin 5.14°).
  constexpr double kM = 0.4, kN = 1.3, kUnitLength_m = 22.13, kUnitSin = 0.0896;
  if (std::isnan(sca_m) || std::isnan(slope_rad)) return kNaN;
  return (kM + 1.0) * std::pow(sca_m / kUnitLength_m, kM) *
         std::pow(std::sin(slope_rad) / kUnitSin, kN);
}

}  // namespace minecarbon::geo
