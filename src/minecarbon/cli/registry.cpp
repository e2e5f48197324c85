// The commands of the command line and the stages' demo writers, in the order `--help` shows and
// `minecarbon synth` runs them. A new stage adds one line to each list (and its section to
// pipeline/project.cpp).
#include "minecarbon/cli/command.h"

namespace minecarbon::cli {

std::unique_ptr<Command> make_damage_command();
std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_synth_command();
std::unique_ptr<Command> make_soil_command();
std::unique_ptr<Command> make_rothc_command();
DemoWriter soil_demo_writer();
std::unique_ptr<Command> make_vegetation_command();
std::string write_vegetation_demo(const demo::SynthWorld&, OutputDir&, std::uint64_t);
std::unique_ptr<Command> make_potential_command();
std::unique_ptr<Command> make_help_command();
DemoWriter potential_demo_writer();
std::unique_ptr<Command> make_landuse_command();
std::unique_ptr<Command> make_emissions_command();
std::unique_ptr<Command> make_balance_command();
std::string write_landuse_demo(const demo::SynthWorld&, OutputDir&, std::uint64_t);
std::string write_emissions_demo(const demo::SynthWorld&, OutputDir&, std::uint64_t);
std::string write_balance_demo(const demo::SynthWorld&, OutputDir&, std::uint64_t);
std::unique_ptr<Command> make_nep_command();
std::unique_ptr<Command> make_indices_command();
std::unique_ptr<Command> make_warning_command();
std::unique_ptr<Command> make_report_command();
std::unique_ptr<Command> make_topography_command();
std::unique_ptr<Command> make_merge_command();
std::string write_nep_demo(const demo::SynthWorld&, OutputDir&, std::uint64_t);
std::string write_warning_demo(const demo::SynthWorld&, OutputDir&, std::uint64_t);
std::string write_scenario_demo(const demo::SynthWorld&, OutputDir&, std::uint64_t);
std::unique_ptr<Command> make_classify_command();
std::unique_ptr<Command> make_plan_command();
std::unique_ptr<Command> make_scenario_command();
std::unique_ptr<Command> make_serve_command();
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
  commands.push_back(make_help_command());
  commands.push_back(make_landuse_command());
  commands.push_back(make_emissions_command());
  commands.push_back(make_balance_command());
  commands.push_back(make_nep_command());
  commands.push_back(make_indices_command());
  commands.push_back(make_warning_command());
  commands.push_back(make_report_command());
  commands.push_back(make_topography_command());
  commands.push_back(make_merge_command());
  commands.push_back(make_classify_command());
  commands.push_back(make_plan_command());
  commands.push_back(make_scenario_command());
  commands.push_back(make_serve_command());
  // (add new commands above this line)
  return commands;
}

const std::vector<DemoWriter>& all_demo_writers() {
  // clang-format off
  static const std::vector<DemoWriter> writers = {
      soil_demo_writer(),
      {"vegetation", write_vegetation_demo},
      potential_demo_writer(),
      {"landuse", write_landuse_demo},
      {"emissions", write_emissions_demo},
      {"balance", write_balance_demo},
      {"nep", write_nep_demo},
      {"warning", write_warning_demo},
      {"scenario", write_scenario_demo},
      // (add demo writers above this line)
  };
  // clang-format on
  return writers;
}

}  // namespace minecarbon::cli
