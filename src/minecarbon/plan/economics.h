// Economics of one restoration scheme over a horizon: carbon gained against a baseline, CO2e net
// of the works' emissions, present values of costs, carbon and other benefits, NPV, cost per
// t CO2e (undiscounted and levelised), break-even and saturation years.
//
// Timing convention (docs/plan.md §2): year 0 is when the works are done: the capital cost and
// the works' emissions fall in year 0 and are not discounted; yearly flows (carbon gains,
// operating costs, other benefits) fall at the end of years 1..H and are discounted by
// (1 + r)^-t. The carbon price of year t is P0 (1 + g)^t.
//
//   net_co2e_t  = 44/12 · ΔC_t (t ≥ 1);  net_co2e_0 = −W (works emissions, t CO2e)
//   PV_cost     = K + Σ_{t=1..H} O_t (1+r)^-t
//   PV_carbon   = Σ_{t=0..H} net_co2e_t · P0 (1+g)^t (1+r)^-t
//   PV_other    = Σ_{t=1..H} B_t (1+r)^-t
//   NPV         = PV_carbon + PV_other − PV_cost
//   cost per t, undiscounted = PV_cost / Σ_{t=0..H} net_co2e_t
//   cost per t, levelised    = PV_cost / Σ_{t=0..H} net_co2e_t (1+r)^-t
// Sources: the discounting and the levelised cost per unit of abatement follow the usual
// cost–benefit form (e.g. IPCC AR5 WGIII Annex II, "levelised cost of conserved carbon");
// the split into these two costs per t is issue 13 §2.2.
// Domain: r > −1, g > −1, H ≥ 1. A total net CO2e ≤ 0 gives NaN costs per t (no abatement to
// spread the cost over) and the `no_abatement` flag.
#pragma once

#include <cstddef>
#include <vector>

namespace minecarbon::plan {

struct EconomicSettings {
  int horizon_yr = 30;
  double discount_rate_pct = 0.0;
  double carbon_price_yuan_tco2e = 0.0;  // P0, price in year 0
  double price_change_pct = 0.0;         // g, yearly change of the carbon price
  // A year counts as saturated when its gain is below this share of the largest yearly gain.
  double saturation_share = 0.05;
};

// The yearly flows of one scheme, index t = 0..H (entry 0 of the yearly vectors is ignored for
// gains, operating costs and benefits; capital and works emissions are year 0 only).
struct SchemeFlows {
  double capex_yuan = 0.0;                 // K, year 0
  double works_co2e_t = 0.0;               // W, year 0
  std::vector<double> gain_tC;             // ΔC_t vs baseline, size H + 1
  std::vector<double> opex_yuan;           // O_t, size H + 1
  std::vector<double> other_benefit_yuan;  // B_t, size H + 1 (may be all zero)
};

struct SchemeYear {
  int year = 0;  // t, 0..H
  double gain_tC = 0.0;
  double net_co2e_t = 0.0;
  double cumulative_net_co2e_t = 0.0;
  double cost_yuan = 0.0;  // capex (t = 0) or opex
  double carbon_price_yuan_tco2e = 0.0;
  double discount_factor = 1.0;      // (1 + r)^-t
  double cumulative_npv_yuan = 0.0;  // Σ_{s≤t} discounted (benefits − costs)
};

struct SchemeEconomics {
  std::vector<SchemeYear> years;  // t = 0..H
  double total_gain_tC = 0.0;
  double net_co2e_t = 0.0;         // Σ_{t=0..H} net_co2e_t
  double discounted_co2e_t = 0.0;  // Σ net_co2e_t (1+r)^-t
  double pv_cost_yuan = 0.0;
  double pv_carbon_yuan = 0.0;
  double pv_other_yuan = 0.0;
  double npv_yuan = 0.0;
  double cost_per_tco2e_yuan = 0.0;            // undiscounted denominator; NaN if none
  double levelised_cost_per_tco2e_yuan = 0.0;  // discounted denominator; NaN if none
  int break_even_year = -1;   // first t with cumulative NPV ≥ 0; −1 = not within the horizon
  int saturation_year = -1;   // first t from which every gain stays < share × peak; −1 = none
  bool no_abatement = false;  // net CO2e ≤ 0
};

// Computes the economics of one scheme. Throws std::invalid_argument when the yearly vectors are
// not of size H + 1 or a rate is ≤ −100 %.
SchemeEconomics scheme_economics(const SchemeFlows& flows, const EconomicSettings& settings);

}  // namespace minecarbon::plan
