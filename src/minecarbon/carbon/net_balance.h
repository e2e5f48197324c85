// The net carbon balance of one mine, year by year, in t CO2e as emissions to the atmosphere:
// positive = emission, negative = removal (issue 11 §3; docs/balance.md).
//
// Components of year Y (C → CO2e × 44/12, units::kCo2PerC; Mg C = t C):
//   process_emission_co2e_t      E_Y  the emissions stage's t CO2e of the mine-year (as given)
//   clearing_emission_co2e_t     Σ_pairs −loss_tC · 44/12 / (y1 − y0)  for y0 < Y ≤ y1: the stock
//                                lost by map transitions with C_to < C_from, spread evenly over
//                                the years of the pair (InVEST's linear path); always counted
//   foregone_sink_co2e_t         −H_Y · 44/12, H the damage stage's NEP change relative to the
//                                reference (Mg C/yr; < 0 = the mine lost NEP), in `nep` years
//   landuse_gain_removal_co2e_t  −gain_tC · 44/12 / (y1 − y0) in `landuse` years (map regrowth)
//   restoration_removal_co2e_t   −(V_Y + S_Y) · 44/12, V the vegetation projection's sink and S
//                                the soil sequestration (t C/yr), in `projection` years
//   net_emission_co2e_t          the sum of the five
//   cumulative_net_emission_co2e_t  Σ net from the first year of the account to Y
//
// One ecosystem basis per year (no double counting: NEP, map stock gains and the projections all
// measure the same regrowth): `nep` when H_Y is given; else `landuse` when Y lies in a map pair
// (y0 < Y ≤ y1; two touching pairs 2000→2010 and 2010→2020 give 2010 to the first); else
// `projection` when Y is after the last observed year (the last damage year or map date) and a
// projection gives Y; else `none` (no ecosystem flux known that year: a gap between observations,
// or no projection). Ecosystem values of the other bases that year are not counted and are
// reported as `not_counted_removal_co2e_t`.
//
// The account runs from the first year in which anything is counted (or `first_year`, whichever
// is later) to `horizon_year`, every year in between (a year without any value has 0 in every
// component). Values after the horizon or before first_year are dropped (counted in
// `values_outside_account`); a map pair crossing either end contributes only its years inside.
// Leading years that count nothing (only projection values before the last observed year) are
// not in `years`, but their projection values are in the totals `not_counted_removal_co2e_t`
// and `projection_years_not_counted`, so every value given is accounted for somewhere.
//
// Carbon-neutral year: the first year Y whose cumulative is ≤ 0 at its end and stays ≤ 0 at the
// end of every later year to the horizon. `neutral_year_interp` is the decimal calendar date of
// the crossing, year Y spanning [Y, Y + 1): Y + C_{Y−1} / (C_{Y−1} − C_Y), in (Y, Y + 1].
// Status: `neutral`; `not_within_horizon` (cumulative > 0 at the horizon; no neutral year);
// `never_net_emitter` (cumulative ≤ 0 at the end of every year: neutral year = first year,
// interp = first year, the account's start, where the cumulative is 0; this includes a mine whose
// counted values are all 0, e.g. a mine reporting zero emissions: it has data and never emitted);
// `no_data` (nothing to count: no years). `first_net_removal_year` is the first year with net < 0.
//
// Domain: every value finite (non-finite values are skipped and counted); map pairs with
// y0 < y1, loss ≤ 0 ≤ gain, not overlapping (check_series says which series and why not). Exact arithmetic in
// double, summed in year order: the same inputs give the same bits.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "minecarbon/core/name_table.h"

namespace minecarbon::carbon {

enum class EcosystemBasis { none, nep, landuse, projection };
inline constexpr NameTable<EcosystemBasis, 4> kEcosystemBasisNames{{{
    {EcosystemBasis::none, "none"},
    {EcosystemBasis::nep, "nep"},
    {EcosystemBasis::landuse, "landuse"},
    {EcosystemBasis::projection, "projection"},
}}};

enum class NeutralityStatus { neutral, not_within_horizon, never_net_emitter, no_data };
inline constexpr NameTable<NeutralityStatus, 4> kNeutralityStatusNames{{{
    {NeutralityStatus::neutral, "neutral"},
    {NeutralityStatus::not_within_horizon, "not_within_horizon"},
    {NeutralityStatus::never_net_emitter, "never_net_emitter"},
    {NeutralityStatus::no_data, "no_data"},
}}};

// One year of a series; the unit is the series' (MineCarbonSeries names it).
struct YearValue {
  int year = 0;
  double value = 0.0;
};

// One consecutive map pair of a mine (landuse stage, pair_kind = consecutive).
struct MapPair {
  int year_from = 0;
  int year_to = 0;
  double loss_tC = 0.0;  // ≤ 0: Σ over transitions with C_to < C_from of area · (C_to − C_from)
  double gain_tC = 0.0;  // ≥ 0: the same over transitions with C_to > C_from
};

// What the stages give for one mine. Years within each series are distinct (check_series).
struct MineCarbonSeries {
  std::vector<YearValue> process_co2e_t;            // emissions stage, t CO2e per year
  std::vector<MapPair> map_pairs;                   // landuse stage
  std::vector<YearValue> nep_change_MgC_yr;         // damage stage, H (Mg C/yr)
  std::vector<YearValue> vegetation_sink_tC_yr;     // vegetation projection, t C/yr (≥ 0 = sink)
  std::vector<YearValue> soil_sequestration_tC_yr;  // soil scenario, t C/yr (≥ 0 = sink)
};

// The series of MineCarbonSeries, to say which one a problem is in.
enum class SeriesComponent { process, map_pairs, nep_change, vegetation_sink, soil_sequestration };

// Why `series` is outside the domain above: the series and the text ("map pairs 2000-2010 and
// 2005-2015 overlap ..."); text "" when it is inside.
struct SeriesProblem {
  SeriesComponent component = SeriesComponent::process;
  std::string text;
  bool ok() const { return text.empty(); }
};
SeriesProblem check_series(const MineCarbonSeries& series);

// The duplicate-year part of check_series for one series: "<what>: year Y given twice" (Y the
// smallest year given twice), "" when its years are distinct. For a caller checking a series it
// holds alone (the balance checks each soil scenario before choosing one).
std::string duplicate_year(const std::vector<YearValue>& series, const char* what);

struct NetBalanceYear {
  int year = 0;
  EcosystemBasis basis = EcosystemBasis::none;
  double process_emission_co2e_t = 0.0;
  double clearing_emission_co2e_t = 0.0;
  double foregone_sink_co2e_t = 0.0;
  double landuse_gain_removal_co2e_t = 0.0;
  double restoration_removal_co2e_t = 0.0;
  double not_counted_removal_co2e_t = 0.0;  // values of the other bases, not in the net
  double net_emission_co2e_t = 0.0;
  double cumulative_net_emission_co2e_t = 0.0;
};

struct NetBalance {
  std::vector<NetBalanceYear> years;  // the account, consecutive years; empty = no_data
  NeutralityStatus status = NeutralityStatus::no_data;
  std::optional<int> carbon_neutral_year;
  std::optional<double> neutral_year_interp;
  std::optional<int> first_net_removal_year;
  std::optional<int> last_observed_year;  // last damage year or map date
  // Totals over the account (t CO2e); the net total is the cumulative at the horizon.
  double process_emission_co2e_t = 0.0;
  double clearing_emission_co2e_t = 0.0;
  double foregone_sink_co2e_t = 0.0;
  double landuse_gain_removal_co2e_t = 0.0;
  double restoration_removal_co2e_t = 0.0;
  double not_counted_removal_co2e_t = 0.0;  // with the leading years cut from the account
  double net_emission_co2e_t = 0.0;
  // Years of the account per basis, and what was left out.
  int years_nep = 0, years_landuse = 0, years_projection = 0, years_no_basis = 0;
  int projection_years_not_counted = 0;  // projection years not after the last observed year
  int values_outside_account = 0;        // values before first_year or after horizon_year
  int non_finite_values = 0;             // skipped
};

// The balance of one mine from `first_year` (0 = its first year with data) to `horizon_year`.
// Precondition: check_series(series) is "" (else std::invalid_argument with its text).
NetBalance net_balance(const MineCarbonSeries& series, int horizon_year, int first_year = 0);

// The neutrality part alone, from yearly net values of consecutive years starting at
// `first_year`: status, neutral year, interpolation and first net-removal year (as above).
struct Neutrality {
  NeutralityStatus status = NeutralityStatus::no_data;
  std::optional<int> carbon_neutral_year;
  std::optional<double> neutral_year_interp;
  std::optional<int> first_net_removal_year;
};
Neutrality neutrality(int first_year, const std::vector<double>& net_co2e_t);

}  // namespace minecarbon::carbon
