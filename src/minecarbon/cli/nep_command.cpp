// `minecarbon nep …`: annual NPP (CASA), R_H and NEP from monthly NDVI and climate rasters, its
// flags made from nep_options() (docs/nep.md), and the nep part of the demo.
#include <array>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>

#include "minecarbon/carbon/casa_vegetation.h"
#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/demo/synth_nep.h"
#include "minecarbon/pipeline/casa_tables.h"
#include "minecarbon/pipeline/nep_job.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/report/raster_writer.h"

namespace minecarbon::cli {
std::unique_ptr<Command> make_nep_command() {
  return std::make_unique<StageCommand<pipeline::NepJob>>(
      "nep",
      "annual NEP = CASA NPP - heterotrophic respiration from monthly NDVI and climate "
      "rasters",
      pipeline::nep_options, [](const pipeline::NepJob& job, pipeline::MineSets&) {
        return pipeline::nep_stage(pipeline::load_nep(job));
      });
}

}  // namespace minecarbon::cli

// ---- demo ----------------------------------------------------------------------------------

namespace minecarbon::cli {
namespace {

void write_uint8_geotiff(const std::string& path, const geo::Grid& grid, const std::string& crs,
                         const std::vector<std::uint8_t>& codes) {
  report::RasterWriteOptions options;
  options.type = report::RasterType::uint8;
  options.nodata = 255;
  report::GeoTiffWriter writer(path, grid, crs, options);
  std::vector<float> window_values;
  for (std::size_t id = 0; id < writer.plan().size(); ++id) {
    const geo::Window w = writer.plan().window(id);
    window_values.resize(static_cast<std::size_t>(w.rows * w.cols));
    for (std::int64_t row = 0; row < w.rows; ++row)
      for (std::int64_t col = 0; col < w.cols; ++col)
        window_values[static_cast<std::size_t>(row * w.cols + col)] =
            codes[static_cast<std::size_t>((w.row0 + row) * grid.cols + w.col0 + col)];
    writer.write(w, window_values.data());
  }
  writer.finish();
}

// A raster of 12 bands, band m + 1 = per_month[m] on every cell.
void write_monthly_climatology(const std::string& path, const geo::Grid& grid,
                               const std::string& crs, const std::array<float, 12>& per_month) {
  report::RasterWriteOptions options;
  options.bands = 12;
  report::GeoTiffWriter writer(path, grid, crs, options);
  std::vector<float> window_values;
  for (std::size_t id = 0; id < writer.plan().size(); ++id) {
    const geo::Window w = writer.plan().window(id);
    for (int band = 0; band < 12; ++band) {
      window_values.assign(static_cast<std::size_t>(w.rows * w.cols),
                           per_month[static_cast<std::size_t>(band)]);
      writer.write(w, window_values.data(), band + 1);
    }
  }
  writer.finish();
}

std::string month_name(int year, std::size_t month) {
  return std::to_string(year) + "_" + (month < 9 ? "0" : "") + std::to_string(month + 1);
}

}  // namespace

std::string write_nep_demo(const demo::SynthWorld& world, OutputDir& out, std::uint64_t) {
  const pipeline::CasaVegetationFiles shipped = pipeline::load_casa_vegetation("", "utf-8");
  const auto type_row = shipped.table.find(demo::kSynthNepType);
  if (!type_row)
    throw RunError(std::string("synth: the shipped CASA table has no type ") + demo::kSynthNepType);
  const demo::SynthNep nep =
      demo::make_synth_nep(world, carbon::casa_type_params(shipped.table.types[*type_row], true));
  const std::string crs = "EPSG:4326";
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (int year = nep.first_year; year <= nep.last_year; ++year) {
    const auto y = static_cast<std::size_t>(year - nep.first_year);
    for (std::size_t m = 0; m < carbon::kMonthsPerYear; ++m) {
      const std::string tag = month_name(year, m);
      report::write_geotiff_float32(out.staged("casa/ndvi_" + tag + ".tif").string(), nep.grid, crs,
                                    nep.ndvi[y][m], nan);
      report::write_geotiff_float32(out.staged("casa/sol_" + tag + ".tif").string(), nep.grid, crs,
                                    nep.sol_MJ_m2[y][m], nan);
    }
  }
  // The climate is one seasonal cycle, the same in every year: one 12-band raster per variable
  // (band m = month m), a pattern without {year} and {month} that nep reads for every year.
  write_monthly_climatology(out.staged("casa/tmean_monthly.tif").string(), nep.grid, crs, nep.t_C);
  write_monthly_climatology(out.staged("casa/precip_monthly.tif").string(), nep.grid, crs,
                            nep.precip_mm);
  write_uint8_geotiff(out.staged("casa/vegetation.tif").string(), nep.grid, crs, nep.vegetation);
  {
    std::ofstream classes(out.staged("casa/classes.csv"));
    classes << "code,type\n" << demo::kSynthNepClassCode << "," << demo::kSynthNepType << "\n";
  }

  std::ostringstream section;
  section << "# Monthly NDVI, temperature, precipitation and solar radiation (casa/) made by\n"
          << "# inverting CASA NPP - R_H so that the annual NEP equals the planted rasters\n"
          << "# nep/nep_{year}.tif (within 1e-9, " << nep.inexact_cell_years
          << " cell-years off in Float32); [damage] takes this stage's NEP from memory.\n"
          << "[nep]\n"
          << "years = \"" << nep.first_year << "-" << nep.last_year << "\"\n"
          << "ndvi = \"casa/ndvi_{year}_{month}.tif\"\n"
          << "# One 12-band raster per climate variable (no {year}, no {month}): read every year\n"
          << "temperature = \"casa/tmean_monthly.tif\"\n"
          << "precipitation = \"casa/precip_monthly.tif\"\n"
          << "solar_radiation = \"casa/sol_{year}_{month}.tif\"\n"
          << "vegetation = \"casa/vegetation.tif\"\n"
          << "class_table = \"casa/classes.csv\"\n";
  return section.str();
}

}  // namespace minecarbon::cli
