#include "minecarbon/carbon/net_balance.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <stdexcept>
#include <tuple>

#include "minecarbon/core/units.h"

namespace minecarbon::carbon {
namespace {

std::string pair_text(const MapPair& pair) {
  return std::to_string(pair.year_from) + "-" + std::to_string(pair.year_to);
}

// The longest account accepted (years): a guard against a year typed as 20100.
constexpr int kMaxAccountYears = 10000;

}  // namespace

std::string duplicate_year(const std::vector<YearValue>& series, const char* what) {
  // Stages give their years increasing, which has no duplicate: answered without a sorted copy.
  const auto not_increasing = [](const YearValue& a, const YearValue& b) {
    return a.year >= b.year;
  };
  if (std::adjacent_find(series.begin(), series.end(), not_increasing) == series.end()) return {};
  std::vector<int> years;
  years.reserve(series.size());
  for (const auto& v : series)
    years.push_back(v.year);
  std::sort(years.begin(), years.end());
  const auto it = std::adjacent_find(years.begin(), years.end());
  if (it == years.end()) return {};
  return std::string(what) + ": year " + std::to_string(*it) + " given twice";
}

SeriesProblem check_series(const MineCarbonSeries& series) {
  using C = SeriesComponent;
  for (const auto& [values, component, what] :
       {std::tuple{&series.process_co2e_t, C::process, "process emissions"},
        std::tuple{&series.nep_change_MgC_yr, C::nep_change, "NEP change"},
        std::tuple{&series.vegetation_sink_tC_yr, C::vegetation_sink, "vegetation sink"},
        std::tuple{&series.soil_sequestration_tC_yr, C::soil_sequestration,
                   "soil sequestration"}}) {
    if (std::string problem = duplicate_year(*values, what); !problem.empty())
      return {component, std::move(problem)};
  }
  const std::vector<MapPair>& given = series.map_pairs;
  for (const auto& pair : given) {
    if (!(pair.year_from < pair.year_to))
      return {C::map_pairs, "map pair " + pair_text(pair) + ": year_to must be after year_from"};
    if (pair.loss_tC > 0)
      return {C::map_pairs, "map pair " + pair_text(pair) +
                                ": loss_tC = " + std::to_string(pair.loss_tC) +
                                " must be <= 0 (the stock lost, negative)"};
    if (pair.gain_tC < 0)
      return {C::map_pairs, "map pair " + pair_text(pair) +
                                ": gain_tC = " + std::to_string(pair.gain_tC) +
                                " must be >= 0 (the stock gained, positive)"};
  }
  // Stages give the pairs in date order: checked in place then (with distinct year_from the
  // sorted order is that order), else on a sorted copy.
  const auto not_increasing = [](const MapPair& a, const MapPair& b) {
    return a.year_from >= b.year_from;
  };
  std::vector<MapPair> sorted;
  const std::vector<MapPair>* ordered = &given;
  if (std::adjacent_find(given.begin(), given.end(), not_increasing) != given.end()) {
    sorted = given;
    std::sort(sorted.begin(), sorted.end(),
              [](const MapPair& a, const MapPair& b) { return a.year_from < b.year_from; });
    ordered = &sorted;
  }
  const std::vector<MapPair>& pairs = *ordered;
  for (std::size_t idx = 1; idx < pairs.size(); ++idx) {
    if (pairs[idx].year_from < pairs[idx - 1].year_to)
      return {C::map_pairs, "map pairs " + pair_text(pairs[idx - 1]) + " and " +
                                pair_text(pairs[idx]) +
                                " overlap (only consecutive pairs d_i -> d_i+1 are accounted)"};
  }
  return {};
}

Neutrality neutrality(int first_year, const std::vector<double>& net_co2e_t) {
  Neutrality out;
  if (net_co2e_t.empty()) return out;
  std::vector<double> cumulative(net_co2e_t.size());
  double sum = 0.0;
  for (std::size_t idx = 0; idx < net_co2e_t.size(); ++idx) {
    sum += net_co2e_t[idx];
    cumulative[idx] = sum;
    if (!out.first_net_removal_year && net_co2e_t[idx] < 0)
      out.first_net_removal_year = first_year + static_cast<int>(idx);
  }
  // The last year that ends with a positive cumulative: the account is neutral from the next.
  std::optional<std::size_t> last_positive;
  for (std::size_t idx = cumulative.size(); idx-- > 0;) {
    if (cumulative[idx] > 0) {
      last_positive = idx;
      break;
    }
  }
  if (!last_positive) {
    out.status = NeutralityStatus::never_net_emitter;
    out.carbon_neutral_year = first_year;
    out.neutral_year_interp = static_cast<double>(first_year);
    return out;
  }
  if (*last_positive + 1 == cumulative.size()) {
    out.status = NeutralityStatus::not_within_horizon;
    return out;
  }
  const std::size_t crossing = *last_positive + 1;
  const int year = first_year + static_cast<int>(crossing);
  const double cumulative_start_co2e_t = cumulative[*last_positive];  // > 0, start of `year`
  const double cumulative_end_co2e_t = cumulative[crossing];          // ≤ 0, at its end
  out.status = NeutralityStatus::neutral;
  out.carbon_neutral_year = year;
  out.neutral_year_interp =
      year + cumulative_start_co2e_t / (cumulative_start_co2e_t - cumulative_end_co2e_t);
  return out;
}

namespace {

// What the series give for one year of the account, before the basis is chosen.
struct Slot {
  bool has_process = false, has_nep = false, in_pair = false, has_projection = false;
  double process_co2e_t = 0, nep_change_MgC_yr = 0, loss_tC = 0, gain_tC = 0;
  double vegetation_sink_tC = 0, soil_sequestration_tC = 0;
};

// The series' values in dense per-year slots over [start, horizon_year]; values outside go to
// out.values_outside_account, non-finite ones to out.non_finite_values.
std::vector<Slot> fill_slots(const MineCarbonSeries& series, int start, int horizon_year,
                             NetBalance& out) {
  std::vector<Slot> slots(static_cast<std::size_t>(horizon_year - start + 1));
  auto slot = [&](int year) -> Slot* {
    if (year < start || year > horizon_year) {
      ++out.values_outside_account;
      return nullptr;
    }
    return &slots[static_cast<std::size_t>(year - start)];
  };
  for (const auto& v : series.process_co2e_t) {
    if (!std::isfinite(v.value)) {
      ++out.non_finite_values;
    } else if (Slot* s = slot(v.year)) {
      s->has_process = true;
      s->process_co2e_t = v.value;
    }
  }
  for (const auto& v : series.nep_change_MgC_yr) {
    if (!std::isfinite(v.value)) {
      ++out.non_finite_values;
    } else if (Slot* s = slot(v.year)) {
      s->has_nep = true;
      s->nep_change_MgC_yr = v.value;
    }
  }
  for (const auto& pair : series.map_pairs) {
    if (!std::isfinite(pair.loss_tC) || !std::isfinite(pair.gain_tC)) {
      ++out.non_finite_values;
      continue;
    }
    const double years = pair.year_to - pair.year_from;
    for (int year = pair.year_from + 1; year <= pair.year_to; ++year) {
      if (Slot* s = slot(year)) {
        s->in_pair = true;
        s->loss_tC += pair.loss_tC / years;
        s->gain_tC += pair.gain_tC / years;
      }
    }
  }
  for (const auto& [values, soil] : {std::pair{&series.vegetation_sink_tC_yr, false},
                                     std::pair{&series.soil_sequestration_tC_yr, true}}) {
    for (const auto& v : *values) {
      if (!std::isfinite(v.value)) {
        ++out.non_finite_values;
      } else if (Slot* s = slot(v.year)) {
        s->has_projection = true;
        (soil ? s->soil_sequestration_tC : s->vegetation_sink_tC) = v.value;
      }
    }
  }
  return slots;
}

// One year of the account: its basis and components (header: one ecosystem basis per year).
NetBalanceYear year_of_slot(const Slot& s, int year, std::optional<int> last_observed_year) {
  constexpr double kCo2PerC = units::kCo2PerC;
  NetBalanceYear y;
  y.year = year;
  const bool after_observed = !last_observed_year || year > *last_observed_year;
  y.basis = s.has_nep                            ? EcosystemBasis::nep
            : s.in_pair                          ? EcosystemBasis::landuse
            : s.has_projection && after_observed ? EcosystemBasis::projection
                                                 : EcosystemBasis::none;
  y.process_emission_co2e_t = s.process_co2e_t;
  // 0 − x, not −x: a zero loss is 0, not −0, in the published tables.
  y.clearing_emission_co2e_t = 0.0 - s.loss_tC * kCo2PerC;
  const double gain_co2e_t = 0.0 - s.gain_tC * kCo2PerC;
  const double projection_co2e_t =
      0.0 - (s.vegetation_sink_tC + s.soil_sequestration_tC) * kCo2PerC;
  switch (y.basis) {
    case EcosystemBasis::nep:
      y.foregone_sink_co2e_t = 0.0 - s.nep_change_MgC_yr * kCo2PerC;
      break;
    case EcosystemBasis::landuse:
      y.landuse_gain_removal_co2e_t = gain_co2e_t;
      break;
    case EcosystemBasis::projection:
      y.restoration_removal_co2e_t = projection_co2e_t;
      break;
    case EcosystemBasis::none:
      break;
  }
  if (y.basis != EcosystemBasis::landuse) y.not_counted_removal_co2e_t += gain_co2e_t;
  if (y.basis != EcosystemBasis::projection) y.not_counted_removal_co2e_t += projection_co2e_t;
  y.net_emission_co2e_t = y.process_emission_co2e_t + y.clearing_emission_co2e_t +
                          y.foregone_sink_co2e_t + y.landuse_gain_removal_co2e_t +
                          y.restoration_removal_co2e_t;
  return y;
}

// The cumulative of every year, the totals and the counts per basis, in year order.
// `slots` holds the slot of every year of `years`, in the same order.
void add_totals(const Slot* slots, std::vector<NetBalanceYear>& years, NetBalance& out) {
  double cumulative_co2e_t = 0.0;
  for (std::size_t idx = 0; idx < years.size(); ++idx) {
    NetBalanceYear& y = years[idx];
    cumulative_co2e_t += y.net_emission_co2e_t;
    y.cumulative_net_emission_co2e_t = cumulative_co2e_t;
    out.process_emission_co2e_t += y.process_emission_co2e_t;
    out.clearing_emission_co2e_t += y.clearing_emission_co2e_t;
    out.foregone_sink_co2e_t += y.foregone_sink_co2e_t;
    out.landuse_gain_removal_co2e_t += y.landuse_gain_removal_co2e_t;
    out.restoration_removal_co2e_t += y.restoration_removal_co2e_t;
    out.not_counted_removal_co2e_t += y.not_counted_removal_co2e_t;
    switch (y.basis) {
      case EcosystemBasis::nep:
        ++out.years_nep;
        break;
      case EcosystemBasis::landuse:
        ++out.years_landuse;
        break;
      case EcosystemBasis::projection:
        ++out.years_projection;
        break;
      case EcosystemBasis::none:
        ++out.years_no_basis;
        break;
    }
    if (slots[idx].has_projection && y.basis != EcosystemBasis::projection)
      ++out.projection_years_not_counted;
  }
  out.net_emission_co2e_t = cumulative_co2e_t;
}

}  // namespace

NetBalance net_balance(const MineCarbonSeries& series, int horizon_year, int first_year) {
  if (const SeriesProblem problem = check_series(series); !problem.ok())
    throw std::invalid_argument("net_balance: " + problem.text);
  NetBalance out;
  const int lo = first_year > 0 ? first_year : INT_MIN;

  // The earliest year any value speaks of; the last observed year.
  int min_year = INT_MAX;
  auto see = [&](int year) { min_year = std::min(min_year, year); };
  for (const auto* values : {&series.process_co2e_t, &series.nep_change_MgC_yr,
                             &series.vegetation_sink_tC_yr, &series.soil_sequestration_tC_yr})
    for (const auto& v : *values)
      see(v.year);
  for (const auto& pair : series.map_pairs)
    see(pair.year_from + 1);
  for (const auto& v : series.nep_change_MgC_yr)
    if (std::isfinite(v.value))
      out.last_observed_year = std::max(out.last_observed_year.value_or(INT_MIN), v.year);
  for (const auto& pair : series.map_pairs)
    if (std::isfinite(pair.loss_tC) && std::isfinite(pair.gain_tC))
      out.last_observed_year = std::max(out.last_observed_year.value_or(INT_MIN), pair.year_to);

  const int start = std::max(min_year, lo);
  if (min_year == INT_MAX || start > horizon_year) {
    // Nothing inside the account: every value lies outside it.
    for (const auto* values : {&series.process_co2e_t, &series.nep_change_MgC_yr,
                               &series.vegetation_sink_tC_yr, &series.soil_sequestration_tC_yr})
      out.values_outside_account += static_cast<int>(values->size());
    for (const auto& pair : series.map_pairs)
      out.values_outside_account += pair.year_to - pair.year_from;
    return out;
  }
  if (horizon_year - start >= kMaxAccountYears)
    throw std::invalid_argument("net_balance: the account " + std::to_string(start) + "-" +
                                std::to_string(horizon_year) + " is longer than " +
                                std::to_string(kMaxAccountYears) + " years");

  const std::vector<Slot> slots = fill_slots(series, start, horizon_year, out);
  // The leading years that count nothing stay out of the account; what they were given
  // (projection values before the last observed year) is still reported as not counted.
  std::vector<NetBalanceYear> years;
  years.reserve(slots.size());
  std::size_t cut = slots.size();
  for (std::size_t idx = 0; idx < slots.size(); ++idx) {
    const NetBalanceYear y =
        year_of_slot(slots[idx], start + static_cast<int>(idx), out.last_observed_year);
    const bool counted =
        slots[idx].has_process || slots[idx].in_pair || y.basis != EcosystemBasis::none;
    if (years.empty() && !counted) {
      out.not_counted_removal_co2e_t += y.not_counted_removal_co2e_t;
      if (slots[idx].has_projection) ++out.projection_years_not_counted;
      continue;
    }
    if (years.empty()) cut = idx;
    years.push_back(y);
  }
  if (years.empty()) return out;
  add_totals(slots.data() + cut, years, out);

  std::vector<double> net;
  net.reserve(years.size());
  for (const auto& y : years)
    net.push_back(y.net_emission_co2e_t);
  const Neutrality result = neutrality(years.front().year, net);
  out.status = result.status;
  out.carbon_neutral_year = result.carbon_neutral_year;
  out.neutral_year_interp = result.neutral_year_interp;
  out.first_net_removal_year = result.first_net_removal_year;
  out.years = std::move(years);
  return out;
}

}  // namespace minecarbon::carbon
