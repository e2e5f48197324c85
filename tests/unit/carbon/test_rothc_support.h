// Test helpers for the RothC tests: locating tests/data/rothc and reading the official output
// tables (comma separated; R quotes its header; Fortran pads with spaces and leaves blanks; the
// Python files have CRLF line endings).
#pragma once

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace rothc_test {

inline std::string data_path(const std::string& relative) {
  return std::string(MC_TEST_DATA_DIR) + "/rothc/" + relative;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open test data " + path);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

inline std::string trim(const std::string& s) {
  const char* ws = " \t\r\"";
  const auto first = s.find_first_not_of(ws);
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(ws);
  return s.substr(first, last - first + 1);
}

/// A numeric table: column name → values; blank cells are NaN.
struct Table {
  std::vector<std::string> names;
  std::vector<std::vector<double>> rows;

  std::size_t col(const std::string& name) const {
    for (std::size_t c = 0; c < names.size(); ++c) {
      if (names[c] == name) return c;
    }
    throw std::runtime_error("no column " + name);
  }
  double at(std::size_t row, const std::string& name) const { return rows.at(row).at(col(name)); }
};

inline Table read_table(const std::string& path) {
  std::istringstream in(read_text(path));
  Table table;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (trim(line).empty()) continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');)
      cells.push_back(trim(cell));
    if (header) {
      table.names = cells;
      header = false;
      continue;
    }
    std::vector<double> row;
    for (const std::string& cell : cells) {
      row.push_back(cell.empty() ? std::numeric_limits<double>::quiet_NaN() : std::stod(cell));
    }
    row.resize(table.names.size(), std::numeric_limits<double>::quiet_NaN());
    table.rows.push_back(row);
  }
  return table;
}

/// Largest |a - b| seen, with where it was, for reporting.
struct MaxDiff {
  double value = 0.0;
  std::string where;
  void add(double a, double b, const std::string& label) {
    const double d = std::abs(a - b);
    if (!(d <= value)) {
      value = d;
      where = label;
    }
  }
};

}  // namespace rothc_test
