// What a results folder holds, found from its files: which stages wrote into it, where each
// stage's summary, tables and GeoPackage are, and which of its tables the report shows.
//
// A folder written by `run` has the damage stage at its root and the others in subfolders
// (`potential/`, `balance/`, …); a folder written by one stage has that stage at its root. Each
// stage says which stage it is in its `summary.json` ("stage"), so the folder layout is read,
// never assumed. What the report takes from each stage is listed once, in stage_views() (report/stage_views.h).
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/report/stage_views.h"

namespace minecarbon::report {

// One stage found in a results folder.
struct StageFolder {
  const StageView* view = nullptr;
  std::filesystem::path dir;  // the folder holding its summary.json
  nlohmann::json summary;
  // tables/<name>.csv, or nullopt when the stage did not write it (an optional output).
  std::optional<std::filesystem::path> table(const std::string& name) const;
  std::optional<std::filesystem::path> geometry_file() const;
};

// The stages found in `results_dir` (its root and its direct subfolders), in stage_views() order.
// A summary.json naming a stage the report does not know is skipped and named in `skipped`.
// Throws DataError when the folder does not exist, holds no summary.json of a known stage, or a
// summary.json is not valid JSON (naming the file and the parser's message).
std::vector<StageFolder> find_stage_folders(const std::filesystem::path& results_dir,
                                            std::vector<std::string>* skipped = nullptr);

}  // namespace minecarbon::report
