// Test fixtures of the ml tests: the gen_data.py files in tests/data/random_forest (README.md
// there gives their provenance) and small synthetic sets.
#pragma once

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/random.h"
#include "minecarbon/ml/dataset.h"

namespace mctest {

inline std::string rf_data_path(const std::string& name) {
  return std::string(MC_TEST_DATA_DIR) + "/random_forest/" + name;
}

// A gen_data.py file: little-endian float64, row-major, columns [y, f, x1..xp].
struct BenchFile {
  std::size_t n_rows = 0, p = 0;
  std::vector<double> y, f, x_col_major;

  minecarbon::ml::Dataset dataset() const { return minecarbon::ml::Dataset(x_col_major, y); }
  minecarbon::ml::FeatureView features() const { return {x_col_major, n_rows, p}; }
};

inline BenchFile read_bench_file(const std::string& name, std::size_t n_cols) {
  const std::string path = rf_data_path(name);
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error("cannot open test data " + path);
  const std::size_t bytes = static_cast<std::size_t>(in.tellg());
  in.seekg(0);
  std::vector<double> raw(bytes / sizeof(double));
  in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(bytes));
  BenchFile file;
  file.n_rows = raw.size() / n_cols;
  file.p = n_cols - 2;
  file.y.resize(file.n_rows);
  file.f.resize(file.n_rows);
  file.x_col_major.resize(file.n_rows * file.p);
  for (std::size_t row = 0; row < file.n_rows; ++row) {
    file.y[row] = raw[row * n_cols];
    file.f[row] = raw[row * n_cols + 1];
    for (std::size_t col = 0; col < file.p; ++col) {
      file.x_col_major[col * file.n_rows + row] = raw[row * n_cols + 2 + col];
    }
  }
  return file;
}

inline const BenchFile& friedman_train() {
  static const BenchFile file = read_bench_file("friedman1_n2000_p11_s42.train.f64", 13);
  return file;
}
inline const BenchFile& friedman_test() {
  static const BenchFile file = read_bench_file("friedman1_n2000_p11_s42.test.f64", 13);
  return file;
}
inline const BenchFile& strobl_train() {
  static const BenchFile file = read_bench_file("strobl2008_n500_s42.train.f64", 14);
  return file;
}

// JSON lines of bench_r.R.
inline std::vector<nlohmann::json> read_json_lines(const std::string& name) {
  std::ifstream in(rf_data_path(name));
  if (!in) throw std::runtime_error("cannot open test data " + rf_data_path(name));
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

// One row of cpi_party.R's CSV output.
struct PartyRow {
  std::string variable;
  double perm_imp = 0, cond_perm_imp = 0;
  std::vector<std::string> cond_on;
};

// Columns by position: variable, perm_imp, cond_perm_imp, cond_on (space-separated names), ...
inline std::vector<PartyRow> read_party_csv(const std::string& name) {
  const minecarbon::CsvText csv = minecarbon::read_csv_file(rf_data_path(name));
  std::vector<PartyRow> rows;
  for (std::size_t idx = 0; idx < csv.rows.size(); ++idx) {
    PartyRow row;
    row.variable = csv.rows[idx].at(0);
    row.perm_imp = csv.number(idx, 1);
    row.cond_perm_imp = csv.number(idx, 2);
    std::istringstream words(csv.rows[idx].at(3));
    for (std::string word; words >> word;)
      row.cond_on.push_back(word);
    rows.push_back(row);
  }
  return rows;
}

// y = step(x1) + small noise, x2 pure noise: trees must split x1 at 0.5.
inline minecarbon::ml::Dataset step_dataset(std::size_t n, std::uint64_t seed) {
  minecarbon::RandomStream rng(seed, minecarbon::StreamPurpose::tree_growth, 999);
  std::vector<double> x(2 * n), y(n);
  for (std::size_t row = 0; row < n; ++row) {
    x[row] = (static_cast<double>(row) + 0.5) / static_cast<double>(n);
    x[n + row] = rng.uniform01();
    y[row] = (x[row] > 0.5 ? 10.0 : 0.0) + 0.01 * (rng.uniform01() - 0.5);
  }
  return minecarbon::ml::Dataset(std::move(x), std::move(y));
}

inline double mean_of(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values)
    sum += v;
  return sum / static_cast<double>(values.size());
}

inline double sd_of(const std::vector<double>& values) {
  const double mean = mean_of(values);
  double sum = 0;
  for (double v : values)
    sum += (v - mean) * (v - mean);
  return std::sqrt(sum / static_cast<double>(values.size() - 1));
}

}  // namespace mctest
