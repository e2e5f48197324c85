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

#include <filesystem>
#include <optional>
#include <string>
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
  std::optional<RunEntry> run(const std::string& id) const;
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
  std::filesystem::path root_;
  bool read_only_;
};

}  // namespace minecarbon::web
