// Builds a Table row by row, for the writers of typed records: start a row, set its cells by
// column name. The first row fixes the columns, their order and their types; every later row must
// set exactly those columns (a programming error otherwise, thrown as std::logic_error), so a
// table can never come out ragged.
//
//   RowTable table("mines");
//   for (const auto& mine : mines)
//     table.row().set("id", mine.id).set("area_m2", mine.area_m2).set("n_years", mine.years);
//   Table out = std::move(table).finish();
//
// A table with no rows has no columns unless they are declared first with column<T>(name), which
// is how a writer keeps the header of a table that may come out empty.
#pragma once

#include "minecarbon/core/table.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace minecarbon {

class RowTable {
 public:
  explicit RowTable(std::string name) : name_(std::move(name)) {}

  // Declares a column before the first row (T: double, std::int64_t or std::string); rows must
  // then set the declared columns in this order.
  template <class T>
  RowTable& column(std::string_view name) {
    if (rows_ > 0) throw std::logic_error("RowTable '" + name_ + "': column() after row()");
    columns_.push_back({std::string(name), std::vector<T>{}});
    declared_ = true;
    return *this;
  }

  // Starts a new row; the previous one must be complete.
  RowTable& row();

  RowTable& set(std::string_view column, double value) { return put(column, value); }
  RowTable& set(std::string_view column, std::string value) {
    return put(column, std::move(value));
  }
  RowTable& set(std::string_view column, const char* value) {
    return put(column, std::string(value));
  }
  // Every integer type becomes an int64 column (counts, years, codes).
  template <class Int,
            std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>, int> = 0>
  RowTable& set(std::string_view column, Int value) {
    return put(column, static_cast<std::int64_t>(value));
  }
  // Booleans are written as the integers 1/0, which R, pandas and Excel all read.
  RowTable& set(std::string_view column, bool value) {
    return put(column, static_cast<std::int64_t>(value ? 1 : 0));
  }

  std::size_t rows() const { return rows_; }
  Table finish() &&;

 private:
  // Every row after the first sets the columns in the first row's order, so the cell's column is
  // the one at position cells_in_row_: put() checks that one column's name and type inline and
  // appends, and leaves every other case (first row, set() before row(), wrong order or type:
  // the logic_error checks) to put_checked(), which does the same checks in the same order.
  // Inline because it runs once per cell (1.35 M rows × 11 columns in the balance's mine_year).
  template <class Value>
  RowTable& put(std::string_view column, Value value) {
    if ((rows_ > 1 || (rows_ == 1 && declared_)) && cells_in_row_ < columns_.size()) {
      Column& expected = columns_[cells_in_row_];
      auto* cells = std::get_if<std::vector<Value>>(&expected.data);
      if (cells != nullptr && std::string_view(expected.name) == column) {
        cells->push_back(std::move(value));
        ++cells_in_row_;
        return *this;
      }
    }
    return put_checked(column, std::move(value));
  }
  template <class Value>
  RowTable& put_checked(std::string_view column, Value value);
  void check_row_complete() const;

  std::string name_;
  std::vector<Column> columns_;
  std::size_t rows_ = 0;
  std::size_t cells_in_row_ = 0;
  bool declared_ = false;
};

}  // namespace minecarbon
