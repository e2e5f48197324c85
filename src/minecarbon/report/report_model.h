// The one data model behind the HTML report, the paper figures and the server: every mine, the
// variables the stages wrote about it (with unit, stage and palette), their yearly series, the
// stages' aggregate tables and summaries, and the mines' outlines in lon/lat.
//
// Built from a results folder's files (load_report_model) or from a run in the PostGIS store
// (store/pg_report_reader.h), both through build_report_model; nothing here computes a result of
// its own — a value shown is a value a stage wrote. Values come from the stages' CSV tables (every
// stage writes them, with the shortest text that reads back to the same double, so they equal
// the GeoPackage's values); geometry comes from a stage's GeoPackage mine layer.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "minecarbon/core/csv.h"
#include "minecarbon/geo/polygon.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/report/column_units.h"
#include "minecarbon/report/stage_views.h"

namespace minecarbon::report {

// One column a stage wrote about every mine (or every mine and year).
struct ReportVariable {
  // "<stage>.<table>.<column>": the same column may come from two stages, or from a stage's
  // per-mine and per-year tables (emissions' co2_t).
  std::string key;
  std::string stage;   // "damage"
  std::string column;  // "nep_loss_last_gC_m2_yr"
  std::string table;   // the table it came from: "mines", "mine_year"
  std::string unit;    // from the suffix rules; "" when the name matches none
  PaletteKind palette = PaletteKind::sequential;
  // Diverging with positive = a loss (positive_is_loss): its colours run the other way, so that
  // losses are red.
  bool reversed = false;
  bool numeric = true;
  // Per-year variables: the years, and values year-major ([y · n_mines + mine]). Empty years =
  // one value per mine.
  std::vector<std::int32_t> years;
  std::vector<double> values;      // numeric: NaN = no value (not analysed, NA, or not written)
  std::vector<std::string> texts;  // text: "" = no value
  std::size_t missing = 0;         // values that are NaN or "" (shown grey, "no data")

  bool per_year() const { return !years.empty(); }
  double value(std::size_t mine, std::size_t year_idx = 0) const;
};

// A table shown as it is (year_summary, group_year, …): numeric columns as numbers (NaN = NA),
// the others as text.
struct ReportTable {
  std::string stage, name;
  std::vector<std::string> columns;
  std::vector<bool> numeric;                    // per column
  std::vector<std::vector<double>> numbers;     // per column; empty for text columns
  std::vector<std::vector<std::string>> texts;  // per column; empty for numeric columns
  std::size_t rows = 0;
  std::size_t column(const std::string& name) const;  // throws std::out_of_range
};

struct StageSummary {
  std::string stage;
  std::filesystem::path dir;
  nlohmann::json summary;  // the stage's summary.json as written
};

struct ReportModel {
  std::filesystem::path results_dir;
  std::vector<StageSummary> stages;   // in report order
  std::vector<std::string> mine_ids;  // every mine of any stage: the first stage's order, then new
  std::vector<ReportVariable> variables;
  std::vector<ReportTable> tables;
  // Per mine, in lon/lat (EPSG:4326, x = lon); empty when no stage wrote the mine's outline.
  std::vector<geo::MultiPolygon> geometry;
  std::string geometry_source;  // "damage results.gpkg layer mines"
  // Numeric variables whose name matches no unit rule: shown without a unit and listed.
  std::vector<std::string> variables_without_unit;
  std::vector<std::string> skipped;  // summary.json files of stages the report does not know
  // key → position in `variables`, so find_variable is one hash look-up (the figures and the
  // server look variables up per mine). load_report_model builds it; code that adds variables
  // afterwards calls index_variables() again (find_variable falls back to a scan of `variables`
  // while the index does not cover them all, so a stale index is slow, never wrong).
  std::unordered_map<std::string, std::size_t> variable_index;

  bool has_stage(const std::string& stage) const;
  const ReportVariable* find_variable(const std::string& key) const;
  void index_variables();
  const ReportTable* find_table(const std::string& stage, const std::string& name) const;
};

// Reads every stage found in `results_dir` (report/results_folder.h). Throws DataError naming the
// file, line and column for a table that cannot be read, a mine table without `mine_id`, or a
// mine_year table without `year`; a GeoPackage that cannot be opened or transformed to lon/lat.
// `threads`: workers for reading the tables and turning columns into variables (the model is
// the same for any count).
ReportModel load_report_model(const std::filesystem::path& results_dir, int threads = 1);

// One stage's part of the model, whatever holds it (a results folder's files, or a run in the
// PostGIS store, store/pg_report_reader.h): its summary, the tables its view shows as text, and
// its mine outlines. Both sources go through build_report_model, so the same values give the
// same model.
struct StageTables {
  const StageView* view = nullptr;
  std::filesystem::path dir;  // StageSummary::dir: the stage's folder, or its place in the store
  nlohmann::json summary;
  // The tables of view_table_names() that the stage wrote, by name, as CSV text (a number as
  // text that reads back to the same double; "" or NA = no value).
  std::map<std::string, CsvText> tables;
  // The view's geometry layer, ids from `mine_id` (empty = the stage wrote none). Called only for
  // the first stage that has one.
  std::function<geo::PolygonLayer()> outlines;
  std::string outlines_source;  // "results.gpkg layer mines": geometry_source after the stage
};

// The tables the report takes from a stage: its per-mine and per-mine-and-year tables, its
// aggregates, and soil's scenario_years (the figures' SOC series).
std::vector<std::string> view_table_names(const StageView& view);

// The model of `stages`, given in report order (stage_views()). `results_dir` labels it (the
// default title, messages); `skipped` is kept as ReportModel::skipped. Throws as
// load_report_model does.
ReportModel build_report_model(const std::filesystem::path& results_dir,
                               const std::vector<StageTables>& stages,
                               std::vector<std::string> skipped = {}, int threads = 1);

}  // namespace minecarbon::report
