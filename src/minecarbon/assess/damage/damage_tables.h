// The damage stage's published tables, made from its typed records, and typed accessors for the
// stages that build on damage (potential, later the balance), which read fields, not columns.
#pragma once

#include <string>
#include <vector>

#include "minecarbon/assess/damage.h"
#include "minecarbon/core/table.h"

namespace minecarbon::assess {

struct DamageTables {
  Table mines;  // one row per input mine, with the layer's attributes; the GeoPackage layer
  Table mine_year;
  Table year_summary;
  Table group_year;
  Table group_trend;
  Table periods;
};

// The tables as published (tables/*.csv and results.gpkg); column names carry units. A table
// without rows keeps its header.
DamageTables to_tables(const DamageResult& result);

// One value per mine, keyed by the mine id.
struct MineValue {
  std::string mine_id;
  double value;
};

// P = Q_last − Q_base (nep_mine_change_gC_m2_yr in the series' last year) of every analysed mine,
// in layer order: potential's default response (nep_increment_gC_m2_yr). NaN where missing.
std::vector<MineValue> mine_change_last_year(const DamageResult& result);
// Any numeric field of the mine records, e.g. mine_values(result, &MineRecord::area_m2).
std::vector<MineValue> mine_values(const DamageResult& result, double MineRecord::*field);

}  // namespace minecarbon::assess
