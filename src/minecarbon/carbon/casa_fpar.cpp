#include "minecarbon/carbon/casa_fpar.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"
#include "minecarbon/stats/quantile_type1.h"

namespace minecarbon::carbon {

void check_fpar_extremes(const FparExtremes& ext, const std::string& where) {
  auto check = [&](const char* name_max, double max, const char* name_min, double min) {
    if (!std::isfinite(max) || !std::isfinite(min) || !(max > min))
      throw DataError(where + ": " + name_max + " = " + format_number(max) + " must be > " +
                      name_min + " = " + format_number(min) +
                      " (FPAR scales between the two; a zero range divides by zero); fix the "
                      "vegetation table or use fpar_extremes = \"data\"");
  };
  check("ndvi_max", ext.ndvi_max, "ndvi_min", ext.ndvi_min);
  check("sr_max", ext.sr_max, "sr_min", ext.sr_min);
}

FparExtremes fpar_extremes_from_ndvi(std::span<double> ndvi, const std::string& where,
                                     double p_low_pct, double p_high_pct) {
  const auto valid_end =
      std::remove_if(ndvi.begin(), ndvi.end(), [](double value) { return std::isnan(value); });
  std::span<double> valid(ndvi.begin(), valid_end);
  if (valid.size() < 2)
    throw DataError(where + ": " + std::to_string(valid.size()) +
                    " valid NDVI value(s); the FPAR extremes from the data need at least 2 (use "
                    "fpar_extremes = \"table\" or map the class to another type)");
  FparExtremes ext;
  ext.ndvi_min = stats::quantile_type1_in_place(valid, p_low_pct / 100.0);
  ext.ndvi_max = stats::quantile_type1_in_place(valid, p_high_pct / 100.0);
  ext.sr_min = simple_ratio(ext.ndvi_min);
  ext.sr_max = simple_ratio(ext.ndvi_max);
  if (!(ext.ndvi_max > ext.ndvi_min))
    throw DataError(where + ": the " + format_number(p_low_pct) + "th and " +
                    format_number(p_high_pct) + "th percentiles of NDVI are both " +
                    format_number(ext.ndvi_min) + " over " + std::to_string(valid.size()) +
                    " values; FPAR needs a range (use fpar_extremes = \"table\")");
  return ext;
}

}  // namespace minecarbon::carbon
