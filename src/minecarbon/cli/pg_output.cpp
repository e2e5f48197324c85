#include "minecarbon/cli/pg_output.h"

#include <ctime>
#include <filesystem>
#include <fstream>

#include "minecarbon/core/connection_string.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/utc_time.h"
#include "minecarbon/pipeline/toml_file.h"
#include "minecarbon/report/result_layers.h"
#include "minecarbon/store/pg_store.h"

namespace minecarbon::cli {
namespace {

namespace fs = std::filesystem;

std::string utc_now() {
  return utc_now_iso8601();
}

// Every summary.json of a published results folder (its root and direct subfolders), keyed by
// the folder relative to it ("." for the root).
nlohmann::json published_summaries(const fs::path& out_dir) {
  nlohmann::json all = nlohmann::json::object();
  auto add = [&](const fs::path& dir, const std::string& key) {
    std::ifstream in(dir / "summary.json");
    if (!in) return;
    all[key] = nlohmann::json::parse(in, nullptr, false);
  };
  add(out_dir, ".");
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out_dir, ec))
    if (entry.is_directory()) add(entry.path(), entry.path().filename().string());
  return all;
}

// The sink is set for the run's stages and cleared however they end.
class SinkScope {
 public:
  explicit SinkScope(report::TableSink* sink) { report::set_table_sink(sink); }
  ~SinkScope() { report::set_table_sink(nullptr); }
  SinkScope(const SinkScope&) = delete;
  SinkScope& operator=(const SinkScope&) = delete;
};

}  // namespace

void PgOutput::add_flags(CLI::App& sub) {
  sub.add_option("--postgis", connection,
                 "also write every table to this PostGIS database, e.g. 'PG:dbname=mc host=/tmp' "
                 "(docs/postgis.md): tables <stage>_<table> tagged with the run_id, one "
                 "transaction per run; the files are written as well");
  sub.add_option("--pg-schema", schema, "schema of the PostGIS store")
      ->capture_default_str()
      ->each([this](const std::string&) { schema_given = true; });
}

void PgOutput::complete_from_project(const std::string& project_file) {
  const toml::table doc = pipeline::parse_toml_file(project_file, "project file");
  const toml::node_view project = doc["project"];
  if (connection.empty())
    if (auto value = project["postgis"].value<std::string>()) connection = *value;
  if (!schema_given)
    if (auto value = project["pg_schema"].value<std::string>()) schema = *value;
}

void PgOutput::run(std::vector<pipeline::PreparedStage*> stages, const std::string& out_dir,
                   const std::string& config_toml, const RunContext& context,
                   const std::function<void()>& run) const {
  if (connection.empty()) return run();
  if (!is_pg_source(connection))
    throw ConfigError("--postgis '" + redact_passwords(connection) +
                      "': expected a GDAL connection string starting with PG:, e.g. "
                      "'PG:dbname=mc host=localhost user=me'");
  const std::string started = utc_now();
  store::PgStore store(store::PgStoreOptions{connection, schema}, store::make_run_id());
  for (pipeline::PreparedStage* stage : stages) {
    auto inner = std::move(stage->run);
    stage->run = [inner = std::move(inner), name = stage->name, &store](
                     pipeline::StageResults& results, pipeline::StageOutput& out,
                     const RunContext& ctx) {
      store.begin_stage(name);
      return inner(results, out, ctx);
    };
  }
  {
    const SinkScope scope(&store);
    run();
  }
  store.commit(started, utc_now(), context.version, config_toml, published_summaries(out_dir));
  context.say("postgis: run " + store.run_id() + " written to " + store.where() + " (" +
              std::to_string(store.tables_written().size()) + " tables)");
}

}  // namespace minecarbon::cli
