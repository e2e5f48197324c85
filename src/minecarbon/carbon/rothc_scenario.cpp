#include "minecarbon/carbon/rothc_scenario.h"

#include <algorithm>
#include <cmath>

#include "minecarbon/carbon/rothc.h"
#include "minecarbon/carbon/rothc_batch.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/text.h"

namespace minecarbon::carbon {
namespace {

constexpr double kSplitSumTolerance = 1e-6;

std::string date(int year, int month) {
  return std::to_string(year) + "-" + (month < 10 ? "0" : "") + std::to_string(month);
}

std::string split_problem(const AmendmentSplit& s) {
  for (double f : {s.dpm_frac, s.rpm_frac, s.bio_frac, s.hum_frac}) {
    if (!std::isfinite(f) || f < 0.0 || f > 1.0) return "split fractions must be within 0-1";
  }
  const double sum = s.dpm_frac + s.rpm_frac + s.bio_frac + s.hum_frac;
  if (std::abs(sum - 1.0) > kSplitSumTolerance) {
    return "split fractions dpm + rpm + bio + hum = " + format_plain(sum) + ": must sum to 1";
  }
  return {};
}

// Adds `amount` of C with 14C activity `modern` (fraction of modern) to a pool and updates the
// pool's radiocarbon age: A = C·exp(−λ·age) + modern·amount, age' = ln(C'/A)/λ.
void add_carbon(double& pool_tC_ha, double& age_yr, double amount_tC_ha, double modern) {
  if (amount_tC_ha <= 0.0) return;
  const double activity = pool_tC_ha * std::exp(-kDecay14c_per_yr * age_yr) + modern * amount_tC_ha;
  pool_tC_ha += amount_tC_ha;
  age_yr = (pool_tC_ha > 0.0 && activity > 0.0) ? std::log(pool_tC_ha / activity) / kDecay14c_per_yr
                                                : 0.0;
}

const VegetationPhase& phase_of(const ReclamationScenario& s, int year) {
  std::size_t idx = 0;
  while (idx + 1 < s.phases.size() && s.phases[idx + 1].first_year <= year)
    ++idx;
  return s.phases[idx];
}

std::array<double, kRothCMonthsPerYear> normalised_share(
    const std::array<double, kRothCMonthsPerYear>& share) {
  double sum = 0.0;
  for (double v : share)
    sum += v;
  std::array<double, kRothCMonthsPerYear> out{};
  for (int m = 0; m < kRothCMonthsPerYear; ++m)
    out[m] = share[m] / sum;
  return out;
}

const RothCMonth& climate_row(const ReclamationScenario& s, int year_idx, int month_idx) {
  if (s.climate.size() == static_cast<std::size_t>(kRothCMonthsPerYear))
    return s.climate[month_idx];
  return s.climate[static_cast<std::size_t>(year_idx * kRothCMonthsPerYear + month_idx)];
}

RothCState topsoil_start(const ReclamationScenario& s, RothCSite& site, double& former_input) {
  const auto share = normalised_share(s.start.former_input_share);
  std::vector<RothCMonth> rows(kRothCMonthsPerYear);
  for (int m = 0; m < kRothCMonthsPerYear; ++m) {
    rows[m] = climate_row(s, 0, m);
    rows[m].month = m + 1;
    rows[m].plant_input_tC_ha = share[m];
    rows[m].fym_tC_ha = 0.0;
    rows[m].biochar_tC_ha = 0.0;
    rows[m].plant_cover = s.start.former_cover[m];
    rows[m].dpm_rpm_ratio = s.start.former_dpm_rpm_ratio;
  }
  const PlantInputSolution solution =
      plant_input_for_equilibrium_soc(site, rows, s.start.soc_tC_ha, s.start.iom_from_falloon);
  former_input = solution.plant_input_tC_ha_yr;
  site.iom_tC_ha = solution.iom_tC_ha;
  for (int m = 0; m < kRothCMonthsPerYear; ++m)
    rows[m].plant_input_tC_ha = former_input * share[m];
  const RothCModel model = make_rothc_model(site);
  RothCState state = spin_up(model, rows, SpinUpMethod::exact).state;
  const double keep = 1.0 - s.start.stockpile_loss_frac;
  state.pools.dpm_tC_ha *= keep;
  state.pools.rpm_tC_ha *= keep;
  state.pools.bio_tC_ha *= keep;
  state.pools.hum_tC_ha *= keep;
  state.co2_cum_tC_ha = 0.0;
  return state;
}

RothCState spoil_start(const ReclamationScenario& s, RothCSite& site) {
  site.iom_tC_ha = s.start.soc_tC_ha * s.start.spoil_inert_frac;
  RothCState state = initial_state(site);
  state.pools.hum_tC_ha = s.start.soc_tC_ha - site.iom_tC_ha;
  // Spoil C is geogenic (overburden, coal fragments): radiocarbon-dead, like IOM.
  state.ages.hum_yr = state.pools.hum_tC_ha > 0.0 ? kIomAge_yr : 0.0;
  return state;
}

}  // namespace

std::string_view to_string(AmendmentKind kind) {
  switch (kind) {
    case AmendmentKind::manure:
      return "manure";
    case AmendmentKind::compost:
      return "compost";
    case AmendmentKind::sewage_sludge:
      return "sewage_sludge";
    case AmendmentKind::other:
      return "other";
  }
  return "unknown";
}

bool parse_amendment_kind(std::string_view text, AmendmentKind& kind) {
  for (AmendmentKind k : {AmendmentKind::manure, AmendmentKind::compost,
                          AmendmentKind::sewage_sludge, AmendmentKind::other}) {
    if (text == to_string(k)) {
      kind = k;
      return true;
    }
  }
  return false;
}

std::string amendment_kind_names() {
  return "manure, compost, sewage_sludge, other";
}

std::string_view to_string(InitialSoil kind) {
  return kind == InitialSoil::replaced_topsoil ? "replaced_topsoil" : "bare_spoil";
}

bool parse_initial_soil(std::string_view text, InitialSoil& kind) {
  for (InitialSoil k : {InitialSoil::replaced_topsoil, InitialSoil::bare_spoil}) {
    if (text == to_string(k)) {
      kind = k;
      return true;
    }
  }
  return false;
}

std::string monthly_series_problem(std::span<const RothCMonth> months, bool spin_up_year_first) {
  if (months.empty()) return "no monthly rows";
  for (std::size_t row = 0; row < months.size(); ++row) {
    const RothCMonth& r = months[row];
    if (row == 0) {
      if (r.month != 1) {
        return "row 1: month = " + std::to_string(r.month) +
               ": the series must start in January (month 1); RothC counts years by row";
      }
      continue;
    }
    const RothCMonth& prev = months[row - 1];
    const int want_month = prev.month == kRothCMonthsPerYear ? 1 : prev.month + 1;
    const int want_year = prev.month == kRothCMonthsPerYear ? prev.year + 1 : prev.year;
    const bool free_year =
        spin_up_year_first && row == static_cast<std::size_t>(kRothCMonthsPerYear);
    if (r.month != want_month || (r.year != want_year && !free_year)) {
      return "row " + std::to_string(row + 1) + ": " + date(r.year, r.month) + " follows " +
             date(prev.year, prev.month) + ", expected " + date(want_year, want_month) +
             ": a month is missing, repeated or out of order";
    }
  }
  if (months.size() % kRothCMonthsPerYear != 0) {
    return std::to_string(months.size()) +
           " monthly rows: not a whole number of years (a multiple of 12); the series ends in " +
           date(months.back().year, months.back().month) + ", complete its last year";
  }
  return {};
}

std::string scenario_problem(const ReclamationScenario& s) {
  if (s.years < 1) return "years = " + std::to_string(s.years) + ": must be >= 1";
  const int last_year = s.first_year + s.years - 1;
  if (s.climate.size() != static_cast<std::size_t>(kRothCMonthsPerYear) &&
      s.climate.size() !=
          static_cast<std::size_t>(kRothCMonthsPerYear) * static_cast<std::size_t>(s.years)) {
    return "climate has " + std::to_string(s.climate.size()) +
           " monthly rows: expected 12 (a climatology repeated every year) or 12 x years = " +
           std::to_string(kRothCMonthsPerYear * s.years);
  }
  if (s.phases.empty()) return "no vegetation phase: give at least one (it may be bare)";
  if (s.phases.front().first_year != s.first_year) {
    return "the first vegetation phase starts in " + std::to_string(s.phases.front().first_year) +
           ", not in the scenario's first year " + std::to_string(s.first_year);
  }
  for (std::size_t idx = 0; idx < s.phases.size(); ++idx) {
    const VegetationPhase& p = s.phases[idx];
    const std::string name = "phase " + std::to_string(idx + 1) + " ('" + p.label + "')";
    if (idx > 0 && p.first_year <= s.phases[idx - 1].first_year)
      return name + ": first_year must be after the previous phase's; list phases in order";
    if (!std::isfinite(p.plant_input_tC_ha_yr) || p.plant_input_tC_ha_yr < 0.0) {
      return name + ": plant_input_tC_ha_yr = " + format_plain(p.plant_input_tC_ha_yr) +
             ": must be >= 0 (t C/ha/yr)";
    }
    if (!std::isfinite(p.dpm_rpm_ratio) || p.dpm_rpm_ratio < 0.0)
      return name + ": dpm_rpm_ratio = " + format_plain(p.dpm_rpm_ratio) + ": must be >= 0";
    if (p.bare && p.plant_input_tC_ha_yr > 0.0)
      return name + ": a bare phase has no plant input; set plant_input_tC_ha_yr = 0";
    double share_sum = 0.0;
    for (double v : p.input_share) {
      if (!std::isfinite(v) || v < 0.0) return name + ": input_share values must be >= 0";
      share_sum += v;
    }
    if (!(share_sum > 0.0)) return name + ": input_share sums to 0; give 12 values > 0 in total";
    for (int c : p.cover) {
      if (c != 0 && c != 1) return name + ": cover values must be 0 (bare) or 1 (vegetated)";
    }
  }
  for (const Amendment& a : s.amendments) {
    const std::string name =
        std::string(to_string(a.kind)) + " amendment of " + date(a.year, a.month);
    if (a.year < s.first_year || a.year > last_year || a.month < 1 ||
        a.month > kRothCMonthsPerYear) {
      return name + ": outside the run (" + std::to_string(s.first_year) + "-" +
             std::to_string(last_year) + ", months 1-12)";
    }
    if (!std::isfinite(a.carbon_tC_ha) || a.carbon_tC_ha < 0.0)
      return name + ": carbon_tC_ha = " + format_plain(a.carbon_tC_ha) + ": must be >= 0 (t C/ha)";
    if (a.kind != AmendmentKind::manure && !a.split) {
      return name +
             ": no pool split: only manure has a default (the official FYM split 0.49/0.49/0.02); "
             "give dpm_frac, rpm_frac, bio_frac, hum_frac for this material";
    }
    if (a.split) {
      const std::string problem = split_problem(*a.split);
      if (!problem.empty()) return name + ": " + problem;
    }
  }
  for (const BiocharAddition& b : s.biochar) {
    const std::string name = "biochar of " + date(b.year, b.month);
    if (b.year < s.first_year || b.year > last_year || b.month < 1 || b.month > kRothCMonthsPerYear)
      return name + ": outside the run";
    if (!std::isfinite(b.carbon_tC_ha) || b.carbon_tC_ha < 0.0)
      return name + ": carbon_tC_ha = " + format_plain(b.carbon_tC_ha) + ": must be >= 0 (t C/ha)";
  }
  const ScenarioStart& st = s.start;
  if (!std::isfinite(st.soc_tC_ha) || st.soc_tC_ha < 0.0)
    return "start soc_tC_ha = " + format_plain(st.soc_tC_ha) + ": must be >= 0 (t C/ha)";
  if (st.kind == InitialSoil::replaced_topsoil) {
    if (!(st.soc_tC_ha > 0.0))
      return "replaced_topsoil needs its measured SOC: soc_tC_ha must be > 0";
    if (!(st.stockpile_loss_frac >= 0.0 && st.stockpile_loss_frac < 1.0))
      return "stockpile_loss_frac = " + format_plain(st.stockpile_loss_frac) +
             ": must be within [0, 1)";
    if (!std::isfinite(st.former_dpm_rpm_ratio) || st.former_dpm_rpm_ratio < 0.0)
      return "former_dpm_rpm_ratio = " + format_plain(st.former_dpm_rpm_ratio) + ": must be >= 0";
    double share_sum = 0.0;
    for (double v : st.former_input_share) {
      if (!std::isfinite(v) || v < 0.0) return "former_input_share values must be >= 0";
      share_sum += v;
    }
    if (!(share_sum > 0.0)) return "former_input_share sums to 0";
    for (int c : st.former_cover) {
      if (c != 0 && c != 1) return "former_cover values must be 0 or 1";
    }
  } else if (!(st.spoil_inert_frac >= 0.0 && st.spoil_inert_frac <= 1.0)) {
    return "spoil_inert_frac = " + format_plain(st.spoil_inert_frac) + ": must be within [0, 1]";
  }
  if (!(s.area_ha >= 0.0) || !std::isfinite(s.area_ha))
    return "area_ha = " + format_plain(s.area_ha) + ": must be >= 0 (ha; 0 = no totals)";
  return {};
}

ScenarioResult run_reclamation_scenario(const ReclamationScenario& s) {
  const std::string prefix = "RothC scenario '" + s.name + "': ";
  if (std::string problem = scenario_problem(s); !problem.empty())
    throw DataError(prefix + problem);

  ScenarioResult result;
  RothCSite site = s.site;
  validate_site(site);
  RothCState state = s.start.kind == InitialSoil::replaced_topsoil
                         ? topsoil_start(s, site, result.former_plant_input_tC_ha_yr)
                         : spoil_start(s, site);
  const RothCModel model = make_rothc_model(site);
  result.start = state;
  result.monthly.reserve(static_cast<std::size_t>(s.years) * kRothCMonthsPerYear);
  result.yearly.reserve(static_cast<std::size_t>(s.years));

  double soc_prev = state.pools.soc_tC_ha();
  for (int year_idx = 0; year_idx < s.years; ++year_idx) {
    const int year = s.first_year + year_idx;
    const VegetationPhase& phase = phase_of(s, year);
    const auto share = normalised_share(phase.input_share);
    ScenarioYear summary;
    summary.year = year;
    summary.phase = phase.label;
    const double co2_start = state.co2_cum_tC_ha;
    for (int m = 0; m < kRothCMonthsPerYear; ++m) {
      RothCMonth f = climate_row(s, year_idx, m);
      f.year = year;
      f.month = m + 1;
      f.plant_input_tC_ha = phase.bare ? 0.0 : phase.plant_input_tC_ha_yr * share[m];
      f.dpm_rpm_ratio = phase.dpm_rpm_ratio;
      f.plant_cover = phase.bare ? 0 : phase.cover[m];
      f.fym_tC_ha = 0.0;
      f.biochar_tC_ha = 0.0;
      for (const Amendment& a : s.amendments) {
        if (a.year == year && a.month == f.month && a.kind == AmendmentKind::manure && !a.split)
          f.fym_tC_ha += a.carbon_tC_ha;
      }
      for (const BiocharAddition& b : s.biochar) {
        if (b.year == year && b.month == f.month) f.biochar_tC_ha += b.carbon_tC_ha;
      }
      if (std::string problem = month_problem(f); !problem.empty())
        throw DataError(prefix + date(year, f.month) + ": " + problem);
      RothCMonthRecord rec = step_month(model, f, state);
      // Amendments with their own split go in after decomposition, as FYM does.
      double split_amendments = 0.0;
      const double modern = f.modern_pct / 100.0;
      for (const Amendment& a : s.amendments) {
        if (a.year != year || a.month != f.month || !a.split) continue;
        RothCPools& p = state.pools;
        RothCAges& age = state.ages;
        add_carbon(p.dpm_tC_ha, age.dpm_yr, a.carbon_tC_ha * a.split->dpm_frac, modern);
        add_carbon(p.rpm_tC_ha, age.rpm_yr, a.carbon_tC_ha * a.split->rpm_frac, modern);
        add_carbon(p.bio_tC_ha, age.bio_yr, a.carbon_tC_ha * a.split->bio_frac, modern);
        add_carbon(p.hum_tC_ha, age.hum_yr, a.carbon_tC_ha * a.split->hum_frac, modern);
        split_amendments += a.carbon_tC_ha;
      }
      if (split_amendments > 0.0) {
        rec.pools = state.pools;
        rec.fym_tC_ha += split_amendments;
        rec.total_age_yr = total_radiocarbon_age_yr(state.pools, state.ages);
        rec.delta14c_permil = delta14c_permil(rec.total_age_yr);
      }
      summary.plant_input_tC_ha += f.plant_input_tC_ha;
      summary.amendment_tC_ha += f.fym_tC_ha + split_amendments;
      summary.biochar_input_tC_ha += f.biochar_tC_ha;
      result.monthly.push_back(rec);
    }
    summary.pools = state.pools;
    summary.soc_tC_ha = state.pools.soc_tC_ha();
    summary.change_tC_ha_yr = summary.soc_tC_ha - soc_prev;
    summary.co2_tC_ha = state.co2_cum_tC_ha - co2_start;
    soc_prev = summary.soc_tC_ha;
    result.yearly.push_back(summary);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

BatchResult run_site_batch(std::span<const BatchSite> sites, int years, bool keep_yearly,
                           int threads, std::size_t chunk_cells) {
  if (years < 1)
    throw DataError("RothC batch: years = " + std::to_string(years) + ": must be >= 1");
  if (chunk_cells == 0) chunk_cells = 1;
  const std::size_t n = sites.size();
  const auto years_u = static_cast<std::size_t>(years);
  BatchResult result;
  result.soc_start_tC_ha.assign(n, 0.0);
  result.soc_end_tC_ha.assign(n, 0.0);
  if (keep_yearly) result.soc_yearly_tC_ha.assign(n * years_u, 0.0);
  const std::size_t chunks = (n + chunk_cells - 1) / chunk_cells;
  parallel_for(chunks, threads, [&](std::size_t chunk, std::size_t) {
    const std::size_t first = chunk * chunk_cells;
    const std::size_t count = std::min(chunk_cells, n - first);
    std::vector<RothCSite> chunk_sites(count);
    std::vector<RothCMonth> baseline(count * kRothCMonthsPerYear),
        scenario(count * kRothCMonthsPerYear);
    bool any_equilibrium = false;
    for (std::size_t cell = 0; cell < count; ++cell) {
      const BatchSite& b = sites[first + cell];
      chunk_sites[cell] = b.site;
      std::copy(b.baseline.begin(), b.baseline.end(),
                baseline.begin() + cell * kRothCMonthsPerYear);
      std::copy(b.scenario.begin(), b.scenario.end(),
                scenario.begin() + cell * kRothCMonthsPerYear);
      any_equilibrium = any_equilibrium || !b.start_bare;
    }
    RothCBatch run = make_rothc_batch(chunk_sites, scenario);
    if (any_equilibrium) {
      RothCBatch base = make_rothc_batch(chunk_sites, baseline);
      equilibrate_rothc_batch(base);
      for (std::size_t cell = 0; cell < count; ++cell) {
        if (sites[first + cell].start_bare) continue;
        run.dpm_tC_ha[cell] = base.dpm_tC_ha[cell];
        run.rpm_tC_ha[cell] = base.rpm_tC_ha[cell];
        run.bio_tC_ha[cell] = base.bio_tC_ha[cell];
        run.hum_tC_ha[cell] = base.hum_tC_ha[cell];
      }
    }
    for (std::size_t cell = 0; cell < count; ++cell)
      result.soc_start_tC_ha[first + cell] = rothc_batch_pools(run, cell).soc_tC_ha();
    std::span<double> yearly;
    if (keep_yearly)
      yearly = std::span<double>(result.soc_yearly_tC_ha).subspan(first * years_u, count * years_u);
    run_rothc_batch(run, years, yearly);
    for (std::size_t cell = 0; cell < count; ++cell)
      result.soc_end_tC_ha[first + cell] = rothc_batch_pools(run, cell).soc_tC_ha();
  });
  return result;
}

}  // namespace minecarbon::carbon
