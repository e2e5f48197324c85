// `minecarbon rothc …`: one RothC-26.3 run from the official input file or our TOML + CSV form,
// or a batch of sites from two tables; and the [rothc] section of a project file.
#include <filesystem>
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/soil_job.h"

namespace fs = std::filesystem;

namespace minecarbon::cli {
using namespace pipeline;
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class RothCCommand : public Command {
 public:
  const char* name() const override { return "rothc"; }
  const char* description() const override {
    return "RothC-26.3: official input file, TOML + CSV, or a batch of sites";
  }
  void setup(CLI::App& sub) override {
    sub.add_option("input", input_,
                   "RothC_input.dat (official v1/v2 layout) or a .toml file with a [rothc] table");
    sub.add_option("--spin-up", spin_up_, "official (the official loop) or exact")
        ->capture_default_str();
    sub.add_option("--inverse-soc", inverse_soc_,
                   "also solve the yearly plant input whose equilibrium SOC is this (t C/ha)");
    sub.add_flag("--iom-falloon", job_.iom_from_falloon, "inverse: IOM from Falloon et al. 1998");
    sub.add_option("--sites", job_.sites_csv, "batch: site table CSV");
    sub.add_option("--climate", job_.climate_csv, "batch: climate table CSV");
    sub.add_option("--years", job_.years, "batch: years after the spin-up")->capture_default_str();
    sub.add_flag("--yearly", job_.yearly, "batch: also write each site's yearly SOC");
    inverse_opt_ = sub.get_option("--inverse-soc");
    sub.add_option("--out", out_dir_, "output folder")->required();
    std::string keys = "[rothc] keys (TOML form):\n";
    for (const auto& o : rothc_options())
      keys +=
          "  " + std::string(o.key) + " (" + o.type + ", " + o.default_value + "): " + o.doc + "\n";
    sub.footer(keys);
  }
  void run(RunContext& context) override {
    RothCJob job = job_;
    if (!input_.empty() && ends_with(input_, ".toml")) {
      toml::table doc;
      try {
        doc = toml::parse_file(input_);
      } catch (const toml::parse_error& e) {
        if (!fs::exists(input_)) throw ConfigError(input_ + ": no such file");
        throw ConfigError(input_ + ":" + std::to_string(e.source().begin.line) + ": " +
                          std::string(e.description()));
      }
      const toml::table* section = doc["rothc"].as_table();
      if (!section) throw ConfigError(input_ + ": no [rothc] table");
      job = rothc_job_from_toml(*section, input_, fs::absolute(input_).parent_path().string());
    } else if (!input_.empty()) {
      job.input_dat = input_;
    }
    if (job.input_dat.empty() && job.months_csv.empty() && job.sites_csv.empty())
      throw ConfigError(
          "rothc: give an input file (RothC_input.dat or .toml) or --sites with --climate");
    if (!job.sites_csv.empty() && job.climate_csv.empty())
      throw ConfigError("rothc: --sites needs --climate (the climate table)");
    if (!job.sites_csv.empty() && !job.input_dat.empty())
      throw ConfigError("rothc: give either an input file or --sites, not both");
    if (job.years < 1) throw ConfigError("rothc: --years must be >= 1");
    if (spin_up_ != "official" && spin_up_ != "exact")
      throw ConfigError("rothc: --spin-up = '" + spin_up_ + "': expected official or exact");
    if (spin_up_ == "exact") job.spin_up = carbon::SpinUpMethod::exact;
    if (inverse_opt_->count()) job.inverse_soc_tC_ha = inverse_soc_;
    pipeline::run_single_job("rothc", rothc_inputs(job), out_dir_, context,
                             [&](pipeline::StageOutput& out) { run_rothc_job(job, out, context); });
  }

 private:
  RothCJob job_;
  std::string input_, out_dir_, spin_up_ = "official";
  double inverse_soc_ = 0;
  CLI::Option* inverse_opt_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> make_rothc_command() {
  return std::make_unique<RothCCommand>();
}

}  // namespace minecarbon::cli
