#include "minecarbon/cli/synth_command.h"

#include "minecarbon/cli/command.h"

#include <fstream>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/demo/synth_world.h"
#include "minecarbon/report/raster_writer.h"
#include "minecarbon/report/web_assets.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::cli {

void write_synth_world(const std::string& out_dir, std::uint64_t seed, const RunContext& context) {
  OutputDir out(out_dir);
  const demo::SynthWorld world = demo::make_synth_world(seed);
  for (int year = world.first_year; year <= world.last_year; ++year) {
    report::write_geotiff_float32(
        out.staged("nep/nep_" + std::to_string(year) + ".tif").string(), world.grid, "EPSG:4326",
        world.nep[static_cast<std::size_t>(year - world.first_year)], world.nodata);
  }
  Table mines("mines");
  std::vector<std::string> ids, iso3;
  std::vector<geo::MultiPolygon> shapes;
  for (const auto& m : world.mines) {
    ids.push_back(m.id);
    iso3.push_back(m.iso3);
    shapes.push_back(m.shape_lonlat);
  }
  mines.add("mine_id", ids);
  mines.add("ISO3_CODE", iso3);
  report::write_geopackage(out.staged("mines.gpkg").string(),
                           report::GeometryLayer{&mines, &shapes, "EPSG:4326"}, {});

  Table truth("truth");
  std::vector<std::string> t_id;
  std::vector<std::int64_t> t_year, t_onset, t_restore;
  std::vector<double> t_s, t_loss, t_recovery;
  for (const auto& m : world.mines) {
    for (int year = world.first_year; year <= world.last_year; ++year) {
      t_id.push_back(m.id);
      t_year.push_back(year);
      t_s.push_back(m.disturbance(year) - m.disturbance(world.first_year));
      t_onset.push_back(m.onset_year);
      t_loss.push_back(m.loss_gC_m2_yr);
      t_restore.push_back(m.restore_year);
      t_recovery.push_back(m.recovery_gC_m2_yr2);
    }
  }
  truth.add("mine_id", t_id);
  truth.add("year", t_year);
  truth.add("planted_nep_change_rel_gC_m2_yr", t_s);
  truth.add("planted_onset_year", t_onset);
  truth.add("planted_loss_gC_m2_yr", t_loss);
  truth.add("planted_restore_year", t_restore);
  truth.add("planted_recovery_gC_m2_yr2", t_recovery);
  report::write_csv_file(out.staged("truth.csv").string(), truth);

  std::ofstream toml(out.staged("project.toml"));
  toml << "# minecarbon demo project on a synthetic world (minecarbon synth, seed " << seed
       << ").\n"
       << "# Paths are relative to this file. Run: minecarbon run project.toml\n\n"
       << "[project]\nout = \"results\"\n\n"
       << "[damage]\n"
       << "mines = \"mines.gpkg\"\n"
       << "id_field = \"mine_id\"\n"
       << "# No nep key: NEP comes from the [nep] stage of this run (CASA NPP - R_H from casa/).\n"
       << "# nep/nep_{year}.tif are the planted rasters it reproduces; nep = "
          "\"nep/nep_{year}.tif\"\n"
       << "# here would read them instead.\n"
       << "years = \"" << world.first_year << "-" << world.last_year << "\"\n"
       << "min_area_km2 = 1.0\n"
       << "ring_outer_m = 5000\n"
       << "# One cell diagonal (~690 m here) or more keeps every cell a mine touches out of all\n"
       << "# rings, which is what makes the planted values exactly recoverable.\n"
       << "ring_gap_m = 1000\n"
       << "group_by = [\"ISO3_CODE\", \"continent\"]\n"
       << "periods = [\"2000-2006\", \"2007-2014\", \"2015-2020\"]\n";
  for (const auto& demo : all_demo_writers())
    toml << "\n" << demo.write(world, out, seed);
  // Last: the report of the run's results (docs/report.md); figures only in a build without the
  // web front end, which cannot write the HTML report.
  toml << "\n[report]\n# Written after the results: results/report.html (one offline file) and "
          "results/figures/.\n"
       << (report::report_template() ? "" : "no_html = true  # this build has no web assets\n")
       << "figures = \"figures\"\n";
  toml.close();
  out.commit();
  context.say("synth: wrote " + std::to_string(world.mines.size()) + " mines and " +
              std::to_string(world.last_year - world.first_year + 1) + " NEP rasters to " +
              out_dir);
}

namespace {

class SynthCommand : public Command {
 public:
  const char* name() const override { return "synth"; }
  const char* description() const override {
    return "write a synthetic world with planted answers (demo, tests)";
  }
  void setup(CLI::App& sub) override {
    sub.add_option("--out", out_dir_, "output folder")->required();
  }
  void run(RunContext& context) override { write_synth_world(out_dir_, context.seed, context); }

 private:
  std::string out_dir_;
};

}  // namespace

std::unique_ptr<Command> make_synth_command() {
  return std::make_unique<SynthCommand>();
}

}  // namespace minecarbon::cli
