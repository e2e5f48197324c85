// Training data for the random forest: predictors stored column-major, the response, and each
// column sorted once.
//
// Layout: x(row, col) = x_col_major[col · n_rows + row] (ranger's DataDouble layout). The sort
// (ranger's Data::sort) is done once in the constructor and reused by every tree, every CV fold
// and every importance run; the ranks stay valid for any subset of rows:
//   unique_values(col)  the sorted distinct values of the column (U_col of them),
//   ranks(col)[row]     the index of x(row, col) in unique_values(col) (uint32: half the size of
//                       ranger's size_t),
//   rows_by_value(col)  the row ids ordered by value, ties by row id.
// Memory: 8·n·p (values) + 8·n (y) + 8·n·p (ranks and order) + 8·Σ U_col bytes.
//
// Domain: n_rows ≥ 2, 1 ≤ n_cols ≤ 65 535 (split variables are stored in 16 bits), every value of
// x and y finite; violations throw DataError naming the column, row and value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace minecarbon::ml {

// A read-only view of predictors to predict at: column-major, x(row, col) = values[col·rows+row].
struct FeatureView {
  std::span<const double> values;
  std::size_t n_rows = 0;
  std::size_t n_cols = 0;

  double x(std::size_t row, std::size_t col) const { return values[col * n_rows + row]; }
};

class Dataset {
 public:
  static constexpr std::size_t kMaxColumns = 65535;

  // x_col_major holds n_rows · names.size() values (or n_cols = x.size() / n_rows columns named
  // x1, x2, … when names is empty); y holds n_rows values.
  Dataset(std::vector<double> x_col_major, std::vector<double> y,
          std::vector<std::string> names = {});

  // Row-major input (one row per sample, e.g. a table read from CSV), converted once.
  static Dataset from_row_major(std::span<const double> x_row_major, std::size_t n_cols,
                                std::span<const double> y, std::vector<std::string> names = {});

  std::size_t n_rows() const { return n_rows_; }
  std::size_t n_cols() const { return n_cols_; }
  const std::vector<std::string>& names() const { return names_; }

  double x(std::size_t row, std::size_t col) const { return x_[col * n_rows_ + row]; }
  std::span<const double> column(std::size_t col) const {
    return {x_.data() + col * n_rows_, n_rows_};
  }
  std::span<const double> y() const { return y_; }
  FeatureView features() const { return {x_, n_rows_, n_cols_}; }

  std::span<const double> unique_values(std::size_t col) const;
  std::span<const std::uint32_t> ranks(std::size_t col) const {
    return {ranks_.data() + col * n_rows_, n_rows_};
  }
  std::span<const std::uint32_t> rows_by_value(std::size_t col) const {
    return {order_.data() + col * n_rows_, n_rows_};
  }

 private:
  void validate_and_sort();

  std::size_t n_rows_ = 0;
  std::size_t n_cols_ = 0;
  std::vector<double> x_;
  std::vector<double> y_;
  std::vector<std::string> names_;
  std::vector<std::uint32_t> ranks_;
  std::vector<std::uint32_t> order_;
  std::vector<double> unique_;               // all columns' unique values, concatenated
  std::vector<std::size_t> unique_offsets_;  // column col: [offsets[col], offsets[col + 1])
};

}  // namespace minecarbon::ml
