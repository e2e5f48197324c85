// `--postgis 'PG:…' [--pg-schema minecarbon]` on `run` and every stage command: the run's tables
// written to the PostGIS store as well as to the files (store/pg_store.h, docs/postgis.md).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "minecarbon/core/run_context.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {

struct PgOutput {
  std::string connection;  // "" = no store
  std::string schema = "minecarbon";
  bool schema_given = false;

  void add_flags(CLI::App& sub);
  // [project] postgis and pg_schema of `project_file`, where the command line gave none.
  void complete_from_project(const std::string& project_file);
  // Runs `run` (which runs `stages` and publishes `out_dir`) with the store when one is set:
  // each stage names itself to the store before it runs, and the store commits after the files
  // are published, with every summary.json of `out_dir` and `config_toml` in its runs row.
  void run(std::vector<pipeline::PreparedStage*> stages, const std::string& out_dir,
           const std::string& config_toml, const RunContext& context,
           const std::function<void()>& run) const;
};

}  // namespace minecarbon::cli
