// RothC against the official implementations' own example runs (tests/data/rothc/README.md):
// the R (v2.0.0) and Python (v1.0.0) ports in full double precision to 1e-9, and the Fortran
// program (v1.0.0, v2.0.0) to the precision it prints.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "minecarbon/carbon/rothc.h"
#include "minecarbon/carbon/rothc_input.h"
#include "test_rothc_support.h"

namespace mc = minecarbon::carbon;
using rothc_test::MaxDiff;
using rothc_test::Table;

namespace {

using MonthField = std::function<double(const mc::RothCMonthRecord&)>;
using YearField = std::function<double(const mc::RothCYearRecord&)>;

// Full-precision ports agree with a double implementation to ~1e-12 (docs/rothc_checks.md §1).
constexpr double kFullPrecisionTol = 1e-9;
// Fortran prints 4 decimals and uses single-precision literals (≤ 7e-6 t C/ha): 5e-5 + 7e-6.
constexpr double kFourDecimalTol = 1e-4;
// 2-decimal columns (SMD, deltaC): half a unit of the last digit plus the same slack.
constexpr double kTwoDecimalTol = 0.005 + 1e-4;

const std::vector<std::pair<std::string, MonthField>> kPoolMonthFields = {
    {"DPM", [](const mc::RothCMonthRecord& r) { return r.pools.dpm_tC_ha; }},
    {"RPM", [](const mc::RothCMonthRecord& r) { return r.pools.rpm_tC_ha; }},
    {"BIO", [](const mc::RothCMonthRecord& r) { return r.pools.bio_tC_ha; }},
    {"HUM", [](const mc::RothCMonthRecord& r) { return r.pools.hum_tC_ha; }},
    {"IOM", [](const mc::RothCMonthRecord& r) { return r.pools.iom_tC_ha; }},
    {"SOC", [](const mc::RothCMonthRecord& r) { return r.pools.soc_tC_ha(); }},
};

double pool_of(const mc::RothCPools& p, const std::string& name) {
  if (name == "DPM") return p.dpm_tC_ha;
  if (name == "RPM") return p.rpm_tC_ha;
  if (name == "BIO") return p.bio_tC_ha;
  if (name == "HUM") return p.hum_tC_ha;
  if (name == "IOM") return p.iom_tC_ha;
  return p.soc_tC_ha();
}

// Column names of the pools in each file family.
std::string pool_column(const std::string& pool, bool r_names) {
  if (r_names && pool == "BIO") return "Bio_t_C_ha";
  if (r_names && pool == "HUM") return "Hum_t_C_ha";
  return pool + "_t_C_ha";
}

struct Comparison {
  explicit Comparison(std::string l) : label(std::move(l)) {}
  std::string label;
  MaxDiff pools, other;
  int compared = 0;
};

void print(const Comparison& c) {
  std::printf(
      "[ reference ] %-34s pools/SOC max |diff| %.3g (%s); other columns %.3g (%s); %d "
      "values\n",
      c.label.c_str(), c.pools.value, c.pools.where.c_str(), c.other.value, c.other.where.c_str(),
      c.compared);
}

// Compares monthly records with table rows starting at `first_row`.
void compare_months(const std::vector<mc::RothCMonthRecord>& months, const Table& table,
                    std::size_t first_row, bool r_names,
                    const std::vector<std::pair<std::string, MonthField>>& other_fields,
                    double pool_tol, double other_tol, Comparison& out) {
  ASSERT_EQ(table.rows.size() - first_row, months.size()) << out.label;
  for (std::size_t i = 0; i < months.size(); ++i) {
    const std::size_t row = first_row + i;
    const mc::RothCMonthRecord& rec = months[i];
    const std::string where = "row " + std::to_string(row + 2);
    ASSERT_EQ(table.at(row, "Year"), rec.year) << out.label << " " << where;
    ASSERT_EQ(table.at(row, "Month"), rec.month) << out.label << " " << where;
    for (const auto& [pool, field] : kPoolMonthFields) {
      const double expected = table.at(row, pool_column(pool, r_names));
      EXPECT_NEAR(field(rec), expected, pool_tol) << out.label << " " << where << " " << pool;
      out.pools.add(field(rec), expected, where + " " + pool);
      ++out.compared;
    }
    for (const auto& [column, field] : other_fields) {
      const double expected = table.at(row, column);
      EXPECT_NEAR(field(rec), expected, other_tol) << out.label << " " << where << " " << column;
      out.other.add(field(rec), expected, where + " " + column);
      ++out.compared;
    }
  }
}

void compare_years(const std::vector<mc::RothCYearRecord>& years, const Table& table,
                   std::size_t first_row, bool r_names, bool has_co2, double pool_tol,
                   double delta_tol, Comparison& out) {
  ASSERT_EQ(table.rows.size() - first_row, years.size()) << out.label;
  for (std::size_t i = 0; i < years.size(); ++i) {
    const std::size_t row = first_row + i;
    const mc::RothCYearRecord& rec = years[i];
    const std::string where = "year row " + std::to_string(row + 2);
    ASSERT_EQ(table.at(row, "Year"), rec.year) << out.label << " " << where;
    ASSERT_EQ(table.at(row, "Month"), 12) << out.label << " " << where;
    for (const std::string pool : {"DPM", "RPM", "BIO", "HUM", "IOM", "SOC"}) {
      const double expected = table.at(row, pool_column(pool, r_names));
      EXPECT_NEAR(pool_of(rec.pools, pool), expected, pool_tol) << out.label << " " << where;
      out.pools.add(pool_of(rec.pools, pool), expected, where + " " + pool);
      ++out.compared;
    }
    if (has_co2) {
      EXPECT_NEAR(rec.co2_cum_tC_ha, table.at(row, "CO2_t_C_ha"), pool_tol) << out.label << where;
      out.pools.add(rec.co2_cum_tC_ha, table.at(row, "CO2_t_C_ha"), where + " CO2");
      ++out.compared;
    }
    EXPECT_NEAR(rec.delta14c_permil, table.at(row, "deltaC"), delta_tol) << out.label << where;
    out.other.add(rec.delta14c_permil, table.at(row, "deltaC"), where + " deltaC");
    ++out.compared;
  }
}

// The spin-up row of a year_results table: month count exactly, pools, SOC, deltaC.
void compare_spin_up(const mc::RothCSpinUp& spin, const Table& table, std::size_t row, bool r_names,
                     double pool_tol, double delta_tol, Comparison& out) {
  EXPECT_EQ(table.at(row, "Year"), 1);
  EXPECT_EQ(spin.months, static_cast<int>(table.at(row, "Month"))) << out.label;
  for (const std::string pool : {"DPM", "RPM", "BIO", "HUM", "IOM", "SOC"}) {
    const double expected = table.at(row, pool_column(pool, r_names));
    EXPECT_NEAR(pool_of(spin.state.pools, pool), expected, pool_tol) << out.label << " " << pool;
    out.pools.add(pool_of(spin.state.pools, pool), expected, "spin-up " + pool);
    ++out.compared;
  }
  EXPECT_NEAR(spin.delta14c_permil, table.at(row, "deltaC"), delta_tol) << out.label;
  out.other.add(spin.delta14c_permil, table.at(row, "deltaC"), "spin-up deltaC");
  ++out.compared;
}

mc::RothCSimulation simulate_file(const std::string& relative) {
  const mc::RothCInputFile file = mc::read_rothc_input_file(rothc_test::data_path(relative));
  return mc::simulate_rothc(file.input, mc::SpinUpMethod::official_loop);
}

MonthField month_field(double mc::RothCMonthRecord::*member) {
  return [member](const mc::RothCMonthRecord& r) { return r.*member; };
}

}  // namespace

TEST(RothCReference, MatchesOfficialRPortV2FullPrecision) {
  const mc::RothCSimulation sim = simulate_file("RothC_R_v2.0.0/RothC_input.dat");
  Comparison cmp("R v2.0.0 (full precision)");
  const Table year =
      rothc_test::read_table(rothc_test::data_path("RothC_R_v2.0.0/year_results.out"));
  compare_spin_up(sim.spin_up, year, 0, true, kFullPrecisionTol, kFullPrecisionTol, cmp);
  EXPECT_EQ(sim.spin_up.months, 20916);
  compare_years(sim.run.yearly, year, 1, true, true, kFullPrecisionTol, kFullPrecisionTol, cmp);

  const Table month =
      rothc_test::read_table(rothc_test::data_path("RothC_R_v2.0.0/month_results.out"));
  const std::vector<std::pair<std::string, MonthField>> other = {
      {"RM_Temp", month_field(&mc::RothCMonthRecord::rm_temp)},
      {"SMD_mm", month_field(&mc::RothCMonthRecord::smd_mm)},
      {"RM_Moist", month_field(&mc::RothCMonthRecord::rm_moist)},
      {"RM_PC", month_field(&mc::RothCMonthRecord::rm_cover)},
      {"CO2_t_C_ha", month_field(&mc::RothCMonthRecord::co2_cum_tC_ha)},
  };
  compare_months(sim.run.monthly, month, 0, true, other, kFullPrecisionTol, kFullPrecisionTol, cmp);
  print(cmp);
}

TEST(RothCReference, MatchesOfficialPythonPortV1FullPrecision) {
  const mc::RothCSimulation sim = simulate_file("RothC_Py_v1.0.0/RothC_input.dat");
  Comparison cmp("Python v1.0.0 (full precision)");
  const Table year =
      rothc_test::read_table(rothc_test::data_path("RothC_Py_v1.0.0/year_results.csv"));
  compare_spin_up(sim.spin_up, year, 0, false, kFullPrecisionTol, kFullPrecisionTol, cmp);
  EXPECT_EQ(sim.spin_up.months, 19872);
  compare_years(sim.run.yearly, year, 1, false, false, kFullPrecisionTol, kFullPrecisionTol, cmp);

  const Table month =
      rothc_test::read_table(rothc_test::data_path("RothC_Py_v1.0.0/month_results.csv"));
  compare_months(sim.run.monthly, month, 0, false,
                 {{"deltaC", month_field(&mc::RothCMonthRecord::delta14c_permil)}},
                 kFullPrecisionTol, kFullPrecisionTol, cmp);
  print(cmp);
}

namespace {

void check_fortran(const std::string& folder, bool v2, int spin_months) {
  const mc::RothCSimulation sim = simulate_file(folder + "/RothC_input.dat");
  Comparison cmp("Fortran " + folder + " (printed)");
  const Table year = rothc_test::read_table(rothc_test::data_path(folder + "/year_results.out"));
  // Row "0, 0": the initial state, only IOM, deltaC printed as the literal -998.02.
  EXPECT_EQ(year.at(0, "Year"), 0);
  EXPECT_NEAR(year.at(0, "IOM_t_C_ha"), sim.spin_up.state.pools.iom_tC_ha, kFourDecimalTol);
  EXPECT_NEAR(mc::delta14c_permil(mc::kIomAge_yr), year.at(0, "deltaC"), kTwoDecimalTol);
  compare_spin_up(sim.spin_up, year, 1, false, kFourDecimalTol, kTwoDecimalTol, cmp);
  EXPECT_EQ(sim.spin_up.months, spin_months);
  compare_years(sim.run.yearly, year, 2, false, v2, kFourDecimalTol, kTwoDecimalTol, cmp);

  const Table month = rothc_test::read_table(rothc_test::data_path(folder + "/month_results.out"));
  // Two pool-only rows first: the initial state and the state after the spin-up.
  EXPECT_EQ(static_cast<int>(month.at(1, "Month")), spin_months);
  EXPECT_NEAR(month.at(1, "SOC_t_C_ha"), sim.spin_up.state.pools.soc_tC_ha(), kFourDecimalTol);
  std::vector<std::pair<std::string, MonthField>> four = {
      {"RM_TMP", month_field(&mc::RothCMonthRecord::rm_temp)},
      {"RM_Moist", month_field(&mc::RothCMonthRecord::rm_moist)},
  };
  if (v2) four.push_back({"CO2_t_C_ha", month_field(&mc::RothCMonthRecord::co2_cum_tC_ha)});
  compare_months(sim.run.monthly, month, 2, false, four, kFourDecimalTol, kFourDecimalTol, cmp);
  const std::string smd_column = v2 ? "SMD_mm" : "SWC_mm";
  for (std::size_t i = 0; i < sim.run.monthly.size(); ++i) {
    const double expected = month.at(i + 2, smd_column);
    EXPECT_NEAR(sim.run.monthly[i].smd_mm, expected, kTwoDecimalTol) << "row " << i + 4;
    EXPECT_NEAR(sim.run.monthly[i].rm_cover, month.at(i + 2, "RM_PC"), 0.05 + 1e-9);
    cmp.other.add(sim.run.monthly[i].smd_mm, expected, "row " + std::to_string(i + 4) + " SMD");
  }
  print(cmp);
}

}  // namespace

TEST(RothCReference, MatchesOfficialFortranV2PrintedDigits) {
  check_fortran("RothC_Code_v2.0.0", true, 20916);
}

TEST(RothCReference, MatchesOfficialFortranV1PrintedDigits) {
  check_fortran("RothC_Code_v1.0.0", false, 19872);
}

TEST(RothCReference, RAndFortranInputsOfV2ParseToTheSameModelInput) {
  const auto r = mc::read_rothc_input_file(rothc_test::data_path("RothC_R_v2.0.0/RothC_input.dat"));
  const auto f =
      mc::read_rothc_input_file(rothc_test::data_path("RothC_Code_v2.0.0/RothC_input.dat"));
  ASSERT_EQ(r.input.months.size(), f.input.months.size());
  EXPECT_EQ(r.input.site.clay_pct, f.input.site.clay_pct);
  for (std::size_t i = 0; i < r.input.months.size(); ++i) {
    EXPECT_EQ(r.input.months[i].rain_mm, f.input.months[i].rain_mm);
    EXPECT_EQ(r.input.months[i].plant_input_tC_ha, f.input.months[i].plant_input_tC_ha);
  }
}
