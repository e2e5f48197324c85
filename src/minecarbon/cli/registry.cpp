// The commands of the command line and the sections of a project file, in the order `--help` and
// `minecarbon run` show and run them. A new stage adds one line to each list.
#include "minecarbon/cli/command.h"

namespace minecarbon::cli {

std::unique_ptr<Command> make_damage_command();
std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_synth_command();
void run_damage_section(const toml::table&, const ProjectFile&, RunContext&);
std::unique_ptr<Command> make_soil_command();
std::unique_ptr<Command> make_rothc_command();
void run_soil_section(const toml::table&, const ProjectFile&, RunContext&);
void run_rothc_section(const toml::table&, const ProjectFile&, RunContext&);
DemoWriter soil_demo_writer();
std::unique_ptr<Command> make_vegetation_command();
void run_vegetation_section(const toml::table&, const ProjectFile&, RunContext&);
std::string write_vegetation_demo(const assess::SynthWorld&, OutputDir&, std::uint64_t);
std::unique_ptr<Command> make_potential_command();
void run_potential_section(const toml::table&, const ProjectFile&, RunContext&);
DemoWriter potential_demo_writer();
// (add the declarations of new commands, sections and demo writers above this line)

std::vector<std::unique_ptr<Command>> all_commands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(make_damage_command());
  commands.push_back(make_run_command());
  commands.push_back(make_synth_command());
  commands.push_back(make_soil_command());
  commands.push_back(make_rothc_command());
  commands.push_back(make_vegetation_command());
  commands.push_back(make_potential_command());
  // (add new commands above this line)
  return commands;
}

const std::vector<StageSection>& all_sections() {
  // clang-format off: one line per stage, so adding a stage is a one-line change.
  static const std::vector<StageSection> sections = {
      {"damage", run_damage_section},       {"soil", run_soil_section},
      {"rothc", run_rothc_section},         {"vegetation", run_vegetation_section},
      {"potential", run_potential_section},
      // (add new sections above this line)
  };
  // clang-format on
  return sections;
}

const std::vector<DemoWriter>& all_demo_writers() {
  // clang-format off
  static const std::vector<DemoWriter> writers = {
      soil_demo_writer(),
      {"vegetation", write_vegetation_demo},
      potential_demo_writer(),
      // (add demo writers above this line)
  };
  // clang-format on
  return writers;
}

}  // namespace minecarbon::cli
