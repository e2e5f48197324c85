// The folder `minecarbon serve PROJECT_DIR` serves, and every path the server touches in it.
//
// Each subfolder with a project.toml (or a project.json, which a project made by the server has
// before its first configuration) is a project; when PROJECT_DIR itself has a project.toml it is a
// one-project workspace. Inside a project:
//   project.toml               the configuration (PUT /api/projects/{p}/config)
//   project.json               {"name"} for a project made by the server
//   inputs/<id>.<ext>          uploads, with inputs/<id>.json {"name": original file name}
//   runs/<id>/                 a results folder as `minecarbon run` writes it, plus run.json
//   <[project] out>/           shown as the run with status "imported"
//
// Every id a client sends is server-made ([a-z0-9]{12}) and checked against that pattern before
// it is joined to a path; a folder's id is derived from its name (a hash) unless the server
// made the folder, whose name is the id. Nothing a client sends is ever used as a path.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace minecarbon::web {

struct ProjectEntry {
  std::string id;
  std::string name;
  std::filesystem::path dir;
};

struct RunEntry {
  std::string id;
  std::string project_id;
  std::filesystem::path dir;
  bool imported = false;  // the project's own `out` folder
  nlohmann::json record;  // run.json, or {"status": "imported"}
};

struct InputEntry {
  std::string id;
  std::string name;  // the uploaded file's name: metadata only
  std::filesystem::path path;
};

class Workspace {
 public:
  // Throws ConfigError (exit 2) naming the folder when it is missing, not a folder, or (unless
  // `read_only`) not writable.
  Workspace(std::filesystem::path root, bool read_only);

  const std::filesystem::path& root() const { return root_; }
  bool read_only() const { return read_only_; }

  std::vector<ProjectEntry> projects() const;
  std::optional<ProjectEntry> project(const std::string& id) const;
  ProjectEntry create_project(const std::string& name);
  void remove_project(const ProjectEntry& project);

  std::vector<RunEntry> runs(const ProjectEntry& project) const;
  // The run with this id. Every request of a run's routes (each map tile) asks, and a full look
  // lists the projects, parses each project.toml and reads each run.json; so a run found is
  // remembered with the stat (inode, size, mtime, ctime) of every file and folder that look
  // depended on, and given again while all are unchanged, no write went through note_change()
  // since and it is under a second old.
  std::optional<RunEntry> run(const std::string& id) const;
  // Forgets every remembered lookup (of every Workspace). Called by the writes here and by the
  // server after each request that may write; a change by anyone else is seen by the stats.
  static void note_change();
  // A new run's folder (runs/<id>/, created) with its run.json.
  RunEntry create_run(const ProjectEntry& project, const nlohmann::json& record);
  static void write_run_record(const std::filesystem::path& run_dir, const nlohmann::json& record);

  std::vector<InputEntry> inputs(const ProjectEntry& project) const;
  std::optional<InputEntry> input(const ProjectEntry& project, const std::string& id) const;

  // The files a run published (its .minecarbon-manifest), relative to its folder.
  static std::vector<std::string> run_files(const RunEntry& run);

  // [a-z0-9]{12} from OpenSSL's random generator.
  static std::string new_id();
  static bool is_id(const std::string& text);
  // The id of a folder the server did not make: a hash of its name, [a-z0-9]{12}.
  static std::string derived_id(const std::string& text);

 private:
  std::optional<ProjectEntry> project_at(const std::filesystem::path& dir) const;
  // The full look; `project_dir` gets the run's project folder.
  std::optional<RunEntry> find_run(const std::string& id, std::filesystem::path* project_dir) const;

  // What stat(2) says of a path, enough to tell a file written again or replaced.
  struct Stamp {
    std::filesystem::path path;
    bool exists = false;
    std::uint64_t dev = 0, ino = 0, mode = 0, size = 0;
    std::int64_t mtime_ns = 0, ctime_ns = 0;
    friend bool operator==(const Stamp&, const Stamp&) = default;
  };
  static Stamp stamp(const std::filesystem::path& path);
  struct RememberedRun {
    RunEntry run;
    std::vector<Stamp> stamps;
    std::uint64_t generation = 0;
    std::chrono::steady_clock::time_point looked_up;
  };

  std::filesystem::path root_;
  bool read_only_;
  mutable std::mutex memo_mutex_;
  mutable std::unordered_map<std::string, RememberedRun> run_memo_;
};

}  // namespace minecarbon::web
