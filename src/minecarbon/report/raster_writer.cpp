#include "minecarbon/report/raster_writer.h"

#include <filesystem>
#include <system_error>

#include "minecarbon/core/errors.h"
#include "minecarbon/report/block_values_check.h"
#include "minecarbon/report/geotiff_create.h"

namespace minecarbon::report {

struct GeoTiffWriter::Dataset {
  GDALDatasetUniquePtr handle;
};

GeoTiffWriter::GeoTiffWriter(const std::string& path, const geo::Grid& grid, const std::string& crs,
                             const RasterWriteOptions& options)
    : path_(path), partial_path_(path + ".partial"), grid_(grid), options_(options) {
  if (options.tile_cols < 16 || options.tile_rows < 16 || options.tile_cols % 16 != 0 ||
      options.tile_rows % 16 != 0) {
    throw ConfigError(path + ": tile size " + std::to_string(options.tile_cols) + " x " +
                      std::to_string(options.tile_rows) +
                      " cells; TIFF tiles must be multiples of 16, e.g. 256 x 256");
  }
  if (options.deflate_level < 1 || options.deflate_level > 9) {
    throw ConfigError(path + ": DEFLATE level " + std::to_string(options.deflate_level) +
                      "; must be 1..9 (6 is GDAL's default)");
  }
  if (options.bands < 1) {
    throw ConfigError(path + ": " + std::to_string(options.bands) + " bands; must be >= 1");
  }
  detail::check_geotiff_grid(path, grid);
  const OGRSpatialReference srs = detail::parse_geotiff_crs(path, crs);
  plan_ = geo::BlockPlan(grid, {geo::BlockSize{options.tile_rows, options.tile_cols}},
                         geo::BlockPlanOptions{1, 1, options.tile_cols * options.tile_rows});

  dataset_ = std::make_unique<Dataset>();
  dataset_->handle = detail::create_geotiff(
      path, partial_path_, grid, srs, options.bands, detail::gdal_type(options.type),
      options.nodata,
      {"TILED=YES", "BLOCKXSIZE=" + std::to_string(options.tile_cols),
       "BLOCKYSIZE=" + std::to_string(options.tile_rows), "COMPRESS=DEFLATE",
       "ZLEVEL=" + std::to_string(options.deflate_level),
       detail::predictor_option(options.predictor, options.type), "BIGTIFF=IF_SAFER"});
}

GeoTiffWriter::~GeoTiffWriter() {
  if (!finished_) discard();
}

void GeoTiffWriter::discard() {
  if (dataset_) dataset_->handle.reset();
  std::error_code ignored;
  std::filesystem::remove(partial_path_, ignored);
}

void GeoTiffWriter::write_locked(const geo::Window& window, const void* values, bool is_double,
                                 int band) {
  if (finished_ || !dataset_ || !dataset_->handle) {
    throw RunError(path_ + ": write after finish()");
  }
  if (band < 1 || band > options_.bands) {
    throw RunError(path_ + ": band " + std::to_string(band) + " of " +
                   std::to_string(options_.bands));
  }
  if (window.empty() || !(window.intersect(grid_.full()) == window)) {
    throw RunError(path_ + ": window at row " + std::to_string(window.row0) + ", column " +
                   std::to_string(window.col0) + " (" + std::to_string(window.cols) + " x " +
                   std::to_string(window.rows) + ") is not inside the grid " + grid_.describe());
  }
  const int cols = static_cast<int>(window.cols), rows = static_cast<int>(window.rows);
  if (dataset_->handle->GetRasterBand(band)->RasterIO(
          GF_Write, static_cast<int>(window.col0), static_cast<int>(window.row0), cols, rows,
          const_cast<void*>(values), cols, rows, is_double ? GDT_Float64 : GDT_Float32, 0, 0,
          nullptr) != CE_None) {
    throw RunError(path_ + ": write failed at row " + std::to_string(window.row0) + ": " +
                   CPLGetLastErrorMsg());
  }
}

void GeoTiffWriter::write(const geo::Window& window, const float* values, int band) {
  std::lock_guard<std::mutex> lock(mutex_);
  write_locked(window, values, false, band);
}

void GeoTiffWriter::write(const geo::Window& window, const double* values, int band) {
  std::lock_guard<std::mutex> lock(mutex_);
  write_locked(window, values, true, band);
}

void GeoTiffWriter::write_block(std::size_t block_id,
                                const std::vector<std::vector<float>>& values) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (block_id >= plan_.size() || block_id < next_block_ || waiting_.count(block_id)) {
    throw RunError(path_ + ": block " + std::to_string(block_id) + " written twice or out of " +
                   "the plan's " + std::to_string(plan_.size()) + " blocks");
  }
  const geo::Window window = plan_.window(block_id);
  detail::check_block_values(path_, block_id, window, values, options_.bands);
  if (block_id != next_block_) {
    waiting_.emplace(block_id, values);
    return;
  }
  for (int band = 1; band <= options_.bands; ++band)
    write_locked(window, values[static_cast<std::size_t>(band - 1)].data(), false, band);
  ++next_block_;
  for (auto it = waiting_.find(next_block_); it != waiting_.end();
       it = waiting_.find(next_block_)) {
    const geo::Window next = plan_.window(next_block_);
    for (int band = 1; band <= options_.bands; ++band)
      write_locked(next, it->second[static_cast<std::size_t>(band - 1)].data(), false, band);
    waiting_.erase(it);
    ++next_block_;
  }
}

void GeoTiffWriter::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  if (!waiting_.empty()) {
    const std::size_t missing = next_block_;
    discard();
    finished_ = true;
    throw RunError(path_ + ": block " + std::to_string(missing) +
                   " was never written; every block of the plan must be written");
  }
  CPLErrorReset();
  dataset_->handle->FlushCache(true);
  dataset_->handle.reset();  // closes the file: the last tiles and the directory are written
  if (CPLGetLastErrorType() >= CE_Failure) {
    const std::string reason = CPLGetLastErrorMsg();
    discard();
    finished_ = true;
    throw RunError(path_ + ": writing the GeoTIFF failed (" + reason + ")");
  }
  std::error_code error;
  std::filesystem::rename(partial_path_, path_, error);
  finished_ = true;
  if (error) {
    discard();
    throw RunError(path_ + ": cannot move the finished raster into place (" + error.message() +
                   ")");
  }
}

void write_geotiff_float32(const std::string& path, const geo::Grid& grid, const std::string& crs,
                           const std::vector<float>& values, float nodata) {
  if (values.size() != static_cast<std::size_t>(grid.rows * grid.cols)) {
    throw RunError(path + ": " + std::to_string(values.size()) + " values for a grid of " +
                   grid.describe());
  }
  RasterWriteOptions options;
  options.nodata = nodata;
  GeoTiffWriter writer(path, grid, crs, options);
  std::vector<float> window_values;
  for (std::size_t block_id = 0; block_id < writer.plan().size(); ++block_id) {
    const geo::Window window = writer.plan().window(block_id);
    window_values.resize(static_cast<std::size_t>(window.cells()));
    for (std::int64_t row = 0; row < window.rows; ++row) {
      const float* from =
          &values[static_cast<std::size_t>((window.row0 + row) * grid.cols + window.col0)];
      std::copy(from, from + window.cols,
                &window_values[static_cast<std::size_t>(row * window.cols)]);
    }
    writer.write(window, window_values.data());
  }
  writer.finish();
}

}  // namespace minecarbon::report
