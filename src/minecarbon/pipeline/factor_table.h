// Reading a factor table's files in the one documented order (assess/factor_table.h,
// docs/factor_tables.md): the shipped data/<name> first, cited as data/<name>:<line>, then the
// user's file, cited as the user named it.
#pragma once

#include <string>
#include <vector>

#include "minecarbon/core/csv.h"

namespace minecarbon::pipeline {

struct FactorTableFiles {
  std::vector<CsvText> tables;     // shipped (when used) first, then the user's
  std::vector<std::string> files;  // the same, for the summary: "data/<name>" or the user's path
};

// `user` empty: no user table. `use_shipped` false: the user's table alone.
FactorTableFiles read_factor_table_files(const std::string& shipped_name, const std::string& user,
                                         const std::string& encoding, bool use_shipped = true);

}  // namespace minecarbon::pipeline
