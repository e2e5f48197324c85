// A small columnar table: named, typed columns of equal length. It is what every stage hands to
// the writers (CSV, GeoPackage attribute tables, JSON), so column names carry units
// (`nep_gC_m2_yr`, `area_km2`) and ids are strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace minecarbon {

using ColumnData =
    std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>>;

struct Column {
  std::string name;
  ColumnData data;
  std::size_t size() const;
};

class Table {
 public:
  explicit Table(std::string name = {}) : name_(std::move(name)) {}

  // Adds a column; throws std::invalid_argument when its length differs from the others or the
  // name is taken (a programming error, not a user error).
  void add(std::string column_name, ColumnData data);

  const std::string& name() const { return name_; }
  const std::vector<Column>& columns() const { return columns_; }
  std::size_t row_count() const { return columns_.empty() ? 0 : columns_.front().size(); }
  const Column* find(const std::string& column_name) const;

 private:
  std::string name_;
  std::vector<Column> columns_;
};

}  // namespace minecarbon
