#include "minecarbon/report/results_folder.h"

#include <algorithm>
#include <fstream>

#include "minecarbon/core/errors.h"

namespace fs = std::filesystem;

namespace minecarbon::report {
namespace {

nlohmann::json read_summary(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw DataError(file.string() + ": cannot be read");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw DataError(file.string() + ": not valid JSON (" + e.what() +
                    "); rerun the stage that wrote this folder");
  }
}

// A stage that does not name itself in summary.json, by the table only it writes.
const StageView* view_by_signature(const fs::path& dir) {
  for (const StageView& view : stage_views())
    if (!view.signature_table.empty() &&
        fs::is_regular_file(dir / "tables" / (view.signature_table + ".csv")))
      return &view;
  return nullptr;
}

}  // namespace

std::optional<fs::path> StageFolder::table(const std::string& name) const {
  if (name.empty()) return std::nullopt;
  const fs::path file = dir / "tables" / (name + ".csv");
  if (fs::is_regular_file(file)) return file;
  return std::nullopt;
}

std::optional<fs::path> StageFolder::geometry_file() const {
  if (view->geometry_gpkg.empty()) return std::nullopt;
  const fs::path file = dir / view->geometry_gpkg;
  if (fs::is_regular_file(file)) return file;
  return std::nullopt;
}

std::vector<StageFolder> find_stage_folders(const fs::path& results_dir,
                                            std::vector<std::string>* skipped) {
  if (!fs::is_directory(results_dir))
    throw DataError(results_dir.string() +
                    ": no such folder; give the folder a stage or `minecarbon run` wrote");
  std::vector<fs::path> candidates = {results_dir};
  std::vector<fs::path> subfolders;
  for (const auto& entry : fs::directory_iterator(results_dir))
    if (entry.is_directory()) subfolders.push_back(entry.path());
  std::sort(subfolders.begin(), subfolders.end());
  candidates.insert(candidates.end(), subfolders.begin(), subfolders.end());

  std::vector<StageFolder> found;
  for (const fs::path& dir : candidates) {
    const fs::path file = dir / "summary.json";
    if (!fs::is_regular_file(file)) continue;
    StageFolder folder;
    folder.dir = dir;
    folder.summary = read_summary(file);
    const std::string stage = folder.summary.value("stage", "");
    folder.view = find_stage_view(stage);
    if (stage.empty()) folder.view = view_by_signature(dir);
    if (folder.view == nullptr) {
      if (skipped) skipped->push_back(file.string() + " (stage '" + stage + "')");
      continue;
    }
    found.push_back(std::move(folder));
  }
  if (found.empty())
    throw DataError(results_dir.string() +
                    ": holds no summary.json of a stage the report knows; give the folder a "
                    "stage or `minecarbon run` wrote");
  auto rank = [](const StageFolder& f) { return f.view - stage_views().data(); };
  std::stable_sort(found.begin(), found.end(),
                   [&](const StageFolder& a, const StageFolder& b) { return rank(a) < rank(b); });
  return found;
}

}  // namespace minecarbon::report
