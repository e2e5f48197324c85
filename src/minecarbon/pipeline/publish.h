// The common end of every stage: its tables as CSV and its summary.json, written into the stage's
// part of the run's output folder (published with the rest of the run by OutputDir::commit).
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

#include "minecarbon/core/problems.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/table.h"
#include "minecarbon/pipeline/stage_output.h"

namespace minecarbon::pipeline {

// Each table as tables/<table name>.csv, its rows formatted on `threads` threads (same bytes).
void write_csv_tables(StageOutput& out, const std::vector<const Table*>& tables, int threads = 1);

// Records in `summary` what the stage wrote (every staged file, then summary.json), the thread
// count, what made the run (minecarbon version, command line) and the input files with their sizes
// and modification times, moves every clock reading (the stage's `seconds` and `phase_seconds`)
// under one `timing` key with the start time, and writes summary.json. Everything outside
// `timing` is then the same for two runs of the same inputs and settings.
// A stage's warnings, the one way they reach the user: in `summary` as "warnings" (the listed
// ones, each {"code", "message"}) and "warning_counts" (every warning counted by code), and on
// stderr as "<stage>: warning: <message>" (plus one line counting those not listed).
void record_warnings(nlohmann::json& summary, const ProblemList& warnings, std::string_view stage,
                     const RunContext& context);

void write_summary(StageOutput& out, nlohmann::json& summary, const RunContext& context);

}  // namespace minecarbon::pipeline
