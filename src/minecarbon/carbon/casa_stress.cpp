#include "minecarbon/carbon/casa_stress.h"

#include <algorithm>
#include <numbers>

namespace minecarbon::carbon {

double thornthwaite_heat_index(std::span<const double> monthly_t_C) {
  double sum = 0.0;
  for (double t_C : monthly_t_C) {
    if (t_C != t_C) return t_C;
    sum += thornthwaite_heat_term(t_C);
  }
  return sum;
}

double thornthwaite_daylength_factor(double lat_deg, int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  static constexpr int kFirstDay[12] = {1, 32, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int idx = month - 1;
  const int days = kDays[idx] + (leap && month == 2 ? 1 : 0);
  const int first = kFirstDay[idx] + (leap && month > 2 ? 1 : 0);
  const double mid_day = first + (days - 1) / 2.0;
  const double pi = std::numbers::pi;
  const double decl = 0.409 * std::sin(2.0 * pi * mid_day / 365.0 - 1.39);
  const double lat = lat_deg * pi / 180.0;
  const double cos_ws = std::clamp(-std::tan(lat) * std::tan(decl), -1.0, 1.0);
  const double daylength_h = 24.0 * std::acos(cos_ws) / pi;
  return (daylength_h / 12.0) * (days / 30.0);
}

}  // namespace minecarbon::carbon
