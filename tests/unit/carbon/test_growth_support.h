// Test helpers for the growth-curve and height–diameter tests: reading the reference CSV files of
// tests/data/growth_curves and tests/data/tree_height_diameter (R's write.csv: quoted strings,
// commas inside quotes, "NA" for missing values). Shared by tests/unit/stats/test_curve_fit.cpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "minecarbon/core/csv.h"

namespace growth_test {

// A reference CSV read by minecarbon's own reader (core/csv.h: RFC 4180 quoting, CRLF, "NA" as
// NaN), with look-ups by column name.
struct Csv : minecarbon::CsvText {
  std::size_t col(const std::string& name) const { return column(name); }
  const std::string& text(std::size_t row, const std::string& name) const {
    return rows[row][column(name)];
  }
  using CsvText::number;
  double number(std::size_t row, const std::string& name) const {
    return CsvText::number(row, column(name));
  }
};

inline Csv read_csv(const std::string& relative_path) {
  return Csv{minecarbon::read_csv_file(std::string(MC_TEST_DATA_DIR) + "/" + relative_path)};
}

inline double rel_diff(double actual, double expected) {
  return std::abs(actual - expected) / std::abs(expected);
}

// One fit of a reference CSV (rows grouped by id).
struct ReferenceFit {
  std::string id;
  std::string dataset;
  std::string model;
  std::string x;  // "age" or "log(conc)"
  std::vector<std::string> parameters;
  std::vector<double> estimates;
  std::vector<double> std_errors;
  double rss = 0.0;
  double aic = 0.0;
  double bic = 0.0;
  std::size_t df = 0;
};

inline std::vector<ReferenceFit> load_reference_fits(const std::string& relative_path) {
  const Csv csv = read_csv(relative_path);
  const bool has_x = std::find(csv.header.begin(), csv.header.end(), "x") != csv.header.end();
  std::vector<ReferenceFit> fits;
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    const std::string id = csv.text(row, "id");
    if (fits.empty() || fits.back().id != id) {
      ReferenceFit fit;
      fit.id = id;
      fit.dataset = csv.text(row, "dataset");
      fit.model = has_x ? csv.text(row, "model") : csv.text(row, "formula");
      fit.x = has_x ? csv.text(row, "x") : (fit.dataset == "DNase" ? "log(conc)" : "age");
      fit.rss = csv.number(row, "rss");
      fit.aic = csv.number(row, "AIC");
      fit.bic = csv.number(row, "BIC");
      fit.df = static_cast<std::size_t>(csv.number(row, "df_residual"));
      fits.push_back(fit);
    }
    fits.back().parameters.push_back(csv.text(row, "parameter"));
    fits.back().estimates.push_back(csv.number(row, "estimate"));
    fits.back().std_errors.push_back(csv.number(row, "std_error"));
  }
  return fits;
}

// (t, y) of a reference fit: Loblolly (pooled), Orange (all trees or "treeN" in the id) or DNase
// run 1 (t = log conc).
inline void reference_data(const ReferenceFit& fit, std::vector<double>& t,
                           std::vector<double>& y) {
  t.clear();
  y.clear();
  if (fit.dataset == "Loblolly") {
    const Csv csv = read_csv("growth_curves/Loblolly.csv");
    for (std::size_t row = 0; row < csv.rows.size(); ++row) {
      t.push_back(csv.number(row, "age"));
      y.push_back(csv.number(row, "height"));
    }
  } else if (fit.dataset == "Orange") {
    const Csv csv = read_csv("growth_curves/Orange.csv");
    std::string tree;
    const auto pos = fit.id.find("tree");
    if (pos != std::string::npos) tree = fit.id.substr(pos + 4, 1);
    for (std::size_t row = 0; row < csv.rows.size(); ++row) {
      if (!tree.empty() && csv.text(row, "Tree") != tree) continue;
      t.push_back(csv.number(row, "age"));
      y.push_back(csv.number(row, "circumference"));
    }
  } else if (fit.dataset == "DNase") {
    const Csv csv = read_csv("growth_curves/DNase_run1.csv");
    for (std::size_t row = 0; row < csv.rows.size(); ++row) {
      t.push_back(std::log(csv.number(row, "conc")));
      y.push_back(csv.number(row, "density"));
    }
  } else {
    throw std::runtime_error("unknown reference dataset " + fit.dataset);
  }
}

}  // namespace growth_test
