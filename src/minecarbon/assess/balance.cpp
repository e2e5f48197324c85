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
    // Records come grouped by mine: the last id answers most look-ups without hashing.
    if (!ids_.empty() && id == ids_[last_]) return last_;
    auto [it, inserted] = index_.try_emplace(id, ids_.size());
    if (inserted) ids_.push_back(id);
    last_ = it->second;
    return last_;
  }
  const std::vector<std::string>& ids() const { return ids_; }

 private:
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::string> ids_;
  std::size_t last_ = 0;
};

void check_year(const BalanceInputs& inputs, const char* stage, const std::string& mine_id,
                int year, const char* field = "year") {
  if (year < 1 || year > 9999)
    throw DataError("balance: " + origin_of(inputs, stage) + ": mine '" + mine_id + "', " + field +
                    " = " + std::to_string(year) + ": expected a calendar year (1-9999)");
}

// Up to five ids of the mines `of` holds, and how many there are.
std::string sample_ids(const std::vector<std::string>& ids, const std::vector<char>& of) {
  std::string out;
  std::size_t n = 0;
  for (std::size_t idx = 0; idx < of.size(); ++idx) {
    if (!of[idx]) continue;
    if (n++ < 5) out += (out.empty() ? "'" : ", '") + ids[idx] + "'";
  }
  if (n > 5) out += ", ... (" + std::to_string(n) + " in all)";
  return out;
}

// With two or more stages holding mines, the ids must meet somewhere: ids "M1" in one stage and
// "1" in another are a join that silently gives every mine one component. has[stage][mine].
void check_common_ids(const BalanceInputs& inputs, const std::vector<std::string>& ids,
                      const std::vector<std::vector<char>>& has, ProblemList& warnings) {
  std::vector<int> with_mines;
  for (int stage = 0; stage < kStageCount; ++stage)
    if (std::find(has[stage].begin(), has[stage].end(), 1) != has[stage].end())
      with_mines.push_back(stage);
  if (with_mines.size() < 2) return;
  std::vector<bool> shares(kStageCount, false);
  for (std::size_t idx = 0; idx < ids.size(); ++idx) {
    int n = 0;
    for (int stage : with_mines)
      n += has[stage][idx];
    if (n < 2) continue;
    for (int stage : with_mines)
      if (has[stage][idx]) shares[stage] = true;
  }
  const bool any =
      std::any_of(with_mines.begin(), with_mines.end(), [&](int s) { return shares[s]; });
  if (!any) {
    std::string list;
    for (int stage : with_mines)
      list += std::string("\n  ") + kStageNames[stage] + " (" +
              origin_of(inputs, kStageNames[stage]) + "): " + sample_ids(ids, has[stage]);
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
                                        sample_ids(ids, has[stage]) + "; check its id field");
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

  // Every record's year checked and its mine indexed, stage by stage: the mines come in layer
  // order, then by first appearance in stage order.
  MineIndex mines;
  for (const auto& id : inputs.mine_ids)
    mines.add(id);
  std::vector<std::vector<char>> has(kStageCount);
  auto index_of = [&](const std::string& id, int stage) {
    const std::size_t idx = mines.add(id);
    if (has[stage].size() <= idx) has[stage].resize(mines.ids().size(), 0);
    has[stage][idx] = 1;
    return idx;
  };
  std::vector<std::size_t> emission_mine, landuse_mine, damage_mine, vegetation_mine, soil_mine;
  if (inputs.emissions)
    for (const auto& r : *inputs.emissions) {
      check_year(inputs, "emissions", r.mine_id, r.year);
      emission_mine.push_back(index_of(r.mine_id, kEmissions));
    }
  if (inputs.landuse)
    for (const auto& r : *inputs.landuse) {
      check_year(inputs, "landuse", r.mine_id, r.year_from, "year_from");
      check_year(inputs, "landuse", r.mine_id, r.year_to, "year_to");
      landuse_mine.push_back(index_of(r.mine_id, kLanduse));
    }
  if (inputs.damage)
    for (const auto& r : *inputs.damage) {
      check_year(inputs, "damage", r.mine_id, r.year);
      damage_mine.push_back(index_of(r.mine_id, kDamage));
    }
  if (inputs.vegetation)
    for (const auto& r : *inputs.vegetation) {
      check_year(inputs, "vegetation", r.mine_id, r.year);
      vegetation_mine.push_back(index_of(r.mine_id, kVegetation));
    }
  if (inputs.soil)
    for (const auto& r : *inputs.soil) {
      check_year(inputs, "soil", r.mine_id, r.year);
      soil_mine.push_back(index_of(r.mine_id, kSoil));
    }
  const std::size_t n_mines = mines.ids().size();
  for (auto& h : has)
    h.resize(n_mines, 0);
  check_common_ids(inputs, mines.ids(), has, warnings);

  std::vector<carbon::MineCarbonSeries> series(n_mines);
  // Landuse first: whether a mine has map pairs decides the fate of its land_cleared rows.
  if (inputs.landuse)
    for (std::size_t row = 0; row < landuse_mine.size(); ++row) {
      const LandusePairRecord& r = (*inputs.landuse)[row];
      series[landuse_mine[row]].map_pairs.push_back({r.year_from, r.year_to, r.loss_tC, r.gain_tC});
    }
  if (inputs.emissions) {
    // Σ over sources per mine-year (in record order); land_cleared dropped where the maps count
    // the clearing.
    std::size_t dropped = 0, non_finite = 0;
    std::set<std::size_t> dropped_mines;
    for (std::size_t row = 0; row < emission_mine.size(); ++row) {
      const ProcessEmissionRecord& r = (*inputs.emissions)[row];
      const std::size_t idx = emission_mine[row];
      const auto& pairs = series[idx].map_pairs;
      if (r.source == kLandClearedSource && !pairs.empty()) {
        ++dropped;
        dropped_mines.insert(idx);
        const bool inside = std::any_of(pairs.begin(), pairs.end(), [&](const carbon::MapPair& p) {
          return r.year > p.year_from && r.year <= p.year_to;
        });
        if (!inside)
          warnings.add("land_cleared_outside_maps",
                       "mine '" + r.mine_id + "', " + std::to_string(r.year) +
                           ": a land_cleared row is not counted (the mine's land-use maps count "
                           "its clearing) but the year lies outside every map pair");
        continue;
      }
      if (!std::isfinite(r.co2e_t)) {
        ++non_finite;
        continue;
      }
      series[idx].process_co2e_t.push_back({r.year, r.co2e_t});
    }
    for (auto& s : series) {
      auto& values = s.process_co2e_t;
      std::stable_sort(
          values.begin(), values.end(),
          [](const carbon::YearValue& a, const carbon::YearValue& b) { return a.year < b.year; });
      std::size_t out = 0;
      for (std::size_t in = 0; in < values.size(); ++in) {
        if (out > 0 && values[out - 1].year == values[in].year) {
          values[out - 1].value += values[in].value;
        } else {
          values[out++] = values[in];
        }
      }
      values.resize(out);
    }
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
    for (std::size_t row = 0; row < damage_mine.size(); ++row)
      series[damage_mine[row]].nep_change_MgC_yr.push_back(
          {(*inputs.damage)[row].year, (*inputs.damage)[row].nep_change_rel_MgC_yr});
  if (inputs.vegetation)
    for (std::size_t row = 0; row < vegetation_mine.size(); ++row)
      series[vegetation_mine[row]].vegetation_sink_tC_yr.push_back(
          {(*inputs.vegetation)[row].year, (*inputs.vegetation)[row].sink_tC_yr});

  std::vector<std::string> soil_used(mines.ids().size());
  if (inputs.soil) {
    // Scenarios per mine in the order the soil stage gave them.
    std::vector<std::vector<std::string>> names(n_mines);
    std::vector<std::vector<std::vector<carbon::YearValue>>> values(n_mines);
    for (std::size_t row = 0; row < soil_mine.size(); ++row) {
      const SoilSequestrationRecord& r = (*inputs.soil)[row];
      const std::size_t idx = soil_mine[row];
      auto it = std::find(names[idx].begin(), names[idx].end(), r.scenario);
      if (it == names[idx].end()) {
        names[idx].push_back(r.scenario);
        values[idx].emplace_back();
        it = names[idx].end() - 1;
      }
      values[idx][static_cast<std::size_t>(it - names[idx].begin())].push_back(
          {r.year, r.sequestration_tC_yr});
    }
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
