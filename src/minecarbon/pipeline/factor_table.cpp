#include "minecarbon/pipeline/factor_table.h"

#include "minecarbon/pipeline/damage_job.h"

namespace minecarbon::pipeline {

FactorTableFiles read_factor_table_files(const std::string& shipped_name, const std::string& user,
                                         const std::string& encoding, bool use_shipped) {
  FactorTableFiles out;
  if (use_shipped) {
    out.tables.push_back(read_shipped_table(shipped_name));
    out.files.push_back("data/" + shipped_name);
  }
  if (!user.empty()) {
    out.tables.push_back(read_csv_file(user, {encoding}));
    out.files.push_back(user);
  }
  return out;
}

}  // namespace minecarbon::pipeline
