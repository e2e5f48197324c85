// The common end of every stage: its tables as CSV and its summary.json, written into the stage's
// part of the run's output folder (published with the rest of the run by OutputDir::commit).
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "minecarbon/core/run_context.h"
#include "minecarbon/core/table.h"
#include "minecarbon/pipeline/stage_output.h"

namespace minecarbon::pipeline {

// Each table as tables/<table name>.csv.
void write_csv_tables(StageOutput& out, const std::vector<const Table*>& tables);

// Records in `summary` what the stage wrote (every staged file, then summary.json) and the
// thread count, and writes summary.json.
void write_summary(StageOutput& out, nlohmann::json& summary, const RunContext& context);

}  // namespace minecarbon::pipeline
