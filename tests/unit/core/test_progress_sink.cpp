// Progress through RunContext::progress (the sink of `--progress jsonl`): the start and the end
// of every loop are reported, with at most one report per new tenth in between when fast.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "minecarbon/core/progress.h"
#include "minecarbon/core/run_context.h"

namespace minecarbon {
namespace {

TEST(ProgressSink, ReportsStartTenthsAndEndEvenWhenQuiet) {
  std::vector<std::tuple<std::string, std::size_t, std::size_t>> seen;
  RunContext context;
  context.quiet = true;  // a sink reports even with --quiet: it is the caller's channel
  context.progress = [&](const std::string& label, std::size_t done, std::size_t total) {
    seen.emplace_back(label, done, total);
  };
  {
    Progress progress(context, "damage: zonal", 100);
    for (int i = 0; i < 100; ++i)
      progress.advance();
  }
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen.front(), std::make_tuple(std::string("damage: zonal"), 0u, 100u));
  EXPECT_EQ(seen.back(), std::make_tuple(std::string("damage: zonal"), 100u, 100u));
  // Fast loops: one report per new tenth at most (1..9), plus start and end.
  EXPECT_LE(seen.size(), 11u);
  for (std::size_t i = 1; i < seen.size(); ++i)
    EXPECT_GE(std::get<1>(seen[i]), std::get<1>(seen[i - 1]));
}

TEST(ProgressSink, EmptyLoopsSayNothing) {
  int calls = 0;
  RunContext context;
  context.progress = [&](const std::string&, std::size_t, std::size_t) { ++calls; };
  { Progress progress(context, "nothing", 0); }
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace minecarbon
