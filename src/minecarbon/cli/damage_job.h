// Everything one damage run needs, as given on the command line or in a [damage] section, and the
// function both front ends call.
#pragma once

#include <toml++/toml.h>
#include <string>

#include "minecarbon/assess/damage.h"
#include "minecarbon/cli/toml_section.h"
#include "minecarbon/geo/raster_series.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::cli {

struct DamageJob {
  assess::DamageParams params;
  std::string mines;
  std::string mines_layer;
  std::string id_field;
  bool repair = true;
  geo::RasterSeriesSpec nep;
  std::string reference_polygons;  // set → reference = polygons
  std::string reference_layer;
  std::string reference_id_field;
  std::string m49_table;  // empty = the shipped data/un_m49.csv
};

// The [damage] keys.
const std::vector<OptionDoc>& damage_options();

// Parses "2000-2020" (or "2000") into a year range; throws ConfigError naming `where`.
std::pair<int, int> parse_year_range(const std::string& text, const std::string& where);

// Reads the [damage] table; relative paths are taken from `base_dir` (the project file's folder).
// Throws ConfigError "file:line [damage] key = value: problem; what to do".
DamageJob damage_job_from_toml(const toml::table& section, const std::string& file,
                               const std::string& base_dir);

// Checks the job, loads the inputs, runs the stage and publishes the results into `out_dir`
// atomically. Returns the published summary.
// Returns the published summary; `keep`, when given, receives the full result.
nlohmann::json run_damage_job(const DamageJob& job, const std::string& out_dir,
                              const RunContext& context, assess::DamageResult* keep = nullptr);

std::string shipped_data_file(const std::string& name);

}  // namespace minecarbon::cli
