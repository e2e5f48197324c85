// Tables that fuzz/fuzz_soil_tables found to break the soil stage's table readers, each now a
// clean DataError naming the file, line and column (fuzz/README.md tells how they were found).
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "minecarbon/assess/soil.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"

namespace assess = minecarbon::assess;
using minecarbon::CsvText;

namespace {

CsvText csv_of(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  return minecarbon::parse_csv(in, name);
}

// Twelve months of climate; `plant_cover` is the value of the fourth month's plant_cover.
std::string climate_csv(const std::string& plant_cover) {
  std::string text = "climate_id,month,temp_C,rain_mm,pan_evap_mm,plant_cover\n";
  for (int month = 1; month <= 12; ++month) {
    text += "S1," + std::to_string(month) + ",10,60,30," + (month == 4 ? plant_cover : "1") + "\n";
  }
  return text;
}

// One year of monthly forcing; `column` of the third month is replaced by `value`.
std::string months_csv(const std::string& column, const std::string& value) {
  std::string text = "year,month,temp_C,rain_mm,pan_evap_mm,plant_cover\n";
  for (int month = 1; month <= 12; ++month) {
    std::string year = "2001", m = std::to_string(month), cover = "1";
    if (month == 3) (column == "year" ? year : column == "month" ? m : cover) = value;
    text += year + "," + m + ",10,60,30," + cover + "\n";
  }
  return text;
}

std::string months_message(const std::string& column, const std::string& value) {
  try {
    (void)assess::rothc_months_from_csv(csv_of(months_csv(column, value), "months.csv"));
  } catch (const minecarbon::DataError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(SoilTablesFuzzRegressions, ValidTablesAreReadAsBefore) {
  const CsvText sites = csv_of("site_id,clay_pct,plant_input_tC_ha_yr\nS1,20,2\n", "sites.csv");
  EXPECT_EQ(assess::batch_sites_from_csv(sites, csv_of(climate_csv("0"), "climate.csv")).size(),
            1u);
  EXPECT_EQ(assess::rothc_months_from_csv(csv_of(months_csv("year", "2001"), "m.csv")).size(), 12u);
}

// plant_cover = 1e48 was cast to int: undefined behaviour (UBSan under the fuzzer; on x86 it
// happened to become INT_MIN and be refused with a message about the cast value, not the cell).
TEST(SoilTablesFuzzRegressions, HugePlantCoverInClimateIsADataErrorNamingTheCell) {
  const CsvText sites = csv_of("site_id,clay_pct,plant_input_tC_ha_yr\nS1,20,2\n", "sites.csv");
  try {
    (void)assess::batch_sites_from_csv(sites, csv_of(climate_csv("1e48"), "climate.csv"));
    FAIL() << "no error";
  } catch (const minecarbon::DataError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "climate.csv:5: plant_cover = 1e+48: expected 1 (vegetated) or 0 (bare)"),
              std::string::npos)
        << e.what();
  }
}

TEST(SoilTablesFuzzRegressions, OutOfRangeWholeNumbersInMonthlyForcingAreDataErrors) {
  EXPECT_NE(months_message("year", "1e10")
                .find("months.csv:4: year = 10000000000: expected a calendar "
                      "year"),
            std::string::npos)
      << months_message("year", "1e10");
  EXPECT_NE(months_message("month", "-1e300").find("months.csv:4: month = -1e+300: expected 1-12"),
            std::string::npos)
      << months_message("month", "-1e300");
  EXPECT_NE(months_message("plant_cover", "inf").find("months.csv:4: plant_cover = inf"),
            std::string::npos)
      << months_message("plant_cover", "inf");
}
