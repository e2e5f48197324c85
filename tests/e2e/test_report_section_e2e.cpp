// A project's [report] section: `minecarbon run` writes report.html and the figures after the
// results are published, and they are the bytes `minecarbon report` writes from the same folder
// (under SOURCE_DATE_EPOCH), but for the command line the report records; `run --check` checks
// the section's options like any stage's.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

#include "../unit/report/island_decoder.h"
#include "demo_project.h"
#include "minecarbon/report/web_assets.h"

namespace fs = std::filesystem;

namespace minecarbon::e2e {
namespace {

// The report with its recorded command line blanked: the one part that names the command.
std::string without_command(const std::string& html) {
  const auto d = test::decode_report(html);
  // The meta's own key: the stages' summaries record the run's command line too.
  const std::string command =
      "\"command\":" + nlohmann::json(d.meta["command"].get<std::string>()).dump();
  std::string out = html;
  const std::size_t at = out.find(command);
  EXPECT_NE(at, std::string::npos);
  EXPECT_EQ(out.find(command, at + 1), std::string::npos) << "the command is recorded once";
  if (at != std::string::npos) out.replace(at, command.size(), "\"command\":\"\"");
  return out;
}

std::vector<std::string> files_of(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.')
      names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ReportSection, RunWritesTheBytesReportWrites) {
  if (!report::report_template()) GTEST_SKIP() << "built without web assets";
  ::setenv("SOURCE_DATE_EPOCH", "1796601600", 1);
  const TempDir dir("report_section");
  ASSERT_EQ(synth_world(dir.str("demo")).exit_code, 0);
  std::ofstream(dir.path() / "demo/p.toml")
      << sections_of(slurp(dir.path() / "demo/project.toml"),
                     {"project", "nep", "damage", "potential"})
      << "\n[report]\nfigures = \"figures\"\nfigure_format = [\"svg\"]\nlang = \"zh\"\n";
  const CliRun check = run_cli("--quiet run --check " + dir.str("demo/p.toml"));
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_FALSE(fs::exists(dir.path() / "demo/results")) << "--check writes nothing";
  const CliRun run = run_cli("--quiet run " + dir.str("demo/p.toml"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path results = dir.path() / "demo/results";
  const std::string from_run = slurp(results / "report.html");
  ASSERT_FALSE(from_run.empty());
  const auto d = test::decode_report(from_run);
  EXPECT_EQ(d.meta["lang"], "zh");
  const std::vector<std::string> figures = files_of(results / "figures");
  EXPECT_FALSE(figures.empty());

  // The same folder through `minecarbon report`, into another file and figure folder.
  const CliRun again =
      run_cli("--quiet report " + results.string() + " -o " + dir.str("again.html") +
              " --lang zh --figures " + dir.str("again_figures") + " --figure-format svg");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const std::string from_report = slurp(dir.path() / "again.html");
  EXPECT_TRUE(without_command(from_run) == without_command(from_report))
      << "report.html of run and of report differ beyond the command line";
  EXPECT_EQ(figures, files_of(dir.path() / "again_figures"));
  for (const std::string& name : figures)
    EXPECT_TRUE(slurp(results / "figures" / name) == slurp(dir.path() / "again_figures" / name))
        << name;
}

TEST(ReportSection, CheckNamesABadOptionWithItsLine) {
  const TempDir dir("report_section_bad");
  ASSERT_EQ(synth_world(dir.str("demo")).exit_code, 0);
  // [damage] on the planted NEP rasters (no [nep] stage: quicker).
  std::string base = sections_of(slurp(dir.path() / "demo/project.toml"), {"project", "damage"});
  base.insert(base.find("[damage]\n") + 9, "nep = \"nep/nep_{year}.tif\"\n");
  std::ofstream(dir.path() / "demo/p.toml") << base << "\n[report]\nlang = \"fr\"\n";
  const CliRun bad_lang = run_cli("--quiet run --check " + dir.str("demo/p.toml"));
  EXPECT_EQ(bad_lang.exit_code, 2) << bad_lang.err;
  EXPECT_NE(bad_lang.err.find("[report]"), std::string::npos) << bad_lang.err;
  EXPECT_NE(bad_lang.err.find("lang"), std::string::npos) << bad_lang.err;

  std::ofstream(dir.path() / "demo/p.toml") << base << "\n[report]\nmax_size = 3\n";
  const CliRun typo = run_cli("--quiet run --check " + dir.str("demo/p.toml"));
  EXPECT_EQ(typo.exit_code, 2) << typo.err;
  EXPECT_NE(typo.err.find("max_size_mb"), std::string::npos) << "did you mean: " << typo.err;

  // A report that cannot be written (its budget cannot be met) fails the run after the results
  // are published, saying so.
  if (!report::report_template()) return;
  std::ofstream(dir.path() / "demo/p.toml") << base << "\n[report]\nmax_size_mb = 0.01\n";
  const CliRun small = run_cli("--quiet run " + dir.str("demo/p.toml"));
  EXPECT_EQ(small.exit_code, 2) << small.err;
  EXPECT_NE(small.err.find("results are published"), std::string::npos) << small.err;
  EXPECT_TRUE(fs::exists(dir.path() / "demo/results/summary.json"));
  EXPECT_FALSE(fs::exists(dir.path() / "demo/results/report.html"));
}

}  // namespace
}  // namespace minecarbon::e2e
