// The landuse stage on rasters with known answers: InVEST Carbon's own test fixture (re-created),
// the nodata cases where InVEST goes wrong, and a small world with planted transitions and mines.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <map>

#include "landuse_fixture.h"
#include "minecarbon/assess/landuse.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/geo/cell_area.h"

using namespace minecarbon;
using namespace minecarbon::assess;
using minecarbon::test::LulcRaster;
using minecarbon::test::ScratchDir;
using minecarbon::test::write_lulc;

namespace {

const char* kInvestPools =
    "C_above,C_below,C_soil,C_dead,lucode,LULC_Name\n"
    "15,10,60,1,1,a\n5,3,20,0,2,b\n2,1,5,0,3,c\n";

LulcRaster invest_raster(double value, std::optional<double> nodata) {
  LulcRaster r;
  r.rows = r.cols = 10;
  r.x_min = 461261;
  r.y_max = 4923265;
  r.crs = "EPSG:26910";
  r.nodata = nodata;
  r.values.assign(100, value);
  return r;
}

// Captures the rasters the stage writes, window by window, into whole arrays.
struct CapturedRasters {
  geo::Grid grid;
  std::vector<std::string> stems;
  std::vector<std::vector<float>> values;  // [stem][cell]
  geo::BlockPlan plan;
  bool finished = false;

  LanduseRasterOutput output(std::int64_t tile = 256) {
    LanduseRasterOutput out;
    out.open = [this, tile](const geo::Grid& g, const std::string&,
                            const std::vector<std::string>& s) {
      grid = g;
      stems = s;
      values.assign(s.size(), std::vector<float>(static_cast<std::size_t>(g.rows * g.cols)));
      plan = geo::BlockPlan(g, {geo::BlockSize{tile, tile}}, geo::BlockPlanOptions{1, 1, 1 << 20});
      return plan;
    };
    out.write_block = [this](std::size_t id, const std::vector<std::vector<float>>& v) {
      const geo::Window w = plan.window(id);
      for (std::size_t s = 0; s < v.size(); ++s)
        for (std::int64_t r = 0; r < w.rows; ++r)
          for (std::int64_t c = 0; c < w.cols; ++c)
            values[s][static_cast<std::size_t>((w.row0 + r) * grid.cols + w.col0 + c)] =
                v[s][static_cast<std::size_t>(r * w.cols + c)];
    };
    out.finish = [this] { finished = true; };
    return out;
  }
  const std::vector<float>& of(const std::string& stem) const {
    for (std::size_t s = 0; s < stems.size(); ++s)
      if (stems[s] == stem) return values[s];
    throw std::runtime_error("no raster " + stem);
  }
};

LanduseInputs inputs_of(const std::vector<std::pair<int, std::string>>& maps,
                        const std::string& pools_csv) {
  LanduseInputs inputs;
  for (const auto& [year, path] : maps)
    inputs.maps.push_back({year, path, path});
  inputs.pools = carbon::parse_landuse_pools(parse_csv_text(pools_csv, "pools.csv"));
  return inputs;
}

RunContext quiet_context(int threads = 1) {
  RunContext context;
  context.threads = threads;
  context.quiet = true;
  return context;
}

LanduseParams invest_params() {
  LanduseParams p;
  p.area = LanduseArea::planar;
  p.price = 43;
  p.rate_change_pct = 2.8;
  p.discount_rate_pct = -7.1;
  p.write_rasters = true;
  return p;
}

geo::MultiPolygon rect(double x0, double y0, double x1, double y1) {
  geo::Polygon p;
  p.exterior = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
  return {p};
}

}  // namespace

// ---- InVEST parity (natcap/invest tests/test_carbon.py, re-created) ----

class LanduseInvestParity : public ::testing::TestWithParam<bool> {};

TEST_P(LanduseInvestParity, StocksChangeAndNpvPerCellAndInTotal) {
  const bool with_nodata = GetParam();
  ScratchDir dir(with_nodata ? "invest_nodata" : "invest_no_nodata");
  const std::optional<double> nodata = with_nodata ? std::optional<double>(-1) : std::nullopt;
  write_lulc(dir.file("bas.tif"), invest_raster(1, nodata));
  write_lulc(dir.file("alt.tif"), invest_raster(2, nodata));
  LanduseInputs inputs =
      inputs_of({{2016, dir.file("bas.tif")}, {2030, dir.file("alt.tif")}}, kInvestPools);
  CapturedRasters captured;
  inputs.rasters = captured.output();
  const LanduseResult result = run_landuse(invest_params(), inputs, quiet_context());

  ASSERT_TRUE(captured.finished);
  for (std::size_t cell = 0; cell < 100; ++cell) {
    EXPECT_EQ(captured.of("c_storage_2016")[cell], 86.0f);
    EXPECT_EQ(captured.of("c_storage_2030")[cell], 28.0f);
    EXPECT_EQ(captured.of("c_change_2016_2030")[cell], -58.0f);
    EXPECT_NEAR(captured.of("npv_2016_2030")[cell], -3422.0789207450352, 1e-3);
  }
  ASSERT_EQ(result.date_totals.size(), 2u);
  EXPECT_NEAR(result.date_totals[0].stock_tC, 0.86, 1e-14);
  EXPECT_NEAR(result.date_totals[1].stock_tC, 0.28, 1e-14);
  ASSERT_EQ(result.pair_totals.size(), 1u);
  EXPECT_NEAR(result.pair_totals[0].change_tC, -0.58, 1e-14);
  EXPECT_NEAR(result.pair_totals[0].valuation_k, 59.001360702500605, 1e-12);
  EXPECT_NEAR(result.pair_totals[0].npv, -34.22078920745035, 1e-11);
  EXPECT_EQ(result.pair_totals[0].excluded_area_ha, 0.0);
}

INSTANTIATE_TEST_SUITE_P(NodataMinusOneAndNone, LanduseInvestParity, ::testing::Bool());

TEST(Landuse, InvestZeroRatesNpvIsChangeTimesPrice) {
  ScratchDir dir("invest_zero");
  write_lulc(dir.file("bas.tif"), invest_raster(1, -1));
  write_lulc(dir.file("alt.tif"), invest_raster(2, -1));
  LanduseInputs inputs =
      inputs_of({{2016, dir.file("bas.tif")}, {2030, dir.file("alt.tif")}}, kInvestPools);
  CapturedRasters captured;
  inputs.rasters = captured.output();
  LanduseParams p = invest_params();
  p.rate_change_pct = 0;
  p.discount_rate_pct = 0;
  const LanduseResult result = run_landuse(p, inputs, quiet_context());
  EXPECT_EQ(captured.of("npv_2016_2030")[0], -2494.0f);
  EXPECT_NEAR(result.pair_totals[0].npv, -24.94, 1e-12);
}

TEST(Landuse, InvestMapLookupIsExact) {
  // test_generate_carbon_map: [[1,1],[2,3]] with {1: 5000, 2: 60, 3: 120}.
  ScratchDir dir("lookup");
  LulcRaster r;
  r.rows = r.cols = 2;
  r.x_min = 461261;
  r.y_max = 4923265;
  r.values = {1, 1, 2, 3};
  write_lulc(dir.file("a.tif"), r);
  LanduseInputs inputs = inputs_of({{2000, dir.file("a.tif")}, {2001, dir.file("a.tif")}},
                                   "lucode,c_above,c_below,c_soil,c_dead\n"
                                   "1,5000,0,0,0\n2,60,0,0,0\n3,120,0,0,0\n");
  CapturedRasters captured;
  inputs.rasters = captured.output();
  LanduseParams p;
  p.area = LanduseArea::planar;
  p.write_rasters = true;
  run_landuse(p, inputs, quiet_context());
  EXPECT_EQ(captured.of("c_storage_2000"), (std::vector<float>{5000, 5000, 60, 120}));
  EXPECT_EQ(captured.of("c_change_2000_2001"), (std::vector<float>{0, 0, 0, 0}));
  EXPECT_EQ(captured.stems.size(), 3u);  // no price: no npv raster
}

TEST(Landuse, InvestMissingLandcoverValuesListsTheCodes) {
  ScratchDir dir("missing");
  write_lulc(dir.file("bas.tif"), invest_raster(200, -1));
  write_lulc(dir.file("alt.tif"), invest_raster(201, -1));
  const LanduseInputs inputs =
      inputs_of({{2016, dir.file("bas.tif")}, {2030, dir.file("alt.tif")}}, kInvestPools);
  try {
    run_landuse(invest_params(), inputs, quiet_context());
    FAIL() << "no error";
  } catch (const DataError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("200 (100 cells in " + dir.file("bas.tif") + ")"), std::string::npos) << m;
    EXPECT_NE(m.find("201 (100 cells in " + dir.file("alt.tif") + ")"), std::string::npos) << m;
    EXPECT_NE(m.find("pools.csv"), std::string::npos) << m;
  }
}

TEST(Landuse, CodeZeroWithoutNodataHintsLulcNodataWhichFixesIt) {
  ScratchDir dir("zero");
  LulcRaster a = invest_raster(1, std::nullopt);
  a.values[0] = 0;  // background without nodata
  write_lulc(dir.file("a.tif"), a);
  write_lulc(dir.file("b.tif"), invest_raster(2, std::nullopt));
  const LanduseInputs inputs =
      inputs_of({{2000, dir.file("a.tif")}, {2010, dir.file("b.tif")}}, kInvestPools);
  LanduseParams p = invest_params();
  p.write_rasters = false;
  try {
    run_landuse(p, inputs, quiet_context());
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("set lulc_nodata = 0"), std::string::npos) << e.what();
  }
  p.lulc_nodata = 0;
  const LanduseResult result = run_landuse(p, inputs, quiet_context());
  EXPECT_EQ(result.date_totals[0].valid_cells, 99);
  EXPECT_NEAR(result.date_totals[0].excluded_area_ha, 1e-4, 1e-16);
}

TEST(Landuse, InvestInvalidYearsAreAConfigError) {
  ScratchDir dir("years");
  write_lulc(dir.file("bas.tif"), invest_raster(1, -1));
  write_lulc(dir.file("alt.tif"), invest_raster(2, -1));
  const LanduseInputs inputs =
      inputs_of({{2025, dir.file("bas.tif")}, {2023, dir.file("alt.tif")}}, kInvestPools);
  EXPECT_THROW(run_landuse(invest_params(), inputs, quiet_context()), ConfigError);
}

// ---- where InVEST goes wrong ----

TEST(Landuse, AChangeOfExactlyMinusOneIsCounted) {
  // InVEST's c_change nodata is −1.0: this change would vanish from its totals and NPV.
  ScratchDir dir("minus_one");
  write_lulc(dir.file("a.tif"), invest_raster(1, -1));
  write_lulc(dir.file("b.tif"), invest_raster(2, -1));
  LanduseInputs inputs = inputs_of({{2000, dir.file("a.tif")}, {2010, dir.file("b.tif")}},
                                   "lucode,c_above,c_below,c_soil,c_dead\n"
                                   "1,4,3,2,1\n2,4,3,2,0\n");
  CapturedRasters captured;
  inputs.rasters = captured.output();
  LanduseParams p;
  p.area = LanduseArea::planar;
  p.write_rasters = true;
  p.price = 10;
  const LanduseResult result = run_landuse(p, inputs, quiet_context());
  for (float v : captured.of("c_change_2000_2010"))
    EXPECT_EQ(v, -1.0f);
  EXPECT_NEAR(result.pair_totals[0].change_tC, -0.01, 1e-15);  // 100 m² × −1 t/ha
  EXPECT_NEAR(result.pair_totals[0].npv, -0.1, 1e-14);
  EXPECT_EQ(result.pair_totals[0].valid_cells, 100);
}

namespace {

// Map A: class 1 with its top row nodata; map B: class 2 with its left column nodata.
LanduseInputs footprint_inputs(const ScratchDir& dir) {
  LulcRaster a = invest_raster(1, -1), b = invest_raster(2, -1);
  for (int c = 0; c < 10; ++c)
    a.values[static_cast<std::size_t>(c)] = -1;
  for (int r = 0; r < 10; ++r)
    b.values[static_cast<std::size_t>(r * 10)] = -1;
  write_lulc(dir.file("a.tif"), a);
  write_lulc(dir.file("b.tif"), b);
  return inputs_of({{2016, dir.file("a.tif")}, {2030, dir.file("b.tif")}}, kInvestPools);
}

}  // namespace

TEST(Landuse, CommonMaskReconcilesExactly) {
  ScratchDir dir("common");
  const LanduseInputs inputs = footprint_inputs(dir);
  LanduseParams p = invest_params();
  p.write_rasters = false;
  const LanduseResult result = run_landuse(p, inputs, quiet_context());
  // 100 cells − 10 (top row) − 10 (left column) + 1 (corner in both) = 81 cells on both dates.
  EXPECT_EQ(result.date_totals[0].valid_cells, 81);
  EXPECT_EQ(result.date_totals[1].valid_cells, 81);
  EXPECT_NEAR(result.date_totals[0].stock_tC, 81 * 86 / 1e4, 1e-14);
  EXPECT_NEAR(result.date_totals[1].stock_tC, 81 * 28 / 1e4, 1e-14);
  const LandusePairTotal& pair = result.pair_totals[0];
  EXPECT_EQ(pair.change_tC, result.date_totals[1].stock_tC - result.date_totals[0].stock_tC);
  EXPECT_NEAR(pair.loss_tC + pair.gain_tC, pair.change_tC, 1e-15);
  EXPECT_NEAR(result.date_totals[0].excluded_area_ha, 19e-4, 1e-16);
}

TEST(Landuse, OwnMaskReproducesInvestPerMapTotals) {
  ScratchDir dir("own");
  const LanduseInputs inputs = footprint_inputs(dir);
  LanduseParams p = invest_params();
  p.write_rasters = false;
  p.mask = LanduseMask::own;
  const LanduseResult result = run_landuse(p, inputs, quiet_context());
  // InVEST sums each map on its own valid cells (90 each) and the change on the 81 valid in both.
  EXPECT_NEAR(result.date_totals[0].stock_tC, 90 * 86 / 1e4, 1e-14);
  EXPECT_NEAR(result.date_totals[1].stock_tC, 90 * 28 / 1e4, 1e-14);
  EXPECT_NEAR(result.pair_totals[0].change_tC, 81 * -58 / 1e4, 1e-14);
  EXPECT_NEAR(result.date_totals[0].excluded_area_ha, 10e-4, 1e-16);
  // …which do not reconcile: the reason the default is `common`.
  EXPECT_GT(std::fabs(result.date_totals[1].stock_tC - result.date_totals[0].stock_tC -
                      result.pair_totals[0].change_tC),
            0.01);
}

// ---- a small world with planted transitions and mines ----

namespace {

// 20 × 20 cells of 10 m (EPSG:32650). 2000: all cropland (1). 2010: columns 0–9 pit (2).
// 2020: columns 0–4 reclaimed (3), 5–9 still pit. C: cropland 50, pit 5, reclaimed 20 t C/ha.
constexpr double kX0 = 500000, kY1 = 4000000;
const char* kWorldPools =
    "lucode,name,c_above,c_below,c_soil,c_dead\n"
    "1,cropland,5,2,40,3\n2,pit,0,0,5,0\n3,reclaimed,4,1,15,0\n";

LanduseInputs world(const ScratchDir& dir) {
  auto map = [&](const std::string& name, auto class_of) {
    LulcRaster r;
    r.rows = r.cols = 20;
    r.x_min = kX0;
    r.y_max = kY1;
    r.dx = r.dy = 10;
    r.crs = "EPSG:32650";
    r.type = GDT_Byte;
    r.nodata = 255;
    for (int row = 0; row < 20; ++row)
      for (int col = 0; col < 20; ++col)
        r.values.push_back(class_of(col));
    write_lulc(dir.file(name), r);
    return dir.file(name);
  };
  LanduseInputs inputs =
      inputs_of({{2000, map("y2000.tif", [](int) { return 1; })},
                 {2010, map("y2010.tif", [](int c) { return c < 10 ? 2 : 1; })},
                 {2020, map("y2020.tif", [](int c) { return c < 5    ? 3
                                                            : c < 10 ? 2
                                                                     : 1; })}},
                kWorldPools);
  auto layer = std::make_shared<geo::PolygonLayer>();
  layer->crs_wkt = minecarbon::test::wkt_of("EPSG:32650");
  // A: columns 5–14 of rows 0–9 (1 ha: half becomes pit in 2010).
  layer->features.push_back({"A", rect(kX0 + 50, kY1 - 100, kX0 + 150, kY1), {}});
  // B: columns 15–24 of rows 10–19: half of it lies east of the maps.
  layer->features.push_back({"B", rect(kX0 + 150, kY1 - 200, kX0 + 250, kY1 - 100), {}});
  // C: the top row, columns 0, 1 and half of 2 (250 m²).
  layer->features.push_back({"C", rect(kX0, kY1 - 10, kX0 + 25, kY1), {}});
  inputs.mines = layer;
  return inputs;
}

}  // namespace

TEST(Landuse, PlantedTransitionsAndMineStocks) {
  ScratchDir dir("world");
  LanduseParams p;
  p.area = LanduseArea::planar;
  p.price = 10;
  const LanduseResult r = run_landuse(p, world(dir), quiet_context());
  ASSERT_EQ(r.pairs.size(), 3u);  // 2000→2010, 2010→2020, 2000→2020
  EXPECT_EQ(r.pairs[2].kind, "first_last");
  // Map: 4 ha; 2000 all cropland 200 t; 2010 2 ha pit + 2 ha cropland = 110 t; 2020 1 ha
  // reclaimed + 1 ha pit + 2 ha cropland = 20 + 5 + 100 = 125 t.
  EXPECT_NEAR(r.date_totals[0].stock_tC, 200, 1e-12);
  EXPECT_NEAR(r.date_totals[1].stock_tC, 110, 1e-12);
  EXPECT_NEAR(r.date_totals[2].stock_tC, 125, 1e-12);
  EXPECT_NEAR(r.pair_totals[0].loss_tC, -90, 1e-12);
  EXPECT_NEAR(r.pair_totals[1].gain_tC, 15, 1e-12);
  EXPECT_NEAR(r.pair_totals[2].loss_tC, -90 + 15, 1e-12);  // 1 ha 1→2 (−45), 1 ha 1→3 (−30)
  // Transition rows: 2000→2010 has 1→1 (2 ha, 200 cells) and 1→2 (2 ha).
  std::map<std::tuple<int, std::int64_t, std::int64_t>, double> area;
  std::map<std::tuple<int, std::int64_t, std::int64_t>, std::int64_t> cells;
  for (const auto& t : r.transitions) {
    area[{t.pair.year_to, r.pools.codes[t.from_idx], r.pools.codes[t.to_idx]}] += t.area_ha;
    cells[{t.pair.year_to, r.pools.codes[t.from_idx], r.pools.codes[t.to_idx]}] += t.cells;
  }
  EXPECT_NEAR((area[{2010, 1, 2}]), 2.0, 1e-12);
  EXPECT_EQ((cells[{2010, 1, 2}]), 200);
  EXPECT_NEAR((area[{2020, 2, 3}]), 0.5 + 0.5, 1e-12);  // 2010→2020: columns 0–4
  EXPECT_NEAR((area[{2020, 2, 2}]), 1.0, 1e-12);
  // Row sums = class areas at d0, column sums at d1 (every pair).
  for (std::size_t p_idx = 0; p_idx < r.pairs.size(); ++p_idx) {
    std::map<std::int64_t, double> rows, cols, at_from, at_to;
    for (const auto& t : r.transitions)
      if (t.pair.year_from == r.pairs[p_idx].year_from &&
          t.pair.year_to == r.pairs[p_idx].year_to) {
        rows[r.pools.codes[t.from_idx]] += t.area_ha;
        cols[r.pools.codes[t.to_idx]] += t.area_ha;
      }
    for (const auto& c : r.class_area) {
      if (c.year == r.pairs[p_idx].year_from) at_from[r.pools.codes[c.class_idx]] += c.area_ha;
      if (c.year == r.pairs[p_idx].year_to) at_to[r.pools.codes[c.class_idx]] += c.area_ha;
    }
    for (const auto& [code, a] : at_from)
      EXPECT_NEAR(rows[code], a, 1e-12) << "pair " << p_idx << " class " << code;
    for (const auto& [code, a] : at_to)
      EXPECT_NEAR(cols[code], a, 1e-12) << "pair " << p_idx << " class " << code;
  }

  // Mines: mine_change rows by mine then pair.
  ASSERT_EQ(r.mine_change.size(), 9u);
  const LanduseMineChange& a0 = r.mine_change[0];
  EXPECT_EQ(a0.mine_id, "A");
  EXPECT_NEAR(a0.stock_from_tC, 50, 1e-12);          // 1 ha cropland
  EXPECT_NEAR(a0.change_tC, 0.5 * (5 - 50), 1e-12);  // half became pit
  EXPECT_NEAR(a0.loss_tC, -22.5, 1e-12);
  EXPECT_EQ(a0.gain_tC, 0.0);
  EXPECT_NEAR(a0.npv, -22.5 * 10, 1e-9);  // zero rates: K = price
  EXPECT_NEAR(a0.covered_area_ha, 1.0, 1e-12);
  EXPECT_NEAR(r.mine_change[1].change_tC, 0, 1e-12);  // 2010→2020: columns 5–9 stay pit
  EXPECT_NEAR(r.mine_change[2].change_tC, -22.5, 1e-12);
  // B: only the half inside the maps is covered; cropland throughout.
  const LanduseMineChange& b0 = r.mine_change[3];
  EXPECT_NEAR(b0.covered_area_ha, 0.5, 1e-12);
  EXPECT_NEAR(b0.stock_from_tC, 25, 1e-12);
  EXPECT_NEAR(b0.change_tC, 0, 1e-12);
  // C: 2.5 cells = 0.025 ha: cropland, pit, then reclaimed.
  EXPECT_NEAR(r.mine_stock[6].stock_tC, 0.025 * 50, 1e-12);
  EXPECT_NEAR(r.mine_stock[7].stock_tC, 0.025 * 5, 1e-12);
  EXPECT_NEAR(r.mine_stock[8].stock_tC, 0.025 * 20, 1e-12);
  EXPECT_NEAR(r.mine_stock[8].class_area_ha[2], 0.025, 1e-12);
}

TEST(Landuse, SameNumbersForOneAndTwoThreads) {
  // 400 × 300 cells of pseudo-random classes, read in 256² windows: several windows per worker.
  ScratchDir dir("threads");
  auto map = [&](const std::string& name, std::uint32_t salt) {
    LulcRaster r;
    r.rows = 300;
    r.cols = 400;
    r.x_min = kX0;
    r.y_max = kY1;
    r.dx = r.dy = 30;
    r.crs = "EPSG:32650";
    r.nodata = 0;
    std::uint32_t state = 12345 + salt;
    for (int idx = 0; idx < 300 * 400; ++idx) {
      state = state * 1664525u + 1013904223u;
      r.values.push_back(static_cast<double>((state >> 24) % 4));  // 0 (nodata) .. 3
    }
    write_lulc(dir.file(name), r);
    return dir.file(name);
  };
  auto run = [&](int threads) {
    LanduseInputs inputs =
        inputs_of({{2000, map("a.tif", 1)}, {2020, map("b.tif", 2)}}, kWorldPools);
    auto layer = std::make_shared<geo::PolygonLayer>();
    layer->crs_wkt = minecarbon::test::wkt_of("EPSG:32650");
    layer->features.push_back(
        {"big", rect(kX0 + 1000.5, kY1 - 8000.3, kX0 + 11000.7, kY1 - 10), {}});
    inputs.mines = layer;
    CapturedRasters captured;
    inputs.rasters = captured.output();
    LanduseParams p;
    p.write_rasters = true;
    p.price = 3;
    p.discount_rate_pct = 2;
    LanduseResult r = run_landuse(p, inputs, quiet_context(threads));
    return std::make_pair(std::move(r), captured.values);
  };
  const auto [one, one_rasters] = run(1);
  const auto [two, two_rasters] = run(2);
  EXPECT_EQ(one.date_totals[0].stock_tC, two.date_totals[0].stock_tC);
  EXPECT_EQ(one.pair_totals[0].change_tC, two.pair_totals[0].change_tC);
  EXPECT_EQ(one.pair_totals[0].npv, two.pair_totals[0].npv);
  ASSERT_EQ(one.transitions.size(), two.transitions.size());
  for (std::size_t idx = 0; idx < one.transitions.size(); ++idx)
    EXPECT_EQ(one.transitions[idx].area_ha, two.transitions[idx].area_ha);
  EXPECT_EQ(one.mine_change[0].change_tC, two.mine_change[0].change_tC);
  EXPECT_EQ(one.mine_change[0].loss_tC, two.mine_change[0].loss_tC);
  ASSERT_EQ(one_rasters.size(), two_rasters.size());
  for (std::size_t idx = 0; idx < one_rasters.size(); ++idx)  // bytes: NaN cells compare too
    EXPECT_EQ(0, std::memcmp(one_rasters[idx].data(), two_rasters[idx].data(),
                             one_rasters[idx].size() * sizeof(float)));
}

TEST(Landuse, TrueAreaOnUtmIsPlanarOverTheScaleFactorSquared) {
  // Cells on the central meridian of UTM 50N (x = 500 km): point scale k0 = 0.9996, so the
  // ellipsoidal area of a 10 m cell is 100 / 0.9996² m² (to the variation of k over 200 m, ~1e-9).
  ScratchDir dir("utm_true");
  const LanduseInputs inputs = world(dir);
  LanduseParams p;
  p.area = LanduseArea::true_area;
  const LanduseResult r = run_landuse(p, inputs, quiet_context());
  EXPECT_NEAR(r.date_totals[0].valid_area_ha, 4.0 / (0.9996 * 0.9996), 4.0 * 2e-7);
}

TEST(Landuse, TrueAreaOnALonLatGridSumsLatitudeBands) {
  ScratchDir dir("lonlat");
  LulcRaster r;
  r.rows = 30;
  r.cols = 40;
  r.x_min = 110;
  r.y_max = 40;
  r.dx = r.dy = 0.01;
  r.crs = "EPSG:4326";
  r.values.assign(1200, 1);
  write_lulc(dir.file("a.tif"), r);
  const LanduseInputs inputs =
      inputs_of({{2000, dir.file("a.tif")}, {2001, dir.file("a.tif")}}, kInvestPools);
  const LanduseResult result = run_landuse(LanduseParams{}, inputs, quiet_context());
  geo::Grid grid{110, 40, 0.01, 0.01, 30, 40};
  double total_m2 = 0;
  for (double a : geo::cell_area_by_row_m2(grid, true))
    total_m2 += 40 * a;
  EXPECT_NEAR(result.date_totals[0].valid_area_ha, total_m2 / 1e4, total_m2 / 1e4 * 1e-12);
  EXPECT_NEAR(result.date_totals[0].stock_tC, 86 * total_m2 / 1e4, 86 * total_m2 / 1e4 * 1e-12);
  LanduseParams planar;
  planar.area = LanduseArea::planar;
  EXPECT_THROW(run_landuse(planar, inputs, quiet_context()), DataError);
}

TEST(Landuse, MapsOnDifferentGridsNameBoth) {
  ScratchDir dir("grids");
  write_lulc(dir.file("a.tif"), invest_raster(1, -1));
  LulcRaster b = invest_raster(2, -1);
  b.x_min += 0.5;
  write_lulc(dir.file("b.tif"), b);
  const LanduseInputs inputs =
      inputs_of({{2000, dir.file("a.tif")}, {2010, dir.file("b.tif")}}, kInvestPools);
  try {
    run_landuse(LanduseParams{}, inputs, quiet_context());
    FAIL() << "no error";
  } catch (const DataError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(dir.file("a.tif")), std::string::npos) << m;
    EXPECT_NE(m.find(dir.file("b.tif")), std::string::npos) << m;
  }
}
