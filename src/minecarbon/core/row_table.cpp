#include "minecarbon/core/row_table.h"

#include <stdexcept>

namespace minecarbon {

RowTable& RowTable::row() {
  check_row_complete();
  ++rows_;
  cells_in_row_ = 0;
  return *this;
}

void RowTable::check_row_complete() const {
  if (rows_ > 0 && cells_in_row_ != columns_.size()) {
    throw std::logic_error("RowTable '" + name_ + "': row " + std::to_string(rows_) + " set " +
                           std::to_string(cells_in_row_) + " of " +
                           std::to_string(columns_.size()) + " columns");
  }
}

template <class Value>
RowTable& RowTable::put_checked(std::string_view column, Value value) {
  if (rows_ == 0) throw std::logic_error("RowTable '" + name_ + "': set() before row()");
  if (rows_ == 1 && !declared_) {
    for (const auto& existing : columns_) {
      if (existing.name == column) {
        throw std::logic_error("RowTable '" + name_ + "': column '" + std::string(column) +
                               "' set twice in one row");
      }
    }
    columns_.push_back({std::string(column), std::vector<Value>{}});
  }
  // Later rows must follow the first row's column order, which keeps the lookup O(1).
  if (cells_in_row_ >= columns_.size() || columns_[cells_in_row_].name != column) {
    throw std::logic_error("RowTable '" + name_ + "': row " + std::to_string(rows_) +
                           " sets column '" + std::string(column) +
                           "' out of the first row's order");
  }
  auto* cells = std::get_if<std::vector<Value>>(&columns_[cells_in_row_].data);
  if (cells == nullptr) {
    throw std::logic_error("RowTable '" + name_ + "': column '" + std::string(column) +
                           "' changes type");
  }
  cells->push_back(std::move(value));
  ++cells_in_row_;
  return *this;
}

template RowTable& RowTable::put_checked<double>(std::string_view, double);
template RowTable& RowTable::put_checked<std::int64_t>(std::string_view, std::int64_t);
template RowTable& RowTable::put_checked<std::string>(std::string_view, std::string);

Table RowTable::finish() && {
  check_row_complete();
  Table table(name_);
  for (auto& column : columns_)
    table.add(std::move(column.name), std::move(column.data));
  return table;
}

}  // namespace minecarbon
