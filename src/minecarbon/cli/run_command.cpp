// `minecarbon run project.toml`: every stage section of the project file, in registry order.
// The whole file is read and checked against the known sections before any stage runs.
#include <filesystem>

#include "minecarbon/cli/command.h"
#include "minecarbon/core/errors.h"

namespace fs = std::filesystem;

namespace minecarbon::cli {
namespace {

std::string line_of(const toml::node& node) {
  return std::to_string(node.source().begin.line);
}

class RunCommand : public Command {
 public:
  const char* name() const override { return "run"; }
  const char* description() const override { return "run the stages of a project file"; }
  void setup(CLI::App& sub) override {
    sub.add_option("project", project_file_, "project.toml")->required();
    sub.add_option("--out", out_override_, "output folder (default: [project] out)");
  }
  void run(RunContext& context) override {
    toml::table doc;
    try {
      doc = toml::parse_file(project_file_);
    } catch (const toml::parse_error& e) {
      if (!fs::exists(project_file_)) throw ConfigError(project_file_ + ": no such project file");
      throw ConfigError(project_file_ + ":" + std::to_string(e.source().begin.line) + ": " +
                        std::string(e.description()));
    }
    StageResults results;
    ProjectFile project{project_file_, fs::absolute(project_file_).parent_path().string(),
                        "results", &results};
    std::string known = "project";
    for (const auto& section : all_sections())
      known += std::string(", ") + section.name;
    for (const auto& [key, node] : doc) {
      const std::string k(key.str());
      bool ok = k == "project";
      for (const auto& section : all_sections())
        ok = ok || k == section.name;
      if (!ok) {
        throw ConfigError(project_file_ + ":" + line_of(node) + ": unknown section [" + k +
                          "] (known: " + known + ")");
      }
    }
    if (const toml::table* settings = doc["project"].as_table())
      read_project(*settings, project, context);
    if (!out_override_.empty()) {
      project.out_dir = out_override_;
    } else if (fs::path(project.out_dir).is_relative()) {
      project.out_dir = (fs::path(project.base_dir) / project.out_dir).string();
    }
    int ran = 0;
    for (const auto& section : all_sections()) {
      if (const toml::table* table = doc[section.name].as_table()) {
        section.run(*table, project, context);
        ++ran;
      }
    }
    if (ran == 0) throw ConfigError(project_file_ + ": no stage section (known: " + known + ")");
  }

 private:
  void read_project(const toml::table& settings, ProjectFile& project, RunContext& context) const {
    for (const auto& [key, node] : settings) {
      const std::string k(key.str());
      const std::string where = project_file_ + ":" + line_of(node) + " [project] " + k;
      if (k == "out") {
        auto value = node.value<std::string>();
        if (!value) throw ConfigError(where + ": expected a folder name in quotes");
        project.out_dir = *value;
      } else if (k == "threads") {
        auto value = node.value<std::int64_t>();
        if (!value || *value < 0)
          throw ConfigError(where + ": expected a whole number >= 0 (0 = all cores)");
        if (*value > 0) context.threads = static_cast<int>(*value);
      } else if (k == "seed") {
        auto value = node.value<std::int64_t>();
        if (!value) throw ConfigError(where + ": expected a whole number");
        context.seed = static_cast<std::uint64_t>(*value);
      } else {
        throw ConfigError(where + ": unknown key (known: out, threads, seed)");
      }
    }
  }

  std::string project_file_, out_override_;
};

}  // namespace

std::unique_ptr<Command> make_run_command() {
  return std::make_unique<RunCommand>();
}

}  // namespace minecarbon::cli
