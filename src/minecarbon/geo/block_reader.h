// Several rasters on one grid (files, or bands of one file) read together, window by window.
//
// AlignedRasters opens every layer once up front and checks what a long run must not discover
// late: each file exists and opens, the band exists, the grid is north-up and georeferenced, and
// every layer has the first layer's grid (Grid::same_as) and CRS — or, with AlignOptions, a layer
// on another grid or CRS is read through a warped VRT onto the first layer's grid (grid_warp.h).
// It keeps no file handle.
//
// BlockReader is one worker's reader: it opens each distinct file once (GDAL datasets are not
// thread-safe: one handle per file per thread) and fills a RasterBlock: one contiguous buffer per
// layer, row-major over the window, decoded once at this edge so computing code sees plain
// numbers:
//   value = raw · scale + offset;  nodata, masked cells (alpha, .msk) → NaN.
// NaN in the file is nodata when the band's nodata is NaN or the layer says nan_is_nodata;
// otherwise it is a DataError naming the file and cell, as is an infinite value.
//
// for_each_block runs a BlockPlan's windows on `threads` workers (ids handed out by an atomic
// counter); each window is read once for all layers, so with a plan built from the layers'
// block sizes every block of every raster is decoded once per pass. Results go to a slot per
// block id and are merged in block-id order afterwards: identical for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/core/parallel.h"
#include "minecarbon/geo/block_plan.h"
#include "minecarbon/geo/gdal_pass_scope.h"
#include "minecarbon/geo/grid.h"
#include "minecarbon/geo/grid_warp.h"

namespace minecarbon::geo {

struct RasterLayerSpec {
  std::string path;
  int band = 1;      // 1-based, as GDAL counts
  std::string name;  // used in messages; default "path band N"
  // value = raw · scale + offset; unset = the band's own scale/offset metadata (default 1, 0).
  std::optional<double> scale;
  std::optional<double> offset;
  bool nan_is_nodata = false;  // NaN cells are nodata even when the band's nodata is not NaN
  // Only with AlignOptions::warp_off_grid, for a layer on another grid or CRS than the first:
  // the warp kernel (grid_warp.h names); empty = AlignOptions::resampling.
  std::string resampling = {};
};

struct RasterLayer {
  RasterLayerSpec spec;
  std::optional<double> nodata;  // raw value
  double scale = 1.0, offset = 0.0;
  BlockSize block;  // the band's natural block
  // The band holds integers that Int32 represents exactly (Byte, Int8, (U)Int16, Int32), with
  // scale 1 and offset 0: it can be read as RasterBlock<std::int32_t>.
  bool int32_exact = false;
  std::string label() const;
  // Where the cells are read: spec.path, or the warped VRT of an off-grid layer.
  std::string read_path;
  bool warped = false;
  const std::string& source() const { return read_path.empty() ? spec.path : read_path; }
};

// How AlignedRasters treats layers whose grid or CRS differs from the first layer's (the
// reference). Without options (the one-argument constructor) they are a DataError.
struct AlignOptions {
  // true: such a layer is read through a warped VRT onto the reference grid (grid_warp.h), made
  // once per (file, resampling) and recorded in warped(); false: DataError as without options.
  bool warp_off_grid = true;
  Resampling resampling = Resampling::bilinear;  // for layers whose spec names none
  std::int64_t warp_memory_mb = 16;              // GDAL's warp buffer per read (gdalwarp -wm)
};

class AlignedRasters {
 public:
  // Throws ConfigError for an empty list; DataError naming the file for a missing or unreadable
  // raster, a missing band, no georeferencing, a rotated grid, no CRS, or a layer whose grid or
  // CRS differs from the first layer's (both files and both grids in the message).
  explicit AlignedRasters(const std::vector<RasterLayerSpec>& layers);
  // The same, and layers on another grid or CRS are warped onto the first layer's grid when
  // options.warp_off_grid (a layer without a CRS is still a DataError: it cannot be placed).
  // Throws ConfigError for an unknown resampling name (naming the layer).
  AlignedRasters(const std::vector<RasterLayerSpec>& layers, const AlignOptions& options);

  const Grid& grid() const { return grid_; }
  const std::string& crs_wkt() const { return crs_wkt_; }
  bool geographic() const { return geographic_; }
  double metres_per_unit() const { return metres_per_unit_; }
  const std::vector<RasterLayer>& layers() const { return layers_; }
  std::size_t size() const { return layers_.size(); }
  // The plan whose windows hold whole natural blocks of every layer (see block_plan.h).
  BlockPlan plan(const BlockPlanOptions& options = {}) const;
  // The off-grid files read through a warped VRT (one record per file and resampling), for
  // summary.json (WarpRecord::to_json); empty when every layer is on the reference grid.
  const std::vector<WarpRecord>& warped() const { return warped_; }
  nlohmann::json warped_json() const;

 private:
  void open(const std::vector<RasterLayerSpec>& layers, const AlignOptions* options);

  struct VirtualFiles;  // the /vsimem VRTs, removed with the last copy of this object
  std::shared_ptr<const VirtualFiles> virtual_files_;
  std::vector<WarpRecord> warped_;
  std::vector<RasterLayer> layers_;
  Grid grid_;
  std::string crs_wkt_;
  bool geographic_ = false;
  double metres_per_unit_ = 1.0;
};

// Cells of a RasterBlock<std::int32_t> that are nodata or masked.
inline constexpr std::int32_t kInt32NoData = std::numeric_limits<std::int32_t>::min();

// One window of every layer. T is double or float (decoded values, NaN = nodata) or std::int32_t
// (raw integer values of int32_exact layers, kInt32NoData = nodata or masked, 2× less memory
// traffic than double for class maps); values are decoded in double first, so the
// nodata test sees the raw value before any rounding to float.
template <class T>
struct RasterBlock {
  std::size_t block_id = 0;
  Window window;
  std::vector<std::vector<T>> values;  // [layer][row · window.cols + col], NaN = nodata

  const T* layer(std::size_t layer_idx) const { return values[layer_idx].data(); }
  T at(std::size_t layer_idx, std::int64_t row, std::int64_t col) const {  // grid row/col
    return values[layer_idx][static_cast<std::size_t>((row - window.row0) * window.cols +
                                                      (col - window.col0))];
  }
};

class BlockReader {
 public:
  explicit BlockReader(const AlignedRasters& rasters);
  ~BlockReader();
  BlockReader(const BlockReader&) = delete;
  BlockReader& operator=(const BlockReader&) = delete;

  // Fills block.values for `window` (every layer); buffers are reused between calls. Throws
  // DataError for NaN (unless nodata) and infinite values, RunError when GDAL fails mid-read.
  void read(const Window& window, RasterBlock<double>& block);
  void read(const Window& window, RasterBlock<float>& block);
  // Only for layers with int32_exact (else ConfigError naming the layer); no NaN/inf checks are
  // needed: an integer band cannot hold them.
  void read(const Window& window, RasterBlock<std::int32_t>& block);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads every window of `block_ids` (all of the plan's windows, in id order, when null) and
// calls visit(const RasterBlock<T>&, std::size_t worker) once per window, on `threads` workers.
// The visitor must write only to a slot of its own block id; exceptions stop the pass and are
// rethrown here.
// GDAL_NUM_THREADS is "1" while the workers run (gdal_pass_scope.h), restored afterwards.
template <class T = double, class Visit>
void for_each_block(const AlignedRasters& rasters, const BlockPlan& plan, int threads,
                    Visit&& visit, const std::vector<std::size_t>* block_ids = nullptr) {
  const GdalPassScope gdal_scope;
  const std::size_t n_tasks = block_ids ? block_ids->size() : plan.size();
  const std::size_t workers = static_cast<std::size_t>(threads < 1 ? 1 : threads);
  std::vector<std::unique_ptr<BlockReader>> readers(workers);
  std::vector<RasterBlock<T>> blocks(workers);
  parallel_for(n_tasks, static_cast<int>(workers), [&](std::size_t task, std::size_t worker) {
    if (!readers[worker]) readers[worker] = std::make_unique<BlockReader>(rasters);
    RasterBlock<T>& block = blocks[worker];
    block.block_id = block_ids ? (*block_ids)[task] : task;
    readers[worker]->read(plan.window(block.block_id), block);
    visit(static_cast<const RasterBlock<T>&>(block), worker);
  });
}

}  // namespace minecarbon::geo
