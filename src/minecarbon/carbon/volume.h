// Stem volume of standing trees from diameter and height, by per-species volume equations read
// from a factor table (shipped data/volume_equations.csv, extendable by the user).
//
// Forms (D = diameter at breast height 1.3 m, cm; H = total height, m; V = stem volume over bark,
// m³ per stem):
//   power        V = a · D^b · H^c                 the Chinese two-way volume equation (二元立木材积式),
//                                                  e.g. LY 208-1977 Chinese fir a = 5.8777042e-5,
//                                                  b = 1.9699831, c = 0.89646157; c = 0 gives a
//                                                  one-way (D only) equation
//   form_factor  V = f · g · H,  g = π/4 · (D/100)²  breast-height form factor f (dimensionless),
//                                                  g the basal area in m²
// Per hectare: V_ha = Σ stems_i · V_i / (plot area, ha).
// References: LY 208-1977 二元立木材积表 (Ministry of Forestry of China); the form-factor identity
// is textbook forest mensuration (e.g. West P. W. (2009) Tree and Forest Measurement, Springer,
// doi:10.1007/978-3-540-95966-3, ch. 6).
//
// Table. One row per key (a species name as written in the tree list, or any label a species
// table maps to); the key "*" is the default for species without a row. Columns: species, form
// (power | form_factor), a, b, c, form_factor, dbh_min_cm, dbh_max_cm (validity range of the
// source; empty = unbounded), source (required, non-empty), status. Later tables override earlier
// rows of the same key, which is how a user table extends or corrects the shipped one.
//
// Domain and edges: D > 0 and H > 0 are the caller's contract (the inventory reader rejects the
// rest); outside [dbh_min_cm, dbh_max_cm] the equation is extrapolated and the caller is told
// (in_range). Accuracy is that of the source equation (typically ±5–10 % per tree).
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/core/csv.h"

namespace minecarbon::carbon {

// Typed access to one row of a factor table with "file:line" in every message. Shared by the
// volume and biomass tables.
class FactorRow {
 public:
  FactorRow(const CsvText& csv, std::size_t row_idx) : csv_(csv), row_(row_idx) {}
  // "file:line".
  std::string where() const;
  // Trimmed text of `column`; "" when the table has no such column.
  std::string text(const std::string& column) const;
  // Number in `column`; NaN when empty, "NA" or the column is absent. DataError when not a number.
  double number(const std::string& column) const;
  // As number(), but a DataError naming the table, line, column and `expected` if empty.
  double required_number(const std::string& column, const std::string& expected) const;
  [[noreturn]] void fail(const std::string& column, const std::string& problem) const;

 private:
  const CsvText& csv_;
  std::size_t row_;
};

// Throws DataError naming the table and listing its columns if any of `columns` is missing.
// Every factor table needs a `source` column (house rule); pass it in `columns`.
void require_columns(const CsvText& csv, const std::vector<std::string>& columns,
                     const std::string& what);

enum class VolumeForm { power, form_factor };
std::string_view to_string(VolumeForm form);
std::string volume_form_choices();  // "power, form_factor"

struct VolumeEquation {
  std::string key;  // species, or "*" for the default row
  VolumeForm form = VolumeForm::power;
  double a = std::numeric_limits<double>::quiet_NaN();            // power: m³ cm^−b m^−c
  double b = std::numeric_limits<double>::quiet_NaN();            // power: exponent of D
  double c = std::numeric_limits<double>::quiet_NaN();            // power: exponent of H
  double form_factor = std::numeric_limits<double>::quiet_NaN();  // form_factor: f
  double dbh_min_cm = 0.0;
  double dbh_max_cm = std::numeric_limits<double>::infinity();
  std::string source;
  std::string status;
  std::string origin;  // "file:line" of the row, for messages and provenance
};

// V in m³ for one stem (formulas in the header comment). NaN if D ≤ 0 or H ≤ 0.
double stem_volume_m3(const VolumeEquation& equation, double dbh_cm, double height_m);
// True when D lies within the equation's stated range.
bool in_range(const VolumeEquation& equation, double dbh_cm);

class VolumeEquationTable {
 public:
  // Adds the rows of one table; rows replace earlier rows of the same key. Throws DataError with
  // file:line for a missing column, an unknown form, a non-positive coefficient where one is
  // needed, an empty source or a key given twice in the same file.
  void add(const CsvText& csv);
  // The row for `key`; nullptr when there is none.
  const VolumeEquation* find(const std::string& key) const;
  // The row for `key`, else the default row "*", else nullptr.
  const VolumeEquation* find_or_default(const std::string& key) const;
  // The files added, in order ("data/volume_equations.csv, my_volumes.csv"), for messages.
  std::string files() const;
  std::size_t size() const { return rows_.size(); }

 private:
  std::map<std::string, VolumeEquation> rows_;
  std::vector<std::string> files_;
};

}  // namespace minecarbon::carbon
