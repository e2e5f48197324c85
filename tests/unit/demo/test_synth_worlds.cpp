// The demo world: a seed gives one world (every draw comes from core/random.h, so the same world
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

// The potential relation is planted on the same mines: each mine's NEP increment 2000 → 2020 (what
// the damage stage measures) is the anomaly's change plus its own disturbance's; a restored mine's
// increment is its achievable increment, above the stage's threshold of 100, an unrestored one's
// is below it.
TEST(SynthWorld, PotentialIncrementsFollowTheMinesHistories) {
  const SynthWorld world = make_synth_world(42);
  ASSERT_EQ(world.mines.size(),
            static_cast<std::size_t>(kSynthLatticeCols * kSynthLatticeRows + 1));
  const double anomaly_change = world.anomaly.back() - world.anomaly.front();
  std::size_t restored = 0;
  for (const SynthMine& mine : world.mines) {
    EXPECT_EQ(mine.nep_increment_gC_m2_yr, anomaly_change + mine.disturbance(world.last_year) -
                                               mine.disturbance(world.first_year))
        << mine.id;
    if (mine.potential_restored) {
      ++restored;
      EXPECT_EQ(mine.achievable_gC_m2_yr, mine.nep_increment_gC_m2_yr) << mine.id;
      EXPECT_GT(mine.nep_increment_gC_m2_yr, 100.0) << mine.id;
      EXPECT_EQ(mine.planted_potential_gC_m2_yr(), 0.0) << mine.id;
    } else {
      EXPECT_LT(mine.nep_increment_gC_m2_yr, 100.0) << mine.id;
      EXPECT_GT(mine.planted_potential_gC_m2_yr(), 0.0) << mine.id;
    }
  }
  // About 45 % restored.
  EXPECT_GT(restored, world.mines.size() / 3);
  EXPECT_LT(restored, world.mines.size() * 3 / 5);
}

TEST(SynthPotential, CovariatesCoverTheWorldAndFollowTheirFields) {
  const SynthWorld world = make_synth_world(42);
  const SynthPotential potential = make_synth_potential(world);
  ASSERT_EQ(potential.covariates.size(), 8u);
  EXPECT_EQ(potential.covariates.front().name, potential.strongest_driver);
  for (const SynthRaster* r : {&potential.covariates.front(), &potential.dem}) {
    EXPECT_LE(r->grid.x_min, world.extent.x_min);
    EXPECT_GE(r->grid.y_max, world.extent.y_max);
    EXPECT_GE(r->grid.x_max(), world.extent.x_max - 1e-9);
    EXPECT_LE(r->grid.y_min(), world.extent.y_min + 1e-9);
    EXPECT_EQ(r->values.size(), static_cast<std::size_t>(r->grid.rows * r->grid.cols));
  }
  // Precipitation is 300 + 600 φ with φ in [0, 1].
  for (float v : potential.covariates.front().values) {
    ASSERT_GE(v, 300.0f);
    ASSERT_LE(v, 900.0f);
  }
}

}  // namespace
}  // namespace minecarbon::demo
