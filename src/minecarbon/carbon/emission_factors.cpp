#include "minecarbon/carbon/emission_factors.h"

#include <cmath>
#include <stdexcept>

#include "minecarbon/core/units.h"

namespace minecarbon::carbon {
namespace {

// kg per TJ → t per GJ.
constexpr double kTPerGJPerKgPerTJ = 1.0 / (kKgPerT * kGJPerTJ);

// Overburden depths bounding the IPCC surface-mining classes, m.
constexpr double kLowBelowM = 25.0;
constexpr double kHighAboveM = 50.0;

}  // namespace

double fuel_energy_GJ(double amount, ActivityUnit unit, const FuelFactors& fuel) {
  const double t_per_m3 = fuel.density_kg_per_m3 / kKgPerT;
  switch (unit) {
    case ActivityUnit::t:
      return amount * fuel.ncv_GJ_per_t;
    case ActivityUnit::m3:
      return amount * t_per_m3 * fuel.ncv_GJ_per_t;
    case ActivityUnit::L:
      return amount / kLPerM3 * t_per_m3 * fuel.ncv_GJ_per_t;
    case ActivityUnit::GJ:
      return amount;
    default:
      throw std::invalid_argument("fuel_energy_GJ: a fuel amount is in L, m3, t or GJ");
  }
}

GasMasses fuel_combustion(double energy_GJ, const FuelFactors& fuel) {
  return {energy_GJ * fuel.co2_kg_per_TJ * kTPerGJPerKgPerTJ,
          energy_GJ * fuel.ch4_kg_per_TJ * kTPerGJPerKgPerTJ,
          energy_GJ * fuel.n2o_kg_per_TJ * kTPerGJPerKgPerTJ};
}

double fuel_co2_t_per_t(const FuelFactors& fuel) {
  return fuel.ncv_GJ_per_t * fuel.co2_kg_per_TJ * kTPerGJPerKgPerTJ;
}

std::optional<SurfaceCoalClass> surface_coal_class(double overburden_depth_m) {
  if (!(overburden_depth_m >= 0.0)) return std::nullopt;
  if (overburden_depth_m < kLowBelowM) return SurfaceCoalClass::low;
  if (overburden_depth_m > kHighAboveM) return SurfaceCoalClass::high;
  return SurfaceCoalClass::average;
}

std::string_view to_string(SurfaceCoalClass cls) {
  switch (cls) {
    case SurfaceCoalClass::low:
      return "low";
    case SurfaceCoalClass::average:
      return "average";
    case SurfaceCoalClass::high:
      return "high";
  }
  return "average";
}

std::optional<SurfaceCoalClass> parse_surface_coal_class(std::string_view name) {
  for (SurfaceCoalClass cls :
       {SurfaceCoalClass::low, SurfaceCoalClass::average, SurfaceCoalClass::high})
    if (to_string(cls) == name) return cls;
  return std::nullopt;
}

double surface_coal_ch4_t(double coal_t, const SurfaceCoalFactors& factors) {
  return coal_t * (factors.mining_m3_per_t + factors.post_mining_m3_per_t) * kCh4DensityKgPerM3 /
         kKgPerT;
}

double ch4_m3_to_t(double volume_m3) {
  return volume_m3 * kCh4DensityKgPerM3 / kKgPerT;
}

GasMasses recovered_ch4(double recovered_ch4_t, double efficiency) {
  const double burnt_t = efficiency * recovered_ch4_t;
  return {burnt_t * kCo2PerCh4, -burnt_t, 0.0};
}

double explosive_co2_t_per_t(double fuel_oil_fraction, double diesel_co2_t_per_t) {
  return fuel_oil_fraction * diesel_co2_t_per_t;
}

double electricity_MWh(double amount, ActivityUnit unit) {
  switch (unit) {
    case ActivityUnit::MWh:
      return amount;
    case ActivityUnit::kWh:
      return amount / kKWhPerMWh;
    default:
      throw std::invalid_argument("electricity_MWh: electricity is in kWh or MWh");
  }
}

double electricity_co2_t(double energy_MWh, double grid_t_per_MWh) {
  return energy_MWh * grid_t_per_MWh;
}

double land_clearing_co2_t(double area_ha, const CarbonPools& pools, double soc_loss_fraction) {
  const double carbon_tC_ha = pools.above_tC_ha + pools.below_tC_ha + pools.dead_tC_ha +
                              soc_loss_fraction * pools.soil_tC_ha;
  return area_ha * carbon_tC_ha * units::kCo2PerC;
}

double disturbed_area_est_ha(double coal_t, double ha_per_10kt) {
  constexpr double kTPer10kt = 1.0e4;
  return coal_t / kTPer10kt * ha_per_10kt;
}

}  // namespace minecarbon::carbon
