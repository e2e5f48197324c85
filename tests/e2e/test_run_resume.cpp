// `minecarbon run project.toml --checkpoint DIR --resume` (pipeline/checkpoint_run.h): a run
// killed in its damage stage, resumed, publishes the bytes of a run never interrupted, restoring
// the nep stage and computing only the damage units that were missing; a changed project or
// input is refused with exit 2, naming what changed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "cli_harness.h"
#include "demo_project.h"

namespace fs = std::filesystem;

namespace minecarbon::e2e {
namespace {

// The demo project cut to [project], [nep] and [damage] over 6 years (damage reads the NEP the
// run's nep stage writes).
std::string short_project(const fs::path& demo) {
  std::string text = sections_of(slurp(demo / "project.toml"), {"project", "nep", "damage"});
  text = std::regex_replace(text, std::regex("years = \"2000-2020\""), "years = \"2000-2005\"");
  text = std::regex_replace(text, std::regex("(^|\n)periods = [^\n]*"),
                            "$1periods = [\"2000-2002\", \"2003-2005\"]");
  return text;
}

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::size_t unit_files(const fs::path& dir) {
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".bin") ++n;
  return n;
}

// Every published file of `a` has the same bytes in `b`, but for the stages' summaries, whose
// `distribution` and `timing` say how the run went; their other fields must be equal.
void expect_same_outputs(const fs::path& a, const fs::path& b) {
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(a)) {
    if (!entry.is_regular_file()) continue;
    const fs::path relative = fs::relative(entry.path(), a);
    if (relative.string().rfind(".minecarbon", 0) == 0) continue;
    ++files;
    ASSERT_TRUE(fs::exists(b / relative)) << relative;
    if (relative.filename() == "summary.json") {
      nlohmann::json x = read_json(entry.path()), y = read_json(b / relative);
      for (const char* key : {"timing", "distribution", "minecarbon", "threads"}) {
        x.erase(key);
        y.erase(key);
      }
      EXPECT_EQ(x, y) << relative;
    } else {
      EXPECT_EQ(slurp(entry.path()), slurp(b / relative)) << relative << " differs";
    }
  }
  EXPECT_GT(files, 10u);
}

class RunResume : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("run_resume");
    ASSERT_EQ(synth_world(dir_->str("demo")).exit_code, 0);
    std::ofstream(dir_->path() / "demo" / "p.toml") << short_project(dir_->path() / "demo");
    // The run never interrupted.
    const CliRun ref = run_cli("--quiet --threads 2 run " + dir_->str("demo/p.toml") +
                               " --unit-mines 4 --out " + dir_->str("ref"));
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static TempDir* dir_;
};
TempDir* RunResume::dir_ = nullptr;

TEST_F(RunResume, KilledInDamageThenResumedGivesTheSameBytes) {
  const fs::path root = dir_->path();
  const nlohmann::json ref = read_json(root / "ref" / "summary.json");
  const auto& queue = ref["distribution"]["queue"];
  ASSERT_GT(queue.size(), 3u);
  const std::size_t units = ref["distribution"]["units"].get<std::size_t>();
  const std::size_t last = queue.back().get<std::size_t>();
  // The queue's last unit sleeps; the run is killed once every other unit is in the folder.
  const std::string command = "MINECARBON_TEST_SLOW_UNIT=" + std::to_string(last) + ":120 " +
                              std::string(MC_CLI) + " --quiet --threads 1 run " +
                              (root / "demo/p.toml").string() + " --unit-mines 4 --out " +
                              (root / "cut").string() + " --checkpoint " + (root / "ck").string() +
                              " > /dev/null 2>&1 & echo $! > " + (root / "pid").string();
  ASSERT_EQ(std::system(command.c_str()), 0);
  const auto t0 = std::chrono::steady_clock::now();
  while (unit_files(root / "ck" / "damage") < units - 1 &&
         std::chrono::steady_clock::now() - t0 < std::chrono::seconds(100))
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::string pid = slurp(root / "pid");
  pid.erase(pid.find_last_not_of(" \n") + 1);
  ASSERT_EQ(std::system(("kill -TERM " + pid).c_str()), 0);
  // Wait for the process to end (its staging folder is removed on SIGTERM).
  for (int k = 0; k < 100 && std::system(("kill -0 " + pid + " 2> /dev/null").c_str()) == 0; ++k)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(unit_files(root / "ck" / "damage"), units - 1);
  EXPECT_TRUE(fs::exists(root / "ck" / "stages" / "nep" / "manifest.json"));
  EXPECT_FALSE(fs::exists(root / "ck" / "stages" / "damage"));
  EXPECT_FALSE(fs::exists(root / "cut" / "tables")) << "a killed run published results";

  const CliRun resumed =
      run_cli("--threads 2 run " + (root / "demo/p.toml").string() + " --unit-mines 4 --out " +
              (root / "cut").string() + " --checkpoint " + (root / "ck").string() + " --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("restored nep"), std::string::npos) << resumed.err;
  expect_same_outputs(root / "ref", root / "cut");
  // Only the missing unit was computed; the rest came from the folder.
  const nlohmann::json cut = read_json(root / "cut" / "summary.json");
  EXPECT_EQ(cut["distribution"]["computed_unit_ids"], nlohmann::json::array({last}));
  EXPECT_EQ(cut["distribution"]["units_from_checkpoint"].get<std::size_t>(), units - 1);

  // Resumed again with every stage finished: both restored, the same bytes.
  const CliRun again =
      run_cli("--threads 2 run " + (root / "demo/p.toml").string() + " --unit-mines 4 --out " +
              (root / "again").string() + " --checkpoint " + (root / "ck").string() + " --resume");
  // A new output folder is another run: refused, naming it.
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("output folder (--out)"), std::string::npos) << again.err;
  const CliRun same =
      run_cli("--threads 2 run " + (root / "demo/p.toml").string() + " --unit-mines 4 --out " +
              (root / "cut").string() + " --checkpoint " + (root / "ck").string() + " --resume");
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.err.find("restored nep, damage"), std::string::npos) << same.err;
  expect_same_outputs(root / "ref", root / "cut");
}

TEST_F(RunResume, ChangedProjectOrInputIsRefused) {
  const fs::path root = dir_->path();
  const std::string project = (root / "demo" / "p2.toml").string();
  const std::string text = slurp(root / "demo" / "p.toml");
  std::ofstream(project) << text;
  const std::string args = " --unit-mines 4 --out " + (root / "o2").string() + " --checkpoint " +
                           (root / "ck2").string();
  // --resume without --checkpoint.
  CliRun bad = run_cli("--quiet run " + project + " --out " + (root / "o2").string() + " --resume");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--resume needs --checkpoint"), std::string::npos) << bad.err;
  ASSERT_EQ(run_cli("--quiet --threads 2 run " + project + args).exit_code, 0);
  // A changed [damage] key.
  std::ofstream(project) << std::regex_replace(text, std::regex("\nring_gap_m = [0-9]+\n"),
                                               "\nring_gap_m = 1500\n");
  bad = run_cli("--quiet run " + project + args + " --resume");
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("[damage] ring_gap_m: 1500 here"), std::string::npos) << bad.err;
  // The same project, but an input file touched since.
  std::ofstream(project) << text;
  const fs::path mines = root / "demo" / "mines.gpkg";
  ASSERT_TRUE(fs::exists(mines));
  fs::last_write_time(mines, fs::last_write_time(mines) + std::chrono::seconds(5));
  bad = run_cli("--quiet run " + project + args + " --resume");
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("mines.gpkg (damage): its modification time changed"), std::string::npos)
      << bad.err;
  fs::last_write_time(mines, fs::last_write_time(mines) - std::chrono::seconds(5));
}

}  // namespace
}  // namespace minecarbon::e2e
