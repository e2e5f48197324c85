// `run --checkpoint/--resume` (pipeline/checkpoint_run.h): which finished stages are restored and
// which run again, and how a changed project is named.
#include <gtest/gtest.h>

#include "minecarbon/pipeline/checkpoint_run.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::pipeline {
namespace {

// Every stage section is known to the table of in-memory readers: a new section without an entry
// would make every resume rerun everything (safe, but it should be declared).
TEST(CheckpointRun, EverySectionDeclaresWhatItReads) {
  for (const auto& section : all_sections()) {
    std::vector<std::string> producers;
    EXPECT_TRUE(stage_reads(section.name, &producers)) << section.name;
    // A stage only reads stages that run before it (all_sections() is the run order).
    for (const auto& p : producers) {
      bool before = false;
      for (const auto& other : all_sections()) {
        if (std::string(other.name) == section.name) break;
        if (p == other.name) before = true;
      }
      EXPECT_TRUE(before) << section.name << " reads " << p;
    }
  }
}

TEST(CheckpointRun, FinishedLeavesAreRestoredAndReadProducersRunAgain) {
  const std::vector<std::string> stages = {"nep", "damage", "potential", "classify", "soil"};
  // All finished: nothing runs.
  EXPECT_EQ(stages_to_run(stages, {true, true, true, true, true}),
            (std::vector<bool>{false, false, false, false, false}));
  // Classify did not finish: it reads damage and potential from memory, potential reads damage;
  // nep's result is its files, so nep stays restored; soil is nobody's input here.
  EXPECT_EQ(stages_to_run(stages, {true, true, true, false, true}),
            (std::vector<bool>{false, true, true, true, false}));
  // Damage did not finish: it reads nep (restored from files); potential and classify finished
  // and nobody running reads them.
  EXPECT_EQ(stages_to_run(stages, {true, false, true, true, true}),
            (std::vector<bool>{false, true, false, false, false}));
  // Nothing finished: everything runs.
  EXPECT_EQ(stages_to_run(stages, {false, false, false, false, false}),
            (std::vector<bool>{true, true, true, true, true}));
}

TEST(CheckpointRun, UnknownStageRunsEverything) {
  EXPECT_EQ(stages_to_run({"nep", "someday"}, {true, true}), (std::vector<bool>{true, true}));
}

TEST(CheckpointRun, DifferenceNamesSectionKeyOrFile) {
  const nlohmann::json a = {
      {"project", {{"damage", {{"years", "2000-2005"}, {"ring_outer_m", 5000}}}}},
      {"out", "/o"},
      {"seed", 42},
      {"unit_mines", 256},
      {"inputs", {{{"stage", "damage"}, {"path", "/d/m.gpkg"}, {"size", 10}, {"mtime_ns", 1}}}}};
  EXPECT_EQ(project_identity_difference(a, a), "");
  nlohmann::json b = a;
  b["project"]["damage"]["ring_outer_m"] = 3000;
  EXPECT_EQ(project_identity_difference(a, b),
            "[damage] ring_outer_m: 5000 here, 3000 in the folder");
  b = a;
  b["project"]["nep"] = nlohmann::json::object();
  EXPECT_EQ(project_identity_difference(a, b), "section [nep] is only in the folder's project");
  b = a;
  b["seed"] = 7;
  EXPECT_NE(project_identity_difference(a, b).find("seed"), std::string::npos);
  b = a;
  b["inputs"][0]["size"] = 11;
  EXPECT_NE(project_identity_difference(a, b).find("input file /d/m.gpkg (damage): its size"),
            std::string::npos);
  b = a;
  b["inputs"][0]["mtime_ns"] = 2;
  EXPECT_NE(project_identity_difference(a, b).find("modification time"), std::string::npos);
}

}  // namespace
}  // namespace minecarbon::pipeline
