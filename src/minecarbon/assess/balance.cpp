#include "minecarbon/assess/balance.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess {

const OptionTable<BalanceParams>& BalanceParams::options() {
  static const OptionTable<BalanceParams> table = [] {
    using P = BalanceParams;
    OptionTable<P> t("balance");
    t.add(
         "horizon_year", [](P& p) -> int& { return p.horizon_year; },
         "last year of the account; projections run to it, the neutral year is sought up to it")
        .range(1, 9999);
    t.add(
         "first_year", [](P& p) -> int& { return p.first_year; },
         "count nothing before this year (e.g. the mine's opening); 0 = each mine from its first "
         "year with data")
        .range(0, 9999)
        .shown_default("0 (first year with data)");
    t.add(
        "soil_scenario", [](P& p) -> std::string& { return p.soil_scenario; },
        "soil scenario used for every mine that has one of this name");
    t.add_choice(
        "soil_multiple", [](P& p) -> SoilScenarioRule& { return p.soil_multiple; },
        kSoilScenarioRuleNames.entries,
        "a mine with several soil scenarios: first (with a warning), sum (scenarios are parts of "
        "the mine), error");
    return t;
  }();
  return table;
}

void BalanceParams::validate() const {
  check_options(options(), *this);
  if (first_year != 0 && first_year > horizon_year)
    throw OptionError("balance", "first_year",
                      "= " + std::to_string(first_year) + ": must not be after horizon_year (" +
                          std::to_string(horizon_year) + ")");
}

namespace {

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& part : parts)
    out += (out.empty() ? "" : separator) + part;
  return out;
}

constexpr const char* kStageNames[] = {"emissions", "landuse", "damage", "vegetation", "soil"};
enum StageIndex { kEmissions, kLanduse, kDamage, kVegetation, kSoil, kStageCount };

std::string origin_of(const BalanceInputs& inputs, const std::string& stage) {
  for (const auto& [name, origin] : inputs.origins)
    if (name == stage) return origin;
  return stage + " results";
}

// Mine ids in first-appearance order, each with its index.
class MineIndex {
 public:
  std::size_t add(const std::string& id) {
    auto [it, inserted] = index_.try_emplace(id, ids_.size());
    if (inserted) ids_.push_back(id);
    return it->second;
  }
  const std::vector<std::string>& ids() const { return ids_; }

 private:
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::string> ids_;
};

void check_year(const BalanceInputs& inputs, const char* stage, const std::string& mine_id,
                int year, const char* field = "year") {
  if (year < 1 || year > 9999)
    throw DataError("balance: " + origin_of(inputs, stage) + ": mine '" + mine_id + "', " + field +
                    " = " + std::to_string(year) + ": expected a calendar year (1-9999)");
}

std::string sample_ids(const std::set<std::string>& ids) {
  std::string out;
  std::size_t n = 0;
  for (const auto& id : ids) {
    if (n++ == 5) {
      out += ", ... (" + std::to_string(ids.size()) + " in all)";
      break;
    }
    out += (out.empty() ? "'" : ", '") + id + "'";
  }
  return out;
}

// With two or more stages holding mines, the ids must meet somewhere: ids "M1" in one stage and
// "1" in another are a join that silently gives every mine one component.
void check_common_ids(const BalanceInputs& inputs, const std::vector<std::set<std::string>>& ids,
                      ProblemList& warnings) {
  std::vector<int> with_mines;
  for (int stage = 0; stage < kStageCount; ++stage)
    if (!ids[stage].empty()) with_mines.push_back(stage);
  if (with_mines.size() < 2) return;
  std::vector<bool> shares(kStageCount, false);
  for (int a : with_mines)
    for (int b : with_mines)
      if (a != b)
        for (const auto& id : ids[a])
          if (ids[b].count(id)) {
            shares[a] = true;
            break;
          }
  const bool any =
      std::any_of(with_mines.begin(), with_mines.end(), [&](int s) { return shares[s]; });
  if (!any) {
    std::string list;
    for (int stage : with_mines)
      list += std::string("\n  ") + kStageNames[stage] + " (" +
              origin_of(inputs, kStageNames[stage]) + "): " + sample_ids(ids[stage]);
    throw DataError(
        "balance: the stages share no mine id, so no mine's components can be joined:" + list +
        "\nids are compared as text: give every stage the same id field (e.g. id_field = "
        "\"mine_id\" in each section)");
  }
  for (int stage : with_mines)
    if (!shares[stage])
      warnings.add("no_common_ids", std::string(kStageNames[stage]) + " (" +
                                        origin_of(inputs, kStageNames[stage]) +
                                        ") shares no mine id with the other stages, e.g. " +
                                        sample_ids(ids[stage]) + "; check its id field");
}

// Mines with one kind of note and a count each, reported as one warning.
class MineNotes {
 public:
  MineNotes(std::string code, std::string what) : code_(std::move(code)), what_(std::move(what)) {}
  void add(const std::string& mine_id, int count) {
    ++mines_;
    if (listed_.size() < kListed)
      listed_.push_back("'" + mine_id + "'" +
                        (count > 0 ? " (" + std::to_string(count) + ")" : ""));
  }
  void report(ProblemList& warnings) const {
    if (mines_ == 0) return;
    std::string list;
    for (const auto& item : listed_)
      list += (list.empty() ? "" : ", ") + item;
    if (mines_ > listed_.size()) list += ", ...";
    warnings.add(code_, std::to_string(mines_) + (mines_ == 1 ? " mine" : " mines") + " with " +
                            what_ + ": " + list);
  }

 private:
  static constexpr std::size_t kListed = 8;
  std::string code_, what_;
  std::size_t mines_ = 0;
  std::vector<std::string> listed_;
};

}  // namespace

BalanceResult run_balance(const BalanceParams& params, const BalanceInputs& inputs,
                          const RunContext& context) {
  const auto started = std::chrono::steady_clock::now();
  params.validate();
  BalanceResult result;
  result.params = params;
  ProblemList& warnings = result.warnings;
  warnings.append(inputs.adapter_warnings);
  const bool present[kStageCount] = {inputs.emissions.has_value(), inputs.landuse.has_value(),
                                     inputs.damage.has_value(), inputs.vegetation.has_value(),
                                     inputs.soil.has_value()};
  for (int stage = 0; stage < kStageCount; ++stage)
    if (present[stage]) result.stages.push_back(kStageNames[stage]);
  if (result.stages.empty())
    throw DataError(
        "balance: no stage results to join: give at least one of emissions, landuse, damage, "
        "vegetation or soil (in a project, their sections; with `minecarbon balance`, --from the "
        "folder they wrote)");

  MineIndex mines;
  for (const auto& id : inputs.mine_ids)
    mines.add(id);
  std::vector<std::set<std::string>> stage_ids(kStageCount);
  // Each stage's records, validated, then their mines (in stage order).
  if (inputs.emissions)
    for (const auto& r : *inputs.emissions) {
      check_year(inputs, "emissions", r.mine_id, r.year);
      stage_ids[kEmissions].insert(r.mine_id);
    }
  if (inputs.landuse)
    for (const auto& r : *inputs.landuse) {
      check_year(inputs, "landuse", r.mine_id, r.year_from, "year_from");
      check_year(inputs, "landuse", r.mine_id, r.year_to, "year_to");
      stage_ids[kLanduse].insert(r.mine_id);
    }
  if (inputs.damage)
    for (const auto& r : *inputs.damage) {
      check_year(inputs, "damage", r.mine_id, r.year);
      stage_ids[kDamage].insert(r.mine_id);
    }
  if (inputs.vegetation)
    for (const auto& r : *inputs.vegetation) {
      check_year(inputs, "vegetation", r.mine_id, r.year);
      stage_ids[kVegetation].insert(r.mine_id);
    }
  if (inputs.soil)
    for (const auto& r : *inputs.soil) {
      check_year(inputs, "soil", r.mine_id, r.year);
      stage_ids[kSoil].insert(r.mine_id);
    }
  check_common_ids(inputs, stage_ids, warnings);

  // Series per mine, in first-appearance order of the mines: layer, then stage by stage.
  std::vector<carbon::MineCarbonSeries> series;
  std::vector<std::vector<bool>> has(kStageCount);
  auto mine_of = [&](const std::string& id, int stage) {
    const std::size_t idx = mines.add(id);
    if (series.size() <= idx) {
      series.resize(idx + 1);
      for (auto& h : has)
        h.resize(idx + 1, false);
    }
    has[stage][idx] = true;
    return idx;
  };
  // Mines of the layer without data still get a slot.
  series.resize(mines.ids().size());
  for (auto& h : has)
    h.resize(mines.ids().size(), false);

  // Landuse first: whether a mine has map pairs decides the fate of its land_cleared rows.
  if (inputs.landuse)
    for (const auto& r : *inputs.landuse)
      series[mine_of(r.mine_id, kLanduse)].map_pairs.push_back(
          {r.year_from, r.year_to, r.loss_tC, r.gain_tC});
  if (inputs.emissions) {
    // Σ over sources per mine-year; land_cleared dropped where the maps count the clearing.
    std::vector<std::map<int, double>> by_year;
    std::size_t dropped = 0, dropped_outside = 0, non_finite = 0;
    std::set<std::string> dropped_mines;
    for (const auto& r : *inputs.emissions) {
      const std::size_t idx = mine_of(r.mine_id, kEmissions);
      if (by_year.size() <= idx) by_year.resize(idx + 1);
      double& sum = by_year[idx][r.year];
      if (r.source == kLandClearedSource && !series[idx].map_pairs.empty()) {
        ++dropped;
        dropped_mines.insert(r.mine_id);
        const auto& pairs = series[idx].map_pairs;
        const bool inside = std::any_of(pairs.begin(), pairs.end(), [&](const carbon::MapPair& p) {
          return r.year > p.year_from && r.year <= p.year_to;
        });
        if (!inside) {
          ++dropped_outside;
          warnings.add("land_cleared_outside_maps",
                       "mine '" + r.mine_id + "', " + std::to_string(r.year) +
                           ": a land_cleared row is not counted (the mine's land-use maps count "
                           "its clearing) but the year lies outside every map pair");
        }
        continue;
      }
      if (!std::isfinite(r.co2e_t)) {
        ++non_finite;
        continue;
      }
      sum += r.co2e_t;
    }
    for (std::size_t idx = 0; idx < by_year.size(); ++idx)
      for (const auto& [year, value] : by_year[idx])
        series[idx].process_co2e_t.push_back({year, value});
    if (dropped > 0)
      warnings.add("land_cleared_counted_by_maps",
                   std::to_string(dropped) + " land_cleared emission rows of " +
                       std::to_string(dropped_mines.size()) +
                       " mines not counted as process emissions: their land-use maps count the "
                       "clearing (clearing_emission_co2e_t)");
    if (non_finite > 0)
      warnings.add("non_finite_value", std::to_string(non_finite) +
                                           " emission rows with a missing co2e_t not counted (" +
                                           origin_of(inputs, "emissions") + ")");
  }
  if (inputs.damage)
    for (const auto& r : *inputs.damage)
      series[mine_of(r.mine_id, kDamage)].nep_change_MgC_yr.push_back(
          {r.year, r.nep_change_rel_MgC_yr});
  if (inputs.vegetation)
    for (const auto& r : *inputs.vegetation)
      series[mine_of(r.mine_id, kVegetation)].vegetation_sink_tC_yr.push_back(
          {r.year, r.sink_tC_yr});

  std::vector<std::string> soil_used(mines.ids().size());
  if (inputs.soil) {
    // Scenarios per mine in the order the soil stage gave them.
    std::vector<std::vector<std::string>> names;
    std::vector<std::vector<std::vector<carbon::YearValue>>> values;
    for (const auto& r : *inputs.soil) {
      const std::size_t idx = mine_of(r.mine_id, kSoil);
      if (names.size() <= idx) {
        names.resize(idx + 1);
        values.resize(idx + 1);
      }
      auto it = std::find(names[idx].begin(), names[idx].end(), r.scenario);
      if (it == names[idx].end()) {
        names[idx].push_back(r.scenario);
        values[idx].emplace_back();
        it = names[idx].end() - 1;
      }
      values[idx][static_cast<std::size_t>(it - names[idx].begin())].push_back(
          {r.year, r.sequestration_tC_yr});
    }
    soil_used.resize(series.size());
    for (std::size_t idx = 0; idx < names.size(); ++idx) {
      if (names[idx].empty()) continue;
      const std::string& id = mines.ids()[idx];
      for (std::size_t s = 0; s < names[idx].size(); ++s) {
        const std::string problem = carbon::check_series({{}, {}, {}, {}, values[idx][s]});
        if (!problem.empty())
          throw DataError("balance: " + origin_of(inputs, "soil") + ": mine '" + id +
                          "', scenario '" + names[idx][s] + "': " + problem);
      }
      std::vector<std::size_t> chosen;
      if (!params.soil_scenario.empty()) {
        auto it = std::find(names[idx].begin(), names[idx].end(), params.soil_scenario);
        if (it != names[idx].end()) chosen = {static_cast<std::size_t>(it - names[idx].begin())};
      }
      if (chosen.empty() && !params.soil_scenario.empty() && names[idx].size() > 1)
        warnings.add("soil_scenario_missing", "mine '" + id + "' has no soil scenario '" +
                                                  params.soil_scenario +
                                                  "'; chosen by soil_multiple");
      if (chosen.empty()) {
        if (names[idx].size() == 1 || params.soil_multiple == SoilScenarioRule::first) {
          chosen = {0};
          if (names[idx].size() > 1)
            warnings.add("soil_scenario_chosen",
                         "mine '" + id + "' has " + std::to_string(names[idx].size()) +
                             " soil scenarios; using the first, '" + names[idx][0] +
                             "' (set soil_scenario to choose, or soil_multiple = \"sum\")");
        } else if (params.soil_multiple == SoilScenarioRule::sum) {
          for (std::size_t s = 0; s < names[idx].size(); ++s)
            chosen.push_back(s);
        } else {
          throw DataError("balance: " + origin_of(inputs, "soil") + ": mine '" + id + "' has " +
                          std::to_string(names[idx].size()) + " soil scenarios (" +
                          join(names[idx], ", ") +
                          ") and soil_multiple = \"error\"; set soil_scenario to the one to use, "
                          "or soil_multiple = \"first\" or \"sum\"");
        }
      }
      std::map<int, double> by_year;
      std::vector<std::string> used;
      for (std::size_t s : chosen) {
        used.push_back(names[idx][s]);
        for (const auto& v : values[idx][s])
          by_year[v.year] += v.value;
      }
      soil_used[idx] = join(used, "; ");
      for (const auto& [year, value] : by_year)
        series[idx].soil_sequestration_tC_yr.push_back({year, value});
    }
  }
  soil_used.resize(series.size());

  // Every mine's series within the domain, before anything is computed.
  for (std::size_t idx = 0; idx < series.size(); ++idx) {
    const std::string problem = carbon::check_series(series[idx]);
    if (problem.empty()) continue;
    const char* stage = problem.rfind("map pair", 0) == 0     ? "landuse"
                        : problem.rfind("process", 0) == 0    ? "emissions"
                        : problem.rfind("NEP", 0) == 0        ? "damage"
                        : problem.rfind("vegetation", 0) == 0 ? "vegetation"
                                                              : "soil";
    throw DataError("balance: " + origin_of(inputs, stage) + ": mine '" + mines.ids()[idx] +
                    "': " + problem);
  }

  std::vector<carbon::NetBalance> balances(series.size());
  parallel_for(series.size(), context.threads, [&](std::size_t idx, std::size_t) {
    balances[idx] = carbon::net_balance(series[idx], params.horizon_year, params.first_year);
  });

  nlohmann::json status_counts = nlohmann::json::object();
  for (const auto& [status, name] : carbon::kNeutralityStatusNames.entries)
    status_counts[std::string(name)] = 0;
  std::size_t n_years = 0;
  for (const auto& b : balances)
    n_years += b.years.size();
  result.mine_years.reserve(n_years);
  double total_net = 0.0;
  // Per-mine notes of one kind become one warning listing the mines: a run over 45,000 mines
  // says "2,000 mines: ..." once, not 2,000 times.
  MineNotes gaps{"ecosystem_gap",
                 "years without ecosystem flux (between observations, or no projection to the "
                 "horizon), counted as 0"};
  MineNotes overlaps{"projection_not_counted",
                     "projection years overlapping observed years (NEP or maps), not counted"};
  MineNotes outside{"outside_account", "yearly values before first_year or after horizon_year (" +
                                           std::to_string(params.horizon_year) + "), not counted"};
  MineNotes missing{"non_finite_value", "missing (NaN) values, not counted"};
  MineNotes empty{"no_data",
                  "mines with stage rows but no value to count (only missing values, or values "
                  "outside the account)"};
  for (std::size_t idx = 0; idx < series.size(); ++idx) {
    BalanceMine mine;
    mine.mine_id = mines.ids()[idx];
    for (int stage = 0; stage < kStageCount; ++stage)
      if (has[stage][idx]) mine.components.push_back(kStageNames[stage]);
    mine.soil_scenario = soil_used[idx];
    carbon::NetBalance& b = balances[idx];
    if (!b.years.empty()) {
      mine.first_year = b.years.front().year;
      mine.last_year = b.years.back().year;
    }
    for (auto& y : b.years)
      result.mine_years.push_back({idx, y});
    b.years.clear();
    b.years.shrink_to_fit();
    const std::string& id = mine.mine_id;
    const bool has_ecosystem =
        has[kDamage][idx] || has[kLanduse][idx] || has[kVegetation][idx] || has[kSoil][idx];
    if (has_ecosystem && b.years_no_basis > 0) gaps.add(id, b.years_no_basis);
    if (b.projection_years_not_counted > 0) overlaps.add(id, b.projection_years_not_counted);
    if (b.values_outside_account > 0) outside.add(id, b.values_outside_account);
    if (b.non_finite_values > 0) missing.add(id, b.non_finite_values);
    if (b.status == carbon::NeutralityStatus::no_data && !mine.components.empty()) empty.add(id, 0);
    status_counts[std::string(carbon::kNeutralityStatusNames.name(b.status))] =
        status_counts[std::string(carbon::kNeutralityStatusNames.name(b.status))].get<int>() + 1;
    total_net += b.net_emission_co2e_t;
    mine.balance = std::move(b);
    result.mines.push_back(std::move(mine));
  }

  for (const MineNotes* notes : {&gaps, &overlaps, &outside, &missing, &empty})
    notes->report(warnings);

  nlohmann::json& summary = result.summary;
  summary["stage"] = "balance";
  summary["sign_convention"] = kSignConvention;
  summary["double_counting"] =
      "one ecosystem basis per year: nep in damage years (map gains and projections not counted), "
      "else landuse in map periods (map gains counted), else projection after the last observed "
      "year to horizon_year; map loss transitions are always counted; land_cleared emission rows "
      "are not counted for mines with land-use map pairs";
  summary["parameters"] = options_json(BalanceParams::options(), params);
  summary["stages"] = result.stages;
  nlohmann::json origins = nlohmann::json::object();
  for (const auto& [stage, origin] : inputs.origins)
    origins[stage] = origin;
  summary["origins"] = origins;
  summary["counts"] = {{"mines", result.mines.size()},
                       {"mine_years", result.mine_years.size()},
                       {"status", status_counts}};
  summary["total_net_emission_co2e_t"] = total_net;
  summary["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace minecarbon::assess
