// The CASA + R_H + NEP kernel on a synthetic 20 × 20 grid × 24 months against an independent R
// implementation of the same formulas (tests/data/casa/make_expected.R, README there): annual NPP,
// R_H and NEP per cell-year to 1e-9, T_opt from the pre-pass, nodata cell-years, the day-length
// switch; and the same numbers whatever the block split.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "minecarbon/carbon/casa_nep.h"
#include "minecarbon/carbon/casa_optimum_temperature.h"
#include "minecarbon/carbon/casa_stress.h"
#include "minecarbon/carbon/casa_vegetation.h"
#include "minecarbon/core/csv.h"

namespace mc = minecarbon::carbon;
using minecarbon::CsvText;

namespace {

constexpr std::size_t kCells = 400;
constexpr int kYears[2] = {2000, 2001};

std::string data(const std::string& name) {
  return std::string(MC_TEST_DATA_DIR) + "/casa/" + name;
}

struct Grid {
  // [year][var][month · kCells + cell]; var: ndvi, t, p, sol
  std::vector<double> v[2][4];
  std::vector<std::int32_t> type_idx;
  std::vector<double> lat_deg;
  std::vector<mc::CasaTypeParams> params;
};

Grid load() {
  Grid g;
  const mc::CasaVegetationTable table = mc::parse_casa_vegetation(
      minecarbon::read_csv_file(std::string(MC_SOURCE_DIR) + "/data/casa_vegetation.csv"));
  for (const auto& t : table.types)
    g.params.push_back(t.has_eps_max() && t.has_extremes() ? mc::casa_type_params(t, true)
                                                           : mc::CasaTypeParams{});
  const CsvText cells = minecarbon::read_csv_file(data("grid_cells.csv"));
  g.type_idx.assign(kCells, -1);
  g.lat_deg.assign(kCells, 0.0);
  for (std::size_t row = 0; row < cells.rows.size(); ++row) {
    const std::size_t cell = static_cast<std::size_t>(cells.number(row, cells.column("cell")));
    const std::string type = cells.rows[row][cells.column("type")];
    if (!type.empty()) g.type_idx[cell] = static_cast<std::int32_t>(*table.find(type));
    g.lat_deg[cell] = cells.number(row, cells.column("lat_deg"));
  }
  for (auto& year : g.v)
    for (auto& var : year)
      var.assign(12 * kCells, std::nan(""));
  const CsvText in = minecarbon::read_csv_file(data("grid_inputs.csv"));
  const char* names[4] = {"ndvi", "temp_C", "precip_mm", "sol_MJ_m2"};
  for (std::size_t row = 0; row < in.rows.size(); ++row) {
    const auto cell = static_cast<std::size_t>(in.number(row, in.column("cell")));
    const int year = static_cast<int>(in.number(row, in.column("year")));
    const auto month = static_cast<std::size_t>(in.number(row, in.column("month"))) - 1;
    for (int var = 0; var < 4; ++var)
      g.v[year - kYears[0]][var][month * kCells + cell] = in.number(row, in.column(names[var]));
  }
  return g;
}

// Runs the pre-pass and both years over cells [first, first + n).
struct GridRun {
  std::vector<double> t_opt;
  std::vector<double> npp[2], rh[2], nep[2];
};

GridRun run(const Grid& g, std::size_t first, std::size_t n, bool daylength,
            mc::CasaScratch& scratch) {
  GridRun r;
  std::vector<double> sum(n, 0.0);
  std::vector<std::uint32_t> count(n, 0);
  auto layers = [&](int y, int var) {
    mc::MonthLayers<double> out{};
    for (std::size_t m = 0; m < 12; ++m)
      out[m] = g.v[y][var].data() + m * kCells + first;
    return out;
  };
  for (int y = 0; y < 2; ++y)
    mc::add_optimum_temperature_year(layers(y, 0), layers(y, 1), n, sum, count);
  r.t_opt.resize(n);
  mc::finish_optimum_temperature(sum, count, r.t_opt);
  for (int y = 0; y < 2; ++y) {
    mc::CasaYearBlock<double> block;
    block.n_cells = n;
    block.ndvi = layers(y, 0);
    block.t_C = layers(y, 1);
    block.precip_mm = layers(y, 2);
    block.sol_MJ_m2 = layers(y, 3);
    block.t_opt_C = r.t_opt.data();
    block.type_idx = g.type_idx.data() + first;
    std::vector<double> factor;
    if (daylength) {
      factor.resize(12 * n);
      for (std::size_t m = 0; m < 12; ++m)
        for (std::size_t c = 0; c < n; ++c)
          factor[m * n + c] = mc::thornthwaite_daylength_factor(g.lat_deg[first + c], kYears[y],
                                                                static_cast<int>(m) + 1);
      block.daylength_factor = factor.data();
    }
    EXPECT_FALSE(mc::find_casa_input_problem(block).has_value());
    r.npp[y].resize(n);
    r.rh[y].resize(n);
    r.nep[y].resize(n);
    mc::CasaYearOutputs out;
    out.npp_gC_m2_yr = r.npp[y].data();
    out.rh_gC_m2_yr = r.rh[y].data();
    out.nep_gC_m2_yr = r.nep[y].data();
    mc::casa_nep_year(block, g.params, mc::CasaOptions{}, scratch, out);
  }
  return r;
}

void expect_same(double got, double want, double tol, const std::string& what) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": got " << got << ", want NA";
  } else {
    EXPECT_NEAR(got, want, tol) << what;
  }
}

}  // namespace

TEST(CasaGrid, MatchesTheIndependentRScriptTo1e9) {
  const Grid g = load();
  mc::CasaScratch scratch;
  const GridRun off = run(g, 0, kCells, false, scratch);
  const GridRun on = run(g, 0, kCells, true, scratch);
  const CsvText ex = minecarbon::read_csv_file(data("grid_expected.csv"));
  ASSERT_EQ(ex.rows.size(), 2 * kCells);
  std::size_t nodata = 0, compared = 0;
  for (std::size_t row = 0; row < ex.rows.size(); ++row) {
    const auto cell = static_cast<std::size_t>(ex.number(row, ex.column("cell")));
    const int y = static_cast<int>(ex.number(row, ex.column("year"))) - kYears[0];
    const std::string at = "cell " + std::to_string(cell) + " year " + std::to_string(y + 2000);
    auto want = [&](const char* col) { return ex.number(row, ex.column(col)); };
    expect_same(off.t_opt[cell], want("t_opt_C"), 1e-12, at + " t_opt");
    expect_same(off.npp[y][cell], want("npp_gC_m2_yr"), 1e-9, at + " npp");
    expect_same(off.rh[y][cell], want("rh_gC_m2_yr"), 1e-9, at + " rh");
    expect_same(off.nep[y][cell], want("nep_gC_m2_yr"), 1e-9, at + " nep");
    expect_same(on.npp[y][cell], want("npp_gC_m2_yr_daylength"), 1e-9, at + " npp daylength");
    expect_same(on.nep[y][cell], want("nep_gC_m2_yr_daylength"), 1e-9, at + " nep daylength");
    nodata += std::isnan(want("nep_gC_m2_yr"));
    compared += !std::isnan(want("nep_gC_m2_yr"));
  }
  EXPECT_EQ(nodata, 93u);  // planted: no type, NaN months, no complete year (README)
  EXPECT_EQ(compared, 707u);
}

TEST(CasaGrid, BlockSplitDoesNotChangeABit) {
  const Grid g = load();
  mc::CasaScratch whole_scratch, part_scratch;
  const GridRun whole = run(g, 0, kCells, false, whole_scratch);
  for (std::size_t first = 0; first < kCells; first += 64) {
    const std::size_t n = std::min<std::size_t>(64, kCells - first);
    const GridRun part = run(g, first, n, false, part_scratch);  // scratch reused across sizes
    for (std::size_t c = 0; c < n; ++c)
      for (int y = 0; y < 2; ++y) {
        const double a = whole.nep[y][first + c], b = part.nep[y][c];
        EXPECT_TRUE((std::isnan(a) && std::isnan(b)) || a == b) << first + c;
      }
  }
}

// One year (2000) with T_opt from that year alone, inputs of type T.
template <class T>
std::vector<double> year_2000_nep(const Grid& g, mc::CasaScratch& scratch) {
  std::vector<T> v[4];
  for (int var = 0; var < 4; ++var)
    v[var].assign(g.v[0][var].begin(), g.v[0][var].end());
  mc::CasaYearBlock<T> block;
  block.n_cells = kCells;
  for (std::size_t m = 0; m < 12; ++m) {
    block.ndvi[m] = v[0].data() + m * kCells;
    block.t_C[m] = v[1].data() + m * kCells;
    block.precip_mm[m] = v[2].data() + m * kCells;
    block.sol_MJ_m2[m] = v[3].data() + m * kCells;
  }
  std::vector<double> sum(kCells, 0.0), t_opt(kCells);
  std::vector<std::uint32_t> count(kCells, 0);
  mc::add_optimum_temperature_year(block.ndvi, block.t_C, kCells, sum, count);
  mc::finish_optimum_temperature(sum, count, t_opt);
  block.t_opt_C = t_opt.data();
  block.type_idx = g.type_idx.data();
  std::vector<double> nep(kCells);
  mc::CasaYearOutputs out;
  out.nep_gC_m2_yr = nep.data();
  mc::casa_nep_year(block, g.params, {}, scratch, out);
  return nep;
}

TEST(CasaGrid, FloatInputsAgreeWithDoubleToFloatRounding) {
  // The stage may read Float32 rasters as float: the same kernel on float copies of the inputs
  // stays within the rounding of the inputs (~6e-8 relative) propagated through the chain.
  const Grid g = load();
  mc::CasaScratch scratch;
  const std::vector<double> ref = year_2000_nep<double>(g, scratch);
  const std::vector<double> nep = year_2000_nep<float>(g, scratch);
  // The half-value rule is discontinuous: a month whose temperature sits
  // on a boundary in decimal (T = T_opt + 10 with T rounded to 0.01 °C) may fall on either side
  // after rounding to float. Such cells are skipped (and counted).
  std::size_t compared = 0, on_boundary = 0;
  for (std::size_t c = 0; c < kCells; ++c) {
    if (std::isnan(ref[c])) {
      EXPECT_TRUE(std::isnan(nep[c]));
      continue;
    }
    double peak_ndvi = -2, t_opt = 0;
    for (std::size_t m = 0; m < 12; ++m)
      if (g.v[0][0][m * kCells + c] > peak_ndvi) {
        peak_ndvi = g.v[0][0][m * kCells + c];
        t_opt = g.v[0][1][m * kCells + c];
      }
    bool boundary = false;
    for (std::size_t m = 0; m < 12; ++m) {
      const double t = g.v[0][1][m * kCells + c];
      for (double edge : {t_opt + 10.0, t_opt - 13.0})
        boundary = boundary || std::abs(t - edge) < 1e-3;
    }
    if (boundary) {
      ++on_boundary;
      continue;
    }
    ++compared;
    EXPECT_NEAR(nep[c], ref[c], 1e-3) << c;
  }
  EXPECT_GT(compared, 200u);
  EXPECT_LT(on_boundary, 150u);
}
