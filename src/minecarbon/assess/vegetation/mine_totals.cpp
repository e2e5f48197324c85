#include "minecarbon/assess/vegetation/mine_totals.h"

#include <cmath>
#include <map>
#include <utility>

#include "minecarbon/assess/vegetation.h"
#include "minecarbon/carbon/volume.h"
#include "minecarbon/geo/geodesic_area.h"

namespace minecarbon::assess::vegetation {
namespace {

// A mine's stratum areas may differ from its area by this much before a warning.
constexpr double kAreaMismatchFrac = 0.01;

struct MineList {
  std::vector<Mine> mines;
  std::map<std::string, std::size_t> index_of;
};

MineList mines_from_polygons(const geo::PolygonLayer& layer) {
  MineList out;
  geo::CrsTransform to_lonlat(layer.crs_wkt, geo::kWgs84);
  for (std::size_t idx = 0; idx < layer.features.size(); ++idx) {
    const auto& feature = layer.features[idx];
    Mine m;
    m.id = feature.id;
    m.area_ha = geo::geodesic_area_m2(
                    to_lonlat.apply(feature.shape, layer.path + " feature " + feature.id)) /
                units::kM2PerHa;
    m.area_source = "polygon";
    m.feature = idx;
    out.index_of.emplace(m.id, out.mines.size());
    out.mines.push_back(std::move(m));
  }
  return out;
}

MineList mines_from_table(const CsvText& csv, ProblemList& problems) {
  MineList out;
  carbon::require_columns(csv, {"mine_id", "area_ha"}, "mine area");
  for (std::size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
    const carbon::FactorRow row(csv, row_idx);
    Mine m;
    m.id = row.text("mine_id");
    m.area_ha = row.number("area_ha");
    m.area_source = "mine_areas";
    if (m.id.empty()) {
      problems.add("missing_id", row.where() + ": mine_id is empty");
      continue;
    }
    if (!(m.area_ha > 0) || !std::isfinite(m.area_ha)) {
      problems.add("out_of_range", row.where() + ": mine '" + m.id + "' area_ha = " +
                                       format_number(m.area_ha) + ": must be > 0 (hectares)");
      continue;
    }
    if (!out.index_of.emplace(m.id, out.mines.size()).second) {
      problems.add("duplicate_id", row.where() + ": mine '" + m.id + "' appears twice");
      continue;
    }
    out.mines.push_back(std::move(m));
  }
  return out;
}

// (mine, land use) -> (area_ha, "file:line") from the stratum_areas table.
using StratumAreas = std::map<std::pair<std::string, std::string>, std::pair<double, std::string>>;

StratumAreas read_stratum_areas(const CsvText& csv, const MineList& mines, ProblemList& problems) {
  StratumAreas out;
  carbon::require_columns(csv, {"mine_id", "land_use", "area_ha"}, "stratum area");
  for (std::size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
    const carbon::FactorRow row(csv, row_idx);
    const std::string mine = row.text("mine_id");
    std::string lu = row.text("land_use");
    if (lu.empty()) lu = kUnspecifiedLandUse;
    const double area = row.number("area_ha");
    if (!mines.index_of.count(mine)) {
      problems.add("unknown_mine",
                   row.where() + ": mine_id '" + mine +
                       "' is neither in the mines nor in the plots; correct the id");
      continue;
    }
    if (!(area > 0) || !std::isfinite(area)) {
      problems.add("out_of_range", row.where() + ": area_ha = " + format_number(area) +
                                       ": must be > 0 (hectares of land use '" + lu +
                                       "' in mine '" + mine + "')");
      continue;
    }
    if (!out.emplace(std::make_pair(mine, lu), std::make_pair(area, row.where())).second)
      problems.add("duplicate_id",
                   row.where() + ": mine '" + mine + "', land use '" + lu + "' appears twice");
  }
  return out;
}

// The land uses of every mine with their plots and areas (no estimates yet).
std::vector<std::vector<MineStratum>> stratify_mines(const VegetationInputs& inputs,
                                                     const std::vector<Plot>& plots,
                                                     const MineList& list,
                                                     const StratumAreas& stratum_area,
                                                     bool areas_given, ProblemList& problems,
                                                     std::vector<std::string>& warnings) {
  const auto& mines = list.mines;
  std::vector<std::vector<MineStratum>> mine_strata(mines.size());
  std::vector<std::map<std::string, std::vector<std::size_t>>> by_mine(mines.size());
  for (std::size_t idx = 0; idx < plots.size(); ++idx) {
    if (plots[idx].mine_id.empty()) continue;
    by_mine[list.index_of.at(plots[idx].mine_id)][plots[idx].land_use].push_back(idx);
  }
  std::vector<std::string> share_mines, mismatch_mines, unsampled;
  for (std::size_t m = 0; m < mines.size(); ++m) {
    std::size_t n_mine_plots = 0;
    for (const auto& [lu, idx] : by_mine[m])
      n_mine_plots += idx.size();
    double sum_area = 0.0;
    for (const auto& [lu, indices] : by_mine[m]) {
      MineStratum s;
      s.land_use = lu;
      s.plots = indices;
      if (inputs.stratum_areas) {
        const auto it = stratum_area.find({mines[m].id, lu});
        if (it == stratum_area.end()) {
          problems.add("missing_row", inputs.stratum_areas->source + ": no row for mine '" +
                                          mines[m].id + "', land use '" + lu + "', which has " +
                                          std::to_string(indices.size()) +
                                          " plots; add its area_ha");
          continue;
        }
        s.area_ha = it->second.first;
        s.area_source = "stratum_areas";
      } else if (by_mine[m].size() == 1) {
        s.area_ha = mines[m].area_ha;
        s.area_source = "mine";
      } else {
        s.area_ha = mines[m].area_ha * static_cast<double>(indices.size()) /
                    static_cast<double>(n_mine_plots);
        s.area_source = "plot_share";
        if (share_mines.empty() || share_mines.back() != mines[m].id)
          share_mines.push_back(mines[m].id);
      }
      sum_area += s.area_ha;
      mine_strata[m].push_back(std::move(s));
    }
    if (inputs.stratum_areas && std::isfinite(mines[m].area_ha) && sum_area > 0 &&
        std::fabs(sum_area - mines[m].area_ha) > kAreaMismatchFrac * mines[m].area_ha)
      mismatch_mines.push_back(mines[m].id + " (" + format_number(sum_area) + " of " +
                               format_number(mines[m].area_ha) + " ha)");
  }
  for (const auto& [key, value] : stratum_area) {
    const std::size_t m = list.index_of.at(key.first);
    if (!by_mine[m].count(key.second))
      unsampled.push_back(key.first + "/" + key.second + " (" + value.second + ")");
  }
  if (!share_mines.empty() && areas_given)
    warnings.push_back(
        "mines with several land uses but no stratum_areas: each land use gets the mine area in "
        "proportion to its plots (" +
        join(share_mines) + ")");
  if (!mismatch_mines.empty())
    warnings.push_back("stratum areas do not add up to the mine area (> 1 %): " +
                       join(mismatch_mines));
  if (!unsampled.empty())
    warnings.push_back("land uses with an area but no plots are left out of the mine totals: " +
                       join(unsampled));
  return mine_strata;
}

// Estimates of each stratum and the stratified total of the mine.
MineTotal total_of_mine(Mine mine, std::vector<MineStratum> strata, const std::vector<Plot>& plots,
                        const std::vector<PlotCarbon>& plot_carbon,
                        const VegetationParams& params) {
  MineTotal out;
  std::vector<carbon::StratumSample> samples;
  double tree_sum = 0.0;
  for (MineStratum& s : strata) {
    std::vector<double> values, tree_values, ages;
    for (const std::size_t idx : s.plots) {
      values.push_back(plot_carbon[idx].total_carbon_tC_ha);
      tree_values.push_back(plot_carbon[idx].stand.carbon_tC_ha);
      ages.push_back(plots[idx].age_yr);
    }
    s.total_carbon_tC_ha = carbon::estimate_mean(values);
    s.tree_carbon_tC_ha = carbon::estimate_mean(tree_values);
    s.mean_stand_age_yr = carbon::estimate_mean(ages).mean;
    s.total_carbon_tC = s.area_ha * s.total_carbon_tC_ha.mean;
    samples.push_back({s.area_ha, s.total_carbon_tC_ha});
    tree_sum += s.area_ha * s.tree_carbon_tC_ha.mean;
    out.n_plots += s.plots.size();
  }
  const carbon::TotalEstimate t = carbon::stratified_total(samples);
  out.total_carbon_tC = t;
  out.precision = assess_precision(t.total, t.se, t.df, params);
  out.status = out.n_plots == 0          ? MineStatus::no_plots
               : !std::isfinite(t.total) ? MineStatus::no_area
               : !std::isfinite(t.se)    ? MineStatus::variance_unknown
                                         : MineStatus::ok;
  out.total_carbon_tC_ha = t.total / mine.area_ha;
  out.tree_carbon_tC = out.n_plots == 0 ? kNaN : tree_sum;
  out.mine = std::move(mine);
  out.strata = std::move(strata);
  return out;
}

}  // namespace

std::string_view to_string(MineStatus status) {
  switch (status) {
    case MineStatus::ok:
      return "ok";
    case MineStatus::no_plots:
      return "no_plots";
    case MineStatus::no_area:
      return "no_area";
    case MineStatus::variance_unknown:
      return "variance_unknown";
  }
  return "?";
}

MineTotals compute_mine_totals(const VegetationInputs& inputs, const std::vector<Plot>& plots,
                               const std::vector<PlotCarbon>& plot_carbon,
                               const VegetationParams& params) {
  MineTotals out;
  ProblemList problems(kShownProblems);
  MineList list;
  if (inputs.mines) {
    out.source = inputs.mines->path;
    list = mines_from_polygons(*inputs.mines);
  } else if (inputs.mine_areas) {
    out.source = inputs.mine_areas->source;
    list = mines_from_table(*inputs.mine_areas, problems);
  }
  out.areas_given = inputs.mines || inputs.mine_areas;
  out.from_polygons = inputs.mines != nullptr;
  for (const Plot& p : plots) {
    if (p.mine_id.empty() || list.index_of.count(p.mine_id)) continue;
    if (out.areas_given) {
      problems.add("unknown_mine", p.where + ": plot '" + p.id + "' mine_id '" + p.mine_id +
                                       "' is not in " + out.source +
                                       "; correct the id or add the mine");
      continue;
    }
    list.index_of.emplace(p.mine_id, list.mines.size());
    list.mines.push_back(Mine{p.mine_id, kNaN, "none", std::nullopt});
  }
  StratumAreas stratum_area;
  if (inputs.stratum_areas)
    stratum_area = read_stratum_areas(*inputs.stratum_areas, list, problems);
  throw_problems(problems);
  if (!out.areas_given && !list.mines.empty()) {
    out.warnings.push_back(
        "no mine areas (mines or mine_areas): mine totals are not computed, only means per "
        "hectare");
  }
  std::vector<std::vector<MineStratum>> strata =
      stratify_mines(inputs, plots, list, stratum_area, out.areas_given, problems, out.warnings);
  throw_problems(problems);
  out.mines.reserve(list.mines.size());
  for (std::size_t m = 0; m < list.mines.size(); ++m)
    out.mines.push_back(
        total_of_mine(std::move(list.mines[m]), std::move(strata[m]), plots, plot_carbon, params));
  return out;
}

}  // namespace minecarbon::assess::vegetation
