// Stem volume equations and the shipped volume table.
// Oracles: the published Chinese fir two-way volume table (杉木立木二元材积表, LY 208-1977 equation
// printed above it; copy at zhidaotian.com/kepu/90244935), whose cells are rounded to 3 decimals;
// the checks D = 20 cm, H = 15.5 m -> 0.256 m³ (DB51/T 1466-2012) and 0.205 m³ (DB51/T 1467-2012)
// quoted with those rows; the form-factor identity worked by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <sstream>

#include "minecarbon/carbon/volume.h"
#include "minecarbon/core/errors.h"

namespace minecarbon::carbon {
namespace {

CsvText csv_of(const std::string& text) {
  std::istringstream in(text);
  return parse_csv(in, "volumes.csv");
}

VolumeEquationTable shipped_table() {
  VolumeEquationTable table;
  table.add(read_csv_file(std::string(MC_SOURCE_DIR) + "/data/volume_equations.csv"));
  return table;
}

const char* kHeader = "species,form,a,b,c,form_factor,dbh_min_cm,dbh_max_cm,source,status\n";

TEST(Volume, NonPositiveDiameterOrHeightGivesNaN) {
  VolumeEquation eq;
  eq.a = 1e-4;
  eq.b = 2;
  eq.c = 1;
  EXPECT_TRUE(std::isnan(stem_volume_m3(eq, 0.0, 10.0)));
  EXPECT_TRUE(std::isnan(stem_volume_m3(eq, -3.0, 10.0)));
  EXPECT_TRUE(std::isnan(stem_volume_m3(eq, 10.0, 0.0)));
}

TEST(Volume, TableWithoutSourceColumnIsRefused) {
  VolumeEquationTable table;
  try {
    table.add(csv_of("species,form,a,b,c,form_factor\nX,power,1,2,1,\n"));
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("'source'"), std::string::npos) << e.what();
  }
}

TEST(Volume, RowWithEmptySourceIsRefusedWithItsLine) {
  VolumeEquationTable table;
  try {
    table.add(csv_of(std::string(kHeader) + "X,power,1e-4,2,1,,,,,\n"));
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("volumes.csv:2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("source"), std::string::npos) << e.what();
  }
}

TEST(Volume, UnknownFormListsTheChoices) {
  VolumeEquationTable table;
  try {
    table.add(csv_of(std::string(kHeader) + "X,cubic,1e-4,2,1,,,,paper,\n"));
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("power, form_factor"), std::string::npos) << e.what();
  }
}

TEST(Volume, LaterTableOverridesAndDefaultRowCatchesTheRest) {
  VolumeEquationTable table;
  table.add(csv_of(std::string(kHeader) + "A,power,1e-4,2,1,,,,first,\n"));
  table.add(csv_of(std::string(kHeader) + "A,power,2e-4,2,1,,,,second,\n*,form_factor,,,,0.5,,,"
                                          "default,\n"));
  ASSERT_NE(table.find("A"), nullptr);
  EXPECT_EQ(table.find("A")->source, "second");
  EXPECT_EQ(table.find("B"), nullptr);
  ASSERT_NE(table.find_or_default("B"), nullptr);
  EXPECT_EQ(table.find_or_default("B")->key, "*");
}

// Worked by hand: V = f · π/4 · (D/100)² · H = 0.5 · π/4 · 0.2² · 15 = 0.075 π = 0.2356194 m³.
TEST(Volume, FormFactorByHand) {
  VolumeEquation eq;
  eq.form = VolumeForm::form_factor;
  eq.form_factor = 0.5;
  EXPECT_NEAR(stem_volume_m3(eq, 20.0, 15.0), 0.075 * std::numbers::pi, 1e-12);
}

// The published Chinese fir table (cells rounded to 0.001 m³): D 4 cm, H 3 m -> 0.002;
// D 10, H 3 -> 0.015; D 10, H 5 -> 0.023; D 15, H 7.5 -> 0.074.
TEST(Volume, ChineseFirReproducesThePublishedTable) {
  const VolumeEquationTable table = shipped_table();
  const VolumeEquation* eq = table.find("Cunninghamia lanceolata");
  ASSERT_NE(eq, nullptr);
  EXPECT_NEAR(stem_volume_m3(*eq, 4.0, 3.0), 0.002, 5e-4);
  EXPECT_NEAR(stem_volume_m3(*eq, 10.0, 3.0), 0.015, 5e-4);
  EXPECT_NEAR(stem_volume_m3(*eq, 10.0, 5.0), 0.023, 5e-4);
  EXPECT_NEAR(stem_volume_m3(*eq, 15.0, 7.5), 0.074, 5e-4);
}

TEST(Volume, SichuanRowsReproduceTheirStandardChecks) {
  const VolumeEquationTable table = shipped_table();
  ASSERT_NE(table.find("Pinus massoniana"), nullptr);
  ASSERT_NE(table.find("Cupressus funebris"), nullptr);
  EXPECT_NEAR(stem_volume_m3(*table.find("Pinus massoniana"), 20.0, 15.5), 0.256, 5e-4);
  EXPECT_NEAR(stem_volume_m3(*table.find("Cupressus funebris"), 20.0, 15.5), 0.205, 5e-4);
}

TEST(Volume, ShippedTableHasASourceOnEveryRowAndNoDefault) {
  const VolumeEquationTable table = shipped_table();
  EXPECT_EQ(table.find("*"), nullptr) << "a shipped default would hide species without equation";
  for (const char* key : {"Cunninghamia lanceolata", "Pinus massoniana", "Cupressus funebris"}) {
    ASSERT_NE(table.find(key), nullptr) << key;
    EXPECT_FALSE(table.find(key)->source.empty()) << key;
    EXPECT_FALSE(table.find(key)->status.empty()) << key;
  }
}

}  // namespace
}  // namespace minecarbon::carbon
