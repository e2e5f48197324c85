#include "minecarbon/assess/balance/balance_steps.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess::balance_steps {
namespace {

// Mine ids in first-appearance order, each with its index.
class MineIndex {
 public:
  std::size_t add(const std::string& id) {
    // Records come grouped by mine, and every stage lists the mines in the same order: the last
    // id or the one after it answers most look-ups without hashing (inline: it runs once per
    // record).
    if (!ids_.empty() && id == ids_[last_]) return last_;
    if (last_ + 1 < ids_.size() && id == ids_[last_ + 1]) return ++last_;
    return look_up(id);
  }
  std::vector<std::string>& ids() { return ids_; }

 private:
  std::size_t look_up(const std::string& id) {
    auto [it, inserted] = index_.try_emplace(id, ids_.size());
    if (inserted) ids_.push_back(id);
    last_ = it->second;
    return last_;
  }

  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::string> ids_;
  std::size_t last_ = 0;
};

// Reserves, in every mine's series, room for that mine's rows of one stage: one allocation per
// mine and series instead of a regrowth by doubling.
template <class Values>
void reserve_rows(const std::vector<std::uint32_t>& row_mine,
                  std::vector<carbon::MineCarbonSeries>& series,
                  Values carbon::MineCarbonSeries::*member) {
  std::vector<std::size_t> rows_of(series.size(), 0);
  for (const std::size_t idx : row_mine)
    ++rows_of[idx];
  for (std::size_t idx = 0; idx < series.size(); ++idx)
    if (rows_of[idx] > 0) (series[idx].*member).reserve(rows_of[idx]);
}

[[noreturn]] void bad_year(const BalanceInputs& inputs, const char* stage,
                           const std::string& mine_id, int year, const char* field) {
  throw DataError("balance: " + origin_of(inputs, stage) + ": mine '" + mine_id + "', " + field +
                  " = " + std::to_string(year) + ": expected a calendar year (1-" +
                  std::to_string(kMaxCalendarYear) + ")");
}

// Inline, the message out of line: it runs once per record (millions at scale).
inline void check_year(const BalanceInputs& inputs, const char* stage, const std::string& mine_id,
                       int year, const char* field = "year") {
  if (year < 1 || year > kMaxCalendarYear) bad_year(inputs, stage, mine_id, year, field);
}

// Up to kIdsInMessage ids of the mines `of` holds, and how many there are.
std::string sample_ids(const std::vector<std::string>& ids, const std::vector<char>& of) {
  std::string out;
  std::size_t n = 0;
  for (std::size_t idx = 0; idx < of.size(); ++idx) {
    if (!of[idx]) continue;
    if (n++ < kIdsInMessage) out += (out.empty() ? "'" : ", '") + ids[idx] + "'";
  }
  if (n > kIdsInMessage) out += ", ... (" + std::to_string(n) + " in all)";
  return out;
}

}  // namespace

std::string origin_of(const BalanceInputs& inputs, const std::string& stage) {
  for (const auto& [name, origin] : inputs.origins)
    if (name == stage) return origin;
  return stage + " results";
}

const char* stage_of(carbon::SeriesComponent component) {
  switch (component) {
    case carbon::SeriesComponent::process:
      return kStageNames[kEmissions];
    case carbon::SeriesComponent::map_pairs:
      return kStageNames[kLanduse];
    case carbon::SeriesComponent::nep_change:
      return kStageNames[kDamage];
    case carbon::SeriesComponent::vegetation_sink:
      return kStageNames[kVegetation];
    case carbon::SeriesComponent::soil_sequestration:
      return kStageNames[kSoil];
  }
  return "";
}

void MineNotes::add(const std::string& mine_id, int count) {
  ++mines_;
  if (listed_.size() < kMinesInNote)
    listed_.push_back("'" + mine_id + "'" + (count > 0 ? " (" + std::to_string(count) + ")" : ""));
}

void MineNotes::report(ProblemList& warnings) const {
  if (mines_ == 0) return;
  std::string list = join(listed_, ", ");
  if (mines_ > listed_.size()) list += ", ...";
  warnings.add(code_, std::to_string(mines_) + (mines_ == 1 ? " mine" : " mines") + " with " +
                          what_ + ": " + list);
}

JoinedMines index_mines(const BalanceInputs& inputs) {
  MineIndex index;
  for (const auto& id : inputs.mine_ids)
    index.add(id);
  JoinedMines out;
  out.has.resize(kStageCount);
  out.row_mine.resize(kStageCount);
  // One stage's records: every year checked, every mine indexed; which mines the stage has is
  // marked after the loop (one pass over the indices instead of a size check per record).
  auto index_stage = [&](const auto& records, int stage, auto&& check_years) {
    auto& row_mine = out.row_mine[stage];
    row_mine.reserve(records.size());
    for (const auto& r : records) {
      check_years(r);
      row_mine.push_back(static_cast<std::uint32_t>(index.add(r.mine_id)));
    }
    auto& has = out.has[stage];
    has.assign(index.ids().size(), 0);
    for (const std::uint32_t idx : row_mine)
      has[idx] = 1;
  };
  if (inputs.emissions)
    index_stage(*inputs.emissions, kEmissions, [&](const ProcessEmissionRecord& r) {
      check_year(inputs, "emissions", r.mine_id, r.year);
    });
  if (inputs.landuse)
    index_stage(*inputs.landuse, kLanduse, [&](const LandusePairRecord& r) {
      check_year(inputs, "landuse", r.mine_id, r.year_from, "year_from");
      check_year(inputs, "landuse", r.mine_id, r.year_to, "year_to");
    });
  if (inputs.damage)
    index_stage(*inputs.damage, kDamage,
                [&](const NepChangeRecord& r) { check_year(inputs, "damage", r.mine_id, r.year); });
  if (inputs.vegetation)
    index_stage(*inputs.vegetation, kVegetation, [&](const VegetationSinkRecord& r) {
      check_year(inputs, "vegetation", r.mine_id, r.year);
    });
  if (inputs.soil)
    index_stage(*inputs.soil, kSoil, [&](const SoilSequestrationRecord& r) {
      check_year(inputs, "soil", r.mine_id, r.year);
    });
  out.ids = std::move(index.ids());
  for (auto& h : out.has)
    h.resize(out.ids.size(), 0);
  return out;
}

void check_common_ids(const BalanceInputs& inputs, const JoinedMines& mines,
                      ProblemList& warnings) {
  const auto& ids = mines.ids;
  const auto& has = mines.has;
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

void add_process_emissions(const BalanceInputs& inputs, const JoinedMines& mines,
                           std::vector<carbon::MineCarbonSeries>& series, ProblemList& warnings) {
  if (!inputs.emissions) return;
  std::size_t dropped = 0, non_finite = 0;
  std::set<std::size_t> dropped_mines;
  std::map<std::size_t, int> outside_maps;  // mine → land_cleared rows counted (no pair covers)
  const auto& row_mine = mines.row_mine[kEmissions];
  // One allocation per mine: its row count bounds its years.
  reserve_rows(row_mine, series, &carbon::MineCarbonSeries::process_co2e_t);
  // Rows of a mine usually come in year order: a year's rows are then summed as they come, in
  // file order. The first row of a mine that goes back in years stops that for the mine; its
  // rows are then sorted by year (stable) and summed below, which gives the same sums: every
  // year still adds its rows left to right in file order.
  std::vector<char> unsorted(series.size(), 0);
  const std::string_view land_cleared = kLandClearedSource;
  for (std::size_t row = 0; row < row_mine.size(); ++row) {
    const ProcessEmissionRecord& r = (*inputs.emissions)[row];
    const std::size_t idx = row_mine[row];
    const auto& pairs = series[idx].map_pairs;
    if (!pairs.empty() && std::string_view(r.source) == land_cleared) {
      const bool covered = std::any_of(pairs.begin(), pairs.end(), [&](const carbon::MapPair& p) {
        return r.year > p.year_from && r.year <= p.year_to;
      });
      if (covered) {
        ++dropped;
        dropped_mines.insert(idx);
        continue;
      }
      ++outside_maps[idx];
    }
    if (!std::isfinite(r.co2e_t)) {
      ++non_finite;
      continue;
    }
    auto& values = series[idx].process_co2e_t;
    if (!unsorted[idx] && !values.empty() && values.back().year >= r.year) {
      if (values.back().year == r.year) {
        values.back().value += r.co2e_t;
        continue;
      }
      unsorted[idx] = 1;
    }
    values.push_back({r.year, r.co2e_t});
  }
  for (std::size_t idx = 0; idx < series.size(); ++idx) {
    if (!unsorted[idx]) continue;
    auto& values = series[idx].process_co2e_t;
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
                     "clearing of those years (clearing_emission_co2e_t)");
  MineNotes outside{"land_cleared_outside_maps",
                    "land_cleared emission rows in years no map pair of the mine covers, counted "
                    "as process emissions (the maps do not see that clearing)"};
  for (const auto& [idx, count] : outside_maps)
    outside.add(mines.ids[idx], count);
  outside.report(warnings);
  if (non_finite > 0)
    warnings.add("non_finite_value", std::to_string(non_finite) +
                                         " emission rows with a missing co2e_t not counted (" +
                                         origin_of(inputs, "emissions") + ")");
}

std::vector<std::string> choose_soil(const BalanceParams& params, const BalanceInputs& inputs,
                                     const JoinedMines& mines,
                                     std::vector<carbon::MineCarbonSeries>& series,
                                     ProblemList& warnings) {
  const std::size_t n_mines = mines.ids.size();
  std::vector<std::string> soil_used(n_mines);
  if (!inputs.soil) return soil_used;
  // The soil rows of every mine in file order: a counting sort by mine.
  const auto& row_mine = mines.row_mine[kSoil];
  std::vector<std::size_t> mine_start(n_mines + 1, 0);
  for (const std::size_t idx : row_mine)
    ++mine_start[idx + 1];
  for (std::size_t idx = 0; idx < n_mines; ++idx)
    mine_start[idx + 1] += mine_start[idx];
  std::vector<std::size_t> rows_by_mine(row_mine.size());
  {
    std::vector<std::size_t> next(mine_start.begin(), mine_start.end() - 1);
    for (std::size_t row = 0; row < row_mine.size(); ++row)
      rows_by_mine[next[row_mine[row]]++] = row;
  }
  // One mine's scenarios in the order the soil stage gave them, and their values: scratch space
  // reused by every mine (cleared, capacity kept), not a vector of vectors per mine.
  std::vector<std::string> names;
  std::vector<std::vector<carbon::YearValue>> values;
  // One warning per kind for all mines (a demo or a company gives every mine the same scenarios).
  MineNotes missing{"soil_scenario_missing", "several soil scenarios but none named '" +
                                                 params.soil_scenario +
                                                 "' (soil_scenario), so chosen by soil_multiple"};
  MineNotes chosen_first{"soil_scenario_chosen",
                         "several soil scenarios (count in brackets), the first in the soil "
                         "stage's order used (set soil_scenario to choose one, or soil_multiple "
                         "= \"sum\")"};
  for (std::size_t idx = 0; idx < n_mines; ++idx) {
    if (mine_start[idx] == mine_start[idx + 1]) continue;
    names.clear();
    for (auto& v : values)
      v.clear();
    for (std::size_t k = mine_start[idx]; k < mine_start[idx + 1]; ++k) {
      const SoilSequestrationRecord& r = (*inputs.soil)[rows_by_mine[k]];
      auto it = std::find(names.begin(), names.end(), r.scenario);
      if (it == names.end()) {
        names.push_back(r.scenario);
        if (values.size() < names.size()) values.emplace_back();
        it = names.end() - 1;
      }
      values[static_cast<std::size_t>(it - names.begin())].push_back(
          {r.year, r.sequestration_tC_yr});
    }
    const std::string& id = mines.ids[idx];
    for (std::size_t s = 0; s < names.size(); ++s) {
      const std::string problem = carbon::duplicate_year(values[s], "soil sequestration");
      if (!problem.empty())
        throw DataError("balance: " + origin_of(inputs, "soil") + ": mine '" + id +
                        "', scenario '" + names[s] + "': " + problem);
    }
    std::vector<std::size_t> chosen;
    if (!params.soil_scenario.empty()) {
      auto it = std::find(names.begin(), names.end(), params.soil_scenario);
      if (it != names.end()) chosen = {static_cast<std::size_t>(it - names.begin())};
    }
    if (chosen.empty() && !params.soil_scenario.empty() && names.size() > 1)
      missing.add(id, static_cast<int>(names.size()));
    if (chosen.empty()) {
      if (names.size() == 1 || params.soil_multiple == SoilScenarioRule::first) {
        chosen = {0};
        if (names.size() > 1) chosen_first.add(id, static_cast<int>(names.size()));
      } else if (params.soil_multiple == SoilScenarioRule::sum) {
        for (std::size_t s = 0; s < names.size(); ++s)
          chosen.push_back(s);
      } else {
        throw DataError("balance: " + origin_of(inputs, "soil") + ": mine '" + id + "' has " +
                        std::to_string(names.size()) + " soil scenarios (" + join(names, ", ") +
                        ") and soil_multiple = \"error\"; set soil_scenario to the one to use, "
                        "or soil_multiple = \"first\" or \"sum\"");
      }
    }
    auto& soil = series[idx].soil_sequestration_tC_yr;
    if (chosen.size() == 1) {
      // One scenario (its years checked unique above): the same values, in year order, as the
      // std::map below gives, without a map node per year. 0.0 + v as the map's += does (-0 → 0).
      const std::size_t s = chosen.front();
      soil_used[idx] = names[s];
      soil.reserve(soil.size() + values[s].size());
      for (const auto& v : values[s])
        soil.push_back({v.year, 0.0 + v.value});
      const auto by_year_order = [](const carbon::YearValue& a, const carbon::YearValue& b) {
        return a.year < b.year;
      };
      if (!std::is_sorted(soil.begin(), soil.end(), by_year_order))
        std::sort(soil.begin(), soil.end(), by_year_order);  // years unique: any sort is stable
      continue;
    }
    std::map<int, double> by_year;
    std::vector<std::string> used;
    for (std::size_t s : chosen) {
      used.push_back(names[s]);
      for (const auto& v : values[s])
        by_year[v.year] += v.value;
    }
    soil_used[idx] = join(used, "; ");
    for (const auto& [year, value] : by_year)
      series[idx].soil_sequestration_tC_yr.push_back({year, value});
  }
  missing.report(warnings);
  chosen_first.report(warnings);
  return soil_used;
}

MineSeries build_series(const BalanceParams& params, const BalanceInputs& inputs,
                        const JoinedMines& mines, ProblemList& warnings) {
  MineSeries out;
  out.series.resize(mines.ids.size());
  auto& series = out.series;
  // Landuse first: a mine's map pairs decide the fate of its land_cleared rows.
  if (inputs.landuse) {
    reserve_rows(mines.row_mine[kLanduse], series, &carbon::MineCarbonSeries::map_pairs);
    for (std::size_t row = 0; row < mines.row_mine[kLanduse].size(); ++row) {
      const LandusePairRecord& r = (*inputs.landuse)[row];
      series[mines.row_mine[kLanduse][row]].map_pairs.push_back(
          {r.year_from, r.year_to, r.loss_tC, r.gain_tC});
    }
  }
  add_process_emissions(inputs, mines, series, warnings);
  if (inputs.damage) {
    reserve_rows(mines.row_mine[kDamage], series, &carbon::MineCarbonSeries::nep_change_MgC_yr);
    for (std::size_t row = 0; row < mines.row_mine[kDamage].size(); ++row)
      series[mines.row_mine[kDamage][row]].nep_change_MgC_yr.push_back(
          {(*inputs.damage)[row].year, (*inputs.damage)[row].nep_change_rel_MgC_yr});
  }
  if (inputs.vegetation) {
    reserve_rows(mines.row_mine[kVegetation], series,
                 &carbon::MineCarbonSeries::vegetation_sink_tC_yr);
    for (std::size_t row = 0; row < mines.row_mine[kVegetation].size(); ++row)
      series[mines.row_mine[kVegetation][row]].vegetation_sink_tC_yr.push_back(
          {(*inputs.vegetation)[row].year, (*inputs.vegetation)[row].sink_tC_yr});
  }
  out.soil_used = choose_soil(params, inputs, mines, series, warnings);
  return out;
}

void check_domain(const BalanceInputs& inputs, const JoinedMines& mines,
                  const std::vector<carbon::MineCarbonSeries>& series) {
  for (std::size_t idx = 0; idx < series.size(); ++idx) {
    const carbon::SeriesProblem problem = carbon::check_series(series[idx]);
    if (problem.ok()) continue;
    throw DataError("balance: " + origin_of(inputs, stage_of(problem.component)) + ": mine '" +
                    mines.ids[idx] + "': " + problem.text);
  }
}

double collect_mines(const BalanceParams& params, const JoinedMines& mines,
                     std::vector<std::string> soil_used, std::vector<carbon::NetBalance> balances,
                     BalanceResult& result) {
  // Mines per status, by enum value (a JSON look-up per mine cost more than the mine's notes).
  std::array<int, carbon::kNeutralityStatusNames.entries.size()> per_status{};
  std::size_t n_years = 0;
  for (const auto& b : balances)
    n_years += b.years.size();
  result.mine_years.reserve(n_years);
  result.mines.reserve(balances.size());
  double total_net = 0.0;
  MineNotes gaps{"ecosystem_gap",
                 "years without ecosystem flux (between observations, or no projection to the "
                 "horizon), counted as 0"};
  MineNotes overlaps{"projection_not_counted",
                     "projection years not after the last observed year (NEP or maps), not "
                     "counted"};
  MineNotes outside{"outside_account", "yearly values before first_year or after horizon_year (" +
                                           std::to_string(params.horizon_year) + "), not counted"};
  MineNotes missing{"non_finite_value", "missing (NaN) values, not counted"};
  MineNotes empty{"no_data",
                  "mines with stage rows but no value to count (only missing values, or values "
                  "outside the account)"};
  const auto& has = mines.has;
  for (std::size_t idx = 0; idx < balances.size(); ++idx) {
    BalanceMine mine;
    mine.mine_id = mines.ids[idx];
    mine.components.reserve(kStageCount);
    for (int stage = 0; stage < kStageCount; ++stage)
      if (has[stage][idx]) mine.components.push_back(kStageNames[stage]);
    mine.soil_scenario = std::move(soil_used[idx]);
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
    ++per_status[static_cast<std::size_t>(b.status)];
    total_net += b.net_emission_co2e_t;
    mine.balance = std::move(b);
    result.mines.push_back(std::move(mine));
  }
  nlohmann::json status_counts = nlohmann::json::object();
  for (const auto& [status, name] : carbon::kNeutralityStatusNames.entries)
    status_counts[std::string(name)] = per_status[static_cast<std::size_t>(status)];
  for (const MineNotes* notes : {&gaps, &overlaps, &outside, &missing, &empty})
    notes->report(result.warnings);
  result.summary["counts"] = {{"mines", result.mines.size()},
                              {"mine_years", result.mine_years.size()},
                              {"status", status_counts}};
  return total_net;
}

}  // namespace minecarbon::assess::balance_steps
