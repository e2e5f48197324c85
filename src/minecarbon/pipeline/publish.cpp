#include "minecarbon/pipeline/publish.h"

#include "minecarbon/core/utc_time.h"
#include "minecarbon/report/writers.h"

#include <chrono>
#include <ctime>
#include <filesystem>

namespace minecarbon::pipeline {

void write_csv_tables(StageOutput& out, const std::vector<const Table*>& tables, int threads) {
  for (const Table* table : tables)
    report::write_csv_file(out.staged("tables/" + table->name() + ".csv").string(), *table,
                           threads);
}

void record_warnings(nlohmann::json& summary, const ProblemList& warnings, std::string_view stage,
                     const RunContext& context) {
  summary["warnings"] = warnings.listed_json();
  summary["warning_counts"] = warnings.counts_json();
  for (const auto& warning : warnings.listed())
    context.say(std::string(stage) + ": warning: " + warning.message);
  if (warnings.unlisted() > 0) {
    context.say(std::string(stage) + ": " + std::to_string(warnings.unlisted()) +
                " more warnings, counted by code in summary.json (warning_counts)");
  }
}

namespace {

std::string utc_text(std::filesystem::file_time_type time) {
  const auto system = std::chrono::file_clock::to_sys(time);
  return utc_iso8601(std::chrono::system_clock::to_time_t(system));
}

nlohmann::json input_files(const std::vector<std::string>& inputs) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& path : inputs) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) continue;
    nlohmann::json file = {{"path", path}};
    if (std::filesystem::is_regular_file(status))
      file["bytes"] = std::filesystem::file_size(path, ec);
    const auto modified = std::filesystem::last_write_time(path, ec);
    if (!ec) file["modified_utc"] = utc_text(modified);
    out.push_back(std::move(file));
  }
  return out;
}

}  // namespace

void write_summary(StageOutput& out, nlohmann::json& summary, const RunContext& context) {
  nlohmann::json timing = {{"started_utc", context.started_utc}};
  for (const char* key : {"seconds", "phase_seconds"}) {
    if (summary.contains(key)) {
      timing[key] = summary[key];
      summary.erase(key);
    }
  }
  summary["timing"] = std::move(timing);
  summary["minecarbon"] = {{"version", context.version}, {"command_line", context.command_line}};
  summary["input_files"] = input_files(out.inputs());
  nlohmann::json outputs = out.files();
  outputs.push_back("summary.json");
  summary["outputs"] = std::move(outputs);
  summary["threads"] = context.threads;
  report::write_json_file(out.staged("summary.json").string(), summary);
}

}  // namespace minecarbon::pipeline
