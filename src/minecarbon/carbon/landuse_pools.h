// The carbon pool table of the landuse stage: densities per land-use class, InVEST Carbon's
// `carbon_pools_path` layout.
//
// Columns (header case-insensitive, any order): `lucode` (integer class code), `c_above`,
// `c_below`, `c_soil`, `c_dead` (Mg C/ha = t C/ha of elemental carbon, not CO2; every pool filled,
// 0 to omit a pool). Optional: `name` (used in outputs), and per pool either `<pool>_sd` (normal,
// truncated at 0) or `<pool>_min` and `<pool>_max` (triangular with mode = the pool's value), for
// the Monte Carlo of carbon/landuse_uncertainty.h. Any other column is kept as a text label.
// C_k = c_above + c_below + c_soil + c_dead is the class's total stock density.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/carbon/landuse_uncertainty.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::carbon {

inline constexpr const char* kLandusePoolNames[kLandusePools] = {"c_above", "c_below", "c_soil",
                                                                 "c_dead"};

struct LandusePoolTable {
  std::string source;
  std::vector<std::int64_t> codes;               // in table order
  std::vector<std::string> names;                // `name`, or the code as text
  std::vector<ClassPoolDensities> pools;         // per class, pools in kLandusePoolNames order
  std::vector<double> total_tC_ha;               // C_k per class
  std::vector<std::size_t> lines;                // line of each class in the file
  std::vector<std::string> label_columns;        // extra columns, as in the file
  std::vector<std::vector<std::string>> labels;  // [class][label column]
  bool has_spread = false;                       // any `_sd` or `_min`/`_max` column

  std::size_t size() const { return codes.size(); }
  // Index of a class code; nullopt when the table has no such class.
  std::optional<std::size_t> find(std::int64_t code) const;
  // "file:line" of a class, for citing the row a value came from.
  std::string cite(std::size_t idx) const { return source + ":" + std::to_string(lines[idx]); }
};

// Parses the table. Throws DataError "file:LINE, field 'c_soil': ..." for a missing required column,
// a non-integer lucode, a missing, non-numeric, negative or non-finite pool or spread value, a
// duplicate lucode (naming both lines), `_min` without `_max` (or the reverse), both `_sd` and
// `_min`/`_max` for one pool, min > value or max < value; and for an empty table.
LandusePoolTable parse_landuse_pools(const CsvText& csv);

}  // namespace minecarbon::carbon
