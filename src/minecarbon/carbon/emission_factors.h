// Emissions of the mining process, one activity at a time: fuel combustion, fugitive methane of
// surface coal mining, methane recovered and burnt, explosives, grid electricity and the carbon
// of cleared land. Pure functions of amounts and factors; the factor values live in the shipped
// tables of data/ (emission_factors_fuel.csv, fugitive_coal_surface.csv, grid_factors_china.csv)
// and reach these functions as structs. Masses are in tonnes (t = Mg) of each gas; methods and
// sources in docs/emissions.md.
//
// Sign: every function returns emissions to the atmosphere as positive masses, except
// recovered_ch4(), whose CH4 is negative (methane that was counted as fugitive and is destroyed).
// Amounts must be finite and >= 0 (the stage refuses anything else before calling these);
// NaN propagates.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace minecarbon::carbon {

// The units an activity amount may be given in.
enum class ActivityUnit : std::uint8_t { L, m3, t, GJ, kWh, MWh, ha };

// Litres per cubic metre, kWh per MWh, GJ per TJ, kg per t.
inline constexpr double kLPerM3 = 1.0e3;
inline constexpr double kKWhPerMWh = 1.0e3;
inline constexpr double kGJPerTJ = 1.0e3;
inline constexpr double kKgPerT = 1.0e3;

// Molar masses: CO2 per CH4 burnt, 44/16 = 2.75 t/t (AMEE methane-flaring method; stoichiometry).
inline constexpr double kCo2PerCh4 = 44.0 / 16.0;
// Density of methane at 20 °C and 1 atm, the IPCC 2006 Vol. 2 Ch. 4 §4.1.3.2 conversion of coal-
// mine methane volumes (0.67e-6 Gg/m³). CONFIRMED (2nd-hand).
inline constexpr double kCh4DensityKgPerM3 = 0.67;
// Combustion efficiency of a methane flare when a row gives none (AMEE flaring method).
inline constexpr double kDefaultFlareEfficiency = 0.98;

// A liquid or gaseous fuel, as one row of data/emission_factors_fuel.csv.
struct FuelFactors {
  double ncv_GJ_per_t = 0.0;       // net calorific value (IPCC: TJ/Gg = GJ/t)
  double density_kg_per_m3 = 0.0;  // volume → mass
  double co2_kg_per_TJ = 0.0;      // emission factors on the NCV basis
  double ch4_kg_per_TJ = 0.0;
  double n2o_kg_per_TJ = 0.0;
};

struct GasMasses {
  double co2_t = 0.0;
  double ch4_t = 0.0;
  double n2o_t = 0.0;
};

// Energy of a fuel amount, GJ (NCV basis): t → t · NCV; m3 → m3 · ρ/1000 · NCV; L → L/1000 ·
// ρ/1000 · NCV; GJ → as given. Other units are a programming error (std::invalid_argument).
// IPCC 2006 Vol. 2 Ch. 1 eq. 1.1 (fuel consumed × NCV).
double fuel_energy_GJ(double amount, ActivityUnit unit, const FuelFactors& fuel);

// Combustion emissions of `energy_GJ` of fuel: gas [t] = E [GJ] · EF [kg/TJ] / 10⁶ (IPCC 2006
// Vol. 2 Ch. 2 eq. 2.1 Tier 1; oxidation factor 1, the Tier 1 default). Diesel (43.0 GJ/t,
// 74,100 kg CO2/TJ): 1 t → 3.1863 t CO2 (carbon fraction 0.8690); 1 L (0.84 kg) → 2.6765 kg.
GasMasses fuel_combustion(double energy_GJ, const FuelFactors& fuel);

// CO2 per tonne of fuel, t/t: NCV · EF_CO2 / 10⁶ (3.1863 for diesel).
double fuel_co2_t_per_t(const FuelFactors& fuel);

// Surface coal mining class by overburden depth (IPCC 2006 Vol. 2 Ch. 4 Tier 1): < 25 m low,
// 25–50 m average (both ends included), > 50 m high. Negative or NaN depth: nullopt.
enum class SurfaceCoalClass : std::uint8_t { low, average, high };
std::optional<SurfaceCoalClass> surface_coal_class(double overburden_depth_m);
std::string_view to_string(SurfaceCoalClass cls);
std::optional<SurfaceCoalClass> parse_surface_coal_class(std::string_view name);

// One class of data/fugitive_coal_surface.csv: methane released while mining and afterwards
// (handling, storage), m³ CH4 per t of raw coal.
struct SurfaceCoalFactors {
  double mining_m3_per_t = 0.0;
  double post_mining_m3_per_t = 0.0;
};

// Fugitive CH4 of surface mining, t: coal [t] · (EF_mining + EF_post) [m³/t] · 0.67 kg/m³ / 1000
// (IPCC 2006 Vol. 2 Ch. 4 eq. 4.1.9 Tier 1). 1 Mt at average (1.2 + 0.1) → 871 t CH4.
double surface_coal_ch4_t(double coal_t, const SurfaceCoalFactors& factors);

// Methane volume at 20 °C, 1 atm → t (× 0.67 kg/m³).
double ch4_m3_to_t(double volume_m3);

// Methane recovered at a mine and burnt (flared or used) with combustion efficiency η ∈ [0, 1]:
// the burnt share leaves the mine's fugitive CH4 and becomes CO2; the unburnt share (1 − η) still
// escapes and stays counted as fugitive methane.
//   ch4_t = −η · R,   co2_t = η · R · 44/16        (R = recovered CH4, t)
GasMasses recovered_ch4(double recovered_ch4_t, double efficiency);

// Explosives by carbon balance (Brent 2010): the fuel oil of ANFO burns to CO2 like diesel.
//   EF [t CO2/t explosive] = w_FO · CO2 per t of diesel
// w_FO = fuel-oil mass fraction (5.5–6 % typical; no default is shipped). 0.055 × 3.1863 =
// 0.17525 t CO2/t. The nitrogen of the ammonium nitrate (N2O, NOx) is not counted.
double explosive_co2_t_per_t(double fuel_oil_fraction, double diesel_co2_t_per_t);

// Grid electricity: CO2 [t] = E [MWh] · EF_grid [t CO2/MWh] (location-based, MEE/NBS average
// factors). kWh are divided by 1000 first (electricity_MWh).
double electricity_MWh(double amount, ActivityUnit unit);
double electricity_co2_t(double energy_MWh, double grid_t_per_MWh);

// Carbon pools of a land-use class, t C/ha (the landuse stage's pool table: c_above, c_below,
// c_soil, c_dead).
struct CarbonPools {
  double above_tC_ha = 0.0;
  double below_tC_ha = 0.0;
  double soil_tC_ha = 0.0;
  double dead_tC_ha = 0.0;
};

// Land cleared for mining: the vegetation and dead-matter pools are lost, and a fraction f of the
// soil carbon (the seed reports SOC losses of up to 80 %; f = 0 keeps the soil out):
//   CO2 [t] = A [ha] · (C_above + C_below + C_dead + f · C_soil) [t C/ha] · 44/12
double land_clearing_co2_t(double area_ha, const CarbonPools& pools, double soc_loss_fraction);

// Land disturbed by open-pit coal mining, estimated from the coal produced: A = coal/10⁴ · a,
// a = 0.22 ha per 10⁴ t (China's national open-pit average: 0.12 ha excavated + 0.10 ha external
// dump; Yang & Bai, citing their ref. 5). An estimate, never a measured area.
inline constexpr double kOpenPitHaPer10kt = 0.22;
double disturbed_area_est_ha(double coal_t, double ha_per_10kt = kOpenPitHaPer10kt);

}  // namespace minecarbon::carbon
