#include "minecarbon/geo/grid_warp.h"

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>

#include <filesystem>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon::geo {
namespace {

std::string read_virtual_file(const std::string& path) {
  std::string text;
  VSILFILE* file = VSIFOpenL(path.c_str(), "rb");
  if (!file) return text;
  char buffer[4096];
  for (std::size_t got; (got = VSIFReadL(buffer, 1, sizeof buffer, file)) > 0;)
    text.append(buffer, got);
  VSIFCloseL(file);
  return text;
}

// gdalwarp -of VRT (GDAL 3.6) ignores -co BLOCKXSIZE/BLOCKYSIZE and uses 512 × 128 blocks; the
// warped VRT reads its block size from the XML, so it is set there: one warp per reference block.
void set_vrt_block_size(const std::string& vrt_path, std::int64_t rows, std::int64_t cols) {
  std::string xml = read_virtual_file(vrt_path);
  auto replace = [&](const std::string& tag, std::int64_t value) {
    const std::string open = "<" + tag + ">", close = "</" + tag + ">";
    const auto begin = xml.find(open);
    const auto end = begin == std::string::npos ? begin : xml.find(close, begin);
    if (end == std::string::npos) {
      throw RunError(vrt_path + ": the warped VRT has no " + tag + "; GDAL changed its VRT format");
    }
    xml.replace(begin + open.size(), end - begin - open.size(), std::to_string(value));
  };
  replace("BlockXSize", cols);
  replace("BlockYSize", rows);
  VSILFILE* file = VSIFOpenL(vrt_path.c_str(), "wb");
  if (!file || VSIFWriteL(xml.data(), 1, xml.size(), file) != xml.size()) {
    if (file) VSIFCloseL(file);
    throw RunError(vrt_path + ": cannot rewrite the warped VRT");
  }
  VSIFCloseL(file);
}

}  // namespace

Resampling parse_resampling(const std::string& text, const std::string& what) {
  if (const auto value = kResamplingNames.parse(text)) return *value;
  throw ConfigError(what + " = '" + text + "': unknown resampling; choose " +
                    kResamplingNames.choices() + " (bilinear for continuous values, near for " +
                    "class codes)");
}

nlohmann::json WarpRecord::to_json() const {
  auto grid_json = [](const Grid& grid) {
    return nlohmann::json{{"x_min", grid.x_min}, {"y_max", grid.y_max}, {"dx", grid.dx},
                          {"dy", grid.dy},       {"rows", grid.rows},   {"cols", grid.cols}};
  };
  return nlohmann::json{{"path", path},
                        {"bands", bands},
                        {"resampling", std::string(kResamplingNames.name(resampling))},
                        {"source_grid", grid_json(source_grid)},
                        {"source_crs", source_crs},
                        {"target_grid", grid_json(target_grid)},
                        {"target_crs", target_crs}};
}

void write_warped_vrt(const WarpRequest& request, const std::string& vrt_path) {
  GDALAllRegister();
  // An absolute source path: the VRT lives elsewhere (/vsimem/) and must not resolve it relative
  // to itself.
  std::string source_path = request.path;
  if (source_path.rfind("/vsi", 0) != 0) {
    std::error_code ignored;
    source_path = std::filesystem::absolute(source_path, ignored).string();
  }
  GDALDatasetUniquePtr source(GDALDataset::Open(
      source_path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!source || source->GetRasterCount() < 1) {
    throw DataError(request.path + ": cannot open as a raster to warp onto the reference grid (" +
                    std::string(CPLGetLastErrorMsg()) + ")");
  }
  int has_nodata = 0;
  const double source_nodata = source->GetRasterBand(1)->GetNoDataValue(&has_nodata);
  const bool keep_type = request.resampling == Resampling::near && has_nodata;
  const Grid& grid = request.grid;
  std::vector<std::string> args = {
      "-of", "VRT", "-r", std::string(kResamplingNames.name(request.resampling)), "-t_srs",
      request.crs_wkt, "-te", format_number(grid.x_min), format_number(grid.y_min()),
      format_number(grid.x_max()), format_number(grid.y_max), "-ts", std::to_string(grid.cols),
      std::to_string(grid.rows),
      // Exact transformation of every cell centre (no approximation
      // over chunks): values independent of the block layout.
      "-et", "0", "-wm", std::to_string(request.warp_memory_mb), "-co",
      "BLOCKXSIZE=" + std::to_string(request.block_cols), "-co",
      "BLOCKYSIZE=" + std::to_string(request.block_rows)};
  if (keep_type) {
    args.insert(args.end(), {"-dstnodata", format_plain(source_nodata)});
  } else {
    args.insert(args.end(), {"-ot", "Float64", "-dstnodata", "nan"});
  }
  std::vector<char*> argv;
  for (auto& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  GDALWarpAppOptions* options = GDALWarpAppOptionsNew(argv.data(), nullptr);
  if (!options) throw RunError(request.path + ": GDAL refused the warp options");
  GDALDatasetH source_handle = GDALDataset::ToHandle(source.get());
  int usage_error = 0;
  CPLErrorReset();
  GDALDatasetH out = GDALWarp(vrt_path.c_str(), nullptr, 1, &source_handle, options, &usage_error);
  GDALWarpAppOptionsFree(options);
  if (!out || usage_error) {
    throw RunError(request.path + ": warping onto " + grid.describe() +
                   " failed: " + CPLGetLastErrorMsg());
  }
  GDALClose(out);
  set_vrt_block_size(vrt_path, request.block_rows, request.block_cols);
}

}  // namespace minecarbon::geo
