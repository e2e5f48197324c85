// `minecarbon landuse`, its flags made from landuse_options(), and the land-use part of the demo.
#include <gdal_priv.h>

#include <memory>
#include <sstream>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/table.h"
#include "minecarbon/demo/synth_landuse.h"
#include "minecarbon/pipeline/landuse_job.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::cli {
using namespace pipeline;
std::unique_ptr<Command> make_landuse_command() {
  return std::make_unique<StageCommand<LanduseJob>>(
      "landuse",
      "land-use carbon stocks at several dates, their change, transitions and value, per "
      "mine (InVEST Carbon, exact)",
      landuse_options, [](const LanduseJob& job, pipeline::MineSets& mine_sets) {
        return landuse_stage(load_landuse(job, &mine_sets));
      });
}

// ---- demo ----------------------------------------------------------------------------------

namespace {

// A whole Byte map as a tiled, DEFLATE-compressed GeoTIFF (class codes need an integer band).
void write_byte_geotiff(const std::string& path, const geo::Grid& grid, const std::string& crs,
                        const std::vector<std::uint8_t>& values, std::uint8_t nodata) {
  GDALAllRegister();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  const char* options[] = {"TILED=YES", "COMPRESS=DEFLATE", nullptr};
  GDALDataset* ds =
      driver->Create(path.c_str(), static_cast<int>(grid.cols), static_cast<int>(grid.rows), 1,
                     GDT_Byte, const_cast<char**>(options));
  if (ds == nullptr) throw RunError("synth: cannot create " + path);
  double transform[6] = {grid.x_min, grid.dx, 0, grid.y_max, 0, -grid.dy};
  ds->SetGeoTransform(transform);
  OGRSpatialReference srs;
  srs.SetFromUserInput(crs.c_str());
  ds->SetSpatialRef(&srs);
  GDALRasterBand* band = ds->GetRasterBand(1);
  band->SetNoDataValue(nodata);
  const CPLErr err =
      band->RasterIO(GF_Write, 0, 0, static_cast<int>(grid.cols), static_cast<int>(grid.rows),
                     const_cast<std::uint8_t*>(values.data()), static_cast<int>(grid.cols),
                     static_cast<int>(grid.rows), GDT_Byte, 0, 0);
  GDALClose(ds);
  if (err != CE_None) throw RunError("synth: cannot write " + path);
}

}  // namespace

std::string write_landuse_demo(const demo::SynthWorld& world, OutputDir& out, std::uint64_t) {
  const demo::SynthLanduse lu = demo::make_synth_landuse(world);
  for (std::size_t d = 0; d < lu.years.size(); ++d)
    write_byte_geotiff(out.staged("landuse/lulc_" + std::to_string(lu.years[d]) + ".tif").string(),
                       lu.grid, lu.crs, lu.maps[d], lu.nodata);

  Table pools("pools");
  std::vector<std::int64_t> code;
  std::vector<std::string> name;
  std::vector<double> pool[8];
  for (const auto& c : lu.classes) {
    code.push_back(c.code);
    name.push_back(c.name);
    const double v[8] = {c.c_above,  c.c_below,  c.c_soil,  c.c_dead,
                         c.sd_above, c.sd_below, c.sd_soil, c.sd_dead};
    for (int k = 0; k < 8; ++k)
      pool[k].push_back(v[k]);
  }
  pools.add("lucode", code);
  pools.add("name", name);
  const char* pool_names[8] = {"c_above",    "c_below",    "c_soil",    "c_dead",
                               "c_above_sd", "c_below_sd", "c_soil_sd", "c_dead_sd"};
  for (int k = 0; k < 8; ++k)
    pools.add(pool_names[k], pool[k]);
  report::write_csv_file(out.staged("landuse/pools.csv").string(), pools);

  Table truth("truth_landuse");
  std::vector<std::string> t_id, t_kind;
  std::vector<std::int64_t> t_y0, t_y1, t_from, t_to;
  std::vector<double> t_area, t_carbon;
  for (const auto& t : lu.truth) {
    t_id.push_back(t.mine_id);
    t_y0.push_back(t.year_from);
    t_y1.push_back(t.year_to);
    t_kind.push_back(t.pair_kind);
    t_from.push_back(t.from_code);
    t_to.push_back(t.to_code);
    t_area.push_back(t.area_ha);
    t_carbon.push_back(t.carbon_change_tC);
  }
  truth.add("mine_id", t_id);
  truth.add("year_from", t_y0);
  truth.add("year_to", t_y1);
  truth.add("pair_kind", t_kind);
  truth.add("from_lucode", t_from);
  truth.add("to_lucode", t_to);
  truth.add("planted_area_ha", t_area);
  truth.add("planted_carbon_change_tC", t_carbon);
  report::write_csv_file(out.staged("landuse/truth_landuse.csv").string(), truth);

  std::ostringstream section;
  section << "# Land-use maps (30 m, UTM 49N) of every mine with planted transitions per\n"
          << "# mine (landuse/truth_landuse.csv: the changed classes' areas and carbon, planar\n"
          << "# areas on cells valid at every date); results in results/landuse/.\n"
          << "[landuse]\n"
          << "lulc_pattern = \"landuse/lulc_{year}.tif\"\n"
          << "years = [2000, 2010, 2020]\n"
          << "pools = \"landuse/pools.csv\"\n"
          << "mines = \"mines.gpkg\"\n"
          << "id_field = \"mine_id\"\n"
          << "area = \"planar\"\n";
  return section.str();
}

}  // namespace minecarbon::cli
