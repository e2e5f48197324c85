// Writing GeoTIFFs block by block: tiled, DEFLATE-compressed, with nodata, CRS and geotransform.
//
// GeoTiffWriter never holds the whole raster: callers hand it one window at a time (the windows
// of plan(), which match its tiles, so every tile is compressed once) and GDAL flushes finished
// tiles as its block cache fills. The file is written under a temporary name beside the target
// (`<path>.partial`) and renamed to `path` by finish(); a writer destroyed before finish() (an
// exception, a failed run) removes the temporary file, so a reader never sees half a raster.
// Inside an OutputDir staging folder this adds nothing but costs nothing either.
//
// Writes may come from several threads (one at a time inside; GDAL datasets are not
// thread-safe). write_block() takes windows by block id and writes them in id order whatever
// order they arrive in, so the file's bytes, not only its values, are the same for any thread
// count.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "minecarbon/geo/block_plan.h"
#include "minecarbon/geo/grid.h"

namespace minecarbon::report {

enum class RasterType { float32, float64, int16, int32, uint8 };

struct RasterWriteOptions {
  RasterType type = RasterType::float32;
  int bands = 1;
  int tile_cols = 256;  // multiples of 16 (TIFF tiles)
  int tile_rows = 256;
  int deflate_level = 6;  // 1 (fast) .. 9 (small); GDAL's default is 6
  // Horizontal differencing before DEFLATE (TIFF predictor 2 for integers, 3 for floats): smaller
  // files for smooth fields, a little slower to write and read. Off: files as before.
  bool predictor = false;
  double nodata = -9999.0;  // written as the band's nodata; NaN cells of float inputs stay NaN
};

class GeoTiffWriter {
 public:
  // Creates `<path>.partial`. `crs` is anything OGRSpatialReference::SetFromUserInput takes
  // (EPSG:4326, WKT). Throws ConfigError for bad options or an unknown CRS, RunError when GDAL
  // cannot create the file (naming it and GDAL's reason, e.g. "No space left on device").
  GeoTiffWriter(const std::string& path, const geo::Grid& grid, const std::string& crs,
                const RasterWriteOptions& options = {});
  ~GeoTiffWriter();
  GeoTiffWriter(const GeoTiffWriter&) = delete;
  GeoTiffWriter& operator=(const GeoTiffWriter&) = delete;

  // Windows of whole tiles, row-major: write each once.
  const geo::BlockPlan& plan() const { return plan_; }

  // Writes `values` (window.cells(), row-major) into `window` of band `band` (1-based).
  void write(const geo::Window& window, const float* values, int band = 1);
  void write(const geo::Window& window, const double* values, int band = 1);
  // The window plan().window(block_id) of every band at once (values[band − 1]), written in
  // block-id order: a block that arrives early waits (its values copied) until every lower id
  // has been written. Every id of the plan must come exactly once.
  void write_block(std::size_t block_id, const std::vector<std::vector<float>>& values);

  // Flushes, closes and renames to `path`. Throws RunError when a block id is missing or GDAL
  // fails (the temporary file is then removed).
  void finish();

  const std::string& path() const { return path_; }

 private:
  void write_locked(const geo::Window& window, const void* values, bool is_double, int band);
  void discard();

  std::string path_, partial_path_;
  geo::Grid grid_;
  RasterWriteOptions options_;
  geo::BlockPlan plan_;
  struct Dataset;
  std::unique_ptr<Dataset> dataset_;
  std::mutex mutex_;
  std::size_t next_block_ = 0;
  std::map<std::size_t, std::vector<std::vector<float>>> waiting_;
  bool finished_ = false;
};

// Writes a whole float32 array (grid.rows × grid.cols, row-major) as one single-band GeoTIFF,
// tiled 256 × 256, DEFLATE: a GeoTiffWriter fed window by window, for generated data.
void write_geotiff_float32(const std::string& path, const geo::Grid& grid, const std::string& crs,
                           const std::vector<float>& values, float nodata);

}  // namespace minecarbon::report
