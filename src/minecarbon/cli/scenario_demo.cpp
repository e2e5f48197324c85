// The scenario part of the demo: the land-use world of demo/synth_scenario.h written as GeoTIFFs
// (three dates, three drivers, a restriction raster), its class, pool and transition tables, the
// planted answers (scenario/truth_scenario.csv) and the demo project's [scenario] section.
#include <fstream>
#include <sstream>
#include <string>

#include "minecarbon/cli/command.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/table.h"
#include "minecarbon/demo/synth_scenario.h"
#include "minecarbon/report/raster_writer.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::cli {

namespace {

void write_byte_map(const std::string& path, const demo::SynthScenario& w,
                    const std::vector<std::uint8_t>& map) {
  report::RasterWriteOptions options;
  options.type = report::RasterType::uint8;
  options.nodata = 255;
  report::GeoTiffWriter writer(path, w.grid, w.crs, options);
  const geo::BlockPlan& plan = writer.plan();
  for (std::size_t block = 0; block < plan.size(); ++block) {
    const geo::Window win = plan.window(block);
    std::vector<float> values(static_cast<std::size_t>(win.cells()));
    std::size_t idx = 0;
    for (std::int64_t r = win.row0; r < win.row0 + win.rows; ++r)
      for (std::int64_t c = win.col0; c < win.col0 + win.cols; ++c)
        values[idx++] = map[static_cast<std::size_t>(r * w.grid.cols + c)];
    writer.write(win, values.data());
  }
  writer.finish();
}

}  // namespace

std::string write_scenario_demo(const demo::SynthWorld&, OutputDir& out, std::uint64_t seed) {
  const demo::SynthScenario w = demo::make_synth_scenario(seed);
  for (std::size_t d = 0; d < w.years.size(); ++d)
    write_byte_map(out.staged("scenario/lulc_" + std::to_string(w.years[d]) + ".tif").string(), w,
                   w.maps[d]);
  for (std::size_t j = 0; j < w.driver_names.size(); ++j)
    report::write_geotiff_float32(out.staged("scenario/" + w.driver_names[j] + ".tif").string(),
                                  w.grid, w.crs, w.drivers[j], -9999.0f);
  // A reserve in the south-west corner may not change.
  std::vector<std::uint8_t> restriction(w.maps[0].size(), 1);
  for (std::int64_t r = w.grid.rows * 8 / 10; r < w.grid.rows; ++r)
    for (std::int64_t c = 0; c < w.grid.cols / 5; ++c)
      restriction[static_cast<std::size_t>(r * w.grid.cols + c)] = 0;
  write_byte_map(out.staged("scenario/restriction.tif").string(), w, restriction);

  Table classes("classes"), pools("pools"), transitions("transitions"), truth("truth_scenario");
  std::vector<std::int64_t> code;
  std::vector<std::string> name;
  std::vector<double> above, zero;
  for (const auto& c : w.classes) {
    code.push_back(c.code);
    name.push_back(c.name);
    above.push_back(c.total_tC_ha);
    zero.push_back(0.0);
  }
  classes.add("code", code);
  classes.add("name", name);
  pools.add("lucode", code);
  pools.add("name", name);
  pools.add("c_above", above);  // the class total, held in one pool
  pools.add("c_below", zero);
  pools.add("c_soil", zero);
  pools.add("c_dead", zero);
  // Water and mine never change; built never reverts.
  std::vector<std::int64_t> from, to, allowed;
  for (const auto& a : w.classes)
    for (const auto& b : w.classes) {
      if (a.code == b.code) continue;
      from.push_back(a.code);
      to.push_back(b.code);
      allowed.push_back(a.code == 4 || a.code == 6 || a.code == 5 ? 0 : 1);
    }
  transitions.add("from_class", from);
  transitions.add("to_class", to);
  transitions.add("allowed", allowed);
  std::vector<std::int64_t> t_code;
  std::vector<std::string> t_driver;
  for (const auto& t : w.truth) {
    t_code.push_back(t.code);
    t_driver.push_back(t.top_driver);
  }
  truth.add("class", t_code);
  truth.add("planted_top_driver", t_driver);
  report::write_csv_file(out.staged("scenario/classes.csv").string(), classes);
  report::write_csv_file(out.staged("scenario/pools.csv").string(), pools);
  report::write_csv_file(out.staged("scenario/transitions.csv").string(), transitions);
  report::write_csv_file(out.staged("scenario/truth_scenario.csv").string(), truth);

  // Its own project file: the main demo project's stages and numbers stay as they were, and
  // its runs stay fast.
  std::ofstream project(out.staged("scenario/scenario.toml"));
  project
      << "# Land-use scenario on a planted world (demo/synth_scenario.h; minecarbon synth,\n"
      << "# seed " << seed << "): Markov demand from 2010 -> 2020, LEAS forests on three\n"
      << "# drivers (built follows road_m, forest slope_deg: truth_scenario.csv), CARS to\n"
      << "# 2030, out-of-sample validation, carbon. Run: minecarbon run scenario/scenario.toml\n\n"
      << "[project]\nout = \"results\"\n\n"
      << "[scenario]\n"
      << "lulc_initial = \"lulc_2010.tif\"\n"
      << "lulc_final = \"lulc_2020.tif\"\n"
      << "year_initial = 2010\n"
      << "year_final = 2020\n"
      << "# T0: out-of-sample validation (LEAS on 2000 -> 2010, CARS 2010 -> 2020, compared\n"
      << "# with the observed 2020 map)\n"
      << "lulc_earlier = \"lulc_2000.tif\"\n"
      << "year_earlier = 2000\n"
      << "horizon_year = 2030\n"
      << "classes = \"classes.csv\"\n"
      << "drivers = [\"road_m.tif\", \"slope_deg.tif\", \"noise.tif\"]\n"
      << "restriction = \"restriction.tif\"\n"
      << "transitions = \"transitions.csv\"\n"
      << "pools = \"pools.csv\"\n"
      << "sampling_rate = 0.02\n";
  project.close();
  std::ostringstream s;
  s << "# Land-use scenarios (PLUS-style): a planted world in scenario/ with its own project,\n"
    << "#   minecarbon run scenario/scenario.toml\n";
  return s.str();
}

}  // namespace minecarbon::cli
