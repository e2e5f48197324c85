// The demo worlds: a seed gives one world (every draw comes from core/random.h, so the same world
// on any standard library), another seed another, and the planted values keep the properties the
// end-to-end tests rely on.
#include <gtest/gtest.h>

#include <cmath>

#include "minecarbon/demo/synth_potential.h"
#include "minecarbon/demo/synth_world.h"

namespace minecarbon::demo {
namespace {

bool same_mines(const SynthWorld& a, const SynthWorld& b) {
  if (a.mines.size() != b.mines.size()) return false;
  for (std::size_t idx = 0; idx < a.mines.size(); ++idx) {
    const SynthMine &x = a.mines[idx], &y = b.mines[idx];
    if (x.onset_year != y.onset_year || x.loss_gC_m2_yr != y.loss_gC_m2_yr ||
        x.restore_year != y.restore_year || x.recovery_gC_m2_yr2 != y.recovery_gC_m2_yr2 ||
        x.shape_lonlat[0].exterior.size() != y.shape_lonlat[0].exterior.size() ||
        x.shape_lonlat[0].exterior[0].x != y.shape_lonlat[0].exterior[0].x)
      return false;
  }
  return true;
}

TEST(SynthWorld, SameSeedGivesTheSameWorldAndAnotherSeedAnother) {
  const SynthWorld first = make_synth_world(42), again = make_synth_world(42);
  const SynthWorld other = make_synth_world(43);
  ASSERT_FALSE(first.mines.empty());
  EXPECT_TRUE(same_mines(first, again));
  EXPECT_EQ(first.nep, again.nep);
  EXPECT_FALSE(same_mines(first, other));
  EXPECT_NE(first.nep, other.nep);
}

TEST(SynthWorld, PlantedValuesAreSixteenthsSoFloat32HoldsThemExactly) {
  const SynthWorld world = make_synth_world(7);
  for (const SynthMine& mine : world.mines) {
    EXPECT_EQ(mine.loss_gC_m2_yr * 16.0, std::round(mine.loss_gC_m2_yr * 16.0)) << mine.id;
    EXPECT_GT(mine.loss_gC_m2_yr, 0.0) << mine.id;
    EXPECT_EQ(mine.recovery_gC_m2_yr2 * 16.0, std::round(mine.recovery_gC_m2_yr2 * 16.0))
        << mine.id;
  }
  std::size_t valid = 0;
  for (float value : world.nep.front()) {
    if (value == world.nodata) continue;
    ++valid;
    ASSERT_EQ(static_cast<double>(value) * 16.0, std::round(static_cast<double>(value) * 16.0));
  }
  EXPECT_GT(valid, 0u);
}

TEST(SynthPotentialWorld, SameSeedGivesTheSameWorldAndAnotherSeedAnother) {
  const SynthPotentialWorld first = make_synth_potential_world(42, 40);
  const SynthPotentialWorld again = make_synth_potential_world(42, 40);
  const SynthPotentialWorld other = make_synth_potential_world(43, 40);
  ASSERT_EQ(first.mines.size(), 40u);
  bool all_same = true, any_differs = false;
  for (std::size_t idx = 0; idx < first.mines.size(); ++idx) {
    all_same = all_same &&
               first.mines[idx].achievable_gC_m2_yr == again.mines[idx].achievable_gC_m2_yr &&
               first.mines[idx].lon == again.mines[idx].lon;
    any_differs = any_differs || first.mines[idx].lon != other.mines[idx].lon;
  }
  EXPECT_TRUE(all_same);
  EXPECT_TRUE(any_differs);
  EXPECT_EQ(first.nep, again.nep);
}

}  // namespace
}  // namespace minecarbon::demo
