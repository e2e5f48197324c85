// Reader of the official RothC_input.dat: both layouts of the official examples, then one test
// per kind of bad input, each checking that the message names the line, the field and the fix.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "minecarbon/carbon/rothc_input.h"
#include "minecarbon/core/errors.h"
#include "test_rothc_support.h"

namespace mc = minecarbon::carbon;

namespace {

std::string v2_text() {
  return rothc_test::read_text(rothc_test::data_path("RothC_Code_v2.0.0/RothC_input.dat"));
}
std::string v1_text() {
  return rothc_test::read_text(rothc_test::data_path("RothC_Code_v1.0.0/RothC_input.dat"));
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines)
    out += l + "\n";
  return out;
}

// The text with 1-based line `line` replaced.
std::string with_line(const std::string& text, int line, const std::string& replacement) {
  std::vector<std::string> lines = lines_of(text);
  lines.at(line - 1) = replacement;
  return join(lines);
}

// The text with field `field` (0-based) of line `line` replaced.
std::string with_field(const std::string& text, int line, int field, const std::string& value) {
  std::vector<std::string> lines = lines_of(text);
  std::istringstream in(lines.at(line - 1));
  std::vector<std::string> fields;
  for (std::string f; in >> f;)
    fields.push_back(f);
  fields.at(field) = value;
  std::string joined;
  for (const std::string& f : fields)
    joined += (joined.empty() ? "" : "\t") + f;
  lines.at(line - 1) = joined;
  return join(lines);
}

// Parses `text` and returns the DataError message ("" if none was thrown).
std::string error_of(const std::string& text) {
  try {
    mc::parse_rothc_input_text(text, "in.dat");
  } catch (const minecarbon::DataError& e) {
    return e.what();
  }
  return "";
}

#define EXPECT_MESSAGE_HAS(message, part) \
  EXPECT_NE((message).find(part), std::string::npos) << "message: " << (message)

}  // namespace

// ---- valid files --------------------------------------------------------------------------------

TEST(RothCInput, ReadsTheV2ExampleLayout) {
  const mc::RothCInputFile file = mc::parse_rothc_input_text(v2_text());
  EXPECT_EQ(file.layout, mc::RothCInputLayout::v2);
  const mc::RothCSite& site = file.input.site;
  EXPECT_EQ(site.clay_pct, 23.4);
  EXPECT_EQ(site.depth_cm, 23.0);
  EXPECT_EQ(site.iom_tC_ha, 3.0041);
  EXPECT_EQ(site.moisture_option, mc::MoistureOption::standard);
  EXPECT_EQ(site.bare_soil_option, mc::BareSoilOption::standard);
  ASSERT_EQ(file.input.months.size(), 840u);
  const mc::RothCMonth& aug = file.input.months[7];  // "1 8 100 16.24 60.6 106.9 1.74 0 1 1.44"
  EXPECT_EQ(aug.year, 1);
  EXPECT_EQ(aug.month, 8);
  EXPECT_EQ(aug.modern_pct, 100.0);
  EXPECT_EQ(aug.temp_C, 16.24);
  EXPECT_EQ(aug.rain_mm, 60.6);
  EXPECT_EQ(aug.pan_evap_mm, 106.9);
  EXPECT_EQ(aug.plant_input_tC_ha, 1.74);
  EXPECT_EQ(aug.fym_tC_ha, 0.0);
  EXPECT_EQ(aug.plant_cover, 1);
  EXPECT_EQ(aug.dpm_rpm_ratio, 1.44);
  EXPECT_EQ(file.input.months.back().year, 2007);
  EXPECT_EQ(file.input.months[299].pan_evap_mm, -0.5);  // dew in the pan, Dec 1962: accepted
}

TEST(RothCInput, ReadsTheV1ExampleLayout) {
  const mc::RothCInputFile file = mc::parse_rothc_input_text(v1_text());
  EXPECT_EQ(file.layout, mc::RothCInputLayout::v1);
  EXPECT_EQ(file.input.site.clay_pct, 13.0);
  EXPECT_EQ(file.input.site.depth_cm, 25.0);
  EXPECT_EQ(file.input.months.size(), 840u);
}

TEST(RothCInput, ReadsVanGenuchtenSoilPropertiesWhenOptionAsksForThem) {
  const std::string text = with_line(v2_text(), 5, "2 2");
  const mc::RothCInputFile file = mc::parse_rothc_input_text(text);
  EXPECT_EQ(file.input.site.moisture_option, mc::MoistureOption::van_genuchten_drier);
  EXPECT_EQ(file.input.site.bare_soil_option, mc::BareSoilOption::wilting_point);
  EXPECT_EQ(file.input.site.silt_pct, 58.6);
  EXPECT_EQ(file.input.site.bd_g_cm3, 1.27);
  EXPECT_EQ(file.input.site.oc_pct, 0.94);
  EXPECT_EQ(file.input.site.min_rm_moist, 0.2);
}

TEST(RothCInput, CrlfLineEndingsAndTrailingBlankLinesAreAccepted) {
  std::string text = v2_text() + "\n\n";
  std::string crlf;
  for (char c : text)
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  const mc::RothCInputFile file = mc::parse_rothc_input_text(crlf);
  EXPECT_EQ(file.input.months.size(), 840u);
  EXPECT_EQ(file.input.months[7].dpm_rpm_ratio, 1.44);
}

TEST(RothCInput, ReadsAFileFromAPath) {
  const mc::RothCInputFile file =
      mc::read_rothc_input_file(rothc_test::data_path("RothC_Py_v1.0.0/RothC_input.dat"));
  EXPECT_EQ(file.input.months.size(), 840u);
}

// ---- bad input: one test each -----------------------------------------------------------------

TEST(RothCInput, MissingFileNamesThePath) {
  try {
    mc::read_rothc_input_file("/nonexistent/RothC_input.dat");
    FAIL();
  } catch (const minecarbon::DataError& e) {
    EXPECT_MESSAGE_HAS(std::string(e.what()), "/nonexistent/RothC_input.dat: cannot open");
  }
}

TEST(RothCInput, FileEndingInTheHeader) {
  const std::string msg = error_of("text\ntext\ntext\n");
  EXPECT_MESSAGE_HAS(msg, "in.dat: the file ends after line 3");
  EXPECT_MESSAGE_HAS(msg, "line 5");
}

TEST(RothCInput, LineFiveOfUnknownLayout) {
  const std::string msg = error_of(with_line(v2_text(), 5, "1 1 1"));
  EXPECT_MESSAGE_HAS(msg, "in.dat:5: found 3 values; expected 2 (opt_RMmoist opt_SMDbare");
}

TEST(RothCInput, NstepsLargerThanTheRows) {
  std::vector<std::string> lines = lines_of(v2_text());
  lines.resize(lines.size() - 12);
  const std::string msg = error_of(join(lines));
  EXPECT_MESSAGE_HAS(msg, "the file ends after 828 monthly rows, but nsteps = 840 (line 8)");
  EXPECT_MESSAGE_HAS(msg, "set nsteps to 828");
}

TEST(RothCInput, RowsBeyondNsteps) {
  const std::string msg = error_of(with_field(v2_text(), 8, 3, "828"));
  EXPECT_MESSAGE_HAS(msg, "in.dat:839: monthly row 829 is beyond nsteps = 828");
}

TEST(RothCInput, NstepsNotWholeYears) {
  const std::string msg = error_of(with_field(v2_text(), 8, 3, "830"));
  EXPECT_MESSAGE_HAS(msg, "in.dat:8: nsteps = 830: must be a multiple of 12");
}

TEST(RothCInput, NstepsShorterThanTheSpinUpYear) {
  const std::string msg = error_of(with_field(v2_text(), 8, 3, "0"));
  EXPECT_MESSAGE_HAS(msg, "nsteps = 0: must be a multiple of 12 and at least 12");
}

TEST(RothCInput, NstepsNotAnInteger) {
  const std::string msg = error_of(with_field(v2_text(), 8, 3, "840.5"));
  EXPECT_MESSAGE_HAS(msg, "in.dat:8: nsteps = '840.5': not an integer");
}

TEST(RothCInput, MissingValueInARow) {
  const std::string msg = error_of(with_line(v2_text(), 20, "1\t10\t100\t9.0\t70\t30\t0\t0\t1"));
  EXPECT_MESSAGE_HAS(msg, "in.dat:20: monthly row 10 has 9 values; expected 10 (year month");
  EXPECT_MESSAGE_HAS(msg, "a value is missing");
}

TEST(RothCInput, ExtraValueInARow) {
  const std::string msg =
      error_of(with_line(v2_text(), 20, "1\t10\t100\t9.0\t70\t30\t0\t0\t1\t1.44\t7"));
  EXPECT_MESSAGE_HAS(msg, "has 11 values; expected 10");
  EXPECT_MESSAGE_HAS(msg, "remove the extra values");
}

TEST(RothCInput, NonNumericValue) {
  const std::string msg = error_of(with_field(v2_text(), 25, 4, "NA"));
  EXPECT_MESSAGE_HAS(msg, "in.dat:25: Rain = 'NA': not a finite number (monthly rainfall, mm)");
}

TEST(RothCInput, NotANumberLiteral) {
  const std::string msg = error_of(with_field(v2_text(), 25, 3, "nan"));
  EXPECT_MESSAGE_HAS(msg, "Tmp = 'nan': not a finite number");
}

TEST(RothCInput, NegativeRain) {
  const std::string msg = error_of(with_field(v2_text(), 30, 4, "-3"));
  EXPECT_MESSAGE_HAS(msg,
                     "in.dat:30: monthly row 20 (year 1939, month 8): Rain = -3: must be >= 0");
  EXPECT_MESSAGE_HAS(msg, "correct the value in the file");
}

TEST(RothCInput, NegativePlantInput) {
  const std::string msg = error_of(with_field(v2_text(), 18, 6, "-1.74"));
  EXPECT_MESSAGE_HAS(msg, "C_inp = -1.74: must be >= 0 (plant C input, t C/ha)");
}

TEST(RothCInput, NegativeManure) {
  const std::string msg = error_of(with_field(v2_text(), 18, 7, "-2"));
  EXPECT_MESSAGE_HAS(msg, "FYM = -2: must be >= 0");
}

TEST(RothCInput, NegativeDpmRpmRatio) {
  const std::string msg = error_of(with_field(v2_text(), 18, 9, "-1.44"));
  EXPECT_MESSAGE_HAS(msg, "DPM_RPM = -1.44: must be >= 0");
}

TEST(RothCInput, ModernNotPositive) {
  const std::string msg = error_of(with_field(v2_text(), 18, 2, "0"));
  EXPECT_MESSAGE_HAS(msg, "modern = 0: must be > 0");
}

TEST(RothCInput, PlantCoverNotZeroOrOne) {
  const std::string msg = error_of(with_field(v2_text(), 18, 8, "2"));
  EXPECT_MESSAGE_HAS(msg, "in.dat:18: monthly row 8 (year 1, month 8): PC = 2: must be 0 or 1");
}

TEST(RothCInput, PlantCoverFractional) {
  const std::string msg = error_of(with_field(v2_text(), 18, 8, "0.5"));
  EXPECT_MESSAGE_HAS(msg, "PC = '0.5': not an integer");
}

TEST(RothCInput, MonthOutsideTheYear) {
  const std::string msg = error_of(with_field(v2_text(), 18, 1, "13"));
  EXPECT_MESSAGE_HAS(msg, "month = 13: must be in 1..12");
}

TEST(RothCInput, ClayAboveHundred) {
  const std::string msg = error_of(with_field(v2_text(), 8, 0, "123.4"));
  EXPECT_MESSAGE_HAS(msg,
                     "in.dat:8: RothC site: clay_pct = 123.4: must be in [0, 100] (clay "
                     "content, %)");
}

TEST(RothCInput, NegativeClay) {
  const std::string msg = error_of(with_field(v1_text(), 5, 0, "-1"));
  EXPECT_MESSAGE_HAS(msg, "in.dat:5: RothC site: clay_pct = -1: must be in [0, 100]");
}

TEST(RothCInput, DepthNotPositive) {
  const std::string msg = error_of(with_field(v2_text(), 8, 1, "0"));
  EXPECT_MESSAGE_HAS(msg, "depth_cm = 0: must be > 0 (thickness of the topsoil layer, cm)");
}

TEST(RothCInput, NegativeIom) {
  const std::string msg = error_of(with_field(v2_text(), 8, 2, "-3"));
  EXPECT_MESSAGE_HAS(msg, "iom_tC_ha = -3: must be >= 0");
  EXPECT_MESSAGE_HAS(msg, "iom_falloon_tC_ha");
}

TEST(RothCInput, UnknownMoistureOption) {
  const std::string msg = error_of(with_line(v2_text(), 5, "4 1"));
  EXPECT_MESSAGE_HAS(msg, "in.dat:5: opt_RMmoist = 4: must be 1, 2 or 3");
}

TEST(RothCInput, UnknownBareSoilOption) {
  const std::string msg = error_of(with_line(v2_text(), 5, "1 3"));
  EXPECT_MESSAGE_HAS(msg, "in.dat:5: opt_SMDbare = 3: must be 1 or 2");
}

TEST(RothCInput, VanGenuchtenOptionWithoutSoilProperties) {
  std::string text = with_line(v2_text(), 5, "3 1");
  text = with_line(text, 8, "23.4\t23.0\t3.0041\t840");
  const std::string msg = error_of(text);
  EXPECT_MESSAGE_HAS(msg,
                     "in.dat:8: found 4 values; expected 8 (clay depth iom nsteps silt BD "
                     "OC minRM_Moist; opt_RMmoist 3 needs the last four)");
}

TEST(RothCInput, VanGenuchtenOptionWithZeroBulkDensity) {
  std::string text = with_line(v2_text(), 5, "2 1");
  text = with_field(text, 8, 5, "0");
  const std::string msg = error_of(text);
  EXPECT_MESSAGE_HAS(msg, "in.dat:8: RothC site: bd_g_cm3 = 0: must be > 0");
}
