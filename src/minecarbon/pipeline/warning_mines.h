// What the per-series warning stage takes from the mines (docs/warning.md, "The stage"): each
// series' own BFAST Monitor history start from `history_start_field` (a column of the series CSV,
// a field of the mine layer, or of damage's mine attributes in a run), each mine's reference-ring
// mean and sd from damage in memory (the spatial z), and the `warning` layer of results.gpkg.
#pragma once

#include <string>
#include <vector>

#include "minecarbon/assess/damage.h"
#include "minecarbon/assess/warning/warning_stage.h"
#include "minecarbon/core/table.h"
#include "minecarbon/geo/polygon_layer.h"

namespace minecarbon::pipeline {

// True when the CSV at `path` has a column `field` (header only).
bool csv_has_column(const std::string& path, const std::string& field, const std::string& encoding);

// Sets WarningSeries::history_start from the column `field` of the series CSV: one value per id
// (empty or NA: none). DataError naming file, line and column for a value that is not a number
// or that differs between the rows of one id.
void history_start_from_csv(std::vector<assess::warning::WarningSeries>& series,
                            const std::string& path, const std::string& field,
                            const std::string& encoding);

// From the field `field` of the mine layer, joined by mine id (empty: none). DataError naming
// layer, mine and field for a value that is not a number.
void history_start_from_layer(std::vector<assess::warning::WarningSeries>& series,
                              const geo::PolygonLayer& layer, const std::string& field);

// From damage's mine attributes (the layer's fields and group keys, DamageResult
// ::mine_attribute_names). ConfigError naming the key and listing the fields when `field` is not
// one of them; DataError for a value that is not a number.
void history_start_from_damage(std::vector<assess::warning::WarningSeries>& series,
                               const assess::DamageResult& damage, const std::string& field);

// Sets ring_own, ring_mean, ring_sd (Q, O and the ring's area-weighted sd per year) of the
// series of damage's mines, from damage's typed mine-year records.
void ring_from_damage(std::vector<assess::warning::WarningSeries>& series,
                      const assess::DamageResult& damage);

// The `warning` layer of results.gpkg: one row per mine of `layer` (layer order): mine_id,
// level (empty: no series for this mine), rules_hit and the key statistics (docs/warning.md).
// `unmatched` receives the series ids that are not mine ids.
Table warning_mine_table(const assess::warning::WarningResult& result,
                         const geo::PolygonLayer& layer, std::vector<std::string>& unmatched);

// The statistics the layer carries, in column order after mine_id, level, rules_hit.
const std::vector<assess::warning::Statistic>& warning_layer_statistics();

}  // namespace minecarbon::pipeline
