// `minecarbon soil …`, the [soil] section of a project file and the soil part of the demo.
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/random.h"
#include "minecarbon/demo/synth_world.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/soil_job.h"
#include "minecarbon/pipeline/toml_file.h"

namespace fs = std::filesystem;

namespace minecarbon::cli {
using namespace pipeline;
namespace {

class SoilCommand : public StageCommand<SoilJob> {
 public:
  SoilCommand()
      : StageCommand(
            "soil",
            "SOC stocks of reclaimed and reference soils, IPCC Tier 1, RothC reclamation scenarios",
            soil_options,
            [](const SoilJob& job, MineSets&) { return soil_stage(load_soil(job)); }) {}

 protected:
  void add_leading_flags(CLI::App& sub) override {
    sub.add_option("--config", config_,
                   "project file whose [soil] section to run (scenarios, IPCC); flags given "
                   "with it win over its keys");
    sub.footer(
        "[soil.ipcc] and [[soil.scenarios]] are read from a project file (--config); their keys: "
        "`minecarbon help --markdown soil`");
  }
  SoilJob initial_job() override {
    if (config_.empty()) return SoilJob{};
    const toml::table doc = parse_toml_file(config_, "project file");
    const toml::table* section = doc["soil"].as_table();
    if (!section) throw ConfigError(config_ + ": no [soil] section");
    return soil_job_from_toml(*section,
                              TomlSource{config_, "soil", fs::absolute(config_).parent_path()});
  }
  // A scenario's or the IPCC table's problem is told by its project-file key, not a flag.
  ConfigError option_error(const OptionError& e) const override {
    if (e.stage() != "soil") return e;
    return flags_.error(e);
  }

 private:
  std::string config_;
};

// ---- demo ----------------------------------------------------------------------------------

// A synthetic climatology shaped like a temperate semi-arid coal region (cold dry winters, a
// summer monsoon): °C, mm, mm of open-pan evaporation. Illustrative, not a station record.
constexpr double kDemoTemp[12] = {-6, -2, 5, 13, 19, 23, 24, 22, 17, 10, 2, -4};
constexpr double kDemoRain[12] = {3, 5, 12, 25, 40, 60, 110, 100, 55, 25, 8, 3};
constexpr double kDemoEvap[12] = {20, 30, 70, 120, 170, 180, 160, 130, 95, 65, 30, 18};

std::string write_soil_demo(const demo::SynthWorld& world, OutputDir& out, std::uint64_t seed) {
  RandomStream rng(seed, StreamPurpose::soil_sampling, 0);
  auto u = [](RandomStream& stream) { return stream.uniform01(); };
  auto r2 = [](double v) { return std::round(v * 100.0) / 100.0; };
  {
    std::ofstream csv(out.staged("soil/soil_profiles.csv"));
    csv << "profile_id,mine_id,land_use,date,top_cm,bottom_cm,soc_g_kg,bd_g_cm3,coarse_pct,"
           "clay_pct\n";
    const std::size_t n_mines = world.mines.size();  // profiles on every mine of the demo
    struct Layer {
      double top, bottom, soc, bd, coarse;
    };
    const Layer reclaimed[] = {{0, 10, 10, 1.50, 5},
                               {10, 30, 5, 1.60, 10},
                               {30, 60, 2.5, 1.70, 25},
                               {60, 100, 1.5, 1.75, 40}};
    const Layer reference[] = {{0, 10, 22, 1.20, 2},
                               {10, 30, 13, 1.30, 5},
                               {30, 60, 7, 1.40, 8},
                               {60, 100, 3.5, 1.50, 10}};
    for (std::size_t mine = 0; mine < n_mines; ++mine) {
      for (int kind = 0; kind < 2; ++kind) {
        for (int rep = 1; rep <= 3; ++rep) {
          const std::string id =
              world.mines[mine].id + (kind == 0 ? "-R" : "-U") + std::to_string(rep);
          for (const Layer& l : kind == 0 ? reclaimed : reference) {
            const double soc = r2(l.soc * (0.85 + 0.3 * u(rng)));
            const double bd = r2(l.bd * (0.95 + 0.1 * u(rng)));
            // One reclaimed horizon without bulk density: estimated by bd_ptf, flagged.
            const bool no_bd = mine == 0 && kind == 0 && rep == 2 && l.top == 30;
            csv << id << ',' << world.mines[mine].id << ','
                << (kind == 0 ? "reclaimed_grassland" : "reference") << ",2023-08-15," << l.top
                << ',' << l.bottom << ',' << soc << ',';
            if (no_bd) {
              csv << "NA";
            } else {
              csv << bd;
            }
            csv << ',' << l.coarse << ',' << r2(18 + 8 * u(rng)) << '\n';
          }
        }
      }
    }
    std::ofstream areas(out.staged("soil/areas.csv"));
    areas << "mine_id,land_use,area_ha\n";
    for (std::size_t mine = 0; mine < n_mines; ++mine)
      areas << world.mines[mine].id << ",reclaimed_grassland," << r2(80 + 60 * u(rng)) << '\n';
  }
  {
    std::ofstream csv(out.staged("soil/climate.csv"));
    csv << "month,temp_C,rain_mm,pan_evap_mm\n";
    for (int m = 0; m < 12; ++m)
      csv << m + 1 << ',' << kDemoTemp[m] << ',' << kDemoRain[m] << ',' << kDemoEvap[m] << '\n';
  }
  const std::string mine0 = world.mines.empty() ? "M1" : world.mines.front().id;
  std::ostringstream s;
  s << "# Soil carbon of reclaimed and reference soils (minecarbon soil; docs/soil.md).\n"
    << "[soil]\n"
    << "profiles = \"soil/soil_profiles.csv\"\n"
    << "intervals = [\"0-30\", \"0-100\"]\n"
    << "reference = \"reference\"\n"
    << "bd_ptf = \"song2005\"   # one horizon has no bulk density; estimated and flagged\n"
    << "areas = \"soil/areas.csv\"\n\n"
    << "# IPCC Tier 1: bare spoil, then grassland, then forest (forest factors are not shipped:\n"
    << "# F = 1 means the native-vegetation reference stock), on every mine of soil/areas.csv\n"
    << "# with reclaimed grassland (each on its area): the balance counts its yearly stock\n"
    << "# change as the mine's soil sequestration, M1 keeping its first RothC scenario.\n"
    << "[soil.ipcc]\nclimate = \"warm_temperate_dry\"\nsoil_type = \"HAC\"\nlast_year = 2060\n"
    << "areas_land_use = \"reclaimed_grassland\"\n\n"
    << "[[soil.ipcc.states]]\nlabel = \"bare spoil\"\nstart_year = 2010\nsoc_tC_ha = 4.0\n\n"
    << "[[soil.ipcc.states]]\nlabel = \"grassland\"\nstart_year = 2015\nland_use = \"grassland\"\n"
    << "management = \"nominally_managed\"\ninput = \"medium\"\n\n"
    << "[[soil.ipcc.states]]\nlabel = \"forest\"\nstart_year = 2030\nf_lu = 1.0\nf_mg = 1.0\nf_i = "
       "1.0\n\n"
    << "# RothC reclamation scenarios on the 0-30 cm layer.\n"
    << "[[soil.scenarios]]\nname = \"topsoil_grass_manure\"\nmine_id = \"" << mine0 << "\"\n"
    << "area_ha = 100\nclimate = \"soil/climate.csv\"\nfirst_year = 2024\nyears = 40\n"
    << "clay_pct = 22\ndepth_cm = 30\nstart = \"replaced_topsoil\"\nstart_soc_tC_ha = 30\n"
    << "stockpile_loss_frac = 0.2\n\n"
    << "[[soil.scenarios.phases]]\nfirst_year = 2024\nlabel = \"bare\"\nbare = true\n\n"
    << "[[soil.scenarios.phases]]\nfirst_year = 2025\nlabel = \"grass\"\n"
    << "plant_input_tC_ha_yr = 1.5\ndpm_rpm_ratio = 0.67\n\n"
    << "[[soil.scenarios.phases]]\nfirst_year = 2035\nlabel = \"woodland\"\n"
    << "plant_input_tC_ha_yr = 2.5\ndpm_rpm_ratio = 0.25\n\n"
    << "[[soil.scenarios.amendments]]\nyear = 2025\nmonth = 4\nkind = \"manure\"\ncarbon_tC_ha = "
       "10\n\n"
    << "[[soil.scenarios]]\nname = \"spoil_compost_biochar\"\nmine_id = \"" << mine0 << "\"\n"
    << "area_ha = 100\nclimate = \"soil/climate.csv\"\nfirst_year = 2024\nyears = 40\n"
    << "clay_pct = 18\ndepth_cm = 30\nstart = \"bare_spoil\"\nstart_soc_tC_ha = 4\n\n"
    << "[[soil.scenarios.phases]]\nfirst_year = 2024\nlabel = \"grass\"\n"
    << "plant_input_tC_ha_yr = 1.2\ndpm_rpm_ratio = 0.67\n\n"
    << "# Compost has no confirmed default split: these fractions are illustrative.\n"
    << "[[soil.scenarios.amendments]]\nyear = 2024\nmonth = 4\nkind = \"compost\"\n"
    << "carbon_tC_ha = 8\ndpm_frac = 0.1\nrpm_frac = 0.4\nbio_frac = 0.0\nhum_frac = 0.5\n\n"
    << "[[soil.scenarios.biochar]]\nyear = 2024\nmonth = 4\ncarbon_tC_ha = 5\n";
  return s.str();
}

}  // namespace

std::unique_ptr<Command> make_soil_command() {
  return std::make_unique<SoilCommand>();
}

DemoWriter soil_demo_writer() {
  return {"soil", write_soil_demo};
}

}  // namespace minecarbon::cli
