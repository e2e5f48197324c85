// `minecarbon rothc …`: one RothC-26.3 run from the official input file or our TOML + CSV form,
// or a batch of sites from two tables; and the [rothc] section of a project file.
#include <filesystem>
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/soil_job.h"
#include "minecarbon/pipeline/toml_file.h"

namespace fs = std::filesystem;

namespace minecarbon::cli {
using namespace pipeline;
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class RothCCommand : public StageCommand<RothCJob> {
 public:
  RothCCommand()
      : StageCommand("rothc", "RothC-26.3: official input file, TOML + CSV, or a batch of sites",
                     rothc_options,
                     [](const RothCJob& job, MineSets&) { return rothc_stage(load_rothc(job)); }) {}

 protected:
  void add_leading_flags(CLI::App& sub) override {
    sub.add_option("file", file_,
                   "RothC_input.dat (official v1/v2 layout) or a .toml file with a [rothc] table "
                   "(flags given with it win over its keys)");
  }
  RothCJob initial_job() override {
    RothCJob job;
    if (!file_.empty() && ends_with(file_, ".toml")) {
      const toml::table doc = parse_toml_file(file_);
      const toml::table* section = doc["rothc"].as_table();
      if (!section) throw ConfigError(file_ + ": no [rothc] table");
      job = rothc_job_from_toml(*section,
                                TomlSource{file_, "rothc", fs::absolute(file_).parent_path()});
    } else if (!file_.empty()) {
      job.input_dat = file_;
    }
    return job;
  }
  void complete(RothCJob& job) override {
    if (job.input_dat.empty() && job.months_csv.empty() && job.sites_csv.empty())
      throw ConfigError(
          "rothc: give an input file (RothC_input.dat or .toml) or --sites with --climate");
  }

 private:
  std::string file_;
};

}  // namespace

std::unique_ptr<Command> make_rothc_command() {
  return std::make_unique<RothCCommand>();
}

}  // namespace minecarbon::cli
