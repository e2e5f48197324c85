// The value of a change in carbon stock between two dates: InVEST Carbon's valuation (natcap/invest
// 3.15+, `_calculate_valuation_constant`; users' guide eq. "carbon_value"), reproduced exactly.
//
//   n     = year_to − year_from                     (years, > 0)
//   ratio = 1 / ((1 + r/100) · (1 + c/100))          r = discount_rate_pct, c = rate_change_pct
//   K     = price/n · (1 − ratioⁿ) / (1 − ratio)     (K = price when ratio = 1 exactly)
//   NPV   = ΔC · K                                   (ΔC in t C/ha → currency/ha; t C → currency)
//
// K is the closed form of price · 1/n · Σ_{t=0}^{n−1} ratioᵗ: the change is spread as n equal annual
// increments ΔC/n along a linear path, the first (t = 0) undiscounted. `rate_change_pct` enters
// exactly like a second discount rate: a positive value LOWERS the value, although InVEST labels it
// "annual price change". Negative rates are allowed (InVEST's test uses r = −7.1). The price is per
// t of elemental C; a price per t CO2e is multiplied by 44/12 (price_per_tc_from_co2e).
//
// Reference values (InVEST's test fixture, recomputed at full precision):
//   K(2016→2030, r = −7.1, c = 2.8, price 43) = 59.001360702500605 → NPV(ΔC = −58) = −3422.0789…
//   K(2010→2012, r = 50, c = 5, price 50)     = 40.87301587301587;  zero rates: K = price.
#pragma once

namespace minecarbon::carbon {

// Throws ConfigError when year_to <= year_from, or when a rate is <= −100 % (the ratio would be
// undefined or negative).
double valuation_constant(int year_from, int year_to, double price_per_tC, double discount_rate_pct,
                          double rate_change_pct);

// A price per t CO2e as a price per t C (× 44/12).
double price_per_tc_from_co2e(double price_per_tco2e);

}  // namespace minecarbon::carbon
