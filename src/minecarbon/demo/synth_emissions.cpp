#include "minecarbon/demo/synth_emissions.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace minecarbon::demo {
namespace {

// docs/emissions.md, typed here by hand (the truth must not come from the stage's tables).
constexpr double kDieselNcvGJPerT = 43.0;
constexpr double kDieselDensityKgPerM3 = 840.0;
constexpr double kDieselCo2KgPerTJ = 74100.0;
constexpr double kOffroadCh4KgPerTJ = 4.15, kOffroadN2oKgPerTJ = 28.6;
constexpr double kStationaryCh4KgPerTJ = 3.0, kStationaryN2oKgPerTJ = 0.6;
constexpr double kCh4KgPerM3 = 0.67;
constexpr double kCo2PerCh4 = 44.0 / 16.0, kCo2PerC = 44.0 / 12.0;
constexpr double kGwpCh4Ar5 = 28.0, kGwpN2oAr5 = 265.0;

// Surface-mining CH4 class (EF_mining + EF_post-mining, m³/t).
double surface_ef_m3_per_t(const std::string& cls) {
  if (cls == "low") return 0.3 + 0.0;
  if (cls == "high") return 2.0 + 0.2;
  return 1.2 + 0.1;
}

double diesel_energy_GJ(double amount, const std::string& unit) {
  if (unit == "L") return amount / 1000.0 * kDieselDensityKgPerM3 / 1000.0 * kDieselNcvGJPerT;
  if (unit == "m3") return amount * kDieselDensityKgPerM3 / 1000.0 * kDieselNcvGJPerT;
  if (unit == "t") return amount * kDieselNcvGJPerT;
  return amount;  // GJ
}

}  // namespace

SynthEmissions make_synth_emissions(const SynthWorld& world, const SynthLanduse& landuse) {
  SynthEmissions out;
  for (int y = world.first_year; y <= world.last_year; ++y)
    if (y != out.missing_grid_year)
      out.grid.push_back({out.region, y, (900.0 - 8.0 * (y - world.first_year)) / 1000.0});
  auto grid_factor = [&](int year) {
    const SynthGridFactor* best = nullptr;  // the latest year ≤ `year`
    for (const auto& g : out.grid)
      if (g.year <= year && (best == nullptr || g.year > best->year)) best = &g;
    return best->co2_t_per_MWh;
  };
  std::map<int, double> cleared_tC_per_ha;  // above + below + dead of the former class
  for (const auto& c : landuse.classes)
    cleared_tC_per_ha[c.code] = c.c_above + c.c_below + c.c_dead;

  const char* diesel_units[4] = {"L", "m3", "t", "GJ"};
  const char* classes[3] = {"low", "average", "high"};
  const double depths_m[3] = {12.5, 37.5, 75.0};  // low, average, high by depth

  for (std::size_t k = 0; k < world.mines.size(); ++k) {
    const SynthMine& mine = world.mines[k];
    const int start = std::max(mine.onset_year, world.first_year);
    // Closed mines keep their drainage pumps: from five years after restoration began.
    const int pumping_from =
        mine.restore_year > 0 ? std::max(mine.restore_year, world.first_year) + 5 : 0;
    for (int y = world.first_year; y <= world.last_year; ++y) {
      const int t = y - start;
      const bool operating = y >= start && (mine.restore_year == 0 || y < mine.restore_year);
      const bool pumping = !operating && pumping_from > 0 && y >= pumping_from;
      if (!operating && !pumping) continue;
      std::map<std::string, SynthEmissionsTruth> by_source;
      auto add = [&](const std::string& source, double co2, double ch4, double n2o) {
        auto& s = by_source[source];
        s.mine_id = mine.id;
        s.year = y;
        s.source = source;
        s.co2_t += co2;
        s.ch4_t += ch4;
        s.n2o_t += n2o;
      };
      auto row = [&](const std::string& source, double amount, const std::string& unit) {
        SynthActivityRow r;
        r.mine_id = mine.id;
        r.year = y;
        r.source = source;
        r.amount = amount;
        r.unit = unit;
        return r;
      };

      if (pumping) {
        const bool kwh = k % 2 == 0;
        SynthActivityRow r = kwh ? row("electricity", 1e5 + 2500.0 * k, "kWh")
                                 : row("electricity", 100.0 + 2.5 * k, "MWh");
        r.region = out.region;
        out.activity.push_back(r);
        add("electricity", (kwh ? r.amount / 1000.0 : r.amount) * grid_factor(y), 0, 0);
        for (auto& [source, s] : by_source) {
          s.co2e_t = s.co2_t + kGwpCh4Ar5 * s.ch4_t + kGwpN2oAr5 * s.n2o_t;
          out.truth.push_back(s);
        }
        continue;
      }
      // Diesel: off-road in a unit cycling by mine and year, stationary in litres.
      {
        const std::string unit = diesel_units[(k + static_cast<std::size_t>(y)) % 4];
        const double amount = unit == "L"    ? 50000.0 + 1000.0 * k + 500.0 * t
                              : unit == "m3" ? 50.0 + k + 0.5 * t
                              : unit == "t"  ? 42.0 + k + 0.25 * t
                                             : 1800.0 + 10.0 * k + 5.0 * t;
        SynthActivityRow r = row("diesel", amount, unit);
        r.subtype = "offroad";
        out.activity.push_back(r);
        const double e_GJ = diesel_energy_GJ(amount, unit);
        add("diesel", e_GJ * kDieselCo2KgPerTJ / 1e6, e_GJ * kOffroadCh4KgPerTJ / 1e6,
            e_GJ * kOffroadN2oKgPerTJ / 1e6);
        SynthActivityRow s = row("diesel", 8000.0 + 100.0 * k + 50.0 * t, "L");
        s.subtype = "stationary";
        out.activity.push_back(s);
        const double s_GJ = diesel_energy_GJ(s.amount, "L");
        add("diesel", s_GJ * kDieselCo2KgPerTJ / 1e6, s_GJ * kStationaryCh4KgPerTJ / 1e6,
            s_GJ * kStationaryN2oKgPerTJ / 1e6);
      }
      // Explosive (ANFO-like) by carbon balance: w_FO × CO2 per t of diesel.
      {
        SynthActivityRow r = row("explosive", 100.0 + 2.0 * k + t, "t");
        r.subtype = "ANFO";
        r.fuel_oil_fraction = (55.0 + static_cast<double>(k % 6)) / 1000.0;
        out.activity.push_back(r);
        add("explosive",
            r.amount * r.fuel_oil_fraction * kDieselNcvGJPerT * kDieselCo2KgPerTJ / 1e6, 0, 0);
      }
      // Grid electricity in the demo region.
      {
        const bool kwh = k % 2 == 0;
        SynthActivityRow r = kwh ? row("electricity", 2e6 + 5e4 * k + 1e4 * t, "kWh")
                                 : row("electricity", 2000.0 + 50.0 * k + 10.0 * t, "MWh");
        r.region = out.region;
        out.activity.push_back(r);
        const double mwh = kwh ? r.amount / 1000.0 : r.amount;
        add("electricity", mwh * grid_factor(y), 0, 0);
      }
      // Surface coal: by subtype, by overburden depth, or neither (the IPCC default, average).
      const double coal_t = 200000.0 + 20000.0 * k + 5000.0 * t;
      const std::size_t cls = (k / 3) % 3;
      SynthActivityRow coal = row("coal_surface", coal_t, "t");
      if (k % 3 == 0) coal.subtype = classes[cls];
      if (k % 3 == 1) coal.overburden_depth_m = depths_m[cls];
      out.activity.push_back(coal);
      const double ef_m3_per_t = surface_ef_m3_per_t(k % 3 == 2 ? "average" : classes[cls]);
      const double fugitive_ch4_t = coal_t * ef_m3_per_t * kCh4KgPerM3 / 1000.0;
      add("coal_surface", 0, fugitive_ch4_t, 0);
      // Recovered methane on every other mine: about 30 % of the fugitive CH4, burnt.
      if (k % 2 == 0) {
        const bool m3 = k % 4 == 0;
        const double amount = m3 ? std::floor(0.3 * coal_t * ef_m3_per_t)
                                 : std::floor(0.3 * fugitive_ch4_t * 1000.0) / 1000.0;
        SynthActivityRow r = row("ch4_recovered", amount, m3 ? "m3" : "t");
        r.flare_efficiency = (90.0 + static_cast<double>(k % 9)) / 100.0;
        out.activity.push_back(r);
        const double recovered_t = m3 ? amount * kCh4KgPerM3 / 1000.0 : amount;
        add("ch4_recovered", r.flare_efficiency * recovered_t * kCo2PerCh4,
            -r.flare_efficiency * recovered_t, 0);
      }
      // Land cleared in the first three years of activity, former class by mine.
      if (t < 3) {
        const int former = 1 + static_cast<int>(k % 3);  // cropland, forest, grassland
        SynthActivityRow r = row("land_cleared", (10.0 + k) / 2.0, "ha");
        r.subtype = std::to_string(former);
        out.activity.push_back(r);
        add("land_cleared", r.amount * cleared_tC_per_ha.at(former) * kCo2PerC, 0, 0);
      }

      for (auto& [source, s] : by_source) {
        s.co2e_t = s.co2_t + kGwpCh4Ar5 * s.ch4_t + kGwpN2oAr5 * s.n2o_t;
        out.truth.push_back(s);
      }
    }
  }
  return out;
}

}  // namespace minecarbon::demo
