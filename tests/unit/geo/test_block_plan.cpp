// Block plans: windows of whole natural blocks, numbered row-major, cut at the grid's edges.
#include "minecarbon/geo/block_plan.h"

#include <gtest/gtest.h>

#include <vector>

#include "minecarbon/core/errors.h"

namespace minecarbon::geo {
namespace {

Grid grid_of(std::int64_t rows, std::int64_t cols) {
  return Grid{0.0, 0.0, 1.0, 1.0, rows, cols};
}

TEST(BlockPlan, EmptyGridOrZeroBlockIsRefused) {
  EXPECT_THROW(BlockPlan(grid_of(0, 5), {BlockSize{4, 4}}), ConfigError);
  EXPECT_THROW(BlockPlan(grid_of(5, 5), {}), ConfigError);
  EXPECT_THROW(BlockPlan(grid_of(5, 5), {BlockSize{0, 4}}), ConfigError);
}

TEST(BlockPlan, OddSizedGridTilesExactlyWithCutEdgeWindows) {
  // 300 × 530 cells in 256 × 256 tiles: 2 × 3 windows, the last row and column cut.
  const BlockPlan plan(grid_of(300, 530), {BlockSize{256, 256}});
  ASSERT_EQ(plan.n_window_rows(), 2);
  ASSERT_EQ(plan.n_window_cols(), 3);
  EXPECT_EQ(plan.window(0), (Window{0, 0, 256, 256}));
  EXPECT_EQ(plan.window(2), (Window{0, 512, 256, 18}));
  EXPECT_EQ(plan.window(3), (Window{256, 0, 44, 256}));
  EXPECT_EQ(plan.window(5), (Window{256, 512, 44, 18}));
  // Every cell in exactly one window, and block_of agrees with window().
  std::vector<int> hits(300 * 530, 0);
  for (std::size_t id = 0; id < plan.size(); ++id) {
    const Window w = plan.window(id);
    for (std::int64_t row = w.row0; row < w.row0 + w.rows; ++row)
      for (std::int64_t col = w.col0; col < w.col0 + w.cols; ++col) {
        ++hits[static_cast<std::size_t>(row * 530 + col)];
        ASSERT_EQ(plan.block_of(row, col), id);
      }
  }
  for (int h : hits)
    ASSERT_EQ(h, 1);
}

TEST(BlockPlan, GridSmallerThanABlockIsOneWindow) {
  const BlockPlan plan(grid_of(7, 5), {BlockSize{256, 256}});
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan.window(0), (Window{0, 0, 7, 5}));
}

TEST(BlockPlan, OneRowStripsAreGroupedIntoWholeStrips) {
  // Strips of 1 row × 1000 columns grow to 256 rows; the width is the grid's.
  const BlockPlan plan(grid_of(600, 1000), {BlockSize{1, 1000}});
  EXPECT_EQ(plan.window_rows(), 256);
  EXPECT_EQ(plan.window_cols(), 1000);
  EXPECT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan.window(2), (Window{512, 0, 88, 1000}));
}

TEST(BlockPlan, SeveralBlockSizesGiveWindowsOfTheirCommonMultiple) {
  // 256-tiles, 128-tiles and 3-row strips: rows lcm(256, 128, 3) = 768, cols lcm(256, 128) = 256.
  const BlockPlan plan(grid_of(2000, 2000),
                       {BlockSize{256, 256}, BlockSize{128, 128}, BlockSize{3, 2000}});
  EXPECT_EQ(plan.window_rows(), 768);
  EXPECT_EQ(plan.window_cols(), 2000);  // lcm(256, 2000) = 16000 > grid: one window across
  for (std::size_t id = 0; id < plan.size(); ++id) {
    const Window w = plan.window(id);
    EXPECT_EQ(w.row0 % 256, 0);
    EXPECT_EQ(w.row0 % 3, 0);
  }
}

TEST(BlockPlan, CommonMultipleBeyondTheCapFallsBackToTheFirstRastersBlocks) {
  // lcm(256, 250) = 32000 rows exceeds the 4096 cap on a 50,000-row grid.
  const BlockPlan plan(grid_of(50000, 512), {BlockSize{256, 256}, BlockSize{250, 250}});
  EXPECT_EQ(plan.window_rows(), 256);
}

TEST(BlockPlan, WindowsTouchedByARectangleAreListedRowMajor) {
  const BlockPlan plan(grid_of(300, 530), {BlockSize{128, 128}});  // 3 × 5 windows
  EXPECT_EQ(plan.ids_touching(Window{100, 120, 50, 20}), (std::vector<std::size_t>{0, 1, 5, 6}));
  EXPECT_EQ(plan.ids_touching(Window{290, 520, 50, 50}), (std::vector<std::size_t>{14}));
  EXPECT_TRUE(plan.ids_touching(Window{400, 0, 5, 5}).empty());
  EXPECT_TRUE(plan.touching(Window{-10, -10, 5, 5}).empty());
}

TEST(BlockPlan, FixedWindowsHoldWholeBlocks) {
  // A memory budget's window: 1024 × 512 cells of 256-tiles and 512-tiles.
  BlockPlanOptions options;
  options.fixed_rows = 1024;
  options.fixed_cols = 512;
  const BlockPlan plan(grid_of(3000, 2000), {BlockSize{256, 256}, BlockSize{512, 512}}, options);
  EXPECT_EQ(plan.window_rows(), 1024);
  EXPECT_EQ(plan.window_cols(), 512);
  EXPECT_EQ(plan.size(), 3u * 4u);
  // Longer than the grid: one window across.
  options.fixed_cols = 4096;
  EXPECT_EQ(BlockPlan(grid_of(3000, 2000), {BlockSize{256, 256}}, options).window_cols(), 2000);
  // Not a multiple of a block: refused, naming the block.
  options.fixed_cols = 384;
  try {
    BlockPlan(grid_of(3000, 2000), {BlockSize{256, 256}, BlockSize{512, 512}}, options);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("384 columns is not a whole multiple of a natural block "
                                         "of 256 columns"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace minecarbon::geo
