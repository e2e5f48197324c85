#include "minecarbon/pipeline/balance_job.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>

#include "minecarbon/assess/balance/balance_tables.h"
#include "minecarbon/assess/balance/damage_adapter.h"
#include "minecarbon/assess/balance/emissions_adapter.h"
#include "minecarbon/assess/balance/landuse_adapter.h"
#include "minecarbon/assess/balance/soil_adapter.h"
#include "minecarbon/assess/balance/vegetation_adapter.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/publish.h"
#include "minecarbon/pipeline/stage_results.h"
#include "minecarbon/report/writers.h"

namespace fs = std::filesystem;

namespace minecarbon::pipeline {

const OptionTable<BalanceJob>& balance_options() {
  static const OptionTable<BalanceJob> table = [] {
    using J = BalanceJob;
    OptionTable<J> t("balance");
    t.add_path(
         "from", [](J& j) -> std::string& { return j.from; },
         "results folder of a previous run: damage's tables/ at its top, vegetation/, soil/, "
         "landuse/, emissions/ below")
        .must_exist();
    t.add_path(
         "damage_dir", [](J& j) -> std::string& { return j.damage_dir; },
         "folder the damage stage wrote (holds tables/mine_year.csv)")
        .shown_default("from")
        .must_exist();
    t.add_path(
         "landuse_dir", [](J& j) -> std::string& { return j.landuse_dir; },
         "folder the landuse stage wrote (holds tables/mine_change.csv)")
        .shown_default("from/landuse")
        .must_exist();
    t.add_path(
         "emissions_dir", [](J& j) -> std::string& { return j.emissions_dir; },
         "folder the emissions stage wrote (holds tables/mine_year_source.csv)")
        .shown_default("from/emissions")
        .must_exist();
    t.add_path(
         "vegetation_dir", [](J& j) -> std::string& { return j.vegetation_dir; },
         "folder the vegetation stage wrote (holds tables/projection_mines.csv)")
        .shown_default("from/vegetation")
        .must_exist();
    t.add_path(
         "soil_dir", [](J& j) -> std::string& { return j.soil_dir; },
         "folder the soil stage wrote (holds tables/scenario_years.csv and/or "
         "tables/ipcc_trajectory.csv)")
        .shown_default("from/soil")
        .must_exist();
    t.add_path(
         "mines", [](J& j) -> std::string& { return j.mines; },
         "mine polygons for balance.gpkg (any OGR format)")
        .shown_default("damage's results.gpkg when found")
        .must_exist();
    t.add(
         "mines_layer", [](J& j) -> std::string& { return j.mines_layer; },
         "layer of the mines file")
        .shown_default("first layer")
        .flag("--layer");
    t.add(
         "id_field", [](J& j) -> std::string& { return j.id_field; },
         "field of the mines holding the mine id")
        .shown_default("feature id");
    t.add(
        "repair", [](J& j) -> bool& { return j.repair; },
        "repair invalid polygons (false: refuse them)");
    t.add(
         "report_mines", [](J& j) -> std::vector<std::string>& { return j.report_mines; },
         "mine ids to write report_mine_<id>.csv for, or \"all\"")
        .flag("--report-mine");
    t.add(
        "encoding", [](J& j) -> std::string& { return j.encoding; }, kEncodingDoc);
    t.include(assess::BalanceParams::options(),
              [](J& j) -> assess::BalanceParams& { return j.params; });
    return t;
  }();
  return table;
}

void validate(const BalanceJob& job) {
  check_options(balance_options(), job);
  check_encoding_option("balance", job.encoding);
  if (job.mines.empty() && (!job.mines_layer.empty() || !job.id_field.empty()))
    throw OptionError("balance", job.mines_layer.empty() ? "id_field" : "mines_layer",
                      "is set but mines is not: give mines = \"<polygon file>\" (the layer and "
                      "id field belong to it), or remove this key");
  job.params.validate();
  check_paths_exist(balance_options(), job);
}

BalanceJob balance_job_from_toml(const toml::table& table, const TomlSource& source) {
  BalanceJob job;
  read_toml_options(balance_options(), table, source, job);
  try {
    validate(job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
  return job;
}

bool has_any_folder(const BalanceJob& job) {
  return !job.from.empty() || !job.damage_dir.empty() || !job.landuse_dir.empty() ||
         !job.emissions_dir.empty() || !job.vegetation_dir.empty() || !job.soil_dir.empty();
}

// ---- locating and reading the tables -------------------------------------------------------

std::vector<BalanceTableFile> locate_balance_tables(const BalanceJob& job) {
  struct Spec {
    const char* stage;
    const std::string* dir;
    const char* sub;  // below `from`
    const char* file;
    const char* key;
  };
  const Spec specs[] = {
      {"emissions", &job.emissions_dir, "emissions", "mine_year_source.csv", "emissions_dir"},
      {"landuse", &job.landuse_dir, "landuse", "mine_change.csv", "landuse_dir"},
      {"damage", &job.damage_dir, "", "mine_year.csv", "damage_dir"},
      {"vegetation", &job.vegetation_dir, "vegetation", "projection_mines.csv", "vegetation_dir"},
      {"soil", &job.soil_dir, "soil", "scenario_years.csv", "soil_dir"},
      {"soil", &job.soil_dir, "soil", "ipcc_trajectory.csv", "soil_dir"},
  };
  std::vector<BalanceTableFile> out;
  for (const Spec& spec : specs) {
    BalanceTableFile found{spec.stage, spec.file, "", {}};
    const bool given = !spec.dir->empty();
    fs::path dir;
    if (given) {
      dir = *spec.dir;
    } else if (!job.from.empty()) {
      dir = fs::path(job.from) / spec.sub;
    }
    if (!dir.empty()) {
      for (const fs::path& candidate : {dir / "tables" / spec.file, dir / spec.file}) {
        found.looked_at.push_back(candidate.lexically_normal().string());
        std::error_code ec;
        if (found.path.empty() && fs::is_regular_file(candidate, ec))
          found.path = candidate.lexically_normal().string();
      }
    }
    out.push_back(std::move(found));
  }
  // A folder given for a stage must hold one of its tables (soil: either or both).
  for (const Spec& spec : specs) {
    if (spec.dir->empty()) continue;
    std::vector<std::string> files, looked;
    bool any = false;
    for (std::size_t idx = 0; idx < out.size(); ++idx) {
      if (specs[idx].dir != spec.dir) continue;
      any = any || !out[idx].path.empty();
      files.push_back(out[idx].table);
      for (const auto& path : out[idx].looked_at)
        looked.push_back(path);
    }
    if (!any)
      throw DataError("balance: " + std::string(spec.key) + " = " + *spec.dir + ": holds no " +
                      join(files, " or ") + " (looked for " + join(looked, ", ") +
                      "); give the folder the " + spec.stage + " stage wrote");
  }
  return out;
}

namespace {

std::string where(const CsvText& csv, std::size_t row, const std::string& column) {
  return csv.source + ":" + std::to_string(csv.line_numbers.at(row)) + ", column '" + column + "'";
}

std::string text_at(const CsvText& csv, std::size_t row, std::size_t col) {
  std::string text = csv.rows.at(row).at(col);
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  return text;
}

std::string mine_id_at(const CsvText& csv, std::size_t row, std::size_t col) {
  std::string id = text_at(csv, row, col);
  if (id.empty() || id == "NA")
    throw DataError(where(csv, row, csv.header[col]) +
                    ": empty mine id; every row needs the mine it belongs to");
  return id;
}

int year_at(const CsvText& csv, std::size_t row, std::size_t col) {
  const double value = csv.number(row, col);
  if (!std::isfinite(value) || std::floor(value) != value || value < 1 ||
      value > assess::kMaxCalendarYear)
    throw DataError(where(csv, row, csv.header[col]) + ": '" + text_at(csv, row, col) +
                    "' is not a calendar year; expected a whole year such as 2020");
  return static_cast<int>(value);
}

// Refuses a key (mine and year, and what else makes a row unique) met twice, naming both lines.
class RepeatedRows {
 public:
  RepeatedRows(const CsvText& csv, std::string what) : csv_(csv), what_(std::move(what)) {}
  void check(std::size_t row, const std::string& key, const std::string& shown) {
    const auto [it, inserted] = first_.try_emplace(key, row);
    if (!inserted)
      throw DataError(csv_.source + ":" + std::to_string(csv_.line_numbers.at(row)) + ": " + shown +
                      " repeated (first at line " +
                      std::to_string(csv_.line_numbers.at(it->second)) +
                      "); expected one row per " + what_ +
                      ": give the table the stage wrote, or remove the repeated row");
  }

 private:
  const CsvText& csv_;
  std::string what_;
  std::map<std::string, std::size_t> first_;
};

std::string mine_year_text(const std::string& mine, int year) {
  return "mine '" + mine + "', year " + std::to_string(year);
}

}  // namespace

std::vector<assess::ProcessEmissionRecord> read_emission_records(const CsvText& csv) {
  const std::size_t c_mine = csv.column("mine_id"), c_year = csv.column("year"),
                    c_source = csv.column("source"), c_co2e = csv.column("co2e_t");
  std::vector<assess::ProcessEmissionRecord> out;
  out.reserve(csv.rows.size());
  RepeatedRows repeated(csv, "mine, year and source");
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    out.push_back({mine_id_at(csv, row, c_mine), year_at(csv, row, c_year),
                   text_at(csv, row, c_source), csv.number(row, c_co2e)});
    const auto& r = out.back();
    repeated.check(row, r.mine_id + '\n' + std::to_string(r.year) + '\n' + r.source,
                   mine_year_text(r.mine_id, r.year) + ", source '" + r.source + "'");
  }
  return out;
}

std::vector<assess::LandusePairRecord> read_landuse_records(const CsvText& csv) {
  const std::size_t c_mine = csv.column("mine_id"), c_from = csv.column("year_from"),
                    c_to = csv.column("year_to"), c_kind = csv.column("pair_kind"),
                    c_loss = csv.column("loss_tC"), c_gain = csv.column("gain_tC");
  std::vector<assess::LandusePairRecord> out;
  RepeatedRows repeated(csv, "mine and map pair");
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    const std::string kind = text_at(csv, row, c_kind);
    if (kind == "first_last") continue;  // the whole span again: consecutive pairs only
    if (kind != "consecutive")
      throw DataError(where(csv, row, "pair_kind") + ": '" + kind +
                      "'; expected consecutive or first_last");
    assess::LandusePairRecord r{mine_id_at(csv, row, c_mine), year_at(csv, row, c_from),
                                year_at(csv, row, c_to), csv.number(row, c_loss),
                                csv.number(row, c_gain)};
    if (r.year_to <= r.year_from)
      throw DataError(where(csv, row, "year_to") + ": " + std::to_string(r.year_to) +
                      " must be after year_from (" + std::to_string(r.year_from) + ")");
    if (r.loss_tC > 0)
      throw DataError(where(csv, row, "loss_tC") + ": " + format_plain(r.loss_tC) +
                      " must be <= 0 (the stock lost by transitions to a lower-carbon class)");
    if (r.gain_tC < 0)
      throw DataError(where(csv, row, "gain_tC") + ": " + format_plain(r.gain_tC) +
                      " must be >= 0 (the stock gained by transitions to a higher-carbon class)");
    repeated.check(row, r.mine_id + '\n' + std::to_string(r.year_from),
                   "mine '" + r.mine_id + "', pair from " + std::to_string(r.year_from));
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<assess::NepChangeRecord> read_damage_records(const CsvText& csv) {
  if (!csv.has_column("nep_change_rel_MgC_yr"))
    throw DataError(csv.source +
                    ": no column 'nep_change_rel_MgC_yr': not the damage stage's mine_year table "
                    "(give damage_dir, the folder `minecarbon damage` wrote)");
  const std::size_t c_mine = csv.column("mine_id"), c_year = csv.column("year"),
                    c_h = csv.column("nep_change_rel_MgC_yr");
  std::vector<assess::NepChangeRecord> out;
  out.reserve(csv.rows.size());
  RepeatedRows repeated(csv, "mine and year");
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    out.push_back({mine_id_at(csv, row, c_mine), year_at(csv, row, c_year), csv.number(row, c_h)});
    repeated.check(row, out.back().mine_id + '\n' + std::to_string(out.back().year),
                   mine_year_text(out.back().mine_id, out.back().year));
  }
  return out;
}

std::optional<std::vector<assess::VegetationSinkRecord>> read_vegetation_records(
    const CsvText& csv, ProblemList& warnings) {
  std::string sink = csv.has_column("sink_per_yr") ? "sink_per_yr" : "sink_tC_yr";
  if (!csv.has_column(sink)) {
    // The same rule as in memory (assess/balance/vegetation_adapter): a projection of biomass
    // or volume is a legitimate vegetation run, just not carbon, so it is left out with a note.
    for (const char* other : {"sink_t_yr", "sink_m3_yr"})
      if (csv.has_column(other)) {
        warnings.add("vegetation_not_carbon",
                     csv.source + ": the vegetation projection is of biomass or volume (column '" +
                         other +
                         "'), not carbon: not counted (rerun vegetation with growth_response = "
                         "\"tree_carbon\" or \"total_carbon\")");
        return std::nullopt;
      }
    csv.column(sink);  // throws, listing the columns
  }
  const std::size_t c_mine = csv.column("mine_id"), c_year = csv.column("year"),
                    c_sink = csv.column(sink);
  std::vector<assess::VegetationSinkRecord> out;
  std::size_t off_year = 0;
  RepeatedRows repeated(csv, "mine and year");
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    const double year = csv.number(row, c_year);
    if (std::isnan(year)) {
      warnings.add("vegetation_no_calendar_year",
                   where(csv, row, "year") +
                       ": the vegetation projection has no calendar years: not counted (rerun "
                       "vegetation with inventory_year set)");
      return std::nullopt;
    }
    if (std::floor(year) != year) {
      ++off_year;
      continue;
    }
    out.push_back(
        {mine_id_at(csv, row, c_mine), year_at(csv, row, c_year), csv.number(row, c_sink)});
    repeated.check(row, out.back().mine_id + '\n' + std::to_string(out.back().year),
                   mine_year_text(out.back().mine_id, out.back().year));
  }
  if (off_year > 0)
    warnings.add("vegetation_fractional_year",
                 csv.source + ": " + std::to_string(off_year) +
                     " projection rows fall between calendar years (step_yr) and are not "
                     "counted; step_yr = 1 gives every year");
  return out;
}

std::vector<assess::SoilSequestrationRecord> read_soil_records(const CsvText& csv,
                                                               ProblemList& warnings) {
  const std::size_t c_scenario = csv.column("scenario"), c_mine = csv.column("mine_id"),
                    c_year = csv.column("year"), c_seq = csv.column("sequestration_tC_yr");
  std::vector<assess::SoilSequestrationRecord> out;
  std::set<std::string> without_mine, without_area;
  RepeatedRows repeated(csv, "scenario, mine and year");
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    const std::string scenario = text_at(csv, row, c_scenario);
    const std::string mine = text_at(csv, row, c_mine);
    if (mine.empty() || mine == "NA") {
      without_mine.insert(scenario);
      continue;
    }
    const double value = csv.number(row, c_seq);
    if (std::isnan(value)) {
      without_area.insert(scenario);
      continue;
    }
    out.push_back({scenario, mine, year_at(csv, row, c_year), value});
    repeated.check(row, scenario + '\n' + mine + '\n' + std::to_string(out.back().year),
                   "scenario '" + scenario + "', " + mine_year_text(mine, out.back().year));
  }
  for (const auto& s : without_mine)
    warnings.add("soil_scenario_without_mine",
                 csv.source + ": soil scenario '" + s +
                     "' names no mine_id: not counted (set mine_id in its [[soil.scenarios]])");
  for (const auto& s : without_area)
    warnings.add("soil_scenario_without_area",
                 csv.source + ": soil scenario '" + s +
                     "' has no area, so no total in t C/yr: not counted (set area_ha)");
  return out;
}

std::vector<assess::SoilSequestrationRecord> read_ipcc_soil_records(const CsvText& csv,
                                                                    ProblemList& warnings) {
  const std::size_t c_year = csv.column("year"), c_change = csv.column("change_tC_yr");
  std::vector<assess::SoilSequestrationRecord> out;
  // A table without mine_id was written before the trajectory could name its mines.
  if (!csv.has_column("mine_id")) {
    if (!csv.rows.empty())
      warnings.add("soil_ipcc_without_mine",
                   csv.source +
                       ": the IPCC soil trajectory names no mine (no mine_id column): "
                       "not counted (set mine_id and area_ha, or areas_land_use, in "
                       "[soil.ipcc] and rerun soil)");
    return out;
  }
  const std::size_t c_mine = csv.column("mine_id");
  bool without_mine = false;
  std::set<std::string> without_area;
  RepeatedRows repeated(csv, "mine and year");
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    const std::string mine = text_at(csv, row, c_mine);
    if (mine.empty() || mine == "NA") {
      without_mine = true;
      continue;
    }
    const double value = csv.number(row, c_change);
    if (std::isnan(value)) {
      without_area.insert(mine);
      continue;
    }
    out.push_back({assess::kIpccScenarioName, mine, year_at(csv, row, c_year), value});
    repeated.check(row, mine + '\n' + std::to_string(out.back().year),
                   mine_year_text(mine, out.back().year));
  }
  if (without_mine)
    warnings.add("soil_ipcc_without_mine",
                 csv.source +
                     ": the IPCC soil trajectory names no mine: not counted (set "
                     "mine_id and area_ha, or areas_land_use, in [soil.ipcc])");
  for (const auto& mine : without_area)
    warnings.add("soil_ipcc_without_area",
                 csv.source + ": the IPCC soil trajectory of mine '" + mine +
                     "' has no area, so no total in t C/yr: not counted (set area_ha in "
                     "[soil.ipcc])");
  return out;
}

assess::BalanceInputs balance_inputs_from(const StageResults& results) {
  assess::BalanceInputs inputs;
  if (results.damage) {
    inputs.damage = assess::nep_change_records(*results.damage);
    inputs.origins.emplace_back("damage", "damage results of this run");
  }
  if (results.vegetation) {
    inputs.vegetation =
        assess::vegetation_sink_records(*results.vegetation, inputs.adapter_warnings);
    if (inputs.vegetation)
      inputs.origins.emplace_back("vegetation", "vegetation results of this run");
  }
  if (results.emissions) {
    inputs.emissions = assess::process_emission_records(*results.emissions);
    inputs.origins.emplace_back("emissions", "emissions results of this run");
  }
  if (results.landuse) {
    inputs.landuse = assess::landuse_pair_records(*results.landuse);
    inputs.origins.emplace_back("landuse", "landuse results of this run");
  }
  // The soil stage writes scenario_years only when it ran scenarios, ipcc_trajectory only with
  // [soil.ipcc]: the same rule in memory.
  if (results.soil &&
      (!results.soil->scenarios.empty() || !results.soil->ipcc.trajectory.empty())) {
    inputs.soil = assess::soil_sequestration_records(*results.soil, inputs.adapter_warnings);
    inputs.origins.emplace_back("soil", "soil results of this run");
  }
  return inputs;
}

std::shared_ptr<LoadedBalance> load_balance(const BalanceJob& job, MineSets* mine_sets,
                                            bool in_project) {
  validate(job);
  auto loaded = std::make_shared<LoadedBalance>();
  loaded->job = job;
  assess::BalanceInputs& inputs = loaded->from_files;
  const std::vector<BalanceTableFile> tables = locate_balance_tables(job);
  if (!in_project && !has_any_folder(job))
    throw ConfigError(
        "balance: --from (a results folder) or a stage's folder (--damage-dir, …) "
        "is required");
  std::string looked;
  for (const BalanceTableFile& t : tables) {
    for (const auto& path : t.looked_at)
      looked += "\n  " + path + " (" + t.stage + ")";
    if (t.path.empty()) continue;
    const CsvText csv = read_csv_file(t.path, {job.encoding});
    loaded->files.push_back(t.path);
    loaded->kinds.push_back(t.stage + " table");
    inputs.origins.emplace_back(t.stage, t.path);
    if (t.stage == "emissions") inputs.emissions = read_emission_records(csv);
    if (t.stage == "landuse") inputs.landuse = read_landuse_records(csv);
    if (t.stage == "damage") inputs.damage = read_damage_records(csv);
    if (t.stage == "vegetation") {
      inputs.vegetation = read_vegetation_records(csv, inputs.adapter_warnings);
      if (!inputs.vegetation)
        std::erase_if(inputs.origins, [](const auto& o) { return o.first == "vegetation"; });
    }
    if (t.stage == "soil") {
      // Two tables, one stage: the scenarios first, then the IPCC trajectory (the adapter's
      // order, which soil_multiple = "first" follows); both files named where soil is cited.
      auto records = t.table == "ipcc_trajectory.csv"
                         ? read_ipcc_soil_records(csv, inputs.adapter_warnings)
                         : read_soil_records(csv, inputs.adapter_warnings);
      if (!inputs.soil) inputs.soil.emplace();
      inputs.soil->insert(inputs.soil->end(), std::make_move_iterator(records.begin()),
                          std::make_move_iterator(records.end()));
      const auto first = std::find_if(inputs.origins.begin(), inputs.origins.end(),
                                      [](const auto& o) { return o.first == "soil"; });
      if (first != inputs.origins.end() && first->second != t.path) {
        first->second += " and " + t.path;
        inputs.origins.pop_back();
      }
    }
  }
  if (!in_project && inputs.origins.empty())
    throw DataError("balance: no stage results in " +
                    (job.from.empty() ? "the folders given" : job.from) + "; looked for:" + looked +
                    (inputs.adapter_warnings.empty()
                         ? std::string()
                         : "\n" + inputs.adapter_warnings.report("tables found but not usable:")) +
                    "\ngive the folder a run of damage, vegetation, soil, landuse or emissions "
                    "wrote");
  // The mine layer: the job's, else the damage folder's GeoPackage.
  MineSource source{job.mines, job.mines_layer, job.id_field, job.repair};
  if (source.mines.empty()) {
    const std::string damage_dir = !job.damage_dir.empty() ? job.damage_dir : job.from;
    std::error_code ec;
    if (!damage_dir.empty() && fs::is_regular_file(fs::path(damage_dir) / "results.gpkg", ec))
      source = {(fs::path(damage_dir) / "results.gpkg").string(), "mines", "mine_id", true};
  }
  if (!source.mines.empty()) {
    loaded->mines =
        (mine_sets ? mine_sets->get(source) : std::make_shared<const MineSet>(source))->layer();
    loaded->files.push_back(source.mines);
    loaded->kinds.push_back("mines");
  }
  if (!in_project) {
    // Standalone every input is known now: an unknown report mine stops before anything runs.
    if (loaded->mines)
      for (const auto& feature : loaded->mines->features)
        inputs.mine_ids.push_back(feature.id);
    check_report_mines(job, inputs);
    inputs.mine_ids.clear();
  }
  return loaded;
}

PreparedStage balance_stage(std::shared_ptr<const LoadedBalance> loaded) {
  PreparedStage stage{"balance", "balance/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    assess::BalanceResult result;
    const nlohmann::json summary = run_balance_job(*loaded, &results, out, context, &result);
    std::string counts;
    for (const auto& [status, n] : summary["counts"]["status"].items())
      if (n.get<int>() > 0) counts += (counts.empty() ? "" : ", ") + n.dump() + " " + status;
    results.balance = std::move(result);
    return "balance: results in " + out.folder() + " (" + summary["counts"]["mines"].dump() +
           " mines: " + counts + ")";
  };
  return stage;
}

namespace {

// The rows `rows` of `table`, in that order, as the table `name`.
Table subset(const Table& table, const std::vector<std::size_t>& rows, const std::string& name) {
  Table out(name);
  for (const Column& column : table.columns()) {
    std::visit(
        [&](const auto& values) {
          std::decay_t<decltype(values)> picked;
          picked.reserve(rows.size());
          for (std::size_t row : rows)
            picked.push_back(values[row]);
          out.add(column.name, std::move(picked));
        },
        column.data);
  }
  return out;
}

// Mine ids listed in the report_mines message.
constexpr std::size_t kIdsListed = 10;

// A mine id as part of a file name: letters, digits, '-', '_' and '.' kept, the rest '_'.
std::string file_safe(const std::string& id) {
  std::string out;
  for (const char c : id) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
    out += keep ? c : '_';
  }
  if (out.empty() || out[0] == '.') out = "_" + out;
  return out;
}

}  // namespace

void check_report_mines(const BalanceJob& job, const assess::BalanceInputs& inputs) {
  const auto& wanted = job.report_mines;
  if (wanted.empty() || std::find(wanted.begin(), wanted.end(), "all") != wanted.end()) return;
  std::set<std::string> ids(inputs.mine_ids.begin(), inputs.mine_ids.end());
  std::vector<std::string> order = inputs.mine_ids;
  auto add = [&](const auto& records) {
    if (!records) return;
    for (const auto& r : *records)
      if (ids.insert(r.mine_id).second) order.push_back(r.mine_id);
  };
  add(inputs.emissions);
  add(inputs.landuse);
  add(inputs.damage);
  add(inputs.vegetation);
  add(inputs.soil);
  for (const auto& id : wanted) {
    if (ids.count(id)) continue;
    std::vector<std::string> known(
        order.begin(),
        order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), kIdsListed)));
    throw OptionError("balance", "report_mines",
                      "no mine '" + id + "' in the stages' results (mines: " + join(known, ", ") +
                          (order.size() > kIdsListed ? ", ..." : "") +
                          "); give ids of the mines the stages report, or \"all\"");
  }
}

nlohmann::json run_balance_job(const LoadedBalance& loaded, const StageResults* results,
                               StageOutput& out, const RunContext& context,
                               assess::BalanceResult* keep) {
  // The files first, then the project's results in memory, which win for a stage in both.
  assess::BalanceInputs inputs = loaded.from_files;
  if (results) {
    assess::BalanceInputs memory = balance_inputs_from(*results);
    auto take = [&](auto& into, auto& from, const char* stage) {
      if (!from) return;
      into = std::move(from);
      std::erase_if(inputs.origins, [&](const auto& o) { return o.first == stage; });
    };
    take(inputs.emissions, memory.emissions, "emissions");
    take(inputs.landuse, memory.landuse, "landuse");
    take(inputs.damage, memory.damage, "damage");
    take(inputs.vegetation, memory.vegetation, "vegetation");
    take(inputs.soil, memory.soil, "soil");
    for (auto& origin : memory.origins)
      inputs.origins.push_back(std::move(origin));
    inputs.adapter_warnings.append(memory.adapter_warnings);
  }
  if (loaded.mines)
    for (const auto& feature : loaded.mines->features)
      inputs.mine_ids.push_back(feature.id);
  // The reports asked for name mines of the inputs: checked before anything runs.
  check_report_mines(loaded.job, inputs);

  assess::BalanceResult result = assess::run_balance(loaded.job.params, inputs, context);
  result.summary["parameters"] = options_json(balance_options(), loaded.job);

  std::vector<std::size_t> reports;
  const auto& wanted = loaded.job.report_mines;
  const bool all = std::find(wanted.begin(), wanted.end(), "all") != wanted.end();
  for (std::size_t idx = 0; idx < result.mines.size(); ++idx)
    if (all || std::find(wanted.begin(), wanted.end(), result.mines[idx].mine_id) != wanted.end())
      reports.push_back(idx);

  const assess::BalanceTables tables = assess::to_tables(result);
  if (loaded.mines) {
    // The layer's mines with their summary, in layer order (each layer id has a summary row).
    std::map<std::string, std::size_t> row_of;
    for (std::size_t idx = 0; idx < result.mines.size(); ++idx)
      row_of.emplace(result.mines[idx].mine_id, idx);
    std::vector<std::size_t> rows;
    std::vector<geo::MultiPolygon> shapes;
    std::set<std::string> in_layer;
    for (const auto& feature : loaded.mines->features) {
      rows.push_back(row_of.at(feature.id));
      shapes.push_back(feature.shape);
      in_layer.insert(feature.id);
    }
    std::size_t without = 0;
    for (const auto& mine : result.mines)
      if (!in_layer.count(mine.mine_id)) ++without;
    if (without > 0)
      result.warnings.add("mine_without_geometry",
                          std::to_string(without) +
                              " mines of the results are not in the mine layer " +
                              loaded.mines->path + ": in the tables, not in balance.gpkg");
    const Table layer = subset(tables.mine_summary, rows, "mines");
    report::write_geopackage(out.staged("balance.gpkg").string(),
                             report::GeometryLayer{&layer, &shapes, loaded.mines->crs_wkt},
                             {&tables.mine_year});
  }
  write_csv_tables(out, {&tables.mine_year, &tables.mine_summary}, context.threads);
  std::set<std::string> report_names;
  for (std::size_t idx : reports) {
    std::string name = "report_mine_" + file_safe(result.mines[idx].mine_id);
    while (report_names.count(name))
      name += "_";
    report_names.insert(name);
    report::write_csv_file(out.staged(name + ".csv").string(), assess::mine_report(result, idx));
  }
  record_warnings(result.summary, result.warnings, "balance", context);
  write_summary(out, result.summary, context);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

}  // namespace minecarbon::pipeline
