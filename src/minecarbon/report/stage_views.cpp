#include "minecarbon/report/stage_views.h"

namespace minecarbon::report {

const std::vector<StageView>& stage_views() {
  // stage, per mine, per mine and year, aggregates, outlines (file, layer), id column, signature.
  static const std::vector<StageView> views = {
      {"damage",
       "mines",
       "mine_year",
       {"year_summary", "group_year", "group_trend", "periods"},
       "results.gpkg",
       "mines"},
      {"potential", "potential", "", {"group_summary", "importance"}, "results.gpkg", "potential"},
      {"landuse", "mines", "", {"date_totals", "pair_totals"}, "landuse.gpkg", "mines"},
      {"emissions", "mine_totals", "mine_year", {}, "", ""},
      {"vegetation", "mines", "", {"saturation", "projection_mines"}, "vegetation.gpkg", "mines"},
      {"soil", "", "", {"scenarios", "comparison"}, "", ""},
      {"balance", "mine_summary", "mine_year", {}, "balance.gpkg", "mines"},
      // Folders of these stages written before their summary.json carried a "stage" key are known
      // by a table only the stage writes (the last column).
      {"nep", "", "", {"nep_summary"}, "", "", "mine_id", "nep_summary"},
      {"indices", "", "", {"mine_index"}, "results.gpkg", "mine_index", "mine_id", "mine_index"},
      {"warning",
       "warning_series",
       "",
       {"warning_alerts", "warning_forecast", "warning_pixel_mine"},
       "",  // outlines come from damage in a run (the warning layer is keyed by series id)
       "",
       "id",
       "warning_series"},
      {"classify",
       "mine_class",
       "",
       {"breaks"},
       "results.gpkg",
       "mine_class",
       "mine_id",
       "mine_class"},
      {"topography",
       "mine_terrain",
       "",
       {"terrain_groups", "terrain_tests", "partial_dependence"},
       "results.gpkg",
       "mine_terrain",
       "mine_id",
       "mine_terrain"},
      {"plan", "", "", {"schemes", "scheme_year", "ranking", "payoff", "weights"}, "", ""},
      {"scenario",
       "",
       "",
       {"demand", "scenario_carbon", "validation_metrics", "driver_contribution"},
       "",
       "",
       "mine_id",
       "markov_p"},
  };
  return views;
}

const StageView* find_stage_view(const std::string& stage) {
  for (const StageView& view : stage_views())
    if (view.stage == stage) return &view;
  return nullptr;
}

}  // namespace minecarbon::report
