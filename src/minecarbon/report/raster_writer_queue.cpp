#include "minecarbon/report/raster_writer_queue.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"
#include "minecarbon/report/block_values_check.h"
#include "minecarbon/report/geotiff_create.h"

namespace minecarbon::report {
namespace {

// The range an integer type holds, for the nodata check.
void integer_range(RasterType type, double& lo, double& hi) {
  switch (type) {
    case RasterType::int16:
      lo = -32768, hi = 32767;
      return;
    case RasterType::int32:
      lo = -2147483648.0, hi = 2147483647.0;
      return;
    default:
      lo = 0, hi = 255;
  }
}

std::string compression_options_error(const StreamedRasterOptions& options) {
  const int max_level = options.compress == RasterCompression::deflate ? 9 : 22;
  if (options.level < 0 || options.level > max_level) {
    return "compression level " + std::to_string(options.level) + " for " +
           std::string(kRasterCompressionNames.name(options.compress)) + "; give 1.." +
           std::to_string(max_level) + " or 0 for the default";
  }
  return {};
}

}  // namespace

struct QueuedGeoTiffWriter::Dataset {
  GDALDatasetUniquePtr handle;
  GDALDataType type = GDT_Float32;
};

QueuedGeoTiffWriter::QueuedGeoTiffWriter(const std::string& path, const geo::Grid& grid,
                                         const std::string& crs, const geo::BlockPlan& plan,
                                         const StreamedRasterOptions& options)
    : path_(path),
      partial_path_(path + ".partial"),
      cog_path_(path + ".partial.cog"),
      grid_(grid),
      plan_(plan),
      options_(options) {
  if (options.tile != 256 && options.tile != 512) {
    throw ConfigError(path + ": tile " + std::to_string(options.tile) + "; give 256 or 512");
  }
  if (const std::string problem = compression_options_error(options); !problem.empty()) {
    throw ConfigError(path + ": " + problem);
  }
  if (options.bands < 1) {
    throw ConfigError(path + ": " + std::to_string(options.bands) + " bands; must be >= 1");
  }
  if (options.queue_depth < 1) throw ConfigError(path + ": writer queue depth must be >= 1");
  if (!detail::is_float(options.type)) {
    double lo = 0, hi = 0;
    integer_range(options.type, lo, hi);
    if (!(options.nodata >= lo && options.nodata <= hi) ||
        options.nodata != std::floor(options.nodata)) {
      throw ConfigError(path + ": nodata " + format_plain(options.nodata) +
                        " cannot be stored in an integer raster of range " + format_plain(lo) +
                        ".." + format_plain(hi) + "; give a whole value in that range");
    }
  }
  detail::check_geotiff_grid(path, grid);
  if (!plan.grid().same_as(grid, 0.0) || plan.grid().rows != grid.rows ||
      plan.grid().cols != grid.cols) {
    throw ConfigError(path + ": the block plan is over " + plan.grid().describe() +
                      ", the raster is " + grid.describe() + "; they must be the same grid");
  }
  const auto cuts_tiles = [&](std::int64_t side, std::int64_t n_windows) {
    return n_windows > 1 && side % options.tile != 0;
  };
  if (cuts_tiles(plan.window_rows(), plan.n_window_rows()) ||
      cuts_tiles(plan.window_cols(), plan.n_window_cols())) {
    throw ConfigError(path + ": the plan's windows of " + std::to_string(plan.window_cols()) +
                      " x " + std::to_string(plan.window_rows()) + " cells cut its " +
                      std::to_string(options.tile) +
                      "-cell tiles; include QueuedGeoTiffWriter::tile_block() in the plan's "
                      "block sizes");
  }
  const OGRSpatialReference srs = detail::parse_geotiff_crs(path, crs);

  const std::string tile = std::to_string(options.tile);
  std::vector<std::string> create = {"TILED=YES", "BLOCKXSIZE=" + tile, "BLOCKYSIZE=" + tile,
                                     "INTERLEAVE=BAND", "BIGTIFF=IF_SAFER"};
  const bool deflate = options.compress == RasterCompression::deflate;
  create.push_back(deflate ? "COMPRESS=DEFLATE" : "COMPRESS=ZSTD");
  if (options.level > 0) {
    create.push_back((deflate ? "ZLEVEL=" : "ZSTD_LEVEL=") + std::to_string(options.level));
  }
  create.push_back(detail::predictor_option(options.predictor, options.type));
  dataset_ = std::make_unique<Dataset>();
  dataset_->type = detail::gdal_type(options.type);
  dataset_->handle = detail::create_geotiff(path, partial_path_, grid, srs, options.bands,
                                            dataset_->type, options.nodata, create);
  tile_buffer_.resize(static_cast<std::size_t>(options.tile) * options.tile *
                      GDALGetDataTypeSizeBytes(dataset_->type));
  thread_ = std::thread([this] { run_writer(); });
}

QueuedGeoTiffWriter::~QueuedGeoTiffWriter() {
  if (!finished_) {
    abandon();
    stop_thread();
    discard();
  }
}

void QueuedGeoTiffWriter::discard() {
  if (dataset_) dataset_->handle.reset();
  std::error_code ignored;
  std::filesystem::remove(partial_path_, ignored);
  std::filesystem::remove(cog_path_, ignored);
}

void QueuedGeoTiffWriter::stop_thread() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  ready_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void QueuedGeoTiffWriter::abandon() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!failed_) {
      failed_ = true;
      failure_ = "the pass writing it failed";
    }
    waiting_.clear();
  }
  ready_.notify_all();
  space_.notify_all();
}

void QueuedGeoTiffWriter::submit(std::size_t block_id, std::vector<std::vector<float>> values) {
  if (block_id >= plan_.size()) {
    throw RunError(path_ + ": block " + std::to_string(block_id) + " is outside the plan's " +
                   std::to_string(plan_.size()) + " blocks");
  }
  const geo::Window window = plan_.window(block_id);
  detail::check_block_values(path_, block_id, window, values, options_.bands);
  std::unique_lock<std::mutex> lock(mutex_);
  // Block next_ may be out of waiting_ because the writer is writing it: still a duplicate.
  if (block_id < next_ || (writing_next_ && block_id == next_) || waiting_.count(block_id)) {
    throw RunError(path_ + ": block " + std::to_string(block_id) + " submitted twice");
  }
  space_.wait(lock, [&] { return failed_ || block_id < next_ + options_.queue_depth; });
  if (failed_) throw RunError(path_ + ": not written: " + failure_);
  waiting_.emplace(block_id, std::move(values));
  if (block_id == next_) ready_.notify_all();
}

void QueuedGeoTiffWriter::run_writer() {
  for (;;) {
    std::vector<std::vector<float>> values;
    std::size_t block_id = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [&] { return failed_ || stop_ || waiting_.count(next_) > 0; });
      if (failed_ || next_ >= plan_.size()) return;
      auto it = waiting_.find(next_);
      if (it == waiting_.end()) return;  // stop_ and the next block never came
      values = std::move(it->second);
      waiting_.erase(it);
      writing_next_ = true;
      block_id = next_;
    }
    try {
      write_window(block_id, values);
    } catch (const std::exception& error) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        failed_ = true;
        failure_ = error.what();
      }
      space_.notify_all();
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      writing_next_ = false;
      ++next_;
    }
    space_.notify_all();
  }
}

void QueuedGeoTiffWriter::write_window(std::size_t block_id,
                                       const std::vector<std::vector<float>>& values) {
  const geo::Window window = plan_.window(block_id);
  const std::int64_t tile = options_.tile;
  const GDALDataType type = dataset_->type;
  const int type_bytes = GDALGetDataTypeSizeBytes(type);
  const double nodata = options_.nodata;
  std::vector<double> row_values(static_cast<std::size_t>(tile));
  for (std::int64_t tile_row = window.row0 / tile; tile_row * tile < window.row0 + window.rows;
       ++tile_row) {
    for (std::int64_t tile_col = window.col0 / tile; tile_col * tile < window.col0 + window.cols;
         ++tile_col) {
      for (int band = 1; band <= options_.bands; ++band) {
        const std::vector<float>& from = values[static_cast<std::size_t>(band - 1)];
        for (std::int64_t r = 0; r < tile; ++r) {
          const std::int64_t row = tile_row * tile + r;
          for (std::int64_t c = 0; c < tile; ++c) {
            const std::int64_t col = tile_col * tile + c;
            double value = nodata;  // cells past the grid's edge
            if (row < grid_.rows && col < grid_.cols) {
              value = from[static_cast<std::size_t>((row - window.row0) * window.cols +
                                                    (col - window.col0))];
              if (std::isnan(value)) value = nodata;
            }
            row_values[static_cast<std::size_t>(c)] = value;
          }
          // Float64 → the band's type, rounded and clamped as GDAL converts.
          GDALCopyWords64(row_values.data(), GDT_Float64, sizeof(double),
                          tile_buffer_.data() + static_cast<std::size_t>(r * tile * type_bytes),
                          type, type_bytes, tile);
        }
        if (dataset_->handle->GetRasterBand(band)->WriteBlock(static_cast<int>(tile_col),
                                                              static_cast<int>(tile_row),
                                                              tile_buffer_.data()) != CE_None) {
          throw RunError(path_ + ": writing tile (" + std::to_string(tile_col) + ", " +
                         std::to_string(tile_row) + ") failed: " + CPLGetLastErrorMsg());
        }
      }
    }
  }
}

void QueuedGeoTiffWriter::finish() {
  if (finished_) return;
  stop_thread();
  std::string failure;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (failed_) {
      failure = failure_;
    } else if (next_ < plan_.size()) {
      failure = "block " + std::to_string(next_) +
                " was never submitted; every block of the plan must be written";
    }
  }
  finished_ = true;
  if (!failure.empty()) {
    discard();
    throw RunError(path_ + ": " + failure);
  }
  CPLErrorReset();
  dataset_->handle->FlushCache(true);
  dataset_->handle.reset();
  if (CPLGetLastErrorType() >= CE_Failure) {
    const std::string reason = CPLGetLastErrorMsg();
    discard();
    throw RunError(path_ + ": writing the GeoTIFF failed (" + reason + ")");
  }
  std::string done = partial_path_;
  if (options_.cog) {
    GDALDriver* cog = GetGDALDriverManager()->GetDriverByName("COG");
    GDALDatasetUniquePtr source(GDALDataset::Open(partial_path_.c_str(), GDAL_OF_RASTER));
    if (!cog || !source) {
      discard();
      throw RunError(path_ + ": GDAL has no COG driver or cannot reopen the raster");
    }
    const bool deflate = options_.compress == RasterCompression::deflate;
    std::vector<std::string> copy = {
        std::string("COMPRESS=") + (deflate ? "DEFLATE" : "ZSTD"),
        "BLOCKSIZE=" + std::to_string(options_.tile), "BIGTIFF=IF_SAFER",
        std::string("PREDICTOR=") + (options_.predictor ? "YES" : "NO")};
    if (options_.level > 0) copy.push_back("LEVEL=" + std::to_string(options_.level));
    std::vector<const char*> copy_ptrs;
    for (const std::string& option : copy)
      copy_ptrs.push_back(option.c_str());
    copy_ptrs.push_back(nullptr);
    CPLErrorReset();
    GDALDatasetUniquePtr out(cog->CreateCopy(cog_path_.c_str(), source.get(), FALSE,
                                             const_cast<char**>(copy_ptrs.data()), nullptr,
                                             nullptr));
    source.reset();
    const bool failed = !out || CPLGetLastErrorType() >= CE_Failure;
    out.reset();
    if (failed) {
      const std::string reason = CPLGetLastErrorMsg();
      discard();
      throw RunError(path_ + ": writing the Cloud Optimized GeoTIFF failed (" + reason + ")");
    }
    std::error_code ignored;
    std::filesystem::remove(partial_path_, ignored);
    done = cog_path_;
  }
  std::error_code error;
  std::filesystem::rename(done, path_, error);
  if (error) {
    discard();
    throw RunError(path_ + ": cannot move the finished raster into place (" + error.message() +
                   ")");
  }
}

}  // namespace minecarbon::report
