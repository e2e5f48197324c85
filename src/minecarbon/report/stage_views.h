// What the report takes from each stage, listed once: a stage adds its views in one row of
// stage_views() (issue 14: "views are found through a registry").
#pragma once

#include <string>
#include <vector>

namespace minecarbon::report {

// What the report shows of one stage: a table with one row per mine, a table with one row per
// mine and year, aggregate tables, and the GeoPackage layer holding the mines' geometry.
struct StageView {
  std::string stage;                    // as summary.json names it: "damage", "potential", …
  std::string mine_table;               // tables/<name>.csv, one row per mine; "" = none
  std::string mine_year_table;          // tables/<name>.csv, one row per mine and year; "" = none
  std::vector<std::string> aggregates;  // tables/<name>.csv shown as they are
  std::string geometry_gpkg;  // file in the stage's folder; "" = the stage writes no geometry
  std::string geometry_layer;
  // The column of the per-mine and per-mine-and-year tables holding the mine id (warning names
  // its series `id`; under `run` they are damage's mine ids).
  std::string id_column = "mine_id";
  // For stages whose summary.json has no "stage" key: a table only this stage writes
  // (tables/<name>.csv) recognises its folder. "" = the stage always names itself.
  std::string signature_table = "";
};

// Every stage the report knows, in the order its sections appear. A new stage adds its row here.
const std::vector<StageView>& stage_views();
const StageView* find_stage_view(const std::string& stage);

}  // namespace minecarbon::report
