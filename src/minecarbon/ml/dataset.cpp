#include "minecarbon/ml/dataset.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

#include "minecarbon/core/errors.h"

namespace minecarbon::ml {

Dataset::Dataset(std::vector<double> x_col_major, std::vector<double> y,
                 std::vector<std::string> names)
    : n_rows_(y.size()), x_(std::move(x_col_major)), y_(std::move(y)), names_(std::move(names)) {
  if (n_rows_ < 2) {
    throw DataError("random forest data: " + std::to_string(n_rows_) +
                    " rows: at least 2 rows are needed to grow a tree");
  }
  if (n_rows_ >= std::numeric_limits<std::uint32_t>::max()) {
    throw DataError("random forest data: " + std::to_string(n_rows_) +
                    " rows: at most 4 294 967 294 rows are supported (32-bit row ids)");
  }
  if (x_.size() % n_rows_ != 0 || x_.empty()) {
    throw DataError("random forest data: " + std::to_string(x_.size()) + " predictor values for " +
                    std::to_string(n_rows_) +
                    " responses: expected n_rows · n_cols values, column-major");
  }
  n_cols_ = x_.size() / n_rows_;
  if (names_.empty()) {
    for (std::size_t col = 0; col < n_cols_; ++col) {
      std::string name = "x";  // appended, not "x" + …: GCC 12 warns falsely (-Wrestrict) there
      name += std::to_string(col + 1);
      names_.push_back(std::move(name));
    }
  }
  if (names_.size() != n_cols_) {
    throw DataError("random forest data: " + std::to_string(names_.size()) + " names for " +
                    std::to_string(n_cols_) + " predictor columns; give one name per column");
  }
  if (n_cols_ > kMaxColumns) {
    throw DataError("random forest data: " + std::to_string(n_cols_) +
                    " predictor columns: at most 65535 are supported");
  }
  validate_and_sort();
}

Dataset Dataset::from_row_major(std::span<const double> x_row_major, std::size_t n_cols,
                                std::span<const double> y, std::vector<std::string> names) {
  const std::size_t n_rows = y.size();
  if (n_cols == 0 || x_row_major.size() != n_rows * n_cols) {
    throw DataError("random forest data: " + std::to_string(x_row_major.size()) +
                    " predictor values for " + std::to_string(n_rows) + " rows × " +
                    std::to_string(n_cols) + " columns: sizes must match");
  }
  std::vector<double> x(x_row_major.size());
  for (std::size_t row = 0; row < n_rows; ++row) {
    for (std::size_t col = 0; col < n_cols; ++col) {
      x[col * n_rows + row] = x_row_major[row * n_cols + col];
    }
  }
  return Dataset(std::move(x), std::vector<double>(y.begin(), y.end()), std::move(names));
}

std::span<const double> Dataset::unique_values(std::size_t col) const {
  return {unique_.data() + unique_offsets_[col], unique_offsets_[col + 1] - unique_offsets_[col]};
}

void Dataset::validate_and_sort() {
  for (std::size_t row = 0; row < n_rows_; ++row) {
    if (!std::isfinite(y_[row])) {
      std::ostringstream msg;
      msg << "random forest data: response, row " << row << ": value " << y_[row]
          << ": must be finite; drop or impute nodata rows before fitting";
      throw DataError(msg.str());
    }
  }
  ranks_.resize(n_rows_ * n_cols_);
  order_.resize(n_rows_ * n_cols_);
  unique_offsets_.assign(1, 0);
  for (std::size_t col = 0; col < n_cols_; ++col) {
    const double* values = x_.data() + col * n_rows_;
    for (std::size_t row = 0; row < n_rows_; ++row) {
      if (!std::isfinite(values[row])) {
        std::ostringstream msg;
        msg << "random forest data: column '" << names_[col] << "' (" << col + 1 << "), row " << row
            << ": value " << values[row]
            << ": predictors must be finite; drop or impute nodata rows before fitting";
        throw DataError(msg.str());
      }
    }
    std::uint32_t* order = order_.data() + col * n_rows_;
    std::iota(order, order + n_rows_, 0u);
    std::stable_sort(order, order + n_rows_,
                     [values](std::uint32_t a, std::uint32_t b) { return values[a] < values[b]; });
    std::uint32_t* ranks = ranks_.data() + col * n_rows_;
    std::uint32_t rank = 0;
    for (std::size_t idx = 0; idx < n_rows_; ++idx) {
      const double value = values[order[idx]];
      if (idx == 0 || value != unique_.back()) {
        if (idx > 0) ++rank;
        unique_.push_back(value);
      }
      ranks[order[idx]] = rank;
    }
    unique_offsets_.push_back(unique_.size());
  }
}

}  // namespace minecarbon::ml
