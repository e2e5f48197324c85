#include "minecarbon/pipeline/publish.h"

#include "minecarbon/report/writers.h"

namespace minecarbon::pipeline {

void write_csv_tables(StageOutput& out, const std::vector<const Table*>& tables) {
  for (const Table* table : tables)
    report::write_csv_file(out.staged("tables/" + table->name() + ".csv").string(), *table);
}

void write_summary(StageOutput& out, nlohmann::json& summary, const RunContext& context) {
  nlohmann::json outputs = out.files();
  outputs.push_back("summary.json");
  summary["outputs"] = std::move(outputs);
  summary["threads"] = context.threads;
  report::write_json_file(out.staged("summary.json").string(), summary);
}

}  // namespace minecarbon::pipeline
