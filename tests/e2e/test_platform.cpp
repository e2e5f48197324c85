// The stage platform as a user meets it: a project checked whole before any stage runs, one
// publication per run, outputs that never touch inputs, locks, interrupts, option ranges, and
// options that appear in --help, in the generated docs and in the summary echo.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <thread>

#include "cli_harness.h"

namespace minecarbon::e2e {
namespace {

namespace fs = std::filesystem;

const char* kDamageSection =
    "[damage]\nmines = \"mines.gpkg\"\nid_field = \"mine_id\"\nnep = \"nep/nep_{year}.tif\"\n"
    "years = \"2000-2020\"\n";

// One synthetic world for the whole suite (minecarbon synth), copied per test where it is changed.
class Platform : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new TempDir("platform_world");
    ASSERT_EQ(synth_world(world_->str("demo")).exit_code, 0);
  }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }
  void SetUp() override {
    fs::copy(world_->path() / "demo/mines.gpkg", dir_.path() / "mines.gpkg");
    fs::copy(world_->path() / "demo/nep", dir_.path() / "nep");
    fs::copy(world_->path() / "demo/soil", dir_.path() / "soil");
  }
  std::string project(const std::string& name, const std::string& text) {
    std::ofstream(dir_.path() / name) << text;
    return dir_.str(name);
  }
  std::string soil_section() {
    return "[soil]\nprofiles = \"soil/soil_profiles.csv\"\nintervals = [\"0-30\"]\n"
           "reference = \"reference\"\nbd_ptf = \"song2005\"\n";
  }

  static TempDir* world_;
  TempDir dir_{"platform"};
};
TempDir* Platform::world_ = nullptr;

std::string checksum(const fs::path& file) {
  return std::to_string(std::hash<std::string>{}(slurp(file)));
}

TEST_F(Platform, AnErrorInTheLastSectionRunsNoStageAndWritesNothing) {
  const std::string file =
      project("p.toml", std::string(kDamageSection) + soil_section() +
                            "[potential]\nmines = " + "\"mines.gpkg\"\nthreshhold = 5\n");
  const CliRun run = run_cli("run " + file + " --out " + dir_.str("out"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("[potential] threshhold: unknown key"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("damage: results"), std::string::npos) << "a stage ran: " << run.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
}

TEST_F(Platform, AMissingDependencyIsRefusedBeforeAnyStage) {
  const std::string file =
      project("p.toml", soil_section() + "[potential]\nmines = \"mines.gpkg\"\n");
  const CliRun run = run_cli("run " + file + " --out " + dir_.str("out"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("add a [damage] section"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
}

TEST_F(Platform, AFailingLaterStageLeavesThePreviousResultsAsTheyWere) {
  const std::string good = project("good.toml", std::string(kDamageSection));
  ASSERT_EQ(run_cli("-q run " + good + " --out " + dir_.str("out")).exit_code, 0);
  const std::string before = checksum(dir_.path() / "out/tables/mine_year.csv");
  // Soil's profiles exist at prepare time and are broken only for the run: a data error mid-run.
  std::ofstream(dir_.path() / "soil/broken.csv") << "profile_id,depth_top_cm\nA,x\n";
  const std::string bad =
      project("bad.toml", std::string(kDamageSection) + "base_year = 2001\n" +
                              "[soil]\nprofiles = \"soil/broken.csv\"\nintervals = [\"0-30\"]\n");
  const CliRun run = run_cli("-q run " + bad + " --out " + dir_.str("out"));
  EXPECT_NE(run.exit_code, 0);
  EXPECT_EQ(checksum(dir_.path() / "out/tables/mine_year.csv"), before);
  for (const auto& entry : fs::directory_iterator(dir_.path() / "out"))
    EXPECT_EQ(entry.path().filename().string().rfind(".minecarbon-staging", 0), std::string::npos);
}

TEST_F(Platform, TheOutputFolderMayNotHoldAnInput) {
  fs::create_directories(dir_.path() / "x");
  fs::copy(dir_.path() / "mines.gpkg", dir_.path() / "x/results.gpkg");
  const std::string before = checksum(dir_.path() / "x/results.gpkg");
  const CliRun run =
      run_cli("-q damage --mines " + dir_.str("x/results.gpkg") + " --id-field mine_id --nep '" +
              dir_.str("nep") + "/nep_{year}.tif' --years 2000-2020 --out " + dir_.str("x"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("holds the input damage mines"), std::string::npos) << run.err;
  EXPECT_EQ(checksum(dir_.path() / "x/results.gpkg"), before);
}

TEST_F(Platform, PotentialMayNotWriteIntoTheDamageFolderItReads) {
  const std::string good = project("good.toml", std::string(kDamageSection));
  ASSERT_EQ(run_cli("-q run " + good + " --out " + dir_.str("d")).exit_code, 0);
  const std::string before = checksum(dir_.path() / "d/tables/mines.csv");
  const CliRun run =
      run_cli("-q potential --mines " + dir_.str("mines.gpkg") + " --id-field mine_id --damage " +
              dir_.str("d") + " --out " + dir_.str("d"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("holds the input"), std::string::npos) << run.err;
  EXPECT_EQ(checksum(dir_.path() / "d/tables/mines.csv"), before);
}

TEST_F(Platform, ARerunThatWritesFewerFilesRemovesThePreviousRunsLeftovers) {
  const std::string both = project("both.toml", std::string(kDamageSection) + soil_section());
  ASSERT_EQ(run_cli("-q run " + both + " --out " + dir_.str("out")).exit_code, 0);
  ASSERT_TRUE(fs::exists(dir_.path() / "out/soil/summary.json"));
  std::ofstream(dir_.path() / "out/my_notes.txt") << "mine";
  const std::string one = project("one.toml", std::string(kDamageSection));
  ASSERT_EQ(run_cli("-q run " + one + " --out " + dir_.str("out")).exit_code, 0);
  EXPECT_FALSE(fs::exists(dir_.path() / "out/soil")) << "the earlier run's soil results remain";
  EXPECT_TRUE(fs::exists(dir_.path() / "out/summary.json"));
  EXPECT_TRUE(fs::exists(dir_.path() / "out/my_notes.txt")) << "a file we did not write went";
}

TEST_F(Platform, ASecondRunIntoTheSameFolderIsRefusedWhileTheFirstHoldsIt) {
  fs::create_directories(dir_.path() / "out");
  // The lock of a live process (this test's own).
  std::ofstream(dir_.path() / "out/.minecarbon-lock") << ::getpid() << "\n";
  const std::string one = project("one.toml", std::string(kDamageSection));
  const CliRun run = run_cli("-q run " + one + " --out " + dir_.str("out"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("being written by another minecarbon run (process " +
                         std::to_string(::getpid())),
            std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "out/summary.json"));
}

TEST_F(Platform, WhatAKilledRunLeftIsRemovedByTheNextRun) {
  // A child that has exited: its pid is no longer alive.
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  fs::create_directories(dir_.path() /
                         ("out/.minecarbon-staging-" + std::to_string(child) + "-1/tables"));
  std::ofstream(dir_.path() / "out/.minecarbon-lock") << child << "\n";
  const std::string one = project("one.toml", std::string(kDamageSection));
  const CliRun run = run_cli("-q run " + one + " --out " + dir_.str("out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const auto& entry : fs::directory_iterator(dir_.path() / "out")) {
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(name.rfind(".minecarbon-staging", 0) != 0 && name != ".minecarbon-lock") << name;
  }
}

// Starts `minecarbon run` and interrupts it with `signal_number` after `delay`.
int interrupted_run(const std::string& project_file, const std::string& out, int signal_number,
                    std::chrono::milliseconds delay) {
  const pid_t child = ::fork();
  if (child == 0) {
    ::execl(MC_CLI, MC_CLI, "-q", "run", project_file.c_str(), "--out", out.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::this_thread::sleep_for(delay);
  ::kill(child, signal_number);
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

TEST_F(Platform, AnInterruptLeavesNoOutputAndARerunSucceeds) {
  // The whole demo project runs for many seconds: interrupted early, mid-way and late.
  const std::string demo = world_->str("demo/project.toml");
  for (const auto& [signal_number, ms, code] :
       {std::tuple{SIGINT, 300, 130}, std::tuple{SIGTERM, 1500, 143}, {SIGINT, 4000, 130}}) {
    const std::string out = dir_.str("out_" + std::to_string(ms));
    const int exit_code = interrupted_run(demo, out, signal_number, std::chrono::milliseconds(ms));
    if (exit_code == 0) continue;  // finished before the signal on a fast machine
    // On a loaded machine the early signal can land while the dynamic loader is still starting
    // the process, before main installs its handler: the default action ends it (-signal).
    // Either way nothing may be left behind.
    if (exit_code != -signal_number) EXPECT_EQ(exit_code, code) << "signal at " << ms << " ms";
    EXPECT_FALSE(fs::exists(out)) << "interrupted at " << ms << " ms left " << out;
  }
  const std::string one = project("one.toml", std::string(kDamageSection));
  EXPECT_EQ(run_cli("-q run " + one + " --out " + dir_.str("out_300")).exit_code, 0);
}

TEST_F(Platform, MoreThreadsThanCoresAreClampedWithANote) {
  const std::string one = project("one.toml", std::string(kDamageSection));
  const CliRun run = run_cli("--threads 2147483647 run " + one + " --out " + dir_.str("out"));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("note: 2147483647 threads requested"), std::string::npos) << run.err;
}

TEST_F(Platform, NonFiniteAndOutOfRangeOptionsAreConfigErrorsNamingTheKey) {
  struct Case {
    std::string line, expected;
  };
  for (const Case& c :
       {Case{"ring_outer_m = inf", "ring_outer_m: must be a finite number"},
        Case{"min_area_km2 = nan", "min_area_km2: must be a finite number"},
        Case{"base_year = 1e12", "base_year: expected a whole number"},
        Case{"base_year = 1999", "base_year = 1999: outside the years"},
        Case{"ring_gap_m = 6000", "ring_gap_m = 6000: must be < ring_outer_m"},
        Case{"ring_outer_m = 1e8", "ring_outer_m = 100000000: above ring_outer_limit_m"},
        Case{"periods = [\"2000-2030\"]", "periods: '2000-2030' must lie within the years"}}) {
    const std::string file = project("p.toml", std::string(kDamageSection) + c.line + "\n");
    const CliRun run = run_cli("-q run " + file + " --out " + dir_.str("out"));
    EXPECT_EQ(run.exit_code, 2) << c.line << ": " << run.err;
    EXPECT_NE(run.err.find("p.toml:6 [damage] " + c.expected.substr(0, c.expected.find(':'))),
              std::string::npos)
        << c.line << ": " << run.err;
    EXPECT_NE(run.err.find(c.expected), std::string::npos) << c.line << ": " << run.err;
    EXPECT_FALSE(fs::exists(dir_.path() / "out"));
  }
  const std::string file = project("p.toml", std::string(kDamageSection) +
                                                 "ring_outer_m = 60000\n"
                                                 "ring_outer_limit_m = 100000\n");
  EXPECT_EQ(run_cli("-q run " + file + " --out " + dir_.str("out")).exit_code, 0)
      << "a limit raised knowingly is accepted";
  const CliRun cli =
      run_cli("-q damage --mines " + dir_.str("mines.gpkg") + " --id-field mine_id --nep '" +
              dir_.str("nep") + "/nep_{year}.tif' --years 2000-2020 --min-area-km2 nan --out " +
              dir_.str("out2"));
  EXPECT_EQ(cli.exit_code, 2);
  EXPECT_NE(cli.err.find("damage: --min-area-km2: must be a finite number"), std::string::npos)
      << cli.err;
}

TEST_F(Platform, ANegativeSeedIsRefused) {
  const CliRun run = run_cli("--seed -1 help");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  const std::string file =
      project("p.toml", "[project]\nseed = -1\n" + std::string(kDamageSection));
  const CliRun in_file = run_cli("-q run " + file);
  EXPECT_EQ(in_file.exit_code, 2);
  EXPECT_NE(in_file.err.find("p.toml:2 [project] seed = -1: must be >= 0"), std::string::npos)
      << in_file.err;
}

TEST_F(Platform, VersionIsPrinted) {
  const std::string out_file = dir_.str("version.txt");
  const CliRun run = run_cli("--version > " + out_file);
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(slurp(out_file).rfind("minecarbon 0.", 0), 0u) << slurp(out_file);
}

TEST_F(Platform, EveryDamageOptionIsInHelpInTheDocsAndInTheSummary) {
  const std::string help_file = dir_.str("help.txt");
  ASSERT_EQ(run_cli("damage --help > " + help_file).exit_code, 0);
  const std::string help = slurp(help_file);
  const std::string docs = slurp(std::string(MC_SOURCE_DIR) + "/docs/options/damage.md");
  const std::string one = project("one.toml", std::string(kDamageSection));
  ASSERT_EQ(run_cli("-q run " + one + " --out " + dir_.str("out")).exit_code, 0);
  const auto summary = nlohmann::json::parse(slurp(dir_.path() / "out/summary.json"));
  // Each row of the docs table: | `key` | `--flag` | ...
  std::istringstream rows(docs);
  int n = 0;
  for (std::string line; std::getline(rows, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    const std::string key = line.substr(3, line.find('`', 3) - 3);
    const auto flag_at = line.find("`--");
    const std::string flag = line.substr(flag_at + 1, line.find('`', flag_at + 1) - flag_at - 1);
    EXPECT_NE(help.find(flag), std::string::npos) << flag << " not in damage --help";
    EXPECT_TRUE(summary["parameters"].contains(key)) << key << " not in the summary echo";
    ++n;
  }
  EXPECT_EQ(n, 23);
}

TEST_F(Platform, TheCommittedOptionDocsAreTheGeneratedOnes) {
  const std::string list_file = dir_.str("stages.txt");
  ASSERT_EQ(run_cli("help > " + list_file).exit_code, 0);
  std::istringstream list(slurp(list_file));
  int n = 0;
  for (std::string line; std::getline(list, line);) {
    if (line.rfind("  ", 0) != 0) continue;
    const std::string stage = line.substr(2, line.find(':') - 2);
    const std::string page_file = dir_.str(stage + ".md");
    ASSERT_EQ(run_cli("help --markdown " + stage + " > " + page_file).exit_code, 0);
    EXPECT_EQ(slurp(page_file),
              slurp(std::string(MC_SOURCE_DIR) + "/docs/options/" + stage + ".md"))
        << "docs/options/" << stage << ".md is stale: run scripts/gen-option-docs";
    ++n;
  }
  EXPECT_GE(n, 6);
}

}  // namespace
}  // namespace minecarbon::e2e

namespace minecarbon::e2e {
namespace {

TEST_F(Platform, TheSummarySaysWhatMadeTheRunAndKeepsClockReadingsUnderTiming) {
  const std::string one = project("one.toml", std::string(kDamageSection));
  ASSERT_EQ(run_cli("-q run " + one + " --out " + dir_.str("out")).exit_code, 0);
  auto first = nlohmann::json::parse(slurp(dir_.path() / "out/summary.json"));
  EXPECT_EQ(first["minecarbon"]["version"].get<std::string>().rfind("0.", 0), 0u);
  EXPECT_NE(first["minecarbon"]["command_line"].get<std::string>().find("run " + one),
            std::string::npos);
  EXPECT_TRUE(first["timing"].contains("started_utc"));
  EXPECT_TRUE(first["timing"].contains("seconds"));
  EXPECT_FALSE(first.contains("seconds"));
  const auto& files = first["input_files"];
  ASSERT_EQ(files.size(), 22u);  // the mines and 21 NEP rasters
  EXPECT_EQ(files[0]["bytes"].get<std::uintmax_t>(), fs::file_size(dir_.path() / "mines.gpkg"));
  EXPECT_TRUE(files[0].contains("modified_utc"));
  ASSERT_EQ(run_cli("-q run " + one + " --out " + dir_.str("out")).exit_code, 0);
  auto second = nlohmann::json::parse(slurp(dir_.path() / "out/summary.json"));
  first.erase("timing");
  second.erase("timing");
  EXPECT_EQ(first, second) << "outside `timing` a rerun's summary is the same";
}

}  // namespace
}  // namespace minecarbon::e2e

namespace minecarbon::e2e {
namespace {

TEST_F(Platform, ACsvInGbkIsReadWhenTheEncodingIsGivenAndRefusedOtherwise) {
  // The demo's soil profiles with one profile renamed in Chinese, saved as GBK (what Excel on
  // Chinese Windows writes).
  std::string text = slurp(dir_.path() / "soil/soil_profiles.csv");
  const std::string renamed = "\xE5\x89\x96\xE9\x9D\xA2";  // 剖面 in UTF-8
  for (std::size_t at = text.find("M1-R1"); at != std::string::npos; at = text.find("M1-R1", at))
    text.replace(at, 5, renamed);
  std::ofstream(dir_.path() / "soil/utf8.csv") << text;
  ASSERT_EQ(std::system(("iconv -f UTF-8 -t GBK " + dir_.str("soil/utf8.csv") + " > " +
                         dir_.str("soil/gbk.csv"))
                            .c_str()),
            0);
  const std::string section =
      "[soil]\nprofiles = \"soil/gbk.csv\"\nintervals = [\"0-30\"]\nreference = \"reference\"\n"
      "bd_ptf = \"song2005\"\n";
  const CliRun refused =
      run_cli("-q run " + project("p.toml", section) + " --out " + dir_.str("o"));
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_NE(refused.err.find("gbk.csv:"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("encoding = \"gbk\""), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "o"));
  const CliRun read = run_cli("-q run " + project("p.toml", section + "encoding = \"gbk\"\n") +
                              " --out " + dir_.str("o"));
  ASSERT_EQ(read.exit_code, 0) << read.err;
  EXPECT_NE(slurp(dir_.path() / "o/soil/tables/profile_stocks.csv").find(renamed),
            std::string::npos)
      << "the GBK name comes out as UTF-8";
  const CliRun unknown =
      run_cli("-q run " + project("p.toml", section + "encoding = \"klingon\"\n") + " --out " +
              dir_.str("o2"));
  EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
  EXPECT_NE(unknown.err.find("not an encoding iconv knows"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace minecarbon::e2e
