#include "minecarbon/pipeline/checkpoint_run.h"

#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "minecarbon/core/distributor.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/pipeline/checkpoint.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/nep_job.h"
#include "minecarbon/pipeline/report_job.h"
#include "minecarbon/pipeline/toml_file.h"

namespace fs = std::filesystem;

namespace minecarbon::pipeline {
namespace {

constexpr const char* kIdentityName = "project.json";
constexpr const char* kManifestName = "manifest.json";

// FNV-1a (64 bit) of a file's bytes, read in blocks (a stage's GeoTIFFs may be large); the same
// function as core/distributor.h's fnv1a64, continued from block to block.
std::string file_hash(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RunError("cannot read " + path.string());
  std::vector<char> block(1 << 20);
  std::uint64_t hash = 14695981039346656037ull;
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    for (std::size_t i = 0; i < n; ++i) {
      hash ^= static_cast<std::uint8_t>(block[i]);
      hash *= 1099511628211ull;
    }
  }
  return hash_text(hash);
}

nlohmann::json file_entry(const std::string& stage, const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  const auto time = fs::last_write_time(file, ec);
  return {{"stage", stage},
          {"path", fs::absolute(file).lexically_normal().string()},
          {"size", ec ? 0 : size},
          {"mtime_ns", ec ? 0 : static_cast<std::int64_t>(time.time_since_epoch().count())}};
}

// The project file as JSON (toml++'s JSON form), so that a difference names the section and key.
nlohmann::json project_json(const std::string& file) {
  const toml::table doc = parse_toml_file(file, "project file");
  std::ostringstream text;
  text << toml::json_formatter{doc};
  return nlohmann::json::parse(text.str());
}

std::string short_dump(const nlohmann::json& value) {
  std::string text = value.is_null() ? "(not set)" : value.dump();
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

// Files and folders a stage wrote, relative to the staging folder; folders as every file in them.
void list_files(const fs::path& root, const std::string& relative, std::vector<std::string>* out) {
  const fs::path path = root / relative;
  if (fs::is_directory(path)) {
    std::vector<std::string> inside;
    for (const auto& entry : fs::recursive_directory_iterator(path))
      if (entry.is_regular_file())
        inside.push_back(fs::relative(entry.path(), root).generic_string());
    std::sort(inside.begin(), inside.end());
    out->insert(out->end(), inside.begin(), inside.end());
  } else if (fs::exists(path)) {
    out->push_back(relative);
  }
}

// This process's staging folder in `out` (core/output_dir.cpp names it by the process id).
fs::path staging_folder(const OutputDir& out) {
  const std::string prefix =
      std::string(OutputDir::kStagingPrefix) + std::to_string(::getpid()) + "-";
  for (const auto& entry : fs::directory_iterator(out.dir()))
    if (entry.is_directory() && entry.path().filename().string().rfind(prefix, 0) == 0)
      return entry.path();
  throw RunError("run --checkpoint: no staging folder of this process in " + out.dir().string());
}

void copy_file_made(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec)
    throw RunError("run --checkpoint: cannot copy " + from.string() + " to " + to.string() + ": " +
                   ec.message());
}

// Records a finished stage: copies of the files it staged and their manifest, under a temporary
// name renamed into place, so a stage folder with a manifest is whole.
void save_stage(const fs::path& stages_dir, const std::string& stage, const fs::path& staging,
                const std::vector<std::string>& staged) {
  std::vector<std::string> files;
  for (const auto& relative : staged)
    list_files(staging, relative, &files);
  const fs::path tmp = stages_dir / ("." + stage + ".tmp");
  const fs::path done = stages_dir / stage;
  std::error_code ec;
  fs::remove_all(tmp, ec);
  nlohmann::json manifest = {
      {"stage", stage}, {"staged", staged}, {"files", nlohmann::json::array()}};
  for (const auto& relative : files) {
    copy_file_made(staging / relative, tmp / "files" / relative);
    manifest["files"].push_back({{"path", relative},
                                 {"size", fs::file_size(staging / relative)},
                                 {"fnv1a64", file_hash(staging / relative)}});
  }
  fs::create_directories(tmp, ec);
  {
    std::ofstream text(tmp / kManifestName);
    text << manifest.dump(1) << '\n';
    if (!text) throw RunError("run --checkpoint: cannot write " + (tmp / kManifestName).string());
  }
  fs::remove_all(done, ec);
  fs::rename(tmp, done);
}

// Copies a finished stage's files into the staging folder through `out` (so they are published
// with the run), checking each against its manifest.
void restore_stage(const fs::path& stage_dir, StageOutput& out, const std::string& folder) {
  std::ifstream text(stage_dir / kManifestName);
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    throw DataError((stage_dir / kManifestName).string() + ": not valid JSON (" + e.what() +
                    "); delete " + stage_dir.string() + " and resume again (the stage reruns)");
  }
  std::map<std::string, fs::path> staged_at;  // file → where it goes in the staging folder
  for (const auto& entry : manifest.at("staged")) {
    const std::string relative = entry.get<std::string>();
    if (relative.rfind(folder, 0) != 0)
      throw DataError((stage_dir / kManifestName).string() + ": '" + relative +
                      "' is not in the stage's folder '" + folder + "'");
    // Through the stage's output, so the file is published; folders are staged as a whole.
    staged_at[relative] = out.staged(relative.substr(folder.size()));
  }
  for (const auto& file : manifest.at("files")) {
    const std::string relative = file.at("path").get<std::string>();
    const fs::path from = stage_dir / "files" / relative;
    const std::string want = file.at("fnv1a64").get<std::string>();
    if (!fs::exists(from) || file_hash(from) != want)
      throw DataError(from.string() + ": missing, or its bytes do not match the hash in " +
                      (stage_dir / kManifestName).string() + " (" + want + "); delete " +
                      stage_dir.string() + " and resume again (the stage reruns)");
    // The file itself, or one inside a staged folder.
    fs::path to;
    for (const auto& [staged, at] : staged_at) {
      if (relative == staged)
        to = at;
      else if (relative.rfind(staged + "/", 0) == 0)
        to = at / relative.substr(staged.size() + 1);
    }
    if (to.empty())
      throw DataError((stage_dir / kManifestName).string() + ": file '" + relative +
                      "' is in no staged path of the stage");
    copy_file_made(from, to);
  }
}

// The nep stage's result when its files were restored: the annual NEP rasters in the staging
// folder, opened as run_nep_job opens what it wrote.
geo::RasterSeries restored_nep(const Project& project, const fs::path& staging) {
  const toml::table doc = parse_toml_file(project.plan.file, "project file");
  const NepJob nep = nep_job_from_toml(*doc["nep"].as_table(),
                                       TomlSource{project.plan.file, "nep", project.plan.base_dir});
  geo::RasterSeriesSpec spec;
  spec.pattern = (staging / "nep" / "nep_{year}.tif").string();
  spec.first_year = nep.years.first_year;
  spec.last_year = nep.years.last_year;
  return geo::open_raster_series(spec);
}

}  // namespace

nlohmann::json project_checkpoint_identity(const Project& project, const RunContext& context,
                                           int unit_mines) {
  nlohmann::json inputs = nlohmann::json::array();
  for (const auto& stage : project.stages) {
    for (const auto& input : stage.inputs) {
      if (fs::is_directory(input)) {
        std::vector<fs::path> inside;
        for (const auto& entry : fs::recursive_directory_iterator(input))
          if (entry.is_regular_file()) inside.push_back(entry.path());
        std::sort(inside.begin(), inside.end());
        for (const auto& file : inside)
          inputs.push_back(file_entry(stage.name, file));
      } else {
        inputs.push_back(file_entry(stage.name, input));
      }
    }
  }
  return {{"kind", "minecarbon run"},
          {"project", project_json(project.plan.file)},
          {"out", fs::absolute(project.plan.out_dir).lexically_normal().string()},
          {"seed", context.seed},
          {"unit_mines", unit_mines},
          {"inputs", inputs}};
}

std::string project_identity_difference(const nlohmann::json& here, const nlohmann::json& there) {
  const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json& p = here.contains("project") ? here["project"] : empty;
  const nlohmann::json& q = there.contains("project") ? there["project"] : empty;
  // Sections, then keys, in the order of the file here (then those only in the folder's).
  std::vector<std::string> sections;
  for (auto it = p.begin(); it != p.end(); ++it)
    sections.push_back(it.key());
  for (auto it = q.begin(); it != q.end(); ++it)
    if (!p.contains(it.key())) sections.push_back(it.key());
  for (const auto& section : sections) {
    if (!p.contains(section)) return "section [" + section + "] is only in the folder's project";
    if (!q.contains(section)) return "section [" + section + "] is new in the project file";
    const nlohmann::json& a = p[section];
    const nlohmann::json& b = q[section];
    if (a == b) continue;
    if (!a.is_object() || !b.is_object()) return "[" + section + "] differs";
    for (auto it = a.begin(); it != a.end(); ++it) {
      const nlohmann::json other = b.contains(it.key()) ? b[it.key()] : nlohmann::json();
      if (*it != other)
        return "[" + section + "] " + it.key() + ": " + short_dump(*it) + " here, " +
               short_dump(other) + " in the folder";
    }
    for (auto it = b.begin(); it != b.end(); ++it)
      if (!a.contains(it.key()))
        return "[" + section + "] " + it.key() + ": (not set) here, " + short_dump(*it) +
               " in the folder";
  }
  for (const char* key : {"out", "seed", "unit_mines"}) {
    const nlohmann::json a = here.contains(key) ? here[key] : nlohmann::json();
    const nlohmann::json b = there.contains(key) ? there[key] : nlohmann::json();
    if (a != b) {
      const std::string name = std::string(key) == "out"    ? "output folder (--out)"
                               : std::string(key) == "seed" ? "seed (--seed or [project] seed)"
                                                            : "--unit-mines";
      return name + ": " + short_dump(a) + " here, " + short_dump(b) + " in the folder";
    }
  }
  const nlohmann::json no_inputs = nlohmann::json::array();
  const nlohmann::json& a = here.contains("inputs") ? here["inputs"] : no_inputs;
  const nlohmann::json& b = there.contains("inputs") ? there["inputs"] : no_inputs;
  std::map<std::pair<std::string, std::string>, nlohmann::json> before;
  for (const auto& f : b)
    before[{f.value("stage", ""), f.value("path", "")}] = f;
  for (const auto& f : a) {
    const auto key = std::make_pair(f.value("stage", ""), f.value("path", ""));
    const auto it = before.find(key);
    if (it == before.end()) return "input file " + key.second + " (" + key.first + ") is new";
    if (it->second.value("size", std::int64_t{0}) != f.value("size", std::int64_t{0}))
      return "input file " + key.second + " (" + key.first + "): its size changed (" +
             it->second["size"].dump() + " bytes in the folder's run, " + f["size"].dump() +
             " now)";
    if (it->second != f)
      return "input file " + key.second + " (" + key.first + "): its modification time changed";
    before.erase(it);
  }
  if (!before.empty())
    return "input file " + before.begin()->first.second + " (" + before.begin()->first.first +
           ") is no longer read";
  return "";
}

bool stage_reads(const std::string& stage, std::vector<std::string>* producers) {
  // Who reads which StageResults slot (grep "results." in pipeline/*_job.cpp). A new stage
  // section must be added here (tests/unit check that every section of all_sections() is).
  static const std::map<std::string, std::vector<std::string>> reads = {
      {"indices", {}},
      {"nep", {}},
      {"damage", {"nep"}},
      {"warning", {"damage"}},
      {"soil", {}},
      {"rothc", {}},
      {"vegetation", {}},
      {"potential", {"damage"}},
      {"landuse", {}},
      {"emissions", {}},
      {"balance", {"damage", "vegetation", "soil", "landuse", "emissions"}},
      {"classify", {"damage", "potential"}},
      {"topography", {"damage", "potential"}},
      {"plan", {"soil"}},
      {"scenario", {}},
  };
  const auto it = reads.find(stage);
  if (it == reads.end()) return false;
  if (producers) *producers = it->second;
  return true;
}

std::vector<bool> stages_to_run(const std::vector<std::string>& stages,
                                const std::vector<bool>& finished) {
  std::vector<bool> run(stages.size());
  for (std::size_t i = 0; i < stages.size(); ++i) {
    run[i] = !finished[i];
    if (!stage_reads(stages[i], nullptr)) return std::vector<bool>(stages.size(), true);
  }
  // A running stage's producers run too (their result is in memory only), and theirs in turn.
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < stages.size(); ++i) {
      if (!run[i]) continue;
      std::vector<std::string> producers;
      stage_reads(stages[i], &producers);
      for (std::size_t j = 0; j < i; ++j) {
        if (run[j] || stages[j] == "nep") continue;
        if (std::find(producers.begin(), producers.end(), stages[j]) == producers.end()) continue;
        run[j] = true;
        changed = true;
      }
    }
  }
  return run;
}

void run_project_checkpointed(const Project& project, const RunContext& context,
                              const RunCheckpoint& checkpoint) {
  check_project_output_apart(project);

  // The folder: this run's, or new; another run's is refused naming what differs.
  const fs::path dir(checkpoint.dir);
  const nlohmann::json identity =
      project_checkpoint_identity(project, context, checkpoint.unit_mines);
  const fs::path identity_file = dir / kIdentityName;
  bool had_identity = false;
  if (fs::exists(identity_file)) {
    nlohmann::json stored;
    try {
      std::ifstream in(identity_file);
      stored = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
      throw ConfigError(identity_file.string() + ": not valid JSON (" + e.what() +
                        "); delete the checkpoint folder and run again");
    }
    if (const std::string diff = project_identity_difference(identity, stored); !diff.empty())
      throw ConfigError("--checkpoint " + checkpoint.dir +
                        " holds a different run of a project: " + diff +
                        "; run again without --resume into another folder, or delete this one "
                        "to start afresh");
    had_identity = true;
  } else if (fs::exists(dir / "run.json")) {
    throw ConfigError("--checkpoint " + checkpoint.dir +
                      " holds the units of a `minecarbon damage` run, not of a project run; give "
                      "`run` a folder of its own");
  }
  if (!had_identity) {
    std::error_code ec;
    fs::create_directories(dir / "stages", ec);
    if (ec)
      throw ConfigError("--checkpoint " + checkpoint.dir + ": cannot create it (" + ec.message() +
                        ")");
    const fs::path tmp = dir / ".project.json.tmp";
    {
      std::ofstream out(tmp);
      out << identity.dump(1) << '\n';
      if (!out) throw RunError("cannot write " + tmp.string());
    }
    fs::rename(tmp, identity_file);
  }
  const bool resume = checkpoint.resume && had_identity;
  if (checkpoint.resume && !had_identity)
    context.say("run: --resume: " + checkpoint.dir + " holds no earlier run; starting afresh");

  std::vector<std::string> names;
  std::vector<bool> finished;
  for (const auto& stage : project.stages) {
    names.push_back(stage.name);
    finished.push_back(resume && fs::exists(dir / "stages" / stage.name / kManifestName));
  }
  // A stage rerun when resuming starts its record afresh.
  const std::vector<bool> run = stages_to_run(names, finished);

  OutputDir out(project.plan.out_dir);
  const fs::path staging = staging_folder(out);
  StageResults results;
  std::vector<std::string> lines, restored, rerun;
  for (std::size_t i = 0; i < project.stages.size(); ++i) {
    const PreparedStage& stage = project.stages[i];
    StageOutput stage_out(out, stage.folder);
    stage_out.set_inputs(stage.inputs);
    if (!run[i]) {
      restore_stage(dir / "stages" / stage.name, stage_out, stage.folder);
      if (stage.name == "nep") results.nep = restored_nep(project, staging);
      if (stage.name == "damage") release_project_ranks_unneeded();
      restored.push_back(stage.name);
      lines.push_back(stage.name + ": restored from the checkpoint " +
                      (dir / "stages" / stage.name).string());
      continue;
    }
    if (finished[i]) rerun.push_back(stage.name);
    const std::size_t before = out.staged_files().size();
    if (stage.name == "damage") set_project_unit_checkpoint((dir / "damage").string(), resume);
    struct Reset {  // the hook is for this stage only
      ~Reset() { set_project_unit_checkpoint("", false); }
    } reset;
    lines.push_back(stage.run(results, stage_out, context));
    const std::vector<std::string> staged(
        out.staged_files().begin() + static_cast<std::ptrdiff_t>(before), out.staged_files().end());
    save_stage(dir / "stages", stage.name, staging, staged);
  }
  out.commit();
  if (resume) {
    std::string text = "run: resumed from " + checkpoint.dir + ": ";
    auto list = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v)
        s += (s.empty() ? "" : ", ") + x;
      return s.empty() ? std::string("none") : s;
    };
    text += "restored " + list(restored) +
            "; finished but run again (a running stage reads "
            "its result) " +
            list(rerun);
    context.say(text);
  }
  for (const auto& line : lines)
    context.say(line);
  // As run_project: the report last, from the published folder (pipeline/report_job.h).
  if (project.report) run_report_after_run(*project.report, context);
}

}  // namespace minecarbon::pipeline
