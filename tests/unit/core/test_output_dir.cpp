// Atomic publication: nothing before commit, everything after; locks and leftovers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"

namespace minecarbon {
namespace {

namespace fs = std::filesystem;

class OutputDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("mc_outdir_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(OutputDirTest, AnUncommittedRunLeavesNothingAndRemovesTheFolderItMade) {
  {
    OutputDir out(root_ / "new");
    std::ofstream(out.staged("tables/a.csv")) << "x\n";
    EXPECT_TRUE(fs::exists(root_ / "new/.minecarbon-lock"));
  }
  EXPECT_FALSE(fs::exists(root_ / "new"));
}

TEST_F(OutputDirTest, CommitPublishesEveryFileAndReleasesTheLock) {
  OutputDir out(root_ / "o");
  std::ofstream(out.staged("tables/a.csv")) << "x\n";
  std::ofstream(out.staged("summary.json")) << "{}\n";
  EXPECT_FALSE(fs::exists(root_ / "o/summary.json"));
  const auto published = out.commit();
  EXPECT_EQ(published.size(), 2u);
  EXPECT_TRUE(fs::exists(root_ / "o/tables/a.csv"));
  EXPECT_FALSE(fs::exists(root_ / "o/.minecarbon-lock"));
  std::size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(root_ / "o")) {
    EXPECT_NE(entry.path().filename().string().rfind(".minecarbon-staging", 0), 0u);
    ++entries;
  }
  EXPECT_EQ(entries, 3u);  // tables/, summary.json, the manifest
}

TEST_F(OutputDirTest, ASecondWriterIsRefusedWhileTheFirstHoldsTheFolder) {
  OutputDir first(root_ / "o");
  try {
    OutputDir second(root_ / "o");
    FAIL() << "a second writer was let in";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("being written by another minecarbon run"),
              std::string::npos);
  }
  EXPECT_TRUE(fs::exists(root_ / "o/.minecarbon-lock")) << "the refusal took the first's lock";
}

TEST_F(OutputDirTest, ACommitRemovesOnlyThePreviousCommitsStaleFiles) {
  {
    OutputDir out(root_ / "o");
    std::ofstream(out.staged("soil/tables/s.csv")) << "x\n";
    std::ofstream(out.staged("summary.json")) << "{}\n";
    out.commit();
  }
  std::ofstream(root_ / "o/notes.txt") << "mine\n";
  {
    OutputDir out(root_ / "o");
    std::ofstream(out.staged("summary.json")) << "{}\n";
    out.commit();
  }
  EXPECT_FALSE(fs::exists(root_ / "o/soil"));
  EXPECT_TRUE(fs::exists(root_ / "o/notes.txt"));
  EXPECT_TRUE(fs::exists(root_ / "o/summary.json"));
}

TEST_F(OutputDirTest, InputsInsideTheOutputFolderAreRefused) {
  fs::create_directories(root_ / "o");
  std::ofstream(root_ / "o/mines.gpkg") << "x";
  EXPECT_THROW(
      check_output_apart_from_inputs(root_ / "o", {(root_ / "o/mines.gpkg").string()}, {"mines"}),
      ConfigError);
  EXPECT_THROW(check_output_apart_from_inputs(root_ / "o", {(root_ / "o").string()}, {"damage"}),
               ConfigError);
  EXPECT_THROW(check_output_apart_from_inputs(root_ / "o/sub", {(root_ / "o").string()}, {"d"}),
               ConfigError);
  EXPECT_NO_THROW(check_output_apart_from_inputs(root_ / "out2",
                                                 {(root_ / "o/mines.gpkg").string()}, {"mines"}));
}

}  // namespace
}  // namespace minecarbon
