#include "minecarbon/pipeline/damage_job.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "minecarbon/assess/damage/damage_tables.h"
#include "minecarbon/assess/grouping.h"
#include "minecarbon/core/distributor.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/pipeline/checkpoint.h"
#include "minecarbon/pipeline/checkpoint_run.h"
#include "minecarbon/pipeline/publish.h"
#include "minecarbon/pipeline/rank_share.h"
#include "minecarbon/report/writers.h"

namespace fs = std::filesystem;

namespace minecarbon::pipeline {

const OptionTable<DamageJob>& damage_options() {
  static const OptionTable<DamageJob> table = [] {
    using J = DamageJob;
    OptionTable<J> t("damage");
    t.include(mine_source_options(), [](J& j) -> MineSource& { return j.mine_source; });
    t.add_path(
         "nep", [](J& j) -> std::string& { return j.nep; },
         "annual NEP rasters, a path with {year}, e.g. 'nep/nep_{year}.tif' (in a project with "
         "a [nep] section: leave it out to take the series that stage writes)")
        .unit("gC/m2/yr")
        .shown_default("required (or the run's [nep] stage)");
    t.add_custom(
         "years", [](J& j) -> assess::Period& { return j.years; }, assess::period_codec(),
         "years to read, e.g. \"2000-2020\"")
        .required();
    t.add(
         "nep_scale", [](J& j) -> std::optional<double>& { return j.nep_scale; },
         "value = raw * scale + offset")
        .shown_default("band metadata or 1");
    t.add(
         "nep_offset", [](J& j) -> std::optional<double>& { return j.nep_offset; },
         "value = raw * scale + offset")
        .shown_default("band metadata or 0");
    t.add(
        "nan_is_nodata", [](J& j) -> bool& { return j.nan_is_nodata; },
        "treat NaN cells as nodata even when the band's nodata is not NaN");
    t.add_path(
         "reference_polygons", [](J& j) -> std::string& { return j.reference_polygons; },
         "your own reference polygons instead of rings, joined by id")
        .must_exist();
    t.add(
         "reference_layer", [](J& j) -> std::string& { return j.reference_layer; },
         "layer of reference_polygons")
        .shown_default("first layer");
    t.add(
         "reference_id_field", [](J& j) -> std::string& { return j.reference_id_field; },
         "field of reference_polygons holding mine ids")
        .shown_default("id_field");
    t.add_path(
         "m49_table", [](J& j) -> std::string& { return j.m49_table; },
         "UN M49 table (iso3 -> region, continent)")
        .shown_default("shipped data/un_m49.csv")
        .must_exist();
    t.add(
        "encoding", [](J& j) -> std::string& { return j.encoding; }, kEncodingDoc);
    t.include(assess::DamageParams::options(),
              [](J& j) -> assess::DamageParams& { return j.params; });
    return t;
  }();
  return table;
}

void validate(const DamageJob& job) {
  check_options(damage_options(), job);
  if (job.years.label.empty()) throw OptionError("damage", "years", "required, e.g. 2000-2020");
  if (job.nep.empty()) {
    if (!job.nep_from_run)
      throw OptionError("damage", "nep",
                        "required: the annual NEP rasters, a path with {year}, e.g. "
                        "'nep/nep_{year}.tif' (or, in a project, add a [nep] section that "
                        "computes them)");
  } else if (job.nep.find("{year}") == std::string::npos)
    throw OptionError("damage", "nep",
                      "= '" + job.nep + "': must contain {year}, e.g. 'nep/nep_{year}.tif'");
  if (job.nep_scale && *job.nep_scale == 0)
    throw OptionError("damage", "nep_scale", "must be a finite, non-zero number");
  job.params.validate();
  job.params.check_against_years(job.years.first_year, job.years.last_year);
  check_encoding(job.encoding, "[damage] encoding");
  check_paths_exist(damage_options(), job);
}

DamageJob damage_job_from_toml(const toml::table& table, const TomlSource& source,
                               bool run_has_nep) {
  DamageJob job;
  read_toml_options(damage_options(), table, source, job);
  job.nep_from_run = run_has_nep && job.nep.empty();
  try {
    validate(job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
  return job;
}

nlohmann::json damage_checkpoint_identity(const DamageJob& job,
                                          const std::vector<std::string>& files) {
  DamageJob absolute = job;
  for (const auto& option : damage_options().options())
    if (option.resolve) option.resolve(absolute, fs::current_path());
  nlohmann::json identity =
      checkpoint_identity("damage", options_json(damage_options(), absolute), files);
  identity["unit_mines"] = job.unit_mines;
  return identity;
}

DamageJob damage_job_from_identity(const nlohmann::json& identity, const std::string& file) {
  if (identity.value("stage", "") != "damage")
    throw ConfigError(file + ": a checkpoint folder of stage '" + identity.value("stage", "") +
                      "', not damage");
  // The parameters echo as a [damage] table (every path in it is absolute).
  toml::table table;
  for (const auto& entry : identity.at("parameters").items()) {
    // Named copies, not a structured binding: clang 14 (the fuzz build) cannot capture those.
    const std::string key = entry.key();
    const nlohmann::json& value = entry.value();
    if (value.is_null()) continue;
    auto put = [](const nlohmann::json& v, auto&& insert) {
      if (v.is_boolean())
        insert(v.get<bool>());
      else if (v.is_number_integer())
        insert(v.get<std::int64_t>());
      else if (v.is_number())
        insert(v.get<double>());
      else if (v.is_string())
        insert(v.get<std::string>());
    };
    if (value.is_array()) {
      toml::array array;
      for (const auto& item : value)
        put(item, [&](auto x) { array.push_back(x); });
      table.insert(key, std::move(array));
    } else {
      put(value, [&](auto x) { table.insert(key, x); });
    }
  }
  DamageJob job = damage_job_from_toml(table, TomlSource{file, "damage", fs::path("/")});
  job.unit_mines = identity.value("unit_mines", 256);
  return job;
}

std::string shipped_data_file(const std::string& name) {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("MINECARBON_DATA_DIR")) candidates.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share" / "minecarbon" / "data");
#ifdef MINECARBON_SOURCE_DATA_DIR
  candidates.emplace_back(MINECARBON_SOURCE_DATA_DIR);
#endif
  for (const auto& dir : candidates) {
    if (fs::exists(dir / name)) return (dir / name).string();
  }
  throw RunError("cannot find the shipped table " + name +
                 "; set MINECARBON_DATA_DIR to the minecarbon data folder");
}

CsvText read_shipped_table(const std::string& name) {
  CsvText csv = read_csv_file(shipped_data_file(name));
  csv.source = "data/" + name;
  return csv;
}

namespace {

geo::RasterSeriesSpec nep_spec(const DamageJob& job, const std::string& pattern) {
  geo::RasterSeriesSpec spec;
  spec.pattern = pattern;
  spec.first_year = job.years.first_year;
  spec.last_year = job.years.last_year;
  spec.scale = job.nep_scale;
  spec.offset = job.nep_offset;
  spec.nan_is_nodata = job.nan_is_nodata;
  return spec;
}

}  // namespace

geo::RasterSeries nep_series_from_run(const DamageJob& job, const geo::RasterSeries& run_nep) {
  const int first = run_nep.years.empty() ? 0 : run_nep.years.front();
  const int last = run_nep.years.empty() ? -1 : run_nep.years.back();
  if (job.years.first_year < first || job.years.last_year > last)
    throw ConfigError("damage: years = \"" + job.years.label +
                      "\" but the run's [nep] stage computes NEP for " +
                      (run_nep.years.empty() ? std::string("no year")
                                             : std::to_string(first) + "-" + std::to_string(last)) +
                      "; make [nep] years cover " + job.years.label +
                      ", narrow [damage] years, or give [damage] nep = \"<your rasters>\"");
  return geo::open_raster_series(nep_spec(job, run_nep.spec.pattern));
}

std::shared_ptr<LoadedDamage> load_damage(const DamageJob& job, MineSets* mine_sets) {
  validate(job);
  auto loaded = std::make_shared<LoadedDamage>();
  loaded->job = job;
  DamageJob& j = loaded->job;
  assess::DamageInputs& inputs = loaded->inputs;
  auto read = [&](const std::string& file, const std::string& kind) {
    loaded->files.push_back(file);
    loaded->kinds.push_back(kind);
  };
  const MineSource& mines = j.mine_source;
  loaded->mine_set = mine_sets ? mine_sets->get(mines) : std::make_shared<const MineSet>(mines);
  inputs.mines = loaded->mine_set->layer();
  read(mines.mines, "mines");
  // The run's nep stage writes the series later; its files are outputs, not inputs.
  if (!j.nep_from_run) inputs.nep = geo::open_raster_series(nep_spec(j, j.nep));
  for (std::size_t idx = 0; idx < inputs.nep.paths.size(); ++idx)
    read(inputs.nep.paths[idx], "NEP raster " + std::to_string(inputs.nep.years[idx]));
  if (!j.reference_polygons.empty()) {
    j.params.reference = assess::ReferenceKind::polygons;
    geo::PolygonLayerOptions ref_options{
        j.reference_layer, j.reference_id_field.empty() ? mines.id_field : j.reference_id_field,
        mines.repair, "reference polygons", mine_sets ? mine_sets->threads() : 1};
    inputs.reference_polygons = geo::read_polygon_layer(j.reference_polygons, ref_options);
    read(j.reference_polygons, "reference polygons");
  }
  if (std::any_of(j.params.group_by.begin(), j.params.group_by.end(), assess::is_m49_column)) {
    const std::string m49 = j.m49_table.empty() ? shipped_data_file("un_m49.csv") : j.m49_table;
    inputs.m49 = read_csv_file(m49, {j.m49_table.empty() ? "utf-8" : j.encoding});
    read(m49, "M49 table");
  }
  return loaded;
}

namespace {

// The run command's ProjectRanks (set_project_ranks), and whether rank 0 has said go or stop.
std::optional<ProjectRanks> project_ranks;
bool project_ranks_told = false;
// `run --checkpoint`: where the project's damage stage keeps its units (set_project_unit_checkpoint).
std::string project_units_dir;
bool project_units_resume = false;
// Rank 0's "stop" code when the damage stage needs no unit computed: the other ranks exit 0.
constexpr int kRanksNotNeeded = 100;

bool has_other_ranks() {
  return project_ranks && project_ranks->distributor && project_ranks->distributor->size() > 1;
}

// Rank 0's message to the waiting ranks: the exit code (0 = go) and the NEP pattern of the run's
// [nep] stage (empty when [damage] reads its own rasters).
void tell_ranks(int code, const std::string& nep_pattern) {
  if (!has_other_ranks() || project_ranks_told) return;
  project_ranks_told = true;
  ByteWriter w;
  w.u64(static_cast<std::uint64_t>(code));
  w.str(nep_pattern);
  project_ranks->distributor->broadcast(w.bytes);
}

void say_go(const std::string& pattern, bool nep_from_run) {
  // Absolute: a rank on another node may start in another folder.
  tell_ranks(0, nep_from_run ? fs::absolute(pattern).string() : std::string());
}

[[noreturn]] void throw_code(int code, const std::string& message) {
  if (code == static_cast<int>(ExitCode::usage)) throw ConfigError(message);
  if (code == static_cast<int>(ExitCode::input_data)) throw DataError(message);
  throw RunError(message);
}

}  // namespace

void set_project_ranks(const ProjectRanks& ranks) {
  project_ranks = ranks;
  project_ranks_told = false;
}

void release_project_ranks(int code) {
  tell_ranks(code == 0 ? static_cast<int>(ExitCode::run_failure) : code, "");
}

void release_project_ranks_unneeded() {
  tell_ranks(kRanksNotNeeded, "");
}

void set_project_unit_checkpoint(const std::string& units_dir, bool resume) {
  project_units_dir = units_dir;
  project_units_resume = resume;
}

bool project_has_damage(const std::string& project_file) {
  try {
    const toml::table doc = toml::parse_file(project_file);
    return doc["damage"].as_table() != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

void run_project_damage_worker(const std::string& project_file, const ProjectRanks& ranks,
                               const RunContext& run_context) {
  if (!ranks.distributor) throw std::invalid_argument("run_project_damage_worker: no distributor");
  Distributor& dist = *ranks.distributor;
  RunContext context = run_context;
  context.quiet = true;
  // Everything this rank prepares, as rank 0 does in prepare_project(); an error is kept until
  // rank 0 says go (then it reaches rank 0 through the queue) or stop.
  std::optional<std::pair<int, std::string>> failure;
  auto keep = [&](auto&& step) {
    if (failure) return;
    try {
      step();
    } catch (const Error& e) {
      failure.emplace(static_cast<int>(e.code()), e.what());
    } catch (const std::exception& e) {
      failure.emplace(static_cast<int>(ExitCode::run_failure), e.what());
    }
  };
  std::shared_ptr<LoadedDamage> loaded;
  keep([&] {
    toml::table doc;
    try {
      doc = toml::parse_file(project_file);
    } catch (const toml::parse_error& e) {
      throw ConfigError(project_file + ": " + std::string(e.description()));
    }
    const toml::table* section = doc["damage"].as_table();
    if (!section) throw ConfigError(project_file + ": no [damage] table");
    // [project] threads, as prepare_project applies it on rank 0.
    if (const auto threads = doc["project"]["threads"].value<std::int64_t>();
        threads && *threads > 0)
      context.threads = clamp_thread_count(*threads, context);
    DamageJob job = damage_job_from_toml(
        *section, TomlSource{project_file, "damage", fs::absolute(project_file).parent_path()},
        doc.get("nep") != nullptr);
    job.unit_mines = ranks.unit_mines;
    MineSets mine_sets(context.threads);
    loaded = load_damage(job, &mine_sets);
  });
  Bytes message;
  dist.broadcast(message);  // rank 0's go or stop
  ByteReader reader(message, "rank 0's go");
  const auto code = static_cast<int>(reader.u64());
  const std::string nep_pattern = reader.str();
  if (code == kRanksNotNeeded) return;  // rank 0 restored the stage from its checkpoint
  if (code != 0) throw_code(code, "rank 0 ended the run before its damage stage");
  assess::DamageInputs inputs;
  keep([&] {
    inputs = loaded->inputs;
    if (loaded->job.nep_from_run)
      inputs.nep = geo::open_raster_series(nep_spec(loaded->job, nep_pattern));
    inputs.mine_geometry = loaded->mine_set->geometry(context);
  });
  if (failure) {
    // Rank 0 serves units now: take part only to hand it this rank's error, which stops every
    // rank at the next unit boundary with the message. If no unit comes (the queue was empty),
    // the statistics rank 0 gathers after the queue are a rank that computed nothing.
    // (The queue names the rank in the message.)
    dist.run_queue(
        {}, [&](std::size_t) -> Bytes { throw_code(failure->first, failure->second); },
        [](std::size_t, Bytes&&, int) {});
    ByteWriter none;
    none.u64(0);
    none.f64(0.0);
    dist.gather(none.bytes);
    throw_code(failure->first, failure->second);
  }
  assess::DamageExecution execution;
  execution.distributor = &dist;
  execution.unit_mines = static_cast<std::size_t>(ranks.unit_mines);
  assess::run_damage(loaded->job.params, inputs, context, execution);
}

nlohmann::json run_damage_job(const LoadedDamage& loaded, StageOutput& out,
                              const RunContext& context, assess::DamageResult* keep,
                              const geo::RasterSeries* run_nep) {
  // The mine set's geometry, computed once for every stage that shares the layer.
  assess::DamageInputs inputs = loaded.inputs;
  if (loaded.job.nep_from_run) {
    if (!run_nep) throw RunError("damage: [damage] has no nep key and no nep stage ran before it");
    inputs.nep = nep_series_from_run(loaded.job, *run_nep);
  }
  inputs.mine_geometry = loaded.mine_set->geometry(context);
  assess::DamageExecution execution = loaded.execution;
  execution.unit_mines = static_cast<std::size_t>(loaded.job.unit_mines);
  if (project_ranks && !execution.distributor && !execution.merge_only) {
    // `minecarbon run`: this is the project's damage stage (ProjectRanks).
    execution.unit_mines = static_cast<std::size_t>(project_ranks->unit_mines);
    execution.distributor = project_ranks->distributor;
    if (!project_units_dir.empty()) {
      // `run --checkpoint DIR`: the units in DIR/damage, as `damage --checkpoint` keeps them.
      DamageJob job = loaded.job;
      job.unit_mines = project_ranks->unit_mines;
      auto units = std::make_shared<CheckpointDir>(project_units_dir,
                                                   damage_checkpoint_identity(job, loaded.files));
      execution.save_unit = [units](std::size_t unit, const Bytes& bytes) {
        units->save(unit, bytes);
      };
      if (project_units_resume)
        execution.load_unit = [units](std::size_t unit) { return units->load(unit); };
    }
    say_go(inputs.nep.spec.pattern, loaded.job.nep_from_run);
  }
  assess::DamageResult result = assess::run_damage(loaded.job.params, inputs, context, execution);
  if (result.units_only) return result.summary;  // a worker rank or a tile: rank 0 writes
  if (const nlohmann::json share = node_share_json(); !share.is_null())
    result.summary["distribution"]["node_share"] = share;  // threads, GDAL cache per rank
  result.summary["parameters"] = options_json(damage_options(), loaded.job);
  if (loaded.job.nep_from_run) {
    result.summary["nep_source"] =
        "the annual NEP rasters of this run's nep stage (nep/nep_{year}.tif)";
    // Where they are once published: the staging folder they were read from has a name of this
    // process (and is gone), which made two runs' summaries differ.
    result.summary["inputs"]["nep_pattern"] = "nep/nep_{year}.tif";
  }

  const assess::DamageTables published = assess::to_tables(result);
  std::vector<geo::MultiPolygon> shapes;
  shapes.reserve(inputs.mines->features.size());
  for (const auto& f : inputs.mines->features)
    shapes.push_back(f.shape);
  const std::vector<const Table*> tables = {&published.mine_year, &published.year_summary,
                                            &published.group_year, &published.group_trend,
                                            &published.periods};
  // The GeoPackage (one SQLite writer) and the CSVs at the same time: writing 945,000 mine-year
  // rows was seconds of one core while the other waited.
  std::vector<report::CsvFile> csvs;
  for (const Table* table : {&published.mines, &published.mine_year, &published.year_summary,
                             &published.group_year, &published.group_trend, &published.periods})
    csvs.push_back({out.staged("tables/" + table->name() + ".csv").string(), table});
  report::write_geopackage_and_csvs(
      out.staged("results.gpkg").string(),
      report::GeometryLayer{&published.mines, &shapes, inputs.mines->crs_wkt}, tables, csvs,
      context.threads);
  record_warnings(result.summary, result.warnings, "damage", context);
  write_summary(out, result.summary, context);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

}  // namespace minecarbon::pipeline
