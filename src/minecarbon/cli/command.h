// How a command joins the command line and how a stage adds its part to the demo.
//
// A command declares its options on its CLI11 subcommand (setup) and runs after parsing (run).
// The stage sections of a project file live in pipeline/project.cpp (the runner needs no command
// line); the commands and demo writers are listed in registry.cpp: adding one is one line there.
#pragma once

#include <toml++/toml.h>
#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "minecarbon/core/run_context.h"

namespace minecarbon {
class OutputDir;
namespace demo {
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

// A stage's part of the demo: `minecarbon synth` calls it with the world it made (mines, NEP
// rasters) and the staging folder; it writes its own inputs there (paths relative to the folder)
// and returns its project.toml section text ("[soil]\n..."), appended to the demo project.
struct DemoWriter {
  const char* name;
  std::function<std::string(const demo::SynthWorld& world, OutputDir& out, std::uint64_t seed)>
      write;
};

std::vector<std::unique_ptr<Command>> all_commands();
const std::vector<DemoWriter>& all_demo_writers();

}  // namespace minecarbon::cli
