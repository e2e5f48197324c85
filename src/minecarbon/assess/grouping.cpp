#include "minecarbon/assess/grouping.h"

#include <algorithm>
#include <map>

#include "minecarbon/core/errors.h"

namespace minecarbon::assess {
namespace {

const char* const kIso3Fields[] = {"ISO3_CODE", "iso3", "ISO3", "ISO_A3", "iso_a3"};

bool has_field(const geo::PolygonLayer& mines, const std::string& field) {
  return std::find(mines.field_names.begin(), mines.field_names.end(), field) !=
         mines.field_names.end();
}

std::string attribute(const geo::PolygonFeature& feature, const std::string& field) {
  const auto it = feature.attributes.find(field);
  return it == feature.attributes.end() ? std::string() : it->second;
}

std::string choose_iso3_field(const geo::PolygonLayer& mines, const std::string& wanted,
                              const std::string& stage) {
  if (!wanted.empty()) {
    if (!has_field(mines, wanted)) {
      throw ConfigError(stage + " iso3_field = '" + wanted + "': no such field in " + mines.path);
    }
    return wanted;
  }
  for (const char* name : kIso3Fields)
    if (has_field(mines, name)) return name;
  throw ConfigError(stage + " group_by names an M49 column but " + mines.path +
                    " has no ISO-3 field (looked for ISO3_CODE, iso3, ISO3, ISO_A3, iso_a3); set "
                    "iso3_field");
}

}  // namespace

bool is_m49_column(const std::string& name) {
  return name == "continent" || name == "region" || name == "sub_region" ||
         name == "intermediate_region";
}

std::vector<GroupColumn> group_columns(const geo::PolygonLayer& mines,
                                       const std::vector<std::string>& group_by,
                                       const std::string& iso3_field, const CsvText* m49,
                                       const std::string& stage) {
  std::vector<GroupColumn> columns;
  const std::size_t n_mines = mines.features.size();
  for (const std::string& field : group_by) {
    GroupColumn column;
    column.field = field;
    column.values.resize(n_mines);
    if (has_field(mines, field)) {
      for (std::size_t mine = 0; mine < n_mines; ++mine)
        column.values[mine] = attribute(mines.features[mine], field);
    } else if (is_m49_column(field)) {
      if (!m49) throw ConfigError(stage + " group_by '" + field + "' needs the M49 table");
      column.iso3_field = choose_iso3_field(mines, iso3_field, stage);
      std::map<std::string, std::string> region_of;
      const std::size_t iso_col = m49->column("iso3"), value_col = m49->column(field);
      for (const auto& row : m49->rows)
        region_of[row[iso_col]] = row[value_col];
      for (std::size_t mine = 0; mine < n_mines; ++mine) {
        const auto it = region_of.find(attribute(mines.features[mine], column.iso3_field));
        if (it == region_of.end()) {
          column.values[mine] = "unknown";
          ++column.unknown_iso3;
        } else {
          column.values[mine] = it->second;
        }
      }
    } else {
      std::string names;
      for (const auto& name : mines.field_names)
        names += (names.empty() ? "" : ", ") + name;
      throw ConfigError(stage + " group_by '" + field + "': not a field of " + mines.path +
                        " (fields: " + names +
                        ") nor an M49 column (continent, region, sub_region, "
                        "intermediate_region)");
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

}  // namespace minecarbon::assess
