// A GeoTIFF written by one writer thread while the workers of a block pass compute.
//
// Workers hand over the output values of a read window (submit(block_id, values)) in whatever
// order they finish; the writer thread takes them in block-id order, cuts each window into the
// file's tiles and compresses and writes every tile once (GDALRasterBand::WriteBlock, band-
// interleaved, bypassing GDAL's block cache). So the file's bytes — tile order and offsets
// included — are the same for any thread count, and compression runs beside the computation.
//
// Back-pressure: a block is admitted only while its id is below (next id to write) + queue_depth;
// a worker ahead of that waits. The block the writer needs next is always admitted, so the pass
// cannot stall, and at most queue_depth blocks are held (core/memory_budget.h derives the depth).
// If a worker fails, call abandon() (or run the worker's body through abandon_on_error) so that
// workers waiting to submit are released instead of waiting for a block that never comes.
//
// The read plan's windows must be made of whole tiles (cut only at the grid's edge): build the
// plan with the output tile among its block sizes (tile_block()); the constructor checks it.
//
// Atomic: the file is written as `<path>.partial` and renamed by finish(); with `cog` the
// finished GeoTIFF is copied by GDAL's COG driver (gdal_translate -of COG) into
// `<path>.partial.cog`, then renamed. A writer destroyed before finish() removes its temporaries.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "minecarbon/core/name_table.h"
#include "minecarbon/geo/block_plan.h"
#include "minecarbon/geo/grid.h"
#include "minecarbon/report/raster_writer.h"

namespace minecarbon::report {

enum class RasterCompression { deflate, zstd };

inline constexpr NameTable<RasterCompression, 2> kRasterCompressionNames{
    {{{RasterCompression::deflate, "deflate"}, {RasterCompression::zstd, "zstd"}}}};

struct StreamedRasterOptions {
  RasterType type = RasterType::float32;
  int bands = 1;
  // Square tiles of 256 or 512 cells: 512 compresses a little better and suits large rasters;
  // 256 keeps small outputs small.
  int tile = 256;
  // DEFLATE (every reader) or ZSTD (≈ 2× faster to decode and write at a similar size; GDAL ≥ 2.3,
  // QGIS, rasterio, terra read it; some older tools do not).
  RasterCompression compress = RasterCompression::deflate;
  int level = 0;  // 0 = the codec's default (DEFLATE 6, ZSTD 9); DEFLATE 1..9, ZSTD 1..22
  // Horizontal differencing before compression (TIFF predictor 3 for floats, 2 for integers):
  // smaller files for smooth fields.
  bool predictor = true;
  // The band's nodata; NaN cells of the values are written as it. Integer types need a whole
  // value inside the type's range (e.g. 255 for uint8).
  double nodata = std::numeric_limits<double>::quiet_NaN();
  bool cog = false;  // finish with a Cloud Optimized GeoTIFF (overviews, tiles in COG order)
  std::size_t queue_depth = 4;  // blocks held at most; ≥ 1 (memory_budget's writer_queue_depth)
};

class QueuedGeoTiffWriter {
 public:
  // Creates `<path>.partial` and starts the writer thread. `plan` is the pass's read plan (its
  // windows arrive through submit). `crs` is anything OGRSpatialReference::SetFromUserInput
  // takes. Throws ConfigError for bad options, a plan on another grid or windows that cut tiles,
  // an unknown CRS; RunError when GDAL cannot create the file.
  QueuedGeoTiffWriter(const std::string& path, const geo::Grid& grid, const std::string& crs,
                      const geo::BlockPlan& plan, const StreamedRasterOptions& options = {});
  ~QueuedGeoTiffWriter();
  QueuedGeoTiffWriter(const QueuedGeoTiffWriter&) = delete;
  QueuedGeoTiffWriter& operator=(const QueuedGeoTiffWriter&) = delete;

  // The output tile as a block size, to include among a plan's natural blocks.
  static geo::BlockSize tile_block(const StreamedRasterOptions& options) {
    return geo::BlockSize{options.tile, options.tile};
  }

  // Hands over plan.window(block_id)'s values: values[band − 1][row · window.cols + col]. Waits
  // while the queue is full. Throws RunError for an id out of the plan or given twice, wrong
  // sizes, or when the writer has failed or was abandoned (with the writer's reason).
  void submit(std::size_t block_id, std::vector<std::vector<float>> values);

  // Releases every waiting submit (they throw) and stops writing; the file is discarded.
  void abandon();

  // Waits for the writer, closes the file (and makes the COG), renames it to path(). Throws
  // RunError naming the first block never submitted, or GDAL's reason; temporaries are removed.
  void finish();

  const std::string& path() const { return path_; }

 private:
  void run_writer();
  void write_window(std::size_t block_id, const std::vector<std::vector<float>>& values);
  void stop_thread();
  void discard();

  std::string path_, partial_path_, cog_path_;
  geo::Grid grid_;
  geo::BlockPlan plan_;
  StreamedRasterOptions options_;
  struct Dataset;
  std::unique_ptr<Dataset> dataset_;
  std::vector<unsigned char> tile_buffer_;

  std::mutex mutex_;
  std::condition_variable ready_;  // writer: block next_ arrived, or stop
  std::condition_variable space_;  // submitters: next_ advanced, or failure
  std::map<std::size_t, std::vector<std::vector<float>>> waiting_;
  std::size_t next_ = 0;
  bool writing_next_ = false;  // the writer has taken block next_ out of waiting_
  bool stop_ = false, failed_ = false, finished_ = false;
  std::string failure_;
  std::thread thread_;
};

// Runs body(); if it throws, abandons `writer` (releasing workers waiting in submit) and rethrows.
// Wrap a block visitor's body in it when the visitor submits to a QueuedGeoTiffWriter.
template <class Body>
void abandon_on_error(QueuedGeoTiffWriter& writer, Body&& body) {
  try {
    body();
  } catch (...) {
    writer.abandon();
    throw;
  }
}

}  // namespace minecarbon::report
