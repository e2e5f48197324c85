// Group keys of mines for regional totals: a field of the mine layer, or a UN M49 column
// (continent, region, sub_region, intermediate_region) joined through the mine's ISO 3166-1
// alpha-3 code and the M49 table (data/un_m49.csv: iso3 → region names).
//
// The same rules as the damage stage's group_by: a layer field wins over an M49 column of the same
// name; an ISO-3 code the table does not know is grouped as "unknown" and counted; a mine without
// the field gets "".
#pragma once

#include <string>
#include <vector>

#include "minecarbon/core/csv.h"
#include "minecarbon/geo/polygon_layer.h"

namespace minecarbon::assess {

struct GroupColumn {
  std::string field;
  std::vector<std::string> values;  // one per mine, layer order
  int unknown_iso3 = 0;             // mines whose ISO-3 code the M49 table lacks (M49 columns)
  std::string iso3_field;           // the field joined on (M49 columns), else empty
};

// True for the M49 columns that can be grouped by: continent, region, sub_region,
// intermediate_region.
bool is_m49_column(const std::string& name);

// `stage` prefixes messages ("[potential]"). `iso3_field` empty = the first of ISO3_CODE, iso3,
// ISO3, ISO_A3, iso_a3 that the layer has. Throws ConfigError for a field that is neither a layer
// field nor an M49 column, for an M49 column without the M49 table or without an ISO-3 field;
// DataError for an M49 table without the needed columns.
std::vector<GroupColumn> group_columns(const geo::PolygonLayer& mines,
                                       const std::vector<std::string>& group_by,
                                       const std::string& iso3_field, const CsvText* m49,
                                       const std::string& stage);

}  // namespace minecarbon::assess
