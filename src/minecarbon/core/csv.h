// CSV in the dialect R's read.csv, pandas and Excel read without options: comma separator,
// header row, fields quoted only when they contain a comma, quote or line break, "NA" for missing.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "minecarbon/core/table.h"

namespace minecarbon {

void write_csv(const Table& table, std::ostream& out);

// A parsed CSV: the header and the rows as text, each row with its 1-based line number so
// error messages can point at it.
struct CsvText {
  std::string source;  // file name for messages
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> line_numbers;

  // Index of a column; throws DataError naming the file and the columns it has.
  std::size_t column(const std::string& name) const;
  bool has_column(const std::string& name) const;
  // Number in row `row_idx`, column `col_idx`; throws DataError with file, line and field.
  double number(std::size_t row_idx, std::size_t col_idx) const;
};

// Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF). Throws DataError for a row whose
// field count differs from the header's.
CsvText parse_csv(std::istream& in, const std::string& source);
CsvText read_csv_file(const std::string& path);

}  // namespace minecarbon
