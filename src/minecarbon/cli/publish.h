// The common end of every stage job: its tables as CSV, its summary, and the atomic publication of
// the output folder.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/table.h"

namespace minecarbon::cli {

// Each table as tables/<table name>.csv.
void write_csv_tables(OutputDir& out, const std::vector<const Table*>& tables);

// Records in `summary` what the run wrote (every staged file, then summary.json) and the thread
// count, writes summary.json and moves the whole folder into place.
void publish(OutputDir& out, nlohmann::json& summary, const RunContext& context);

}  // namespace minecarbon::cli
