#include "minecarbon/carbon/volume.h"

#include <cmath>
#include <numbers>
#include <set>

#include "minecarbon/core/errors.h"

namespace minecarbon::carbon {
namespace {

constexpr double kCmPerM = 100.0;

std::string trimmed(std::string text) {
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  return text;
}

}  // namespace

std::string FactorRow::where() const {
  return csv_.source + ":" + std::to_string(csv_.line_numbers.at(row_));
}

std::string FactorRow::text(const std::string& column) const {
  if (!csv_.has_column(column)) return {};
  return trimmed(csv_.rows.at(row_).at(csv_.column(column)));
}

double FactorRow::number(const std::string& column) const {
  if (!csv_.has_column(column)) return std::numeric_limits<double>::quiet_NaN();
  return csv_.number(row_, csv_.column(column));
}

double FactorRow::required_number(const std::string& column, const std::string& expected) const {
  const double value = number(column);
  if (std::isnan(value)) fail(column, "is empty; expected " + expected);
  return value;
}

void FactorRow::fail(const std::string& column, const std::string& problem) const {
  const std::string value = text(column);
  throw DataError(where() + ": " + column + (value.empty() ? "" : " = '" + value + "'") + " " +
                  problem);
}

void require_columns(const CsvText& csv, const std::vector<std::string>& columns,
                     const std::string& what) {
  for (const auto& column : columns) {
    if (csv.has_column(column)) continue;
    std::string have;
    for (const auto& h : csv.header)
      have += (have.empty() ? "" : ", ") + h;
    throw DataError(csv.source + ": " + what + " table has no column '" + column +
                    "' (columns are: " + have + "); every " + what + " table needs " + [&] {
                      std::string list;
                      for (const auto& c : columns)
                        list += (list.empty() ? "" : ", ") + c;
                      return list;
                    }());
  }
}

std::string_view to_string(VolumeForm form) {
  return form == VolumeForm::power ? "power" : "form_factor";
}

std::string volume_form_choices() {
  return "power, form_factor";
}

double stem_volume_m3(const VolumeEquation& equation, double dbh_cm, double height_m) {
  if (!(dbh_cm > 0) || !(height_m > 0)) return std::numeric_limits<double>::quiet_NaN();
  if (equation.form == VolumeForm::power)
    return equation.a * std::pow(dbh_cm, equation.b) * std::pow(height_m, equation.c);
  const double d_m = dbh_cm / kCmPerM;
  const double basal_area_m2 = std::numbers::pi / 4.0 * d_m * d_m;
  return equation.form_factor * basal_area_m2 * height_m;
}

bool in_range(const VolumeEquation& equation, double dbh_cm) {
  return dbh_cm >= equation.dbh_min_cm && dbh_cm <= equation.dbh_max_cm;
}

void VolumeEquationTable::add(const CsvText& csv) {
  require_columns(csv, {"species", "form", "a", "b", "c", "form_factor", "source"},
                  "volume equation");
  std::set<std::string> seen;
  for (std::size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
    const FactorRow row(csv, row_idx);
    VolumeEquation eq;
    eq.key = row.text("species");
    eq.origin = row.where();
    if (eq.key.empty()) row.fail("species", "is empty; expected a species name or * (default)");
    if (!seen.insert(eq.key).second)
      row.fail("species", "appears twice in this table; keep one row per species");
    const std::string form = row.text("form");
    if (form == "power") {
      eq.form = VolumeForm::power;
      eq.a = row.required_number("a", "a coefficient > 0 (V = a D^b H^c)");
      eq.b = row.required_number("b", "the exponent of D (V = a D^b H^c)");
      eq.c = row.required_number("c", "the exponent of H (V = a D^b H^c; 0 for D only)");
      if (!(eq.a > 0)) row.fail("a", "must be > 0 (V = a D^b H^c, m3 with D in cm, H in m)");
    } else if (form == "form_factor") {
      eq.form = VolumeForm::form_factor;
      eq.form_factor = row.required_number("form_factor", "a form factor in (0, 1]");
      if (!(eq.form_factor > 0 && eq.form_factor <= 1))
        row.fail("form_factor", "must be in (0, 1] (V = f pi/4 (D/100)^2 H)");
    } else {
      row.fail("form", "is not a volume form; expected one of " + volume_form_choices());
    }
    const double d_min = row.number("dbh_min_cm"), d_max = row.number("dbh_max_cm");
    if (!std::isnan(d_min)) eq.dbh_min_cm = d_min;
    if (!std::isnan(d_max)) eq.dbh_max_cm = d_max;
    if (!(eq.dbh_min_cm <= eq.dbh_max_cm))
      row.fail("dbh_max_cm", "must be >= dbh_min_cm (validity range of the equation, cm)");
    eq.source = row.text("source");
    if (eq.source.empty())
      row.fail("source", "is empty; every row needs the source of its coefficients");
    eq.status = row.text("status");
    rows_[eq.key] = std::move(eq);
  }
  files_.push_back(csv.source);
}

const VolumeEquation* VolumeEquationTable::find(const std::string& key) const {
  const auto it = rows_.find(key);
  return it == rows_.end() ? nullptr : &it->second;
}

const VolumeEquation* VolumeEquationTable::find_or_default(const std::string& key) const {
  if (const VolumeEquation* eq = find(key)) return eq;
  return find("*");
}

std::string VolumeEquationTable::files() const {
  std::string out;
  for (const auto& f : files_)
    out += (out.empty() ? "" : ", ") + f;
  return out;
}

}  // namespace minecarbon::carbon
