#include "minecarbon/rs/scaling.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"
#include "minecarbon/core/units.h"

namespace minecarbon::rs {

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string where(const MtlMetadata& mtl, std::string_view key) {
  const auto found = mtl.entries.find(key);
  std::string out = mtl.origin;
  if (found != mtl.entries.end()) out += ":" + std::to_string(found->second.line);
  return out + ": " + std::string(key);
}

}  // namespace

const std::string& MtlMetadata::text(std::string_view key) const {
  const auto found = entries.find(key);
  if (found == entries.end())
    throw DataError(origin + ": MTL metadata has no " + std::string(key) +
                    "; expected the Landsat Level-1 MTL file of the scene (*_MTL.txt); give the "
                    "scene's own MTL or scale the bands with scale/offset instead");
  return found->second.text;
}

double MtlMetadata::number(std::string_view key) const {
  const std::string& value = text(key);
  double out = std::numeric_limits<double>::quiet_NaN();
  const char* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, out);
  if (ec != std::errc() || ptr != end || !std::isfinite(out))
    throw DataError(where(*this, key) + " = '" + value +
                    "' is not a finite number; expected a number such as 2.0000E-05");
  return out;
}

MtlMetadata parse_mtl(std::string_view text, const std::string& origin) {
  MtlMetadata out;
  out.origin = origin;
  std::size_t line_no = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto newline = text.find('\n', start);
    const std::string_view line = trim(text.substr(
        start, newline == std::string_view::npos ? std::string_view::npos : newline - start));
    ++line_no;
    start = newline == std::string_view::npos ? text.size() + 1 : newline + 1;
    if (line.empty() || line == "END") continue;
    const auto equals = line.find('=');
    if (equals == std::string_view::npos)
      throw DataError(origin + ":" + std::to_string(line_no) + ": '" + std::string(line) +
                      "' is not an MTL line; expected KEY = VALUE (is this a Landsat *_MTL.txt "
                      "file?)");
    const std::string key(trim(line.substr(0, equals)));
    std::string_view value = trim(line.substr(equals + 1));
    if (key == "GROUP" || key == "END_GROUP") continue;
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    const auto [it, inserted] =
        out.entries.emplace(key, MtlMetadata::Entry{std::string(value), line_no});
    if (!inserted)
      throw DataError(origin + ":" + std::to_string(line_no) + ": " + key +
                      " is given again (first on line " + std::to_string(it->second.line) +
                      "); expected each MTL key once");
  }
  return out;
}

double ThermalCalibration::brightness_temperature_K(double dn) const {
  const double radiance_w = radiance(dn);
  if (!(radiance_w > 0)) return std::numeric_limits<double>::quiet_NaN();
  return k2 / std::log(k1 / radiance_w + 1.0);
}

ReflectanceCalibration mtl_reflectance_calibration(const MtlMetadata& mtl, std::string_view band) {
  ReflectanceCalibration out;
  out.mult = mtl.number("REFLECTANCE_MULT_BAND_" + std::string(band));
  out.add = mtl.number("REFLECTANCE_ADD_BAND_" + std::string(band));
  out.sun_elevation_deg = mtl.number("SUN_ELEVATION");
  if (!(out.sun_elevation_deg > 0 && out.sun_elevation_deg <= 90))
    throw DataError(where(mtl, "SUN_ELEVATION") + " = " + format_plain(out.sun_elevation_deg) +
                    " degrees: expected a sun elevation in (0, 90]; a scene with the sun at or "
                    "below the horizon has no TOA reflectance");
  out.sin_sun_elevation = std::sin(out.sun_elevation_deg * units::kRadPerDeg);
  return out;
}

ThermalCalibration mtl_thermal_calibration(const MtlMetadata& mtl, std::string_view band) {
  const std::string suffix(band);
  ThermalCalibration out;
  out.radiance_mult = mtl.number("RADIANCE_MULT_BAND_" + suffix);
  out.radiance_add = mtl.number("RADIANCE_ADD_BAND_" + suffix);
  out.k1 = mtl.number("K1_CONSTANT_BAND_" + suffix);
  out.k2 = mtl.number("K2_CONSTANT_BAND_" + suffix);
  if (!(out.k1 > 0 && out.k2 > 0))
    throw DataError(where(mtl, "K1_CONSTANT_BAND_" + suffix) +
                    ": thermal constants must be > 0 (K1 W m-2 sr-1 um-1, K2 K); check the MTL");
  return out;
}

}  // namespace minecarbon::rs
