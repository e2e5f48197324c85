#include "minecarbon/geo/coverage.h"

#include <algorithm>
#include <cmath>

namespace minecarbon::geo {
namespace {

// Accumulates winding-area contributions on a window of `rows` × `cols` cells with one carry
// column; coordinates u (columns, rightwards) and v (rows, downwards) are relative to the window.
class WindingAccumulator {
 public:
  WindingAccumulator(std::int64_t rows, std::int64_t cols)
      : rows_(rows), cols_(cols), acc_(static_cast<std::size_t>(rows * (cols + 1)), 0.0) {}

  void add_edge(double u0, double v0, double u1, double v1, double sign) {
    if (v0 == v1) return;  // horizontal edges enclose no area against the right-hand side
    const double v_lo = std::min(v0, v1), v_hi = std::max(v0, v1);
    const std::int64_t r_first =
        std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor(v_lo)));
    const std::int64_t r_last =
        std::min<std::int64_t>(rows_ - 1, static_cast<std::int64_t>(std::ceil(v_hi)) - 1);
    const double du_dv = (u1 - u0) / (v1 - v0);
    auto u_at = [&](double v) {
      if (v == v0) return u0;
      if (v == v1) return u1;
      return u0 + (v - v0) * du_dv;
    };
    for (std::int64_t row = r_first; row <= r_last; ++row) {
      const double va = std::max(v_lo, static_cast<double>(row));
      const double vb = std::min(v_hi, static_cast<double>(row + 1));
      if (vb <= va) continue;
      // Keep the edge's direction: the sign of dv carries the orientation.
      if (v1 > v0) {
        add_row_piece(row, u_at(va), u_at(vb), (vb - va) * sign);
      } else {
        add_row_piece(row, u_at(vb), u_at(va), -(vb - va) * sign);
      }
    }
  }

  // Running sums along each row, clamped to [0, 1], into `frac` (rows × cols).
  void resolve(std::vector<double>& frac) const {
    frac.assign(static_cast<std::size_t>(rows_ * cols_), 0.0);
    for (std::int64_t row = 0; row < rows_; ++row) {
      const double* acc_row = &acc_[static_cast<std::size_t>(row * (cols_ + 1))];
      double* out = &frac[static_cast<std::size_t>(row * cols_)];
      double running = 0.0;
      for (std::int64_t col = 0; col < cols_; ++col) {
        running += acc_row[col];
        out[col] = std::clamp(running, 0.0, 1.0);
      }
    }
  }

 private:
  void add_cell_piece(std::int64_t row, double u_mid, double dv) {
    const std::int64_t col =
        std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(u_mid)), 0, cols_ - 1);
    double* acc_row = &acc_[static_cast<std::size_t>(row * (cols_ + 1))];
    const double inside = u_mid - static_cast<double>(col);  // 0 at the left side, 1 at the right
    acc_row[col] += dv * (1.0 - inside);
    acc_row[col + 1] += dv * inside;
  }

  // A piece of an edge inside one row, from u_start to u_end, with signed height dv.
  void add_row_piece(std::int64_t row, double u_start, double u_end, double dv) {
    const double u_lo = std::min(u_start, u_end), u_hi = std::max(u_start, u_end);
    const double first_line = std::floor(u_lo) + 1.0;
    if (first_line >= u_hi) {  // within one column
      add_cell_piece(row, 0.5 * (u_lo + u_hi), dv);
      return;
    }
    // v is linear in u along the piece, so each column gets dv in proportion to its u-length.
    const double dv_per_u = dv / (u_hi - u_lo);
    double left = u_lo;
    for (double line = first_line; left < u_hi; line += 1.0) {
      const double right = std::min(line, u_hi);
      add_cell_piece(row, 0.5 * (left + right), dv_per_u * (right - left));
      left = right;
    }
  }

  std::int64_t rows_, cols_;
  std::vector<double> acc_;
};

}  // namespace

double Coverage::sum() const {
  double total = 0.0;
  for (double value : frac)
    total += value;
  return total;
}

void subtract(Coverage& from, const Coverage& part) {
  const Window common = from.window.intersect(part.window);
  for (std::int64_t row = common.row0; row < common.row0 + common.rows; ++row) {
    double* out = &from.frac[static_cast<std::size_t>((row - from.window.row0) * from.window.cols +
                                                      (common.col0 - from.window.col0))];
    const double* in = &part.frac[static_cast<std::size_t>(
        (row - part.window.row0) * part.window.cols + (common.col0 - part.window.col0))];
    for (std::int64_t col = 0; col < common.cols; ++col)
      out[col] = std::max(0.0, out[col] - in[col]);
  }
}

Coverage compute_coverage(const MultiPolygon& shape, const Grid& grid) {
  Coverage result;
  if (shape.empty()) return result;
  const Bounds b = bounds(shape);
  // The bounding box in cells, not yet cropped to the grid: edges outside the grid still carry
  // area into cells inside it along their rows.
  const std::int64_t c_lo = static_cast<std::int64_t>(std::floor(grid.col_f(b.x_min)));
  const std::int64_t c_hi = static_cast<std::int64_t>(std::ceil(grid.col_f(b.x_max)));
  const std::int64_t r_lo = static_cast<std::int64_t>(std::floor(grid.row_f(b.y_max)));
  const std::int64_t r_hi = static_cast<std::int64_t>(std::ceil(grid.row_f(b.y_min)));
  Window box{r_lo, c_lo, std::max<std::int64_t>(1, r_hi - r_lo),
             std::max<std::int64_t>(1, c_hi - c_lo)};
  Window cropped = box.intersect(grid.full());
  result.window = cropped;
  if (cropped.empty()) return result;
  // Rows outside the grid are not needed (their area never reaches other rows), so accumulate
  // on the cropped rows but on the full column span.
  Window work{cropped.row0, box.col0, cropped.rows, box.cols};

  WindingAccumulator acc(work.rows, work.cols);
  auto add_ring = [&](const Ring& ring, bool exterior) {
    const std::size_t n = ring.size();
    if (n < 3) return;
    std::vector<XY> uv(n);
    for (std::size_t idx = 0; idx < n; ++idx) {
      uv[idx] = {grid.col_f(ring[idx].x) - static_cast<double>(work.col0),
                 grid.row_f(ring[idx].y) - static_cast<double>(work.row0)};
    }
    const double area_uv = signed_area(uv);
    if (area_uv == 0.0) return;
    // A ring with positive shoelace area in (u, v) accumulates −area; exteriors must add +area.
    const double sign = (area_uv > 0 ? -1.0 : 1.0) * (exterior ? 1.0 : -1.0);
    for (std::size_t idx = 0; idx < n; ++idx) {
      const XY& p = uv[idx];
      const XY& q = uv[(idx + 1) % n];
      acc.add_edge(p.x, p.y, q.x, q.y, sign);
    }
  };
  for (const auto& polygon : shape) {
    add_ring(polygon.exterior, true);
    for (const auto& hole : polygon.holes)
      add_ring(hole, false);
  }
  std::vector<double> work_frac;
  acc.resolve(work_frac);
  if (work.col0 == cropped.col0 && work.cols == cropped.cols) {
    result.frac = std::move(work_frac);
  } else {
    result.frac.resize(static_cast<std::size_t>(cropped.cells()));
    const std::int64_t shift = cropped.col0 - work.col0;
    for (std::int64_t row = 0; row < cropped.rows; ++row) {
      std::copy_n(&work_frac[static_cast<std::size_t>(row * work.cols + shift)], cropped.cols,
                  &result.frac[static_cast<std::size_t>(row * cropped.cols)]);
    }
  }
  return result;
}

}  // namespace minecarbon::geo
