// The whole landuse stage against R terra 1.7-3 on the oracle of tests/data/landuse (README and
// make_expected.R there): two classified real DEMs per map pair, Marburg (UTM 32N, 30 m) and
// Luxembourg (lon/lat, 30″), with zones including a polygon with a hole and one partly outside the
// raster. mask = "own" (terra's per-date tables count each date's own valid cells; transitions
// need both), area = "true". Compared: transition cells (exact) and areas, class areas per date,
// and per zone the transition and class areas, covered and valid areas with the planar coverage
// fraction (the `*_planar_frac_m2` columns: our coverage is planar in grid coordinates, as
// exactextract's; see the README for terra's geodesic fraction).
// Tolerances: Marburg 1e-9 relative (our projected cell area is terra's rule: the geodesic area of
// the cell's corners); Luxembourg 3e-9 (our lon/lat cell area is the exact latitude band, terra's
// the geodesic quadrilateral through the corners: +1.3e-9 at 30″).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <tuple>

#include "minecarbon/assess/landuse.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/geo/polygon_layer.h"

using namespace minecarbon;
using namespace minecarbon::assess;

namespace {

const std::string kDir = std::string(MC_TEST_DATA_DIR) + "/landuse/";

void expect_rel(double actual, double expected, double rel, const std::string& what) {
  EXPECT_NEAR(actual, expected, rel * std::fabs(expected) + 1e-12) << what;
}

void check_map(const std::string& name, const std::string& layer, double rel) {
  LanduseInputs inputs;
  inputs.maps = {{1, kDir + name + "_from.tif", kDir + name + "_from.tif"},
                 {2, kDir + name + "_to.tif", kDir + name + "_to.tif"}};
  inputs.pools = carbon::parse_landuse_pools(
      parse_csv_text("lucode,c_above,c_below,c_soil,c_dead\n1,10,2,50,1\n2,3,1,20,0\n"
                     "3,1,0,8,0\n5,0,0,2,0\n",
                     "pools.csv"));
  geo::PolygonLayerOptions options;
  options.layer = layer;
  options.id_field = "zone_id";
  options.role = "zones";
  inputs.mines =
      std::make_shared<geo::PolygonLayer>(geo::read_polygon_layer(kDir + "zones.gpkg", options));
  LanduseParams params;
  params.mask = LanduseMask::own;
  RunContext context;
  context.quiet = true;
  context.threads = 2;
  const LanduseResult r = run_landuse(params, inputs, context);
  auto code = [&](std::size_t idx) { return r.pools.codes[idx]; };
  const char* date_name[] = {"from", "to"};

  // Map transitions.
  const CsvText transitions = read_csv_file(kDir + name + "_transitions.csv");
  std::map<std::pair<std::int64_t, std::int64_t>, const LanduseTransition*> ours;
  for (const auto& t : r.transitions)
    ours[{code(t.from_idx), code(t.to_idx)}] = &t;
  ASSERT_EQ(ours.size(), transitions.rows.size()) << name;
  for (std::size_t row = 0; row < transitions.rows.size(); ++row) {
    const auto key =
        std::make_pair(std::stoll(transitions.rows[row][0]), std::stoll(transitions.rows[row][1]));
    ASSERT_TRUE(ours.count(key)) << name << " transition " << key.first << "->" << key.second;
    EXPECT_EQ(ours[key]->cells, std::stoll(transitions.rows[row][2]));
    expect_rel(ours[key]->area_ha, transitions.number(row, 4), rel, name + " transition area");
  }
  // Class areas per date.
  const CsvText classes = read_csv_file(kDir + name + "_class_area.csv");
  for (std::size_t row = 0; row < classes.rows.size(); ++row) {
    const int year = classes.rows[row][0] == "from" ? 1 : 2;
    const std::int64_t cls = std::stoll(classes.rows[row][1]);
    bool found = false;
    for (const auto& c : r.class_area)
      if (c.year == year && code(c.class_idx) == cls) {
        found = true;
        EXPECT_EQ(c.cells, std::stoll(classes.rows[row][2])) << name;
        expect_rel(c.area_ha, classes.number(row, 4), rel, name + " class area");
      }
    EXPECT_TRUE(found) << name << " class " << cls;
  }
  // Zones.
  std::map<std::string, std::size_t> zone_of;
  for (std::size_t z = 0; z < inputs.mines->features.size(); ++z)
    zone_of[inputs.mines->features[z].id] = z;
  const CsvText totals = read_csv_file(kDir + name + "_zone_totals.csv");
  ASSERT_GE(totals.rows.size(), 3u) << name;
  ASSERT_EQ(r.mine_stock.size(), 2 * inputs.mines->features.size());
  for (std::size_t row = 0; row < totals.rows.size(); ++row) {
    const std::size_t z = zone_of.at(totals.rows[row][0]);
    const double covered_ha =
        totals.number(row, totals.column("covered_area_planar_frac_m2")) / 1e4;
    expect_rel(r.mine_stock[z * 2].covered_area_ha, covered_ha, rel, name + " covered");
    for (int d = 0; d < 2; ++d)
      expect_rel(r.mine_stock[z * 2 + static_cast<std::size_t>(d)].valid_area_ha,
                 totals.number(row, totals.column(std::string("valid_area_") + date_name[d] +
                                                  "_planar_frac_m2")) /
                     1e4,
                 rel, name + " valid " + totals.rows[row][0]);
  }
  const CsvText zone_classes = read_csv_file(kDir + name + "_zone_class_area.csv");
  for (std::size_t row = 0; row < zone_classes.rows.size(); ++row) {
    const std::size_t z = zone_of.at(zone_classes.rows[row][0]);
    const std::size_t d = zone_classes.rows[row][1] == "from" ? 0 : 1;
    const std::int64_t cls = std::stoll(zone_classes.rows[row][2]);
    std::size_t k = 0;
    while (code(k) != cls)
      ++k;
    expect_rel(r.mine_stock[z * 2 + d].class_area_ha[k],
               zone_classes.number(row, zone_classes.column("area_planar_frac_m2")) / 1e4, rel,
               name + " zone class area " + zone_classes.rows[row][0]);
  }
  const CsvText zone_transitions = read_csv_file(kDir + name + "_zone_transitions.csv");
  ASSERT_FALSE(zone_transitions.rows.empty()) << name;
  std::map<std::tuple<std::string, std::int64_t, std::int64_t>, double> zone_trans;
  for (const auto& t : r.mine_transitions)
    zone_trans[{t.mine_id, code(t.from_idx), code(t.to_idx)}] += t.area_ha;
  for (std::size_t row = 0; row < zone_transitions.rows.size(); ++row) {
    const auto key =
        std::make_tuple(zone_transitions.rows[row][0], std::stoll(zone_transitions.rows[row][1]),
                        std::stoll(zone_transitions.rows[row][2]));
    expect_rel(zone_trans[key],
               zone_transitions.number(row, zone_transitions.column("area_planar_frac_m2")) / 1e4,
               rel, name + " zone transition " + std::get<0>(key));
  }
}

}  // namespace

TEST(LanduseTerraOracle, MarburgUtmMatchesTerraTo1e9) {
  check_map("marburg", "marburg", 1e-9);
}

TEST(LanduseTerraOracle, LuxembourgLonLatMatchesTerraTo3e9) {
  check_map("lux", "lux", 3e-9);
}
