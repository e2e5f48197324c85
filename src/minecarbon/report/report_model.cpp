#include "minecarbon/report/report_model.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/report/results_folder.h"

namespace fs = std::filesystem;

namespace minecarbon::report {
namespace {

// By length first: called for every cell of every table (16 million at 45,000 mines), where three
// string comparisons each were a tenth of the report's time.
bool is_missing(std::string_view cell) {
  switch (cell.size()) {
    case 0:
      return true;
    case 2:
      return cell[0] == 'N' && cell[1] == 'A';
    case 3:
      return cell == "NaN" || cell == "nan";
    default:
      return false;
  }
}

// The number a cell holds, or nullopt when it is not wholly a number.
std::optional<double> parse_number(const std::string& cell) {
  double value = 0.0;
  const char* end = cell.data() + cell.size();
  const auto [ptr, ec] = std::from_chars(cell.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

// A column is numeric when every cell is a number or missing (a column missing everywhere, such
// as a value the user gave no price for, is a numeric column of NAs).
bool numeric_column(const CsvText& csv, std::size_t col) {
  for (const auto& row : csv.rows)
    if (!is_missing(row[col]) && !parse_number(row[col])) return false;
  return true;
}

// The stages' mines in one order: the first stage's mines in its order, then each mine a later
// table names for the first time.
class MineIndex {
 public:
  std::size_t add(const std::string& id) {
    const auto [it, inserted] = index_.emplace(id, ids_.size());
    if (inserted) ids_.push_back(id);
    return it->second;
  }
  std::size_t at(const std::string& id) const { return index_.at(id); }
  std::size_t size() const { return ids_.size(); }
  const std::vector<std::string>& ids() const { return ids_; }

 private:
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::string> ids_;
};

struct ReadTable {
  const StageTables* folder;
  std::string name;
  const CsvText& csv;  // in folder->tables: the mine-year tables are the largest, never copied
  std::size_t id_col = 0;
  bool per_year = false;
  std::size_t year_col = 0;
  std::vector<std::int32_t> year_of_row;
};

std::int32_t parse_year(const CsvText& csv, std::size_t row, std::size_t col) {
  const std::string& cell = csv.rows[row][col];
  std::int32_t year = 0;
  const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), year);
  if (ec != std::errc() || ptr != cell.data() + cell.size())
    throw DataError(csv.source + ":" + std::to_string(csv.line_numbers[row]) +
                    ", column 'year': '" + cell + "' is not a calendar year");
  return year;
}

ReadTable read_mine_table(const StageTables& folder, const std::string& name, bool per_year,
                          MineIndex& mines) {
  ReadTable t{&folder, name, folder.tables.at(name)};
  t.id_col = t.csv.column(folder.view->id_column);
  t.per_year = per_year;
  if (per_year) {
    t.year_col = t.csv.column("year");
    t.year_of_row.reserve(t.csv.rows.size());
    for (std::size_t r = 0; r < t.csv.rows.size(); ++r)
      t.year_of_row.push_back(parse_year(t.csv, r, t.year_col));
  }
  for (const auto& row : t.csv.rows)
    mines.add(row[t.id_col]);
  return t;
}

// A column whose name carries a unit holds numbers: text there is a damaged table.
[[noreturn]] void throw_text_in_numeric(const CsvText& csv, std::size_t col) {
  for (std::size_t r = 0; r < csv.rows.size(); ++r)
    if (!is_missing(csv.rows[r][col]) && !parse_number(csv.rows[r][col]))
      throw DataError(csv.source + ":" + std::to_string(csv.line_numbers[r]) + ", column '" +
                      csv.header[col] + "': '" + csv.rows[r][col] +
                      "' is not a number (the column's unit suffix says it holds numbers, or NA)");
  throw DataError(csv.source + ", column '" + csv.header[col] + "': not a number");
}

// Every row of a stage's per-mine-and-year table names a mine of its per-mine table.
void check_mines_known(const ReadTable& mines, const ReadTable& per_year) {
  std::unordered_set<std::string_view> ids;
  ids.reserve(mines.csv.rows.size());
  for (const auto& row : mines.csv.rows)
    ids.insert(row[mines.id_col]);
  for (std::size_t r = 0; r < per_year.csv.rows.size(); ++r)
    if (!ids.count(per_year.csv.rows[r][per_year.id_col]))
      throw DataError(per_year.csv.source + ":" + std::to_string(per_year.csv.line_numbers[r]) +
                      ", column 'mine_id': '" + per_year.csv.rows[r][per_year.id_col] +
                      "' is not among the mines of " + mines.csv.source +
                      "; the tables come from different runs; rerun the stage");
}

// One variable per column of a per-mine or per-mine-and-year table (all but its keys).
void add_variables(const ReadTable& t, const MineIndex& mines, ReportModel& model, int threads) {
  const std::string& stage = t.folder->view->stage;
  const bool per_year = t.per_year;
  std::vector<std::int32_t> years;
  std::map<std::int32_t, std::size_t> year_idx;
  if (per_year) {
    std::set<std::int32_t> seen(t.year_of_row.begin(), t.year_of_row.end());
    years.assign(seen.begin(), seen.end());
    for (std::size_t y = 0; y < years.size(); ++y)
      year_idx[years[y]] = y;
  }
  const std::size_t slots = mines.size() * std::max<std::size_t>(1, years.size());
  // Each row's slot once, not once per column (a mine-year table has a million rows).
  std::vector<std::size_t> slot_of_row(t.csv.rows.size());
  for (std::size_t r = 0; r < t.csv.rows.size(); ++r) {
    const std::size_t mine = mines.at(t.csv.rows[r][t.id_col]);
    slot_of_row[r] = per_year ? year_idx.at(t.year_of_row[r]) * mines.size() + mine : mine;
  }
  std::vector<std::size_t> columns;
  for (std::size_t col = 0; col < t.csv.header.size(); ++col)
    if (col != t.id_col && !(per_year && col == t.year_col)) columns.push_back(col);
  // Each column on its own worker into its own slot, then added in column order.
  std::vector<ReportVariable> made(columns.size());
  parallel_for(columns.size(), threads, [&](std::size_t item, std::size_t) {
    const std::size_t col = columns[item];
    ReportVariable& v = made[item];
    v.stage = stage;
    v.column = t.csv.header[col];
    v.key = stage + "." + t.name + "." + v.column;
    v.table = t.name;
    // Read as numbers in one pass; the first cell that is not one makes it a text column.
    v.numeric = true;
    v.values.assign(slots, kNaN);
    for (std::size_t r = 0; r < t.csv.rows.size() && v.numeric; ++r) {
      const std::string& cell = t.csv.rows[r][col];
      if (is_missing(cell)) continue;
      const auto number = parse_number(cell);
      if (number)
        v.values[slot_of_row[r]] = *number;
      else
        v.numeric = false;
    }
    if (!v.numeric && unit_rule_of(v.column)) throw_text_in_numeric(t.csv, col);
    v.years = years;
    if (const UnitRule* rule = unit_rule_of(v.column)) v.unit = std::string(rule->unit);
    v.palette = palette_of(v.column, v.numeric);
    v.reversed = v.palette == PaletteKind::diverging && positive_is_loss(v.column);
    if (!v.numeric) {
      std::vector<double>().swap(v.values);
      v.texts.assign(slots, "");
      for (std::size_t r = 0; r < t.csv.rows.size(); ++r) {
        const std::string& cell = t.csv.rows[r][col];
        if (!is_missing(cell)) v.texts[slot_of_row[r]] = cell;
      }
    }
    v.missing =
        v.numeric
            ? static_cast<std::size_t>(std::count_if(v.values.begin(), v.values.end(),
                                                     [](double x) { return std::isnan(x); }))
            : static_cast<std::size_t>(std::count(v.texts.begin(), v.texts.end(), std::string()));
  });
  for (ReportVariable& v : made) {
    if (v.numeric && v.unit.empty()) model.variables_without_unit.push_back(v.key);
    model.variables.push_back(std::move(v));
  }
}

ReportTable read_aggregate(const StageTables& folder, const std::string& name) {
  const CsvText& csv = folder.tables.at(name);
  ReportTable t;
  t.stage = folder.view->stage;
  t.name = name;
  t.columns = csv.header;
  t.rows = csv.rows.size();
  for (std::size_t col = 0; col < csv.header.size(); ++col) {
    const bool numeric = numeric_column(csv, col);
    t.numeric.push_back(numeric);
    t.numbers.emplace_back();
    t.texts.emplace_back();
    for (const auto& row : csv.rows) {
      if (numeric)
        t.numbers.back().push_back(is_missing(row[col]) ? kNaN : *parse_number(row[col]));
      else
        t.texts.back().push_back(row[col]);
    }
  }
  return t;
}

// The outlines of the first stage that wrote a mine layer, in lon/lat.
void read_geometry(const std::vector<StageTables>& folders, ReportModel& model) {
  model.geometry.assign(model.mine_ids.size(), {});
  for (const StageTables& folder : folders) {
    if (!folder.outlines) continue;
    const geo::PolygonLayer layer = folder.outlines();
    const geo::CrsTransform to_lonlat(layer.crs_wkt, geo::kWgs84);
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t m = 0; m < model.mine_ids.size(); ++m)
      index.emplace(model.mine_ids[m], m);
    for (const geo::PolygonFeature& feature : layer.features) {
      const auto it = index.find(feature.id);
      if (it == index.end()) continue;  // a mine no table lists: nothing to show for it
      model.geometry[it->second] =
          to_lonlat.apply(feature.shape, layer.path + " mine " + feature.id);
    }
    model.geometry_source = folder.view->stage + " " + folder.outlines_source;
    return;
  }
}

}  // namespace

double ReportVariable::value(std::size_t mine, std::size_t year_idx) const {
  const std::size_t n_mines = years.empty() ? values.size() : values.size() / years.size();
  return values.at(year_idx * n_mines + mine);
}

std::size_t ReportTable::column(const std::string& name) const {
  const auto it = std::find(columns.begin(), columns.end(), name);
  if (it == columns.end()) throw std::out_of_range("table " + this->name + " has no " + name);
  return static_cast<std::size_t>(it - columns.begin());
}

bool ReportModel::has_stage(const std::string& stage) const {
  return std::any_of(stages.begin(), stages.end(),
                     [&](const StageSummary& s) { return s.stage == stage; });
}

const ReportVariable* ReportModel::find_variable(const std::string& key) const {
  const auto it = variable_index.find(key);
  if (it != variable_index.end() && it->second < variables.size() &&
      variables[it->second].key == key)
    return &variables[it->second];
  // A miss is trusted only when the index covers every variable; otherwise scan.
  if (it == variable_index.end() && variable_index.size() == variables.size()) return nullptr;
  for (const ReportVariable& v : variables)
    if (v.key == key) return &v;
  return nullptr;
}

void ReportModel::index_variables() {
  variable_index.clear();
  variable_index.reserve(variables.size());
  for (std::size_t k = 0; k < variables.size(); ++k)
    variable_index.emplace(variables[k].key, k);
}

const ReportTable* ReportModel::find_table(const std::string& stage,
                                           const std::string& name) const {
  for (const ReportTable& t : tables)
    if (t.stage == stage && t.name == name) return &t;
  return nullptr;
}

std::vector<std::string> view_table_names(const StageView& view) {
  std::vector<std::string> names;
  for (const std::string& name : {view.mine_table, view.mine_year_table})
    if (!name.empty()) names.push_back(name);
  names.insert(names.end(), view.aggregates.begin(), view.aggregates.end());
  if (view.stage == "soil" &&
      std::find(names.begin(), names.end(), "scenario_years") == names.end())
    names.push_back("scenario_years");
  return names;
}

ReportModel load_report_model(const fs::path& results_dir, int threads) {
  std::vector<std::string> skipped;
  const std::vector<StageFolder> folders = find_stage_folders(results_dir, &skipped);
  // Every table's file, read on `threads` workers (the mine-year table is the largest by far; the
  // others are read beside it), each into its own slot.
  struct TableFile {
    std::size_t stage;
    std::string name, path;
  };
  std::vector<TableFile> files;
  for (std::size_t f = 0; f < folders.size(); ++f)
    for (const std::string& name : view_table_names(*folders[f].view))
      if (const auto file = folders[f].table(name)) files.push_back({f, name, file->string()});
  std::vector<CsvText> read(files.size());
  parallel_for(files.size(), threads,
               [&](std::size_t i, std::size_t) { read[i] = read_csv_file(files[i].path); });
  std::vector<StageTables> stages;
  for (std::size_t f = 0; f < folders.size(); ++f) {
    const StageFolder& folder = folders[f];
    StageTables stage{folder.view, folder.dir, folder.summary, {}, {}, {}};
    for (std::size_t i = 0; i < files.size(); ++i)
      if (files[i].stage == f) stage.tables.emplace(files[i].name, std::move(read[i]));
    if (const auto file = folder.geometry_file()) {
      stage.outlines = [file = *file, layer = folder.view->geometry_layer] {
        geo::PolygonLayerOptions options;
        options.layer = layer;
        options.id_field = "mine_id";
        return geo::read_polygon_layer(file.string(), options);
      };
      stage.outlines_source = file->filename().string() + " layer " + folder.view->geometry_layer;
    }
    stages.push_back(std::move(stage));
  }
  return build_report_model(results_dir, stages, std::move(skipped), threads);
}

ReportModel build_report_model(const fs::path& results_dir, const std::vector<StageTables>& stages,
                               std::vector<std::string> skipped, int threads) {
  ReportModel model;
  model.results_dir = results_dir;
  model.skipped = std::move(skipped);

  // Every table first, so the mine order (and each variable's length) is known before any
  // variable is filled.
  MineIndex mines;
  std::vector<ReadTable> read;
  for (const StageTables& folder : stages) {
    model.stages.push_back({folder.view->stage, folder.dir, folder.summary});
    auto has = [&](const std::string& name) {
      return !name.empty() && folder.tables.count(name) > 0;
    };
    const bool has_mine_table = has(folder.view->mine_table);
    if (has_mine_table)
      read.push_back(read_mine_table(folder, folder.view->mine_table, false, mines));
    if (has(folder.view->mine_year_table)) {
      read.push_back(read_mine_table(folder, folder.view->mine_year_table, true, mines));
      if (has_mine_table) check_mines_known(read[read.size() - 2], read.back());
    }
    for (const std::string& name : folder.view->aggregates)
      if (has(name)) model.tables.push_back(read_aggregate(folder, name));
    // Series the figures draw that the stage registry does not list as aggregates: soil's SOC
    // trajectory per scenario and year (issue 14: "series … soil scenario_years").
    if (folder.view->stage == "soil" && has("scenario_years") &&
        std::find(folder.view->aggregates.begin(), folder.view->aggregates.end(),
                  "scenario_years") == folder.view->aggregates.end())
      model.tables.push_back(read_aggregate(folder, "scenario_years"));
  }
  model.mine_ids = mines.ids();
  for (const ReadTable& t : read)
    add_variables(t, mines, model, threads);
  model.index_variables();
  read_geometry(stages, model);
  return model;
}

}  // namespace minecarbon::report
