// The series and R results of tests/data/warning (make_expected.R and README there), read once
// per test binary.
#pragma once

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "minecarbon/core/csv.h"

namespace minecarbon::stats::testing {

inline const std::string kWarningDir = std::string(MC_TEST_DATA_DIR) + "/warning/";

struct Series {
  std::vector<double> time, value;
};

inline const std::map<std::string, Series>& warning_series() {
  static const std::map<std::string, Series> all = [] {
    std::map<std::string, Series> out;
    const CsvText csv = read_csv_file(kWarningDir + "series.csv");
    const std::size_t name = csv.column("series"), time = csv.column("time"),
                      value = csv.column("value");
    for (std::size_t row = 0; row < csv.rows.size(); ++row) {
      Series& s = out[csv.rows[row][name]];
      s.time.push_back(csv.number(row, time));
      s.value.push_back(csv.number(row, value));
    }
    return out;
  }();
  return all;
}

// Rows of an *_expected.csv as column name → text.
inline std::vector<std::map<std::string, std::string>> expected_rows(const std::string& file) {
  const CsvText csv = read_csv_file(kWarningDir + file);
  std::vector<std::map<std::string, std::string>> rows;
  for (const auto& cells : csv.rows) {
    std::map<std::string, std::string> row;
    for (std::size_t col = 0; col < csv.header.size(); ++col)
      row[csv.header[col]] = cells[col];
    rows.push_back(std::move(row));
  }
  return rows;
}

inline double as_number(const std::string& text) {
  return text == "NA" ? std::nan("") : std::stod(text);
}

}  // namespace minecarbon::stats::testing
