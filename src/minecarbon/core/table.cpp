#include "minecarbon/core/table.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace minecarbon {

std::size_t Column::size() const {
  return std::visit([](const auto& values) { return values.size(); }, data);
}

void Table::add(std::string column_name, ColumnData data) {
  if (find(column_name) != nullptr) {
    throw std::invalid_argument("table '" + name_ + "': column '" + column_name + "' added twice");
  }
  Column column{std::move(column_name), std::move(data)};
  if (!columns_.empty() && column.size() != row_count()) {
    throw std::invalid_argument("table '" + name_ + "': column '" + column.name + "' has " +
                                std::to_string(column.size()) + " rows, the table has " +
                                std::to_string(row_count()));
  }
  columns_.push_back(std::move(column));
}

const Column* Table::find(const std::string& column_name) const {
  for (const auto& column : columns_) {
    if (column.name == column_name) return &column;
  }
  return nullptr;
}

}  // namespace minecarbon
