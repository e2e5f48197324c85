// Reading cells of the soil and RothC tables: optional columns with fallbacks, and "file:line"
// for messages. Shared by soil/profiles.cpp and rothc_readers.cpp.
#pragma once

#include <cmath>
#include <optional>
#include <string>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess::csv_cells {

// "file:line" of a data row.
inline std::string where(const CsvText& csv, std::size_t row) {
  return csv.source + ":" + std::to_string(csv.line_numbers.at(row));
}

inline std::optional<std::size_t> optional_column(const CsvText& csv, const std::string& name) {
  if (!csv.has_column(name)) return std::nullopt;
  return csv.column(name);
}

// The cell's text, or `fallback` when the column is absent or the cell empty or NA.
inline std::string text_or(const CsvText& csv, std::size_t row, std::optional<std::size_t> col,
                           const std::string& fallback) {
  if (!col) return fallback;
  const std::string& v = csv.rows[row][*col];
  return (v.empty() || v == "NA") ? fallback : v;
}

// The cell's number, or `fallback` when the column is absent or the cell missing.
inline double number_or(const CsvText& csv, std::size_t row, std::optional<std::size_t> col,
                        double fallback) {
  if (!col) return fallback;
  const double v = csv.number(row, *col);
  return std::isnan(v) ? fallback : v;
}

}  // namespace minecarbon::assess::csv_cells
