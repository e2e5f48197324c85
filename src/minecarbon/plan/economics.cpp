#include "minecarbon/plan/economics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "minecarbon/core/units.h"

namespace minecarbon::plan {

SchemeEconomics scheme_economics(const SchemeFlows& flows, const EconomicSettings& settings) {
  const int horizon = settings.horizon_yr;
  if (horizon < 1) throw std::invalid_argument("horizon_yr must be >= 1");
  const auto size = static_cast<std::size_t>(horizon) + 1;
  if (flows.gain_tC.size() != size || flows.opex_yuan.size() != size ||
      flows.other_benefit_yuan.size() != size)
    throw std::invalid_argument("scheme flows must have horizon_yr + 1 = " + std::to_string(size) +
                                " yearly values");
  const double rate = settings.discount_rate_pct / 100.0;
  const double growth = settings.price_change_pct / 100.0;
  if (rate <= -1.0 || growth <= -1.0)
    throw std::invalid_argument("discount_rate_pct and price_change_pct must be > -100");

  SchemeEconomics out;
  out.years.resize(size);
  double discount = 1.0, price = settings.carbon_price_yuan_tco2e, cumulative_co2e = 0.0,
         cumulative_npv = 0.0, peak_gain = 0.0;
  for (std::size_t t = 0; t < size; ++t) {
    if (t > 0) {
      discount /= 1.0 + rate;
      price *= 1.0 + growth;
    }
    SchemeYear& y = out.years[t];
    y.year = static_cast<int>(t);
    y.gain_tC = t == 0 ? 0.0 : flows.gain_tC[t];
    y.net_co2e_t = t == 0 ? -flows.works_co2e_t : units::kCo2PerC * flows.gain_tC[t];
    y.cost_yuan = t == 0 ? flows.capex_yuan : flows.opex_yuan[t];
    const double other = t == 0 ? 0.0 : flows.other_benefit_yuan[t];
    y.carbon_price_yuan_tco2e = price;
    y.discount_factor = discount;
    cumulative_co2e += y.net_co2e_t;
    y.cumulative_net_co2e_t = cumulative_co2e;
    const double carbon_value = y.net_co2e_t * price * discount;
    cumulative_npv += carbon_value + other * discount - y.cost_yuan * discount;
    y.cumulative_npv_yuan = cumulative_npv;

    out.total_gain_tC += y.gain_tC;
    out.net_co2e_t += y.net_co2e_t;
    out.discounted_co2e_t += y.net_co2e_t * discount;
    out.pv_cost_yuan += y.cost_yuan * discount;
    out.pv_carbon_yuan += carbon_value;
    out.pv_other_yuan += other * discount;
    if (out.break_even_year < 0 && t > 0 && cumulative_npv >= 0.0)
      out.break_even_year = static_cast<int>(t);
    peak_gain = std::max(peak_gain, y.gain_tC);
  }
  // Break-even in year 0 only when nothing was spent and nothing emitted.
  if (out.years[0].cumulative_npv_yuan >= 0.0) out.break_even_year = 0;
  out.npv_yuan = out.pv_carbon_yuan + out.pv_other_yuan - out.pv_cost_yuan;
  out.no_abatement = !(out.net_co2e_t > 0.0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  out.cost_per_tco2e_yuan = out.no_abatement ? nan : out.pv_cost_yuan / out.net_co2e_t;
  out.levelised_cost_per_tco2e_yuan =
      out.discounted_co2e_t > 0.0 ? out.pv_cost_yuan / out.discounted_co2e_t : nan;
  if (peak_gain > 0.0) {
    // Scan back from the horizon: the saturation year starts the final run of small gains.
    const double small = settings.saturation_share * peak_gain;
    int first_small = -1;
    for (int t = horizon; t >= 1; --t) {
      if (out.years[static_cast<std::size_t>(t)].gain_tC < small)
        first_small = t;
      else
        break;
    }
    out.saturation_year = first_small;
  }
  return out;
}

}  // namespace minecarbon::plan
