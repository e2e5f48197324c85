// How a command joins the command line and how a stage joins `minecarbon run project.toml`.
//
// A command declares its options on its CLI11 subcommand (setup) and runs after parsing (run).
// A stage section turns its [name] table of the project file into a run, with relative paths
// taken from the project file's folder and results published into `out_dir/<name>` or `out_dir`.
// Both lists live in registry.cpp: adding a command or a section is one line there.
#pragma once

#include <toml++/toml.h>
#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "minecarbon/core/run_context.h"
#include "minecarbon/core/table.h"

namespace minecarbon {
class OutputDir;
namespace assess {
struct SynthWorld;
}
}  // namespace minecarbon

namespace minecarbon::cli {

class Command {
 public:
  virtual ~Command() = default;
  virtual const char* name() const = 0;
  virtual const char* description() const = 0;
  virtual void setup(CLI::App& sub) = 0;
  virtual void run(RunContext& context) = 0;  // throws minecarbon::Error
};

// Results of the stages run so far in one project, by "stage/table" (e.g. "damage/mines"): a
// later stage takes what it builds on from memory, never from another stage's files.
struct StageResults {
  std::map<std::string, Table> tables;
};

struct ProjectFile {
  std::string path;                 // for messages
  std::string base_dir;             // relative paths start here
  std::string out_dir;              // [project] out, or --out
  StageResults* results = nullptr;  // shared by the stages of one `minecarbon run`
};

struct StageSection {
  const char* name;  // the [name] of the table
  std::function<void(const toml::table& section, const ProjectFile& project, RunContext& context)>
      run;
};

// A stage's part of the demo: `minecarbon synth` calls it with the world it made (mines, NEP
// rasters) and the staging folder; it writes its own inputs there (paths relative to the folder)
// and returns its project.toml section text ("[soil]\n..."), appended to the demo project.
struct DemoWriter {
  const char* name;
  std::function<std::string(const assess::SynthWorld& world, OutputDir& out, std::uint64_t seed)>
      write;
};

std::vector<std::unique_ptr<Command>> all_commands();
const std::vector<StageSection>& all_sections();
const std::vector<DemoWriter>& all_demo_writers();

}  // namespace minecarbon::cli
