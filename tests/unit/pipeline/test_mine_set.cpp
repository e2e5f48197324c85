// The mine set of a project: one read per source, shared by the stages, with the geodesic areas
// every stage uses.
#include "minecarbon/pipeline/mine_set.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/potential_job.h"

namespace minecarbon::pipeline {
namespace {

const std::string kDir = std::string(MC_TEST_DATA_DIR) + "/mining_polygons/";

MineSource demo_source() {
  MineSource source;
  source.mines = kDir + "maus_tang_combined_demo_100.gpkg";
  source.id_field = "id";
  return source;
}

TEST(MineSet, OneSourceIsReadOnceAndShared) {
  MineSets sets;
  const auto first = sets.get(demo_source());
  const auto second = sets.get(demo_source());
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(first->layer().get(), second->layer().get());
  EXPECT_EQ(sets.size(), 1u);
  EXPECT_EQ(first->size(), 100u);
  MineSource by_fid = demo_source();
  by_fid.id_field.clear();  // another id field is another set
  EXPECT_NE(sets.get(by_fid).get(), first.get());
  EXPECT_EQ(sets.size(), 2u);
}

// Damage and potential of one project on the same mines: the potential stage takes the layer the
// mine set already read, not a second copy.
TEST(MineSet, ThePotentialStageSharesTheLayerOfTheMineSet) {
  MineSets sets;
  const auto set = sets.get(demo_source());
  PotentialJob job;
  job.mine_source = demo_source();
  const auto loaded = load_potential(job, /*damage_in_run=*/true, &sets);
  EXPECT_EQ(loaded->inputs.mines.get(), set->layer().get());
  EXPECT_EQ(sets.size(), 1u);
}

// The areas against R terra's geodesic areas (GeographicLib) of the same polygons; the geometry is
// computed once and then shared.
TEST(MineSet, GeometryIsComputedOnceWithGeodesicAreas) {
  MineSets sets;
  const auto set = sets.get(demo_source());
  RunContext context;
  context.threads = 2;
  const auto geometry = set->geometry(context);
  EXPECT_EQ(set->geometry(context).get(), geometry.get());
  ASSERT_EQ(geometry->ids.size(), set->size());
  CsvText reference = read_csv_file(kDir + "reference_areas_maus_tang_demo.csv");
  std::map<std::string, double> terra_m2;
  for (std::size_t row = 0; row < reference.rows.size(); ++row)
    terra_m2[reference.rows[row][reference.column("id")]] =
        reference.number(row, reference.column("terra_area_m2"));
  std::size_t compared = 0;
  for (std::size_t mine = 0; mine < geometry->ids.size(); ++mine) {
    EXPECT_EQ(geometry->ids[mine], set->layer()->features[mine].id);
    auto it = terra_m2.find(geometry->ids[mine]);
    if (it == terra_m2.end()) continue;
    EXPECT_NEAR(geometry->area_m2[mine], it->second, 1e-6 * it->second) << geometry->ids[mine];
    ++compared;
  }
  EXPECT_EQ(compared, 100u);
}

TEST(MineSet, DamageDeclaresTheMineOptionsThroughTheSharedTable) {
  const auto& shared = mine_source_options().options();
  const auto& damage = damage_options().options();
  ASSERT_GE(damage.size(), shared.size());
  for (std::size_t idx = 0; idx < shared.size(); ++idx) {
    EXPECT_EQ(damage[idx].spec.key, shared[idx].spec.key);
    EXPECT_EQ(damage[idx].spec.doc, shared[idx].spec.doc);
    EXPECT_EQ(damage[idx].spec.flag, shared[idx].spec.flag);
  }
  EXPECT_EQ(shared[1].spec.key, "mines_layer");
}

TEST(MineSet, AMissingFileIsADataError) {
  MineSource source = demo_source();
  source.mines = kDir + "no_such_file.gpkg";
  MineSets sets;
  EXPECT_THROW(sets.get(source), DataError);
  EXPECT_EQ(sets.size(), 0u);
}

}  // namespace
}  // namespace minecarbon::pipeline
