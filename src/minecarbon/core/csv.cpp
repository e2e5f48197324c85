#include "minecarbon/core/csv.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <istream>
#include <ostream>

#include "minecarbon/core/errors.h"

namespace minecarbon {
namespace {

void write_field(std::ostream& out, const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out << text;
    return;
  }
  out << '"';
  for (char ch : text) {
    if (ch == '"') out << '"';
    out << ch;
  }
  out << '"';
}

std::string cell_text(const Column& column, std::size_t row_idx) {
  if (const auto* doubles = std::get_if<std::vector<double>>(&column.data)) {
    return format_double((*doubles)[row_idx]);
  }
  if (const auto* ints = std::get_if<std::vector<std::int64_t>>(&column.data)) {
    return std::to_string((*ints)[row_idx]);
  }
  return std::get<std::vector<std::string>>(column.data)[row_idx];
}

}  // namespace

void write_csv(const Table& table, std::ostream& out) {
  const auto& columns = table.columns();
  for (std::size_t col = 0; col < columns.size(); ++col) {
    if (col > 0) out << ',';
    write_field(out, columns[col].name);
  }
  out << '\n';
  for (std::size_t row = 0; row < table.row_count(); ++row) {
    for (std::size_t col = 0; col < columns.size(); ++col) {
      if (col > 0) out << ',';
      write_field(out, cell_text(columns[col], row));
    }
    out << '\n';
  }
}

std::size_t CsvText::column(const std::string& name) const {
  for (std::size_t idx = 0; idx < header.size(); ++idx) {
    if (header[idx] == name) return idx;
  }
  std::string have;
  for (const auto& h : header)
    have += (have.empty() ? "" : ", ") + h;
  throw DataError(source + ": no column '" + name + "' (columns are: " + have + ")");
}

bool CsvText::has_column(const std::string& name) const {
  for (const auto& h : header) {
    if (h == name) return true;
  }
  return false;
}

double CsvText::number(std::size_t row_idx, std::size_t col_idx) const {
  std::string text = rows.at(row_idx).at(col_idx);
  // Padding (R's format(), hand-edited files) is not part of the number.
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  if (text == "NA" || text.empty() || text == "NaN" || text == "nan") return std::nan("");
  double value = 0;
  const char* first = text.data();
  const char* last = first + text.size();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last) {
    throw DataError(source + ":" + std::to_string(line_numbers.at(row_idx)) + ": field '" +
                    header.at(col_idx) + "' = '" + text + "' is not a number");
  }
  return value;
}

CsvText parse_csv(std::istream& in, const std::string& source) {
  CsvText csv;
  csv.source = source;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false;
  bool field_was_quoted = false;
  std::size_t line = 1;
  std::size_t record_line = 1;
  auto end_record = [&]() {
    record.push_back(std::move(field));
    field.clear();
    bool blank = record.size() == 1 && record[0].empty() && !field_was_quoted;
    if (!blank) {
      if (csv.header.empty()) {
        csv.header = std::move(record);
      } else {
        if (record.size() != csv.header.size()) {
          throw DataError(source + ":" + std::to_string(record_line) + ": " +
                          std::to_string(record.size()) + " fields, the header has " +
                          std::to_string(csv.header.size()) +
                          "; check for unquoted commas or a missing field");
        }
        csv.rows.push_back(std::move(record));
        csv.line_numbers.push_back(record_line);
      }
    }
    record.clear();
    field_was_quoted = false;
  };
  char ch;
  while (in.get(ch)) {
    if (in_quotes) {
      if (ch == '"') {
        if (in.peek() == '"') {
          in.get(ch);
          field += '"';
        } else {
          in_quotes = false;
        }
      } else {
        if (ch == '\n') ++line;
        field += ch;
      }
      continue;
    }
    switch (ch) {
      case '"':
        in_quotes = true;
        field_was_quoted = true;
        break;
      case ',':
        record.push_back(std::move(field));
        field.clear();
        break;
      case '\r':
        break;
      case '\n':
        end_record();
        ++line;
        record_line = line;
        break;
      default:
        field += ch;
    }
  }
  if (in_quotes) {
    throw DataError(source + ":" + std::to_string(record_line) +
                    ": a quoted field is never closed; add the closing '\"'");
  }
  if (!field.empty() || !record.empty()) end_record();
  if (csv.header.empty()) throw DataError(source + ": empty file; expected a header row");
  // A UTF-8 byte-order mark (Excel writes one) is not part of the first column's name.
  if (csv.header[0].rfind("\xEF\xBB\xBF", 0) == 0) csv.header[0].erase(0, 3);
  return csv;
}

CsvText read_csv_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open for reading; check the path");
  return parse_csv(in, path);
}

}  // namespace minecarbon
