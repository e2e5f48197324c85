#include "minecarbon/geo/block_plan.h"

#include <algorithm>
#include <numeric>

#include "minecarbon/core/errors.h"

namespace minecarbon::geo {
namespace {

// One axis: the common multiple of the block sides (or the first side past the cap), grown while
// short, cut to the grid.
std::int64_t window_side(const std::vector<std::int64_t>& sides, std::int64_t grid_side,
                         const BlockPlanOptions& options) {
  std::int64_t side = sides.front();
  for (std::int64_t other : sides) {
    if (side >= grid_side) return grid_side;  // one window across: every block is whole
    const std::int64_t multiple = std::lcm(side, other);
    if (multiple > options.max_side_cells && multiple < grid_side) {
      side = sides.front();
      break;
    }
    side = multiple;
  }
  if (side < options.min_side_cells)
    side *= std::max<std::int64_t>(1, options.target_side_cells / side);
  return std::min(side, grid_side);
}

// A fixed window side: a whole multiple of every block side, or at least the grid's side.
std::int64_t fixed_side(std::int64_t side, const std::vector<std::int64_t>& sides,
                        std::int64_t grid_side, const char* axis) {
  if (side >= grid_side) return grid_side;
  for (std::int64_t block : sides) {
    if (side % block != 0) {
      throw ConfigError("block plan: a fixed window of " + std::to_string(side) + " " + axis +
                        " is not a whole multiple of a natural block of " + std::to_string(block) +
                        " " + axis + "; windows must hold whole blocks (use a multiple of " +
                        std::to_string(block) + ")");
    }
  }
  return side;
}

}  // namespace

BlockPlan::BlockPlan(const Grid& grid, const std::vector<BlockSize>& natural_blocks,
                     const BlockPlanOptions& options)
    : grid_(grid) {
  if (grid.rows <= 0 || grid.cols <= 0) {
    throw ConfigError("block plan: the grid is empty (" + grid.describe() + ")");
  }
  if (natural_blocks.empty()) throw ConfigError("block plan: no raster block size given");
  if (options.min_side_cells < 1 || options.target_side_cells < 1 || options.max_side_cells < 1) {
    throw ConfigError("block plan: window side options must be >= 1 cell (min " +
                      std::to_string(options.min_side_cells) + ", target " +
                      std::to_string(options.target_side_cells) + ", max " +
                      std::to_string(options.max_side_cells) + ")");
  }
  std::vector<std::int64_t> rows, cols;
  for (const BlockSize& block : natural_blocks) {
    if (block.rows < 1 || block.cols < 1) {
      throw ConfigError("block plan: a natural block of " + std::to_string(block.cols) + " x " +
                        std::to_string(block.rows) + " cells; blocks must be at least 1 x 1");
    }
    rows.push_back(block.rows);
    cols.push_back(block.cols);
  }
  window_rows_ = options.fixed_rows > 0 ? fixed_side(options.fixed_rows, rows, grid.rows, "rows")
                                        : window_side(rows, grid.rows, options);
  window_cols_ = options.fixed_cols > 0 ? fixed_side(options.fixed_cols, cols, grid.cols, "columns")
                                        : window_side(cols, grid.cols, options);
  n_window_rows_ = (grid.rows + window_rows_ - 1) / window_rows_;
  n_window_cols_ = (grid.cols + window_cols_ - 1) / window_cols_;
}

Window BlockPlan::window(std::size_t block_id) const {
  const std::int64_t wr = static_cast<std::int64_t>(block_id) / n_window_cols_;
  const std::int64_t wc = static_cast<std::int64_t>(block_id) % n_window_cols_;
  return Window{wr * window_rows_, wc * window_cols_, window_rows_, window_cols_}.intersect(
      grid_.full());
}

std::size_t BlockPlan::block_of(std::int64_t row, std::int64_t col) const {
  return static_cast<std::size_t>((row / window_rows_) * n_window_cols_ + col / window_cols_);
}

BlockRange BlockPlan::touching(const Window& cells) const {
  const Window part = cells.intersect(grid_.full());
  if (part.empty()) return BlockRange{};
  return BlockRange{part.row0 / window_rows_, (part.row0 + part.rows - 1) / window_rows_,
                    part.col0 / window_cols_, (part.col0 + part.cols - 1) / window_cols_};
}

std::vector<std::size_t> BlockPlan::ids_touching(const Window& cells) const {
  std::vector<std::size_t> ids;
  const BlockRange range = touching(cells);
  if (range.empty()) return ids;
  for (std::int64_t wr = range.window_row0; wr <= range.window_row1; ++wr)
    for (std::int64_t wc = range.window_col0; wc <= range.window_col1; ++wc)
      ids.push_back(static_cast<std::size_t>(wr * n_window_cols_ + wc));
  return ids;
}

std::string BlockPlan::describe() const {
  return std::to_string(size()) + " windows of " + std::to_string(window_cols_) + " x " +
         std::to_string(window_rows_) + " cells (" + std::to_string(n_window_cols_) + " x " +
         std::to_string(n_window_rows_) + ") over " + grid_.describe();
}

}  // namespace minecarbon::geo
