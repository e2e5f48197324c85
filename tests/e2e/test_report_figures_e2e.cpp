// The paper figures on the demo (`minecarbon synth`, then damage, potential and soil): every figure
// the results allow is written, in SVG and PNG; the map has one path per mine with an outline in
// the GeoPackage; the ranked potential, the groups and the soil scenarios show the stages' CSV
// values; the PNG has the size its mm and dpi give; a second run writes the same bytes.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "demo_project.h"

namespace fs = std::filesystem;

namespace minecarbon::e2e {
namespace {

// The sections of a project file whose top-level name is in `keep`, nested tables included
// ([soil.ipcc], [[soil.scenarios]] go with [soil]).
std::string sections_with_nested(const std::string& toml, const std::set<std::string>& keep) {
  std::istringstream in(toml);
  std::string line, out;
  bool kept = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '[') {
      const std::size_t start = line.find_first_not_of('[');
      const std::size_t end = line.find_first_of(".]", start);
      kept = keep.count(line.substr(start, end - start)) > 0;
    }
    if (kept) out += line + "\n";
  }
  return out;
}

// The width and height a PNG's IHDR chunk gives (big-endian at bytes 16–23).
std::pair<std::uint32_t, std::uint32_t> png_size(const fs::path& path) {
  const std::string bytes = slurp(path);
  auto be32 = [&](std::size_t at) {
    return (std::uint32_t(static_cast<unsigned char>(bytes.at(at))) << 24) |
           (std::uint32_t(static_cast<unsigned char>(bytes.at(at + 1))) << 16) |
           (std::uint32_t(static_cast<unsigned char>(bytes.at(at + 2))) << 8) |
           std::uint32_t(static_cast<unsigned char>(bytes.at(at + 3)));
  };
  return {be32(16), be32(20)};
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size()))
    ++n;
  return n;
}

// The values of attribute `name` on the elements of the SVG, in order.
std::vector<std::string> attribute_values(const std::string& svg, const std::string& name) {
  std::vector<std::string> out;
  const std::regex re(" " + name + "=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator();
       ++it)
    out.push_back((*it)[1]);
  return out;
}

// ctest runs each test in its own process and each makes the demo again: one test, many checks.
TEST(ReportFiguresOnDemo, EveryFigureFromTheDemosResults) {
  TempDir dir("report_figures");
  ASSERT_EQ(synth_world(dir.str("demo")).exit_code, 0);
  std::ofstream(dir.path() / "demo/p.toml") << sections_with_nested(
      slurp(dir.path() / "demo/project.toml"), {"project", "nep", "damage", "potential", "soil"});
  const CliRun run = run_cli("--quiet run " + dir.str("demo/p.toml"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path results = dir.path() / "demo/results";
  const fs::path figures = dir.path() / "figures";
  const std::string command = "--quiet report " + results.string() + " --figures " +
                              figures.string() +
                              " --no-html --figure-format svg --figure-format png --width-mm 120 "
                              "--dpi 150 --top-n 10 --mine M1";
  const CliRun ok = run_cli(command);
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  for (const std::string& name :
       {"map", "yearly_totals", "groups_by_year_ISO3_CODE", "groups_by_year_continent", "histogram",
        "ranked_potential", "soil_scenarios", "mine_M1_series"}) {
    ASSERT_TRUE(fs::exists(figures / (name + ".svg"))) << name;
    ASSERT_TRUE(fs::exists(figures / (name + ".png"))) << name;
    const auto [width, height] = png_size(figures / (name + ".png"));
    EXPECT_EQ(width, static_cast<std::uint32_t>(std::lround(120.0 / 25.4 * 150.0))) << name;
    // The height follows the SVG's own height in mm.
    const std::string svg = slurp(figures / (name + ".svg"));
    const std::smatch m = [&] {
      std::smatch match;
      std::regex_search(svg, match, std::regex("height=\"([0-9.]+)mm\""));
      return match;
    }();
    ASSERT_FALSE(m.empty()) << name;
    EXPECT_NEAR(height, std::stod(m[1]) / 25.4 * 150.0, 0.51) << name;
  }

  {
    SCOPED_TRACE("the map: one path per mine with an outline in results.gpkg");
    GDALAllRegister();
    GDALDatasetUniquePtr gpkg(
        GDALDataset::Open((results / "results.gpkg").c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(gpkg);
    OGRLayer* layer = gpkg->GetLayerByName("mines");
    ASSERT_NE(layer, nullptr);
    std::size_t with_outline = 0, without = 0;
    for (auto& feature : *layer) {
      const OGRGeometry* g = feature->GetGeometryRef();
      (g != nullptr && !g->IsEmpty() ? with_outline : without) += 1;
    }
    const std::string map = slurp(figures / "map.svg");
    const std::size_t mines_at = map.find("<g id=\"mines\"");
    ASSERT_NE(mines_at, std::string::npos);
    const std::string mines = map.substr(mines_at, map.find("</g>", mines_at) - mines_at);
    EXPECT_EQ(count_of(mines, "<path "), with_outline);
    EXPECT_GT(with_outline, 200u);
    const auto rows = read_rows(results / "tables/mines.csv");
    EXPECT_EQ(rows.size(), with_outline + without);
    EXPECT_NE(map.find("gC m\u207b\u00b2 yr\u207b\u00b9"), std::string::npos) << "the unit";
    EXPECT_NE(map.find(">no data ("), std::string::npos);
  }
  {
    SCOPED_TRACE("ranked potential: the largest values of potential.csv, largest first");
    const auto rows = read_rows(results / "potential/tables/potential.csv");
    std::vector<double> values;
    for (const auto& row : rows) {
      const std::string& cell = row.at("potential_nep_increment_gC_m2_yr");
      if (!cell.empty() && cell != "NA") values.push_back(std::stod(cell));
    }
    std::sort(values.rbegin(), values.rend());
    const auto shown = attribute_values(slurp(figures / "ranked_potential.svg"), "data-value");
    ASSERT_EQ(shown.size(), std::min<std::size_t>(10, values.size()));
    for (std::size_t k = 0; k < shown.size(); ++k)
      EXPECT_EQ(std::stod(shown[k]), values[k]) << k;
  }
  {
    SCOPED_TRACE("groups by year: one bar per row of group_year.csv of the field");
    const auto rows = read_rows(results / "tables/group_year.csv");
    std::size_t continent = 0;
    for (const auto& row : rows)
      continent += row.at("group_field") == "continent" && !row.at("net_change_rel_GgC_yr").empty();
    const auto bars =
        attribute_values(slurp(figures / "groups_by_year_continent.svg"), "data-value");
    EXPECT_EQ(bars.size(), continent);
  }
  {
    SCOPED_TRACE("soil scenarios: one group per scenario of scenario_years.csv");
    std::set<std::string> scenarios;
    for (const auto& row : read_rows(results / "soil/tables/scenario_years.csv"))
      scenarios.insert(row.at("scenario"));
    const auto drawn = attribute_values(slurp(figures / "soil_scenarios.svg"), "data-scenario");
    EXPECT_EQ(std::set<std::string>(drawn.begin(), drawn.end()), scenarios);
    EXPECT_GE(scenarios.size(), 2u);
  }
  {
    SCOPED_TRACE("the same results give the same bytes; a bad year is a usage error");
    const std::string map = slurp(figures / "map.svg");
    const std::string again = dir.str("figures2");
    ASSERT_EQ(run_cli("--quiet report " + results.string() + " --figures " + again +
                      " --no-html --width-mm 120 --top-n 10 --mine M1")
                  .exit_code,
              0);
    for (const std::string& name :
         {"map", "histogram", "ranked_potential", "soil_scenarios", "groups_by_year_continent"})
      EXPECT_EQ(slurp(fs::path(again) / (name + ".svg")), slurp(figures / (name + ".svg"))) << name;
    const CliRun bad =
        run_cli("--quiet report " + results.string() + " --figures " + dir.str("figures3") +
                " --no-html --map-variable nep_loss_gC_m2_yr --map-year 1990");
    EXPECT_EQ(bad.exit_code, 2) << bad.err;
    EXPECT_NE(bad.err.find("--map-year 1990"), std::string::npos) << bad.err;
    EXPECT_FALSE(fs::exists(dir.path() / "figures3"));
    const CliRun year =
        run_cli("--quiet report " + results.string() + " --figures " + dir.str("figures4") +
                " --no-html --map-variable nep_loss_gC_m2_yr --map-year 2010");
    EXPECT_EQ(year.exit_code, 0) << year.err;
    EXPECT_NE(slurp(dir.path() / "figures4/map.svg").find("in 2010"), std::string::npos);
  }
}

}  // namespace
}  // namespace minecarbon::e2e
