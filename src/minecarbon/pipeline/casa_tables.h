// The tables of the nep stage, read in the one factor-table order (docs/factor_tables.md): the
// shipped data/casa_vegetation.csv first, then the user's vegetation table, whose rows replace
// shipped rows of the same `type` (assess::merge_factor_rows); and the user's class table mapping
// the vegetation raster's codes to CASA types (carbon/casa_vegetation.h, docs/nep.md §5).
#pragma once

#include <string>
#include <vector>

#include "minecarbon/carbon/casa_vegetation.h"

namespace minecarbon::pipeline {

inline constexpr const char* kCasaVegetationTable = "casa_vegetation.csv";

struct CasaVegetationFiles {
  carbon::CasaVegetationTable table;
  std::vector<std::string> files;  // "data/casa_vegetation.csv" (when used), then the user's
};

// `user` empty: the shipped table alone; `use_shipped` false: the user's alone. Throws DataError
// from the parser (file:line, field) and RunError when the shipped table cannot be found.
CasaVegetationFiles load_casa_vegetation(const std::string& user, const std::string& encoding,
                                         bool use_shipped = true);

// Reads and parses a class table (columns code, type).
std::vector<carbon::CasaClassRow> load_casa_class_table(const std::string& path,
                                                        const std::string& encoding);

}  // namespace minecarbon::pipeline
