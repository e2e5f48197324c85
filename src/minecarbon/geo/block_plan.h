// A block plan: the grid cut into reading windows aligned to the rasters' natural blocks.
//
// Window shape: along each axis, the least common multiple of the natural block sides of every
// raster read together (so each raster's blocks fall whole inside one window and are decoded once
// per pass), grown by a whole factor while it is below `min_side_cells` (one-row strips become
// about `target_side_cells` rows), and cut to the grid. When the common multiple would exceed
// `max_side_cells` (a 256-cell tile beside 1000-column strips across a wide grid), the first
// raster's block side is used instead: its blocks stay whole, the others' are shared by windows
// and GDAL's block cache serves the second read.
//
// Windows are numbered row-major (block id = window row · n_window_cols + window col); edge
// windows are cut at the grid's last row and column. The plan is a value: no file handle.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "minecarbon/geo/grid.h"

namespace minecarbon::geo {

// A raster's natural block (GDAL's GetBlockSize: a tile, or a strip of whole rows).
struct BlockSize {
  std::int64_t rows = 256;
  std::int64_t cols = 256;
};

struct BlockPlanOptions {
  std::int64_t min_side_cells = 128;     // sides shorter than this are grown...
  std::int64_t target_side_cells = 256;  // ...by the whole factor target / side
  std::int64_t max_side_cells = 4096;    // cap of the common multiple of several block sizes
  // > 0: windows of exactly this side (from a memory budget, core/memory_budget.h), which must be
  // a whole multiple of every natural block side or reach across the grid; ConfigError
  // otherwise. The three options above are then unused along that axis.
  std::int64_t fixed_rows = 0;
  std::int64_t fixed_cols = 0;
};

// Window ids [first, last] along both axes: the windows a rectangle of cells touches.
struct BlockRange {
  std::int64_t window_row0 = 0, window_row1 = -1;  // inclusive
  std::int64_t window_col0 = 0, window_col1 = -1;
  bool empty() const { return window_row1 < window_row0 || window_col1 < window_col0; }
};

class BlockPlan {
 public:
  BlockPlan() = default;
  // Throws ConfigError when the grid is empty or a block size or option is not positive.
  BlockPlan(const Grid& grid, const std::vector<BlockSize>& natural_blocks,
            const BlockPlanOptions& options = {});

  const Grid& grid() const { return grid_; }
  // Shape of an inner window (edge windows may be smaller).
  std::int64_t window_rows() const { return window_rows_; }
  std::int64_t window_cols() const { return window_cols_; }
  std::int64_t n_window_rows() const { return n_window_rows_; }
  std::int64_t n_window_cols() const { return n_window_cols_; }
  std::size_t size() const { return static_cast<std::size_t>(n_window_rows_ * n_window_cols_); }

  // The window of `block_id` (0 ≤ block_id < size()), cut to the grid.
  Window window(std::size_t block_id) const;
  // The block holding cell (row, col) of the grid.
  std::size_t block_of(std::int64_t row, std::int64_t col) const;
  // Windows touched by `cells` (cut to the grid first); empty when it misses the grid.
  BlockRange touching(const Window& cells) const;
  // Ids of the windows touched by `cells`, ascending.
  std::vector<std::size_t> ids_touching(const Window& cells) const;

  std::string describe() const;

 private:
  Grid grid_;
  std::int64_t window_rows_ = 0, window_cols_ = 0;
  std::int64_t n_window_rows_ = 0, n_window_cols_ = 0;
};

}  // namespace minecarbon::geo
