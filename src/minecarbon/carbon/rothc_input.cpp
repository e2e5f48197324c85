#include "minecarbon/carbon/rothc_input.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "minecarbon/carbon/rothc.h"
#include "minecarbon/core/errors.h"

namespace minecarbon::carbon {
namespace {

constexpr std::size_t kRowFields = 10;
constexpr const char* kRowColumns = "year month modern Tmp Rain Evap C_inp FYM PC DPM_RPM";

struct Layout {
  int options_line = 0;  // 0: no options line (v1)
  int soil_line = 0;
  int first_row_line = 0;
};

constexpr Layout kV1{0, 5, 8};
constexpr Layout kV2{5, 8, 11};

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t pos = 0;
  const auto is_sep = [](char c) {
    return c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\v' || c == '\f';
  };
  while (pos < line.size()) {
    while (pos < line.size() && is_sep(line[pos]))
      ++pos;
    const std::size_t start = pos;
    while (pos < line.size() && !is_sep(line[pos]))
      ++pos;
    if (pos > start) fields.push_back(line.substr(start, pos - start));
  }
  return fields;
}

class Reader {
 public:
  Reader(std::string_view source, std::vector<std::string> lines)
      : source_(source), lines_(std::move(lines)) {}

  [[noreturn]] void fail(int line, const std::string& message) const {
    throw DataError(source_ + ":" + std::to_string(line) + ": " + message);
  }

  // The fields of 1-based line `line`, which must exist.
  std::vector<std::string_view> fields(int line, std::string_view expected) const {
    if (line > static_cast<int>(lines_.size())) {
      throw DataError(source_ + ": the file ends after line " + std::to_string(lines_.size()) +
                      "; expected " + std::string(expected) + " on line " + std::to_string(line) +
                      "; check that this is a RothC_input.dat with its header lines");
    }
    return split_fields(lines_[line - 1]);
  }

  double number(int line, std::string_view token, std::string_view field,
                std::string_view meaning) const {
    double value = 0.0;
    const char* first = token.data();
    const char* last = token.data() + token.size();
    if (!token.empty() && *first == '+') ++first;
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || ptr != last || !std::isfinite(value)) {
      fail(line, std::string(field) + " = '" + std::string(token) + "': not a finite number (" +
                     std::string(meaning) + "); write a number there (no NA or blanks)");
    }
    return value;
  }

  int integer(int line, std::string_view token, std::string_view field,
              std::string_view meaning) const {
    int value = 0;
    const char* first = token.data();
    const char* last = token.data() + token.size();
    if (!token.empty() && *first == '+') ++first;
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || ptr != last) {
      fail(line, std::string(field) + " = '" + std::string(token) + "': not an integer (" +
                     std::string(meaning) + "); write a whole number there");
    }
    return value;
  }

  int line_count() const { return static_cast<int>(lines_.size()); }
  const std::string& line_text(int line) const { return lines_[line - 1]; }
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::vector<std::string> lines_;
};

RothCInputLayout detect_layout(const Reader& reader) {
  const auto fields = reader.fields(5, "the options line (v2.0.0) or the soil line (v1.0.0)");
  if (fields.size() == 2) return RothCInputLayout::v2;
  if (fields.size() == 4) return RothCInputLayout::v1;
  reader.fail(5, "found " + std::to_string(fields.size()) +
                     " values; expected 2 (opt_RMmoist opt_SMDbare: v2.0.0 layout) or 4 (clay "
                     "depth iom nsteps: v1.0.0 layout); fix line 5 or pass the layout");
}

void read_options(const Reader& reader, int line, RothCSite& site) {
  const auto f = reader.fields(line, "opt_RMmoist opt_SMDbare");
  if (f.size() != 2) {
    reader.fail(line, "found " + std::to_string(f.size()) +
                          " values; expected 2 (opt_RMmoist opt_SMDbare), e.g. '1 1' for "
                          "standard RothC");
  }
  const int moisture = reader.integer(line, f[0], "opt_RMmoist", "moisture option 1, 2 or 3");
  if (moisture < 1 || moisture > 3) {
    reader.fail(line, "opt_RMmoist = " + std::to_string(moisture) +
                          ": must be 1, 2 or 3 (1 standard RothC; 2, 3 van Genuchten, Farina "
                          "et al. 2013); use 1 for standard RothC");
  }
  const int bare = reader.integer(line, f[1], "opt_SMDbare", "bare-soil option 1 or 2");
  if (bare < 1 || bare > 2) {
    reader.fail(line, "opt_SMDbare = " + std::to_string(bare) +
                          ": must be 1 or 2 (1 standard RothC, 2 bare soil dries to wilting "
                          "point); use 1 for standard RothC");
  }
  site.moisture_option = static_cast<MoistureOption>(moisture);
  site.bare_soil_option = static_cast<BareSoilOption>(bare);
}

// Returns nsteps.
int read_soil(const Reader& reader, int line, RothCInputLayout layout, RothCSite& site) {
  const bool van_genuchten = site.moisture_option != MoistureOption::standard;
  const auto f = reader.fields(line, "the soil line (clay depth iom nsteps ...)");
  const std::size_t needed = van_genuchten ? 8 : 4;
  const bool v2 = layout == RothCInputLayout::v2;
  if (f.size() < needed || (!v2 && f.size() != 4) || (v2 && f.size() != 4 && f.size() != 8)) {
    std::string expected = van_genuchten
                               ? "8 (clay depth iom nsteps silt BD OC minRM_Moist; opt_RMmoist " +
                                     std::to_string(static_cast<int>(site.moisture_option)) +
                                     " needs the last four)"
                               : (v2 ? "4 or 8 (clay depth iom nsteps [silt BD OC minRM_Moist])"
                                     : "4 (clay depth iom nsteps)");
    reader.fail(line, "found " + std::to_string(f.size()) + " values; expected " + expected +
                          "; complete the soil line");
  }
  site.clay_pct = reader.number(line, f[0], "clay", "clay content, %");
  site.depth_cm = reader.number(line, f[1], "depth", "topsoil layer thickness, cm");
  site.iom_tC_ha = reader.number(line, f[2], "iom", "inert organic matter, t C/ha");
  const int nsteps = reader.integer(line, f[3], "nsteps", "number of monthly rows");
  if (van_genuchten) {
    site.silt_pct = reader.number(line, f[4], "silt", "silt content, %");
    site.bd_g_cm3 = reader.number(line, f[5], "BD", "bulk density, g/cm3");
    site.oc_pct = reader.number(line, f[6], "OC", "organic carbon, %");
    site.min_rm_moist = reader.number(line, f[7], "minRM_Moist", "smallest moisture factor");
  }
  try {
    validate_site(site);
  } catch (const DataError& e) {
    reader.fail(line, e.what());
  }
  if (nsteps < kRothCMonthsPerYear || nsteps % kRothCMonthsPerYear != 0) {
    reader.fail(line, "nsteps = " + std::to_string(nsteps) +
                          ": must be a multiple of 12 and at least 12 (whole years of monthly "
                          "rows, January to December; the first 12 are the spin-up year); make "
                          "the rows whole years and set nsteps to their number");
  }
  return nsteps;
}

RothCMonth read_row(const Reader& reader, int line, int row) {
  const auto f = reader.fields(line, "a monthly row");
  if (f.size() != kRowFields) {
    reader.fail(line, "monthly row " + std::to_string(row) + " has " + std::to_string(f.size()) +
                          " values; expected 10 (" + kRowColumns + "); " +
                          (f.size() < kRowFields ? "a value is missing: fill it in"
                                                 : "remove the extra values"));
  }
  RothCMonth m;
  m.year = reader.integer(line, f[0], "year", "calendar year");
  m.month = reader.integer(line, f[1], "month", "calendar month 1..12");
  m.modern_pct = reader.number(line, f[2], "modern", "14C of the C inputs, % modern");
  m.temp_C = reader.number(line, f[3], "Tmp", "mean air temperature, deg C");
  m.rain_mm = reader.number(line, f[4], "Rain", "monthly rainfall, mm");
  m.pan_evap_mm = reader.number(line, f[5], "Evap", "monthly open-pan evaporation, mm");
  m.plant_input_tC_ha = reader.number(line, f[6], "C_inp", "plant C input, t C/ha");
  m.fym_tC_ha = reader.number(line, f[7], "FYM", "farmyard manure C input, t C/ha");
  m.plant_cover = reader.integer(line, f[8], "PC", "plant cover, 1 vegetated or 0 bare");
  m.dpm_rpm_ratio = reader.number(line, f[9], "DPM_RPM", "DPM/RPM ratio of the plant input");
  const std::string problem = month_problem(m);
  if (!problem.empty()) {
    reader.fail(line, "monthly row " + std::to_string(row) + " (year " + std::to_string(m.year) +
                          ", month " + std::to_string(m.month) + "): " + problem +
                          "; correct the value in the file");
  }
  return m;
}

bool blank(const std::string& line) {
  return line.find_first_not_of(" \t\r\v\f,") == std::string::npos;
}

}  // namespace

RothCInputFile parse_rothc_input(std::istream& in, std::string_view source_name,
                                 RothCInputLayout layout) {
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(std::move(line));
  const Reader reader(source_name, std::move(lines));

  RothCInputFile file;
  file.layout = layout == RothCInputLayout::automatic ? detect_layout(reader) : layout;
  const Layout& where = file.layout == RothCInputLayout::v2 ? kV2 : kV1;
  RothCSite& site = file.input.site;
  if (where.options_line > 0) read_options(reader, where.options_line, site);
  const int nsteps = read_soil(reader, where.soil_line, file.layout, site);

  std::vector<RothCMonth>& months = file.input.months;
  // nsteps comes from the file: reserve no more rows than the file has lines for (nsteps =
  // 2147483640 asked for 171 GB before the row count was checked; found by fuzz/).
  months.reserve(static_cast<std::size_t>(
      std::clamp(reader.line_count() - where.first_row_line + 1, 0, nsteps)));
  int last_row_line = where.first_row_line - 1;
  for (int line = where.first_row_line; line <= reader.line_count(); ++line) {
    if (blank(reader.line_text(line))) continue;
    const int row = static_cast<int>(months.size()) + 1;
    if (row > nsteps) {
      reader.fail(line, "monthly row " + std::to_string(row) + " is beyond nsteps = " +
                            std::to_string(nsteps) + " (line " + std::to_string(where.soil_line) +
                            "); set nsteps to the number of rows or delete the extra rows");
    }
    months.push_back(read_row(reader, line, row));
    last_row_line = line;
  }
  if (static_cast<int>(months.size()) < nsteps) {
    throw DataError(reader.source() + ":" + std::to_string(last_row_line) +
                    ": the file ends after " + std::to_string(months.size()) +
                    " monthly rows, but nsteps = " + std::to_string(nsteps) + " (line " +
                    std::to_string(where.soil_line) + "); add the missing rows or set nsteps to " +
                    std::to_string(months.size()));
  }
  return file;
}

RothCInputFile parse_rothc_input_text(std::string_view text, std::string_view source_name,
                                      RothCInputLayout layout) {
  std::istringstream in{std::string(text)};
  return parse_rothc_input(in, source_name, layout);
}

RothCInputFile read_rothc_input_file(const std::string& path, RothCInputLayout layout) {
  std::ifstream in(path);
  if (!in) {
    throw DataError(path + ": cannot open the RothC input file (" + std::strerror(errno) +
                    "); check the path");
  }
  return parse_rothc_input(in, path, layout);
}

}  // namespace minecarbon::carbon
