#include "minecarbon/pipeline/warning_mines.h"

#include <cmath>
#include <cstdlib>
#include <map>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon::pipeline {
namespace aw = assess::warning;

namespace {

// A decimal year written as text (an attribute): NaN for an empty cell or NA; nullopt when the
// text is not a number.
std::optional<double> year_of(const std::string& text) {
  std::string t = text;
  t.erase(0, t.find_first_not_of(" \t"));
  t.erase(t.find_last_not_of(" \t") + 1);
  if (t.empty() || t == "NA" || t == "NaN") return std::nan("");
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::map<std::string, std::size_t> index_of(const std::vector<aw::WarningSeries>& series) {
  std::map<std::string, std::size_t> out;
  for (std::size_t i = 0; i < series.size(); ++i)
    out.emplace(series[i].id, i);
  return out;
}

}  // namespace

bool csv_has_column(const std::string& path, const std::string& field,
                    const std::string& encoding) {
  return read_csv_file(path, {encoding}).has_column(field);
}

void history_start_from_csv(std::vector<aw::WarningSeries>& series, const std::string& path,
                            const std::string& field, const std::string& encoding) {
  const CsvText csv = read_csv_file(path, {encoding});
  const std::size_t id_col = csv.column("id");
  const std::size_t col = csv.column(field);
  const auto index = index_of(series);
  std::map<std::string, std::size_t> first_line;  // id → line of its first value
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    std::string id = csv.rows[r][id_col];
    id.erase(0, id.find_first_not_of(" \t"));
    id.erase(id.find_last_not_of(" \t") + 1);
    const double value = csv.number(r, col);  // DataError naming file, line, column
    if (std::isnan(value)) continue;
    auto it = index.find(id);
    if (it == index.end()) continue;
    aw::WarningSeries& s = series[it->second];
    if (std::isnan(s.history_start)) {
      s.history_start = value;
      first_line[id] = csv.line_numbers[r];
    } else if (s.history_start != value) {
      throw DataError(path + ":" + std::to_string(csv.line_numbers[r]) + ", column '" + field +
                      "': " + format_plain(value) + " for series '" + id + "', which has " +
                      format_plain(s.history_start) + " on line " + std::to_string(first_line[id]) +
                      "; history_start_field needs one history start per series");
    }
  }
}

void history_start_from_layer(std::vector<aw::WarningSeries>& series,
                              const geo::PolygonLayer& layer, const std::string& field) {
  const auto index = index_of(series);
  for (const auto& feature : layer.features) {
    auto it = index.find(feature.id);
    if (it == index.end()) continue;
    auto attr = feature.attributes.find(field);
    if (attr == feature.attributes.end()) continue;
    const std::optional<double> v = year_of(attr->second);
    if (!v)
      throw DataError(layer.path + ": mine '" + feature.id + "', field '" + field + "': '" +
                      attr->second +
                      "' is not a number; history_start_field needs a decimal year per mine");
    series[it->second].history_start = *v;
  }
}

void history_start_from_damage(std::vector<aw::WarningSeries>& series,
                               const assess::DamageResult& damage, const std::string& field) {
  const auto& names = damage.mine_attribute_names;
  std::size_t col = names.size();
  for (std::size_t a = 0; a < names.size(); ++a)
    if (names[a] == field) col = a;
  const std::string layer = damage.mine_layer ? damage.mine_layer->path : "damage's mine layer";
  if (col == names.size())
    throw ConfigError("[warning] history_start_field = '" + field + "': not a field of " + layer +
                      " (fields: " + (names.empty() ? std::string("none") : join(names, ", ")) +
                      "); name the field holding each mine's history start (e.g. the "
                      "restoration year)");
  const auto index = index_of(series);
  for (const auto& mine : damage.mines) {
    auto it = index.find(mine.mine_id);
    if (it == index.end() || col >= mine.attributes.size()) continue;
    const std::optional<double> v = year_of(mine.attributes[col]);
    if (!v)
      throw DataError(layer + ": mine '" + mine.mine_id + "', field '" + field + "': '" +
                      mine.attributes[col] +
                      "' is not a number; history_start_field needs a decimal year per mine");
    series[it->second].history_start = *v;
  }
}

void ring_from_damage(std::vector<aw::WarningSeries>& series, const assess::DamageResult& damage) {
  const auto index = index_of(series);
  std::map<std::size_t, std::size_t> series_of_mine;
  for (std::size_t m = 0; m < damage.mines.size(); ++m) {
    auto it = index.find(damage.mines[m].mine_id);
    if (it != index.end()) series_of_mine.emplace(m, it->second);
  }
  for (auto& s : series) {
    s.ring_own.assign(s.time.size(), std::nan(""));
    s.ring_mean.assign(s.time.size(), std::nan(""));
    s.ring_sd.assign(s.time.size(), std::nan(""));
  }
  for (const assess::MineYearRecord& r : damage.mine_years) {
    auto it = series_of_mine.find(r.mine);
    if (it == series_of_mine.end()) continue;
    aw::WarningSeries& s = series[it->second];
    for (std::size_t k = 0; k < s.time.size(); ++k)
      if (s.time[k] == static_cast<double>(r.year)) {
        s.ring_own[k] = r.nep_mine_gC_m2_yr;
        s.ring_mean[k] = r.nep_ref_gC_m2_yr;
        s.ring_sd[k] = r.nep_ref_sd_gC_m2_yr;
      }
  }
}

const std::vector<aw::Statistic>& warning_layer_statistics() {
  using S = aw::Statistic;
  static const std::vector<S> stats = {S::n_obs,
                                       S::last_time,
                                       S::last_value,
                                       S::mk_z,
                                       S::mk_p_bh,
                                       S::sen_slope,
                                       S::pettitt_time,
                                       S::pettitt_p,
                                       S::bfast_break_time,
                                       S::bfast_magnitude,
                                       S::cusum_last_alarm_time,
                                       S::ets_damped_hi80_min,
                                       S::theil_sen_hi80_min,
                                       S::z_temporal_last,
                                       S::z_spatial_last};
  return stats;
}

Table warning_mine_table(const aw::WarningResult& result, const geo::PolygonLayer& layer,
                         std::vector<std::string>& unmatched) {
  std::map<std::string, const aw::SeriesResult*> by_id;
  for (const auto& r : result.series)
    by_id.emplace(r.id, &r);
  std::map<std::string, bool> is_mine;
  for (const auto& f : layer.features)
    is_mine[f.id] = true;
  for (const auto& r : result.series)
    if (!is_mine.count(r.id)) unmatched.push_back(r.id);
  const auto& stats = warning_layer_statistics();
  std::vector<std::string> ids, levels;
  std::vector<std::int64_t> hits;
  std::vector<std::vector<double>> columns(stats.size());
  for (const auto& f : layer.features) {
    ids.push_back(f.id);
    auto it = by_id.find(f.id);
    const aw::SeriesResult* r = it == by_id.end() ? nullptr : it->second;
    levels.push_back(r ? result.rules.level_name(r->decision.level) : std::string());
    hits.push_back(r ? static_cast<std::int64_t>(r->decision.hits.size()) : 0);
    for (std::size_t c = 0; c < stats.size(); ++c)
      columns[c].push_back(r ? r->values.get(stats[c]) : std::nan(""));
  }
  Table table("warning");
  table.add("mine_id", ids);
  table.add("level", levels);
  table.add("rules_hit", hits);
  for (std::size_t c = 0; c < stats.size(); ++c)
    table.add(std::string(aw::statistic_info(stats[c]).name), std::move(columns[c]));
  return table;
}

}  // namespace minecarbon::pipeline
