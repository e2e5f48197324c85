#include "minecarbon/pipeline/emissions_job.h"

#include "minecarbon/assess/emissions/emissions_tables.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/pipeline/factor_table.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/publish.h"

namespace minecarbon::pipeline {

const OptionTable<EmissionsJob>& emissions_options() {
  static const OptionTable<EmissionsJob> table = [] {
    using J = EmissionsJob;
    OptionTable<J> t("emissions");
    t.add(
        "encoding", [](J& j) -> std::string& { return j.encoding; }, kEncodingDoc);
    t.add_path(
         "activity", [](J& j) -> std::string& { return j.activity; },
         "activity CSV: mine_id, year, source, amount, unit (+ subtype, region, "
         "fuel_oil_fraction, overburden_depth_m, flare_efficiency, ef_*_t_per_unit, note)")
        .required()
        .must_exist();
    t.add_path(
         "pools", [](J& j) -> std::string& { return j.pools; },
         "land-use pool table CSV (lucode, c_above, c_below, c_soil, c_dead; t C/ha), for "
         "land_cleared rows")
        .must_exist();
    t.add_path(
         "fuel_factors", [](J& j) -> std::string& { return j.fuel_factors; },
         "your fuel factors; rows replace rows of data/emission_factors_fuel.csv with the same "
         "fuel and subtype")
        .must_exist();
    t.add_path(
         "fugitive_factors", [](J& j) -> std::string& { return j.fugitive_factors; },
         "your surface-coal methane factors; rows replace rows of "
         "data/fugitive_coal_surface.csv with the same class")
        .must_exist();
    t.add_path(
         "grid_factors", [](J& j) -> std::string& { return j.grid_factors; },
         "your grid electricity factors; rows replace rows of data/grid_factors_china.csv with "
         "the same region and year")
        .must_exist();
    t.add_path(
         "gwp_table", [](J& j) -> std::string& { return j.gwp_table; },
         "your GWP sets; rows replace rows of data/gwp.csv with the same set")
        .must_exist();
    t.include(assess::EmissionsParams::options(),
              [](J& j) -> assess::EmissionsParams& { return j.params; });
    return t;
  }();
  return table;
}

void validate(const EmissionsJob& job) {
  check_options(emissions_options(), job);
  check_encoding_option("emissions", job.encoding);
  job.params.validate();
  check_paths_exist(emissions_options(), job);
}

EmissionsJob emissions_job_from_toml(const toml::table& table, const TomlSource& source) {
  EmissionsJob job;
  read_toml_options(emissions_options(), table, source, job);
  try {
    validate(job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
  return job;
}

std::shared_ptr<LoadedEmissions> load_emissions(const EmissionsJob& job) {
  validate(job);
  auto loaded = std::make_shared<LoadedEmissions>();
  loaded->job = job;
  assess::EmissionsInputs& inputs = loaded->inputs;
  auto note = [&](const std::string& file, const std::string& kind) {
    loaded->files.push_back(file);
    loaded->kinds.push_back(kind);
  };
  note(job.activity, "activity table");
  inputs.activity = assess::emissions::parse_activity(read_csv_file(job.activity, {job.encoding}));
  assess::emissions::FactorTableTexts texts;
  auto tables = [&](std::vector<CsvText>& into, const char* shipped, const std::string& own,
                    const std::string& kind) {
    FactorTableFiles read = read_factor_table_files(shipped, own, job.encoding);
    if (!own.empty()) note(own, kind);
    into = std::move(read.tables);
  };
  tables(texts.fuel, "emission_factors_fuel.csv", job.fuel_factors, "fuel factor table");
  tables(texts.surface_coal, "fugitive_coal_surface.csv", job.fugitive_factors,
         "surface coal methane table");
  tables(texts.grid, "grid_factors_china.csv", job.grid_factors, "grid factor table");
  tables(texts.gwp, "gwp.csv", job.gwp_table, "GWP table");
  inputs.factors = assess::emissions::parse_factor_tables(texts);
  if (!job.pools.empty()) {
    note(job.pools, "pool table");
    inputs.pools = carbon::parse_landuse_pools(read_csv_file(job.pools, {job.encoding}));
  }
  assess::check_gwp_set(job.params, inputs.factors);
  return loaded;
}

PreparedStage emissions_stage(std::shared_ptr<const LoadedEmissions> loaded) {
  PreparedStage stage{"emissions", "emissions/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    assess::EmissionsResult result;
    const nlohmann::json summary = run_emissions_job(*loaded, out, context, &result);
    results.emissions = std::move(result);
    std::string totals;
    if (summary.contains("totals") && summary["totals"].contains("co2e_t"))
      totals = ", " + format_plain(summary["totals"]["co2e_t"].get<double>()) + " t CO2e (" +
               summary["gwp"]["set"].get<std::string>() + ")";
    return "emissions: results in " + out.folder() + " (" + summary["counts"]["mines"].dump() +
           " mines" + totals + ")";
  };
  return stage;
}

nlohmann::json run_emissions_job(const LoadedEmissions& loaded, StageOutput& out,
                                 const RunContext& context, assess::EmissionsResult* keep) {
  assess::EmissionsResult result = assess::run_emissions(loaded.job.params, loaded.inputs, context);
  result.summary["parameters"] = options_json(emissions_options(), loaded.job);
  const assess::EmissionsTables tables = assess::to_tables(result);
  write_csv_tables(out, tables.all(), context.threads);
  record_warnings(result.summary, result.warnings, "emissions", context);
  write_summary(out, result.summary, context);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

}  // namespace minecarbon::pipeline
