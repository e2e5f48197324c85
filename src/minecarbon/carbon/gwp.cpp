#include "minecarbon/carbon/gwp.h"

namespace minecarbon::carbon {

std::optional<GwpValues> builtin_gwp(std::string_view set) {
  if (set == "SAR") return kGwpSar;
  if (set == "AR4") return kGwpAr4;
  if (set == "AR5") return kGwpAr5;
  if (set == "AR6") return kGwpAr6;
  return std::nullopt;
}

double co2e_t(double co2_t, double ch4_fossil_t, double n2o_t, const GwpValues& gwp) {
  return co2_t + gwp.ch4_fossil * ch4_fossil_t + gwp.n2o * n2o_t;
}

}  // namespace minecarbon::carbon
