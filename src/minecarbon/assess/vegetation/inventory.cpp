#include "minecarbon/assess/vegetation/inventory.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include "minecarbon/carbon/volume.h"

namespace minecarbon::assess::vegetation {
namespace {

// 1 g m⁻² = 1e-6 t / 1e-4 ha = 0.01 t ha⁻¹.
constexpr double kTHaPerGM2 = 0.01;

std::vector<Plot> read_plots(const CsvText& csv, ProblemList& problems) {
  carbon::require_columns(csv, {"plot_id", "area_m2"}, "plot");
  const bool has_lonlat = csv.has_column("lon") && csv.has_column("lat");
  std::vector<Plot> plots;
  std::set<std::string> seen;
  for (std::size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
    const carbon::FactorRow row(csv, row_idx);
    Plot p;
    p.where = row.where();
    p.id = row.text("plot_id");
    if (p.id.empty()) {
      problems.add("missing_id", p.where + ": plot_id is empty; every plot needs an id");
      continue;
    }
    if (!seen.insert(p.id).second) {
      problems.add("duplicate_id",
                   p.where + ": plot_id '" + p.id + "' appears twice; plot ids must be unique");
      continue;
    }
    p.area_m2 = row.number("area_m2");
    if (std::isnan(p.area_m2)) {
      problems.add("missing_value",
                   p.where + ": plot '" + p.id +
                       "' has no area (area_m2 is empty): every plot needs its area in m² (> 0) to "
                       "scale its trees to hectares; fill it in");
    } else if (!(p.area_m2 > 0) || !std::isfinite(p.area_m2)) {
      problems.add("out_of_range", p.where + ": plot '" + p.id +
                                       "' area_m2 = " + format_number(p.area_m2) +
                                       ": must be a finite area > 0 (m²)");
    } else if (p.area_m2 < kMinPlotAreaM2 || p.area_m2 > kMaxPlotAreaM2) {
      problems.add("implausible_value",
                   p.where + ": plot '" + p.id + "' area_m2 = " + row.text("area_m2") +
                       ": implausible plot area; plausible range " + format_plain(kMinPlotAreaM2) +
                       " to " + format_plain(kMaxPlotAreaM2) +
                       " m² (is it in hectares? 400 m² = 0.04 ha)");
    }
    p.mine_id = row.text("mine_id");
    p.land_use = row.text("land_use");
    if (p.land_use.empty()) p.land_use = kUnspecifiedLandUse;
    p.age_yr = row.number("stand_age_yr");
    if (!std::isnan(p.age_yr) && !(p.age_yr >= 0 && std::isfinite(p.age_yr))) {
      problems.add("out_of_range",
                   p.where + ": plot '" + p.id + "' stand_age_yr = " + format_number(p.age_yr) +
                       ": must be >= 0 (years since planting or restoration; empty = unknown)");
    } else if (p.age_yr > kMaxStandAgeYr) {
      problems.add("implausible_value",
                   p.where + ": plot '" + p.id + "' stand_age_yr = " + row.text("stand_age_yr") +
                       ": implausible stand age; plausible range 0 to " +
                       format_plain(kMaxStandAgeYr) +
                       " years (is it a calendar year?); correct it or leave it empty if unknown");
    }
    if (has_lonlat) {
      p.lon = row.number("lon");
      p.lat = row.number("lat");
    }
    plots.push_back(std::move(p));
  }
  return plots;
}

bool parse_status(std::string text, bool& live) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (text.empty() || text == "live" || text == "alive" || text == "l") {
    live = true;
    return true;
  }
  if (text == "dead" || text == "d") {
    live = false;
    return true;
  }
  return false;
}

std::vector<Tree> read_trees(const CsvText& csv, const std::map<std::string, std::size_t>& plot_of,
                             const std::string& plots_file, ProblemList& problems) {
  const std::string species_column =
      csv.has_column("forest_type") && !csv.has_column("species") ? "forest_type" : "species";
  carbon::require_columns(csv, {"plot_id", species_column, "dbh_cm"}, "tree");
  std::vector<Tree> trees;
  trees.reserve(csv.rows.size());
  for (std::size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
    const carbon::FactorRow row(csv, row_idx);
    Tree t;
    t.where = row.where();
    const std::string plot_id = row.text("plot_id");
    const auto plot = plot_of.find(plot_id);
    if (plot == plot_of.end()) {
      problems.add("unknown_plot", t.where + ": plot_id '" + plot_id + "' is not in " + plots_file +
                                       "; add the plot (with its area) or correct the id");
      continue;
    }
    t.plot = plot->second;
    t.species = row.text(species_column);
    if (t.species.empty()) {
      problems.add("missing_value", t.where + ": " + species_column +
                                        " is empty; every tree needs its species or forest type");
      continue;
    }
    t.dbh_cm = row.number("dbh_cm");
    if (!(t.dbh_cm > 0) || !std::isfinite(t.dbh_cm)) {
      problems.add(
          "out_of_range",
          t.where + ": dbh_cm = " + (std::isnan(t.dbh_cm) ? "(empty)" : format_number(t.dbh_cm)) +
              ": must be > 0 (diameter at breast height, cm); correct the value or remove the "
              "tree");
      continue;
    }
    if (t.dbh_cm > kMaxDbhCm) {
      problems.add("implausible_value",
                   t.where + ": dbh_cm = " + row.text("dbh_cm") +
                       ": implausible diameter at breast height; plausible range (0, " +
                       format_plain(kMaxDbhCm) + "] cm (is it in mm?); correct the value");
      continue;
    }
    t.height_m = row.number("height_m");
    if (!std::isnan(t.height_m) && !(t.height_m >= kBreastHeightM && std::isfinite(t.height_m))) {
      problems.add(
          "out_of_range",
          t.where + ": height_m = " + format_number(t.height_m) +
              ": below breast height (1.3 m), where dbh_cm is measured; correct the height, "
              "leave it empty to have it estimated, or record the plant in the shrub layer");
      continue;
    }
    if (t.height_m > kMaxHeightM) {
      problems.add("implausible_value",
                   t.where + ": height_m = " + row.text("height_m") +
                       ": implausible tree height; plausible range 1.3 to " +
                       format_plain(kMaxHeightM) +
                       " m (is it in feet or dm?); correct the height or leave it empty to have it "
                       "estimated");
      continue;
    }
    const double stems = row.number("stems");
    if (!std::isnan(stems)) {
      if (!(stems > 0) || !std::isfinite(stems)) {
        problems.add("out_of_range",
                     t.where + ": stems = " + format_number(stems) +
                         ": must be > 0 (number of stems this row stands for; empty = 1)");
        continue;
      }
      t.stems = stems;
    }
    if (!parse_status(row.text("status"), t.live)) {
      problems.add("unknown_choice", t.where + ": status = '" + row.text("status") +
                                         "': expected live or dead (empty = live)");
      continue;
    }
    trees.push_back(std::move(t));
  }
  return trees;
}

// Stems per hectare of every plot against kMaxStemsPerHa (plots whose area is already refused
// are skipped: their density says nothing new).
void check_stem_density(const std::vector<Plot>& plots, const std::vector<Tree>& trees,
                        const std::string& trees_file, ProblemList& problems) {
  std::vector<double> stems(plots.size(), 0.0);
  for (const Tree& t : trees)
    stems[t.plot] += t.stems;
  for (std::size_t plot_idx = 0; plot_idx < plots.size(); ++plot_idx) {
    const Plot& p = plots[plot_idx];
    if (!(p.area_m2 >= kMinPlotAreaM2 && p.area_m2 <= kMaxPlotAreaM2)) continue;
    const double per_ha = stems[plot_idx] / (p.area_m2 / units::kM2PerHa);
    if (per_ha > kMaxStemsPerHa) {
      problems.add("implausible_density",
                   p.where + ": plot '" + p.id + "': " + format_number(stems[plot_idx]) +
                       " stems in " + trees_file + " on area_m2 = " + format_number(p.area_m2) +
                       " m² are " + format_plain(std::round(per_ha)) +
                       " stems/ha: implausible stem density; plausible range 0 to " +
                       format_plain(kMaxStemsPerHa) +
                       " stems/ha; check area_m2 (m², not ha) and the stems "
                       "column");
    }
  }
}

std::vector<HarvestLayers> read_understorey(const CsvText& csv,
                                            const std::map<std::string, std::size_t>& plot_of,
                                            std::size_t n_plots, ProblemList& problems) {
  carbon::require_columns(csv, {"plot_id", "layer", "dry_mass_g_m2"}, "understorey");
  // (plot, layer, part) -> replicate sum and count: quadrats of one plot are averaged.
  std::map<std::tuple<std::size_t, int, int>, std::pair<double, int>> sums;
  static const std::array<std::string_view, 4> kLayers = {"shrub", "herb", "litter", "dead_wood"};
  for (std::size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
    const carbon::FactorRow row(csv, row_idx);
    const std::string plot_id = row.text("plot_id");
    const auto plot = plot_of.find(plot_id);
    if (plot == plot_of.end()) {
      problems.add("unknown_plot",
                   row.where() + ": plot_id '" + plot_id +
                       "' is not in the plot table; add the plot or correct the id");
      continue;
    }
    const std::string layer = row.text("layer");
    const auto layer_it = std::find(kLayers.begin(), kLayers.end(), layer);
    if (layer_it == kLayers.end()) {
      problems.add("unknown_choice", row.where() + ": layer = '" + layer +
                                         "': expected shrub, herb, litter or dead_wood");
      continue;
    }
    const std::string part = row.text("part");
    int part_idx = 0;
    if (part == "below_ground") {
      part_idx = 1;
    } else if (!part.empty() && part != "above_ground") {
      problems.add("unknown_choice",
                   row.where() + ": part = '" + part +
                       "': expected above_ground or below_ground (empty = above_ground)");
      continue;
    }
    const double mass = row.number("dry_mass_g_m2");
    if (!(mass >= 0) || !std::isfinite(mass)) {
      problems.add("out_of_range",
                   row.where() +
                       ": dry_mass_g_m2 = " + (std::isnan(mass) ? "(empty)" : format_number(mass)) +
                       ": must be >= 0 (oven-dry mass per m² of the harvest quadrat)");
      continue;
    }
    auto& cell = sums[{plot->second, static_cast<int>(layer_it - kLayers.begin()), part_idx}];
    cell.first += mass;
    cell.second += 1;
  }
  std::vector<HarvestLayers> layers(n_plots);
  for (const auto& [key, cell] : sums) {
    const std::size_t plot = std::get<0>(key);
    const int layer = std::get<1>(key);
    const double t_ha = cell.first / cell.second * kTHaPerGM2;
    HarvestLayers& h = layers[plot];
    h.sampled = true;
    switch (layer) {
      case 0:
        h.shrub_t_ha += t_ha;
        break;
      case 1:
        h.herb_t_ha += t_ha;
        break;
      case 2:
        h.litter_t_ha += t_ha;
        break;
      default:
        h.dead_wood_t_ha += t_ha;
        break;
    }
  }
  return layers;
}

}  // namespace

Inventory read_inventory(const CsvText& plots_csv, const CsvText& trees_csv,
                         const std::optional<CsvText>& understorey) {
  ProblemList problems(kShownProblems);
  Inventory inv;
  inv.plots = read_plots(plots_csv, problems);
  std::map<std::string, std::size_t> plot_of;
  for (std::size_t idx = 0; idx < inv.plots.size(); ++idx)
    plot_of.emplace(inv.plots[idx].id, idx);
  inv.trees = read_trees(trees_csv, plot_of, plots_csv.source, problems);
  check_stem_density(inv.plots, inv.trees, trees_csv.source, problems);
  inv.understorey_given = understorey.has_value();
  if (trees_csv.rows.empty()) {
    // Without quadrats nothing at all was measured: every stock would be a silent 0.
    if (!understorey) {
      problems.add(
          "empty_table",
          trees_csv.source +
              " has no tree rows (only a header): every plot would hold 0 carbon. Give the "
              "tree list, or, for treeless plots (grassland), the harvest quadrats as "
              "understorey = \"...\"");
    } else {
      inv.warnings.push_back(trees_csv.source +
                             " has no tree rows (only a header): every plot is taken as treeless "
                             "and its tree carbon is 0; only the understorey quadrats count");
    }
  }
  inv.harvest.assign(inv.plots.size(), HarvestLayers{});
  if (understorey)
    inv.harvest = read_understorey(*understorey, plot_of, inv.plots.size(), problems);
  throw_problems(problems);
  if (inv.plots.empty()) throw DataError("vegetation: " + plots_csv.source + " has no plots");
  return inv;
}

}  // namespace minecarbon::assess::vegetation
