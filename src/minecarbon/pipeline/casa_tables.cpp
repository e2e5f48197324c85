#include "minecarbon/pipeline/casa_tables.h"

#include "minecarbon/assess/factor_table.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/pipeline/factor_table.h"

namespace minecarbon::pipeline {

CasaVegetationFiles load_casa_vegetation(const std::string& user, const std::string& encoding,
                                         bool use_shipped) {
  const FactorTableFiles read =
      read_factor_table_files(kCasaVegetationTable, user, encoding, use_shipped);
  CasaVegetationFiles out;
  out.files = read.files;
  for (const CsvText& csv : read.tables) {
    carbon::CasaVegetationTable parsed = carbon::parse_casa_vegetation(csv);
    out.table.types =
        assess::merge_factor_rows(std::move(out.table.types), std::move(parsed.types),
                                  [](const carbon::CasaVegetationType& row) { return row.type; });
  }
  return out;
}

std::vector<carbon::CasaClassRow> load_casa_class_table(const std::string& path,
                                                        const std::string& encoding) {
  return carbon::parse_casa_class_table(read_csv_file(path, {encoding}));
}

}  // namespace minecarbon::pipeline
