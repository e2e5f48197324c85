// Unit constants, each written once. `kAPerB` is how many A one B holds: `kM2PerHa` = 1e4, so
// `area_ha * kM2PerHa` is m² and `area_m2 / kM2PerHa` is ha. Stages use these instead of literals
// so that a reader sees the unit of every conversion. (GWP sets will join this header.)
#pragma once

#include <numbers>

namespace minecarbon::units {

// Mass of CO2 per mass of carbon, the ratio of molar masses 44/12 that IPCC (2006 Guidelines,
// Vol. 4, ch. 2) uses to convert carbon stock changes into CO2.
inline constexpr double kCo2PerC = 44.0 / 12.0;

// Area.
inline constexpr double kM2PerHa = 1.0e4;
inline constexpr double kM2PerKm2 = 1.0e6;
inline constexpr double kHaPerKm2 = 100.0;

// Mass: g, kg, Mg (= t), Gg (= kt), Tg (= Mt).
inline constexpr double kGPerKg = 1.0e3;
inline constexpr double kKgPerMg = 1.0e3;
inline constexpr double kGPerMg = 1.0e6;
inline constexpr double kMgPerGg = 1.0e3;
inline constexpr double kMgPerTg = 1.0e6;

// Flux densities: 1 g C/m² = 1e-6 Mg per 1e-4 ha = 0.01 Mg C/ha; 1 kg C/m² = 10 Mg C/ha.
inline constexpr double kMgHaPerGM2 = kM2PerHa / kGPerMg;
inline constexpr double kMgHaPerKgM2 = kM2PerHa / kKgPerMg;

// Angles.
inline constexpr double kRadPerDeg = std::numbers::pi / 180.0;
inline constexpr double kDegPerRad = 180.0 / std::numbers::pi;

}  // namespace minecarbon::units
