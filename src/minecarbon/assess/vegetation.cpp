#include "minecarbon/assess/vegetation.h"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "minecarbon/carbon/carbon_stock.h"
#include "minecarbon/carbon/growth_projection.h"
#include "minecarbon/carbon/height_diameter.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/geo/geodesic_area.h"
#include "minecarbon/ml/random_stream.h"

namespace minecarbon::assess {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Breast height: a tree with a DBH is taller than the height where D is measured.
constexpr double kBreastHeightM = 1.3;
constexpr double kM2PerHa = 10000.0;
// 1 g m⁻² = 1e-6 t / 1e-4 ha = 0.01 t ha⁻¹.
constexpr double kTHaPerGM2 = 0.01;
constexpr double kPercent = 100.0;
// Confidence levels always reported beside the configurable precision level.
constexpr double kLevel90 = 0.90;
constexpr double kLevel95 = 0.95;
// A mine's stratum areas may differ from its area by this much before a warning.
constexpr double kAreaMismatchFrac = 0.01;
// Saturation ages are searched up to this stand age (years).
constexpr double kSearchMaxAgeYr = 1000.0;
// Purpose of the Monte Carlo seed derivation (seed, purpose, land-use index); never change.
constexpr std::uint64_t kProjectionSeedPurpose = 0x7665676574617469ULL;  // "vegetati"
// Shown messages per kind of data problem; the rest are counted.
constexpr std::size_t kShownProblems = 5;
const std::string kUnspecifiedLandUse = "unspecified";

template <class Enum>
struct Name {
  Enum value;
  std::string_view name;
};

constexpr std::array<Name<GrowthResponse>, 4> kResponses = {{
    {GrowthResponse::tree_carbon, "tree_carbon"},
    {GrowthResponse::total_carbon, "total_carbon"},
    {GrowthResponse::tree_biomass, "tree_biomass"},
    {GrowthResponse::volume, "volume"},
}};
// What the tables call each growth response and its units: one row per response.
struct ResponseText {
  GrowthResponse value;
  std::string_view column, unit_ha, unit_total;
};
constexpr std::array<ResponseText, 4> kResponseText = {{
    {GrowthResponse::tree_carbon, "tree_carbon_tC_ha", "tC_ha", "tC"},
    {GrowthResponse::total_carbon, "total_carbon_tC_ha", "tC_ha", "tC"},
    {GrowthResponse::tree_biomass, "tree_biomass_t_ha", "t_ha", "t"},
    {GrowthResponse::volume, "volume_m3_ha", "m3_ha", "m3"},
}};
const ResponseText& response_text(GrowthResponse response) {
  for (const auto& row : kResponseText)
    if (row.value == response) return row;
  return kResponseText.front();  // unreachable: every enumerator has a row
}
constexpr std::array<Name<HeightGrouping>, 3> kGroupings = {{
    {HeightGrouping::species, "species"},
    {HeightGrouping::species_land_use, "species_land_use"},
    {HeightGrouping::all, "all"},
}};
constexpr std::array<Name<GrowthFailurePolicy>, 2> kPolicies = {{
    {GrowthFailurePolicy::error, "error"},
    {GrowthFailurePolicy::skip, "skip"},
}};

template <class Enum, std::size_t N>
std::string choices_of(const std::array<Name<Enum>, N>& names) {
  std::string out;
  for (const auto& n : names)
    out += (out.empty() ? "" : ", ") + std::string(n.name);
  return out;
}

template <class Enum, std::size_t N>
Enum parse_name(const std::array<Name<Enum>, N>& names, std::string_view name,
                const std::string& what) {
  for (const auto& n : names)
    if (n.name == name) return n.value;
  throw ConfigError("unknown " + what + " '" + std::string(name) +
                    "'; choices: " + choices_of(names));
}

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<Name<Enum>, N>& names, Enum value) {
  for (const auto& n : names)
    if (n.value == value) return n.name;
  return "?";
}

std::string fmt(double value) {
  return format_double(value);
}

// Data problems of one run, reported together: the first few in full, the rest counted.
class Problems {
 public:
  void add(std::string message) { messages_.push_back(std::move(message)); }
  bool empty() const { return messages_.empty(); }
  void throw_if_any() const {
    if (messages_.empty()) return;
    std::string text = "vegetation: " + messages_.front();
    for (std::size_t idx = 1; idx < std::min(messages_.size(), kShownProblems); ++idx)
      text += "\n  " + messages_[idx];
    if (messages_.size() > kShownProblems)
      text += "\n  (and " + std::to_string(messages_.size() - kShownProblems) + " more)";
    throw DataError(text);
  }

 private:
  std::vector<std::string> messages_;
};

// ---------------------------------------------------------------- inventory records

struct Plot {
  std::string id;
  std::string mine_id;
  std::string land_use;
  double area_m2 = kNaN;
  double age_yr = kNaN;
  double lon = kNaN;
  double lat = kNaN;
  std::string where;
};

struct Tree {
  std::size_t plot = 0;
  std::string species;
  std::size_t spec = 0;
  double dbh_cm = kNaN;
  double height_m = kNaN;
  bool height_estimated = false;
  double stems = 1.0;
  bool live = true;
  std::string where;
};

struct HarvestLayers {
  double shrub_t_ha = 0.0;
  double herb_t_ha = 0.0;
  double litter_t_ha = 0.0;
  double dead_wood_t_ha = 0.0;
  bool sampled = false;
};

std::vector<Plot> read_plots(const CsvText& csv, Problems& problems) {
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
      problems.add(p.where + ": plot_id is empty; every plot needs an id");
      continue;
    }
    if (!seen.insert(p.id).second) {
      problems.add(p.where + ": plot_id '" + p.id + "' appears twice; plot ids must be unique");
      continue;
    }
    p.area_m2 = row.number("area_m2");
    if (std::isnan(p.area_m2)) {
      problems.add(p.where + ": plot '" + p.id +
                   "' has no area (area_m2 is empty): every plot needs its area in m² (> 0) to "
                   "scale its trees to hectares; fill it in");
    } else if (!(p.area_m2 > 0) || !std::isfinite(p.area_m2)) {
      problems.add(p.where + ": plot '" + p.id + "' area_m2 = " + fmt(p.area_m2) +
                   ": must be a finite area > 0 (m²)");
    }
    p.mine_id = row.text("mine_id");
    p.land_use = row.text("land_use");
    if (p.land_use.empty()) p.land_use = kUnspecifiedLandUse;
    p.age_yr = row.number("stand_age_yr");
    if (!std::isnan(p.age_yr) && !(p.age_yr >= 0 && std::isfinite(p.age_yr))) {
      problems.add(p.where + ": plot '" + p.id + "' stand_age_yr = " + fmt(p.age_yr) +
                   ": must be >= 0 (years since planting or restoration; empty = unknown)");
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
                             const std::string& plots_file, Problems& problems) {
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
      problems.add(t.where + ": plot_id '" + plot_id + "' is not in " + plots_file +
                   "; add the plot (with its area) or correct the id");
      continue;
    }
    t.plot = plot->second;
    t.species = row.text(species_column);
    if (t.species.empty()) {
      problems.add(t.where + ": " + species_column +
                   " is empty; every tree needs its species or forest type");
      continue;
    }
    t.dbh_cm = row.number("dbh_cm");
    if (!(t.dbh_cm > 0) || !std::isfinite(t.dbh_cm)) {
      problems.add(
          t.where + ": dbh_cm = " + (std::isnan(t.dbh_cm) ? "(empty)" : fmt(t.dbh_cm)) +
          ": must be > 0 (diameter at breast height, cm); correct the value or remove the tree");
      continue;
    }
    t.height_m = row.number("height_m");
    if (!std::isnan(t.height_m) && !(t.height_m >= kBreastHeightM && std::isfinite(t.height_m))) {
      problems.add(t.where + ": height_m = " + fmt(t.height_m) +
                   ": below breast height (1.3 m), where dbh_cm is measured; correct the height, "
                   "leave it empty to have it estimated, or record the plant in the shrub layer");
      continue;
    }
    const double stems = row.number("stems");
    if (!std::isnan(stems)) {
      if (!(stems > 0) || !std::isfinite(stems)) {
        problems.add(t.where + ": stems = " + fmt(stems) +
                     ": must be > 0 (number of stems this row stands for; empty = 1)");
        continue;
      }
      t.stems = stems;
    }
    if (!parse_status(row.text("status"), t.live)) {
      problems.add(t.where + ": status = '" + row.text("status") +
                   "': expected live or dead (empty = live)");
      continue;
    }
    trees.push_back(std::move(t));
  }
  return trees;
}

std::vector<HarvestLayers> read_understorey(const CsvText& csv,
                                            const std::map<std::string, std::size_t>& plot_of,
                                            std::size_t n_plots, Problems& problems) {
  carbon::require_columns(csv, {"plot_id", "layer", "dry_mass_g_m2"}, "understorey");
  // (plot, layer, part) -> replicate sum and count: quadrats of one plot are averaged.
  std::map<std::tuple<std::size_t, int, int>, std::pair<double, int>> sums;
  static const std::array<std::string_view, 4> kLayers = {"shrub", "herb", "litter", "dead_wood"};
  for (std::size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
    const carbon::FactorRow row(csv, row_idx);
    const std::string plot_id = row.text("plot_id");
    const auto plot = plot_of.find(plot_id);
    if (plot == plot_of.end()) {
      problems.add(row.where() + ": plot_id '" + plot_id +
                   "' is not in the plot table; add the plot or correct the id");
      continue;
    }
    const std::string layer = row.text("layer");
    const auto layer_it = std::find(kLayers.begin(), kLayers.end(), layer);
    if (layer_it == kLayers.end()) {
      problems.add(row.where() + ": layer = '" + layer +
                   "': expected shrub, herb, litter or dead_wood");
      continue;
    }
    const std::string part = row.text("part");
    int part_idx = 0;
    if (part == "below_ground") {
      part_idx = 1;
    } else if (!part.empty() && part != "above_ground") {
      problems.add(row.where() + ": part = '" + part +
                   "': expected above_ground or below_ground (empty = above_ground)");
      continue;
    }
    const double mass = row.number("dry_mass_g_m2");
    if (!(mass >= 0) || !std::isfinite(mass)) {
      problems.add(row.where() + ": dry_mass_g_m2 = " + (std::isnan(mass) ? "(empty)" : fmt(mass)) +
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

// ---------------------------------------------------------------- tables

// Column builders: one vector per column, added in order.
struct TableBuilder {
  Table& table;
  template <class T>
  void add(const std::string& name, std::vector<T> values) {
    table.add(name, ColumnData(std::move(values)));
  }
};

std::string join(const std::vector<std::string>& items, const std::string& sep = ", ") {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : sep) + item;
  return out;
}

}  // namespace

// ---------------------------------------------------------------- names

std::string_view to_string(GrowthResponse response) {
  return name_of(kResponses, response);
}
GrowthResponse parse_growth_response(std::string_view name) {
  return parse_name(kResponses, name, "growth response");
}
std::string growth_response_choices() {
  return choices_of(kResponses);
}
std::string growth_response_column(GrowthResponse response) {
  return std::string(response_text(response).column);
}
std::string growth_response_unit_ha(GrowthResponse response) {
  return std::string(response_text(response).unit_ha);
}
std::string growth_response_unit_total(GrowthResponse response) {
  return std::string(response_text(response).unit_total);
}
std::string_view to_string(HeightGrouping grouping) {
  return name_of(kGroupings, grouping);
}
HeightGrouping parse_height_grouping(std::string_view name) {
  return parse_name(kGroupings, name, "height-model grouping");
}
std::string_view to_string(GrowthFailurePolicy policy) {
  return name_of(kPolicies, policy);
}
GrowthFailurePolicy parse_growth_failure_policy(std::string_view name) {
  return parse_name(kPolicies, name, "growth_on_failure");
}

// ---------------------------------------------------------------- factor tables and species

FactorTables load_factor_tables(const VegetationTables& tables) {
  FactorTables out;
  for (const auto& csv : tables.volume_equations)
    out.volume.add(csv);
  for (const auto& csv : tables.bcef)
    out.bcef.add(csv);
  for (const auto& csv : tables.continuous_bef)
    out.continuous_bef.add(csv);
  for (const auto& csv : tables.root_shoot)
    out.root_shoot.add(csv);
  for (const auto& csv : tables.allometry)
    out.allometry.add(csv);
  return out;
}

namespace {

const std::vector<std::string>& species_table_columns() {
  static const std::vector<std::string> columns = {"species",
                                                   "volume_equation",
                                                   "biomass_method",
                                                   "bcef_group",
                                                   "bcef_t_m3",
                                                   "wood_density_g_cm3",
                                                   "bef",
                                                   "continuous_bef_type",
                                                   "allometry",
                                                   "root_method",
                                                   "root_shoot_class",
                                                   "root_shoot_ratio",
                                                   "root_allometry",
                                                   "carbon_fraction",
                                                   "source",
                                                   "note"};
  return columns;
}

// What one species lacks, for a message that names the table to extend.
struct Missing {
  std::vector<std::string> volume, bcef, continuous, allometry, root_shoot, root_allometry, factors;
};

std::string species_list(const std::vector<std::string>& labels) {
  std::string out;
  for (const auto& label : labels)
    out += (out.empty() ? "" : ", ") + label;
  return out;
}

}  // namespace

std::vector<carbon::BiomassSpec> resolve_species(const std::vector<std::string>& species,
                                                 const VegetationParams& params,
                                                 const std::optional<CsvText>& species_table,
                                                 const FactorTables& tables,
                                                 const std::vector<std::size_t>& tree_counts) {
  // Rows of the species table by species name.
  std::map<std::string, std::size_t> row_of;
  if (species_table) {
    carbon::require_columns(*species_table, {"species"}, "species");
    for (const auto& column : species_table->header) {
      const auto& known = species_table_columns();
      if (std::find(known.begin(), known.end(), column) == known.end()) {
        throw DataError(species_table->source + ": unknown column '" + column +
                        "' in the species table; known columns: " + join(known));
      }
    }
    for (std::size_t row_idx = 0; row_idx < species_table->rows.size(); ++row_idx) {
      const carbon::FactorRow row(*species_table, row_idx);
      const std::string name = row.text("species");
      if (name.empty()) row.fail("species", "is empty; expected a species name of the tree list");
      if (!row_of.emplace(name, row_idx).second)
        row.fail("species", "appears twice; keep one row per species");
    }
  }
  Missing missing;
  std::vector<std::string> problems;
  std::vector<carbon::BiomassSpec> specs(species.size());
  for (std::size_t idx = 0; idx < species.size(); ++idx) {
    const std::string& name = species[idx];
    std::string label = "'" + name + "'";
    if (idx < tree_counts.size())
      label +=
          " (" + std::to_string(tree_counts[idx]) + (tree_counts[idx] == 1 ? " tree)" : " trees)");
    std::optional<carbon::FactorRow> row;
    if (const auto it = row_of.find(name); it != row_of.end())
      row.emplace(*species_table, it->second);
    auto text = [&](const char* column) { return row ? row->text(column) : std::string(); };
    auto number = [&](const char* column) { return row ? row->number(column) : kNaN; };
    carbon::BiomassSpec& spec = specs[idx];
    spec.species = name;
    try {
      spec.method = text("biomass_method").empty()
                        ? params.biomass_method
                        : carbon::parse_biomass_method(text("biomass_method"));
      const std::string root = text("root_method");
      spec.root_method = !root.empty()        ? carbon::parse_root_method(root)
                         : params.root_method ? *params.root_method
                         : spec.method == carbon::BiomassMethod::continuous_bef
                             ? carbon::RootMethod::included
                             : carbon::RootMethod::root_shoot;
    } catch (const ConfigError& e) {
      throw DataError(row->where() + ": " + e.what());
    }
    // Volume.
    const std::string volume_key = text("volume_equation").empty() ? name : text("volume_equation");
    if (const carbon::VolumeEquation* eq = tables.volume.find_or_default(volume_key)) {
      spec.volume = *eq;
    } else if (carbon::needs_volume(spec.method)) {
      missing.volume.push_back(volume_key == name ? label : label + " -> '" + volume_key + "'");
    }
    // Above ground.
    switch (spec.method) {
      case carbon::BiomassMethod::bcef: {
        spec.bcef_t_m3 = number("bcef_t_m3");
        if (std::isnan(spec.bcef_t_m3)) {
          const std::string group = !text("bcef_group").empty()  ? text("bcef_group")
                                    : !params.bcef_group.empty() ? params.bcef_group
                                                                 : name;
          if (const auto* classes = tables.bcef.find(group)) {
            spec.bcef_classes = *classes;
          } else {
            missing.bcef.push_back(label + " -> '" + group + "'");
          }
        } else if (!(spec.bcef_t_m3 > 0)) {
          problems.push_back(row->where() + ": bcef_t_m3 = " + fmt(spec.bcef_t_m3) +
                             ": must be > 0 (t d.m. per m³ of stem volume)");
        }
        break;
      }
      case carbon::BiomassMethod::bef:
        spec.wood_density_t_m3 = number("wood_density_g_cm3");
        spec.bef = number("bef");
        if (!(spec.wood_density_t_m3 > 0) || !(spec.bef > 0))
          missing.factors.push_back(label + " needs wood_density_g_cm3 and bef (> 0)");
        break;
      case carbon::BiomassMethod::continuous_bef: {
        const std::string type =
            text("continuous_bef_type").empty() ? name : text("continuous_bef_type");
        if (const auto* bef = tables.continuous_bef.find(type)) {
          spec.continuous = *bef;
        } else {
          missing.continuous.push_back(type == name ? label : label + " -> '" + type + "'");
        }
        break;
      }
      case carbon::BiomassMethod::allometry: {
        const std::string id = !text("allometry").empty()  ? text("allometry")
                               : !params.allometry.empty() ? params.allometry
                                                           : name;
        const auto* eq = tables.allometry.find(id);
        if (!eq || eq->component != carbon::BiomassComponent::above_ground ||
            eq->form == carbon::AllometryForm::stand_log) {
          missing.allometry.push_back(label + " -> '" + id + "'" +
                                      (eq ? " (not a per-tree above_ground equation)" : ""));
        } else {
          spec.allometry = *eq;
          spec.wood_density_t_m3 = number("wood_density_g_cm3");
          if (eq->form == carbon::AllometryForm::rho_d2h && !(spec.wood_density_t_m3 > 0))
            missing.factors.push_back(label + " uses " + id +
                                      " (a (rho D^2 H)^b), which needs wood_density_g_cm3 > 0");
        }
        break;
      }
    }
    // Below ground.
    if (spec.root_method == carbon::RootMethod::included &&
        spec.method != carbon::BiomassMethod::continuous_bef) {
      problems.push_back("species '" + name +
                         "': root_method included is only for continuous_bef (whose B may already "
                         "include roots); use root_shoot, root_allometry or none");
    }
    if (spec.root_method == carbon::RootMethod::root_shoot) {
      spec.root_shoot_ratio = number("root_shoot_ratio");
      if (std::isnan(spec.root_shoot_ratio)) {
        const std::string cls =
            text("root_shoot_class").empty() ? params.root_shoot_class : text("root_shoot_class");
        if (const auto* classes = tables.root_shoot.find(cls)) {
          spec.root_shoot_classes = *classes;
        } else {
          missing.root_shoot.push_back(label + " -> '" + cls + "'");
        }
      } else if (!(spec.root_shoot_ratio >= 0)) {
        problems.push_back(row->where() + ": root_shoot_ratio = " + fmt(spec.root_shoot_ratio) +
                           ": must be >= 0 (t root per t shoot)");
      }
    } else if (spec.root_method == carbon::RootMethod::root_allometry) {
      const std::string id =
          text("root_allometry").empty() ? params.root_allometry : text("root_allometry");
      const auto* eq = tables.allometry.find(id);
      if (!eq || eq->component != carbon::BiomassComponent::below_ground) {
        missing.root_allometry.push_back(label + " -> '" + id + "'" +
                                         (eq ? " (not a below_ground equation)" : ""));
      } else {
        spec.root_allometry = *eq;
        if (std::isnan(spec.wood_density_t_m3))
          spec.wood_density_t_m3 = number("wood_density_g_cm3");
      }
    }
    const double cf = number("carbon_fraction");
    spec.carbon_fraction = std::isnan(cf) ? params.carbon_fraction : cf;
    if (!(spec.carbon_fraction > 0 && spec.carbon_fraction <= 1)) {
      problems.push_back(
          (row ? row->where() + ": " : std::string()) + "species '" + name +
          "' carbon_fraction = " + fmt(spec.carbon_fraction) +
          ": must be in (0, 1] (t C per t dry matter; 0.5 Chinese practice, 0.47 IPCC)");
    }
  }
  const std::string via_species =
      species_table ? " or map the species to an existing row in " + species_table->source
                    : " or map the species to an existing row with a species table (species = "
                      "\"species.csv\")";
  if (!missing.volume.empty()) {
    problems.push_back(
        "no volume equation and no default row '*' for species " + species_list(missing.volume) +
        " in " + tables.volume.files() +
        "; extend the table: add a row per species (columns species, form, a, b, c, form_factor, "
        "source) to your own CSV given as volume_equations = \"...\" (--volume-equations)" +
        via_species + " (column volume_equation)");
  }
  if (!missing.bcef.empty()) {
    problems.push_back("no BCEF class for species " + species_list(missing.bcef) + " in " +
                       tables.bcef.files() +
                       "; add rows (forest_group, growing_stock_min_m3_ha, "
                       "growing_stock_max_m3_ha, bcef_t_m3, source) given as bcef_table = \"...\", "
                       "set bcef_group, or give bcef_t_m3 in the species table");
  }
  if (!missing.continuous.empty()) {
    problems.push_back("no continuous BEF (B = aV + b) for species " +
                       species_list(missing.continuous) + " in " + tables.continuous_bef.files() +
                       "; add a row (forest_type, a_t_m3, b_t_ha, source) to your own table given "
                       "as continuous_bef_table = \"...\"" +
                       via_species +
                       " (column continuous_bef_type), or choose another biomass_method");
  }
  if (!missing.allometry.empty()) {
    problems.push_back(
        "no above-ground allometry for species " + species_list(missing.allometry) + " in " +
        tables.allometry.files() +
        "; add a row (id, component = above_ground, form, a, b, c, source) to your own table given "
        "as allometry_table = \"...\", or name one in the species table (column allometry)");
  }
  if (!missing.root_shoot.empty()) {
    problems.push_back("no root:shoot class for species " + species_list(missing.root_shoot) +
                       " in " + tables.root_shoot.files() +
                       "; set root_shoot_class to an existing class, add rows given as "
                       "root_shoot_table = \"...\", or give root_shoot_ratio in the species table");
  }
  if (!missing.root_allometry.empty()) {
    problems.push_back(
        "no below-ground allometry for species " + species_list(missing.root_allometry) + " in " +
        tables.allometry.files() +
        "; add a below_ground row given as allometry_table = \"...\" or set root_allometry");
  }
  for (const auto& f : missing.factors)
    problems.push_back("species " + f + " in the species table" +
                       (species_table ? " " + species_table->source : std::string()));
  if (!problems.empty()) {
    std::string text = "vegetation: " + problems.front();
    for (std::size_t idx = 1; idx < problems.size(); ++idx)
      text += "\n  " + problems[idx];
    throw DataError(text);
  }
  return specs;
}

namespace {

// ---------------------------------------------------------------- heights

struct HeightFitRecord {
  std::string group;
  std::string fitted_on;  // "group" or "pooled"
  std::optional<carbon::HeightDiameterFit> fit;
  std::size_t n_measured = 0;
  std::size_t n_estimated = 0;
  std::string message;
};

// The H–D fit for trees `indices`: one model, or the converged model with the lowest RSE (m).
std::optional<carbon::HeightDiameterFit> fit_heights(const std::vector<Tree>& trees,
                                                     const std::vector<std::size_t>& indices,
                                                     const std::string& model_name,
                                                     std::string& message) {
  std::vector<double> d, h;
  d.reserve(indices.size());
  h.reserve(indices.size());
  for (const std::size_t idx : indices) {
    d.push_back(trees[idx].dbh_cm);
    h.push_back(trees[idx].height_m);
  }
  std::vector<carbon::HeightDiameterModel> models;
  if (model_name == "best") {
    const auto all = carbon::height_diameter_models();
    models.assign(all.begin(), all.end());
  } else {
    models.push_back(carbon::parse_height_diameter_model(model_name));
  }
  std::optional<carbon::HeightDiameterFit> best;
  std::vector<std::string> failures;
  for (const auto model : models) {
    carbon::HeightDiameterFit fit = carbon::fit_height_diameter(model, d, h);
    if (fit.fit.status != stats::FitStatus::converged || !std::isfinite(fit.rse_m)) {
      failures.push_back(std::string(carbon::to_string(model)) + ": " + fit.fit.message);
      continue;
    }
    if (!best || fit.rse_m < best->rse_m) best = std::move(fit);
  }
  message = join(failures, "; ");
  return best;
}

std::string height_group_key(const Tree& tree, const Plot& plot, HeightGrouping grouping) {
  switch (grouping) {
    case HeightGrouping::species:
      return tree.species;
    case HeightGrouping::species_land_use:
      return tree.species + " / " + plot.land_use;
    case HeightGrouping::all:
      return "all";
  }
  return "all";
}

// Fills missing heights; returns one record per fitted group.
std::vector<HeightFitRecord> estimate_heights(std::vector<Tree>& trees,
                                              const std::vector<Plot>& plots,
                                              const VegetationParams& params,
                                              std::size_t& n_clamped) {
  std::map<std::string, std::vector<std::size_t>> groups;
  std::vector<std::size_t> all;
  bool any_missing = false;
  for (std::size_t idx = 0; idx < trees.size(); ++idx) {
    groups[height_group_key(trees[idx], plots[trees[idx].plot], params.height_model_by)].push_back(
        idx);
    all.push_back(idx);
    any_missing = any_missing || std::isnan(trees[idx].height_m);
  }
  std::vector<HeightFitRecord> records;
  if (!any_missing) return records;
  const auto measured_count = [&](const std::vector<std::size_t>& indices) {
    return static_cast<std::size_t>(std::count_if(indices.begin(), indices.end(), [&](auto idx) {
      return !std::isnan(trees[idx].height_m);
    }));
  };
  const std::size_t min_trees =
      static_cast<std::size_t>(std::max(1, params.height_model_min_trees));
  std::optional<std::size_t> pooled_record;
  auto pooled = [&]() -> const HeightFitRecord& {
    if (!pooled_record) {
      HeightFitRecord rec;
      rec.group = "all (pooled)";
      rec.fitted_on = "pooled";
      rec.n_measured = measured_count(all);
      if (rec.n_measured >= min_trees)
        rec.fit = fit_heights(trees, all, params.height_model, rec.message);
      pooled_record = records.size();
      records.push_back(std::move(rec));
    }
    return records[*pooled_record];
  };
  std::vector<std::pair<std::vector<std::size_t>*, std::size_t>> estimates;  // group -> record
  for (auto& [key, indices] : groups) {
    const bool missing = std::any_of(indices.begin(), indices.end(),
                                     [&](auto idx) { return std::isnan(trees[idx].height_m); });
    if (!missing) continue;
    HeightFitRecord rec;
    rec.group = key;
    rec.fitted_on = "group";
    rec.n_measured = measured_count(indices);
    if (rec.n_measured >= min_trees)
      rec.fit = fit_heights(trees, indices, params.height_model, rec.message);
    std::size_t rec_idx = records.size();
    if (!rec.fit) {
      const HeightFitRecord& p = pooled();
      if (!p.fit) {
        throw DataError(
            "vegetation: " +
            std::to_string(std::count_if(trees.begin(), trees.end(),
                                         [](const Tree& t) { return std::isnan(t.height_m); })) +
            " trees have no height and no height-diameter model could be fitted: group '" + key +
            "' has " + std::to_string(rec.n_measured) +
            " trees with measured heights and all trees together " + std::to_string(p.n_measured) +
            " (at least height_model_min_trees = " + std::to_string(min_trees) + " needed" +
            (p.message.empty() ? std::string() : "; fits failed: " + p.message) +
            "); measure more heights or lower height_model_min_trees");
      }
      rec.fitted_on = "pooled";
      rec.message = (rec.n_measured < min_trees
                         ? std::to_string(rec.n_measured) + " measured heights (< " +
                               std::to_string(min_trees) + "): pooled model used"
                         : "group fits failed (" + rec.message + "): pooled model used");
      rec.fit = p.fit;
      rec_idx = records.size();
    }
    records.push_back(std::move(rec));
    estimates.emplace_back(&indices, rec_idx);
  }
  for (const auto& [indices, rec_idx] : estimates) {
    HeightFitRecord& rec = records[rec_idx];
    for (const std::size_t idx : *indices) {
      Tree& t = trees[idx];
      if (!std::isnan(t.height_m)) continue;
      double h = carbon::predict_height_m(*rec.fit, t.dbh_cm);
      if (!(h >= kBreastHeightM)) {
        h = kBreastHeightM;
        ++n_clamped;
      }
      t.height_m = h;
      t.height_estimated = true;
      ++rec.n_estimated;
    }
  }
  return records;
}

// ---------------------------------------------------------------- per plot

struct PlotResult {
  carbon::StandBiomass stand;
  HarvestLayers harvest;
  std::size_t heights_estimated = 0;
  double live_stems_ha = 0.0;
  double dead_stems_ha = 0.0;
  // Carbon, tC/ha.
  double shrub_carbon = 0.0, herb_carbon = 0.0, litter_carbon = 0.0, dead_wood_carbon = 0.0;
  double total_carbon = 0.0;
};

double response_of(const PlotResult& r, GrowthResponse response) {
  switch (response) {
    case GrowthResponse::tree_carbon:
      return r.stand.carbon_tC_ha;
    case GrowthResponse::total_carbon:
      return r.total_carbon;
    case GrowthResponse::tree_biomass:
      return r.stand.biomass_t_ha;
    case GrowthResponse::volume:
      return r.stand.live_without_volume > 0 ? kNaN : r.stand.volume_m3_ha;
  }
  return kNaN;
}

// ---------------------------------------------------------------- statistics rows

struct StatColumns {
  std::vector<std::string> variable;
  std::vector<std::int64_t> n;
  std::vector<double> mean, sd, se, df, ci90_lo, ci90_hi, ci95_lo, ci95_hi, hw90, hw95;
  std::vector<double> hw_level, level, threshold, deduction, conservative;
  std::vector<std::int64_t> meets;

  void add(const std::string& var, const carbon::MeanEstimate& e, const VegetationParams& params) {
    variable.push_back(var);
    n.push_back(static_cast<std::int64_t>(e.n));
    mean.push_back(e.mean);
    sd.push_back(e.sd);
    se.push_back(e.se);
    df.push_back(e.df);
    const auto c90 = carbon::confidence_interval(e.mean, e.se, e.df, kLevel90);
    const auto c95 = carbon::confidence_interval(e.mean, e.se, e.df, kLevel95);
    ci90_lo.push_back(c90.lower);
    ci90_hi.push_back(c90.upper);
    ci95_lo.push_back(c95.lower);
    ci95_hi.push_back(c95.upper);
    hw90.push_back(c90.half_width_rel_pct);
    hw95.push_back(c95.half_width_rel_pct);
    const auto p = carbon::check_precision(e.mean, e.se, e.df, params.precision_confidence,
                                           params.precision_threshold_pct);
    level.push_back(p.level);
    hw_level.push_back(p.half_width_rel_pct);
    threshold.push_back(p.threshold_pct);
    meets.push_back(p.meets_threshold ? 1 : 0);
    deduction.push_back(p.deduction_frac);
    conservative.push_back(p.conservative);
  }
  void write(TableBuilder& b) {
    b.add("variable", variable);
    b.add("n_plots", n);
    b.add("mean", mean);
    b.add("sd", sd);
    b.add("se", se);
    b.add("df", df);
    b.add("ci90_lower", ci90_lo);
    b.add("ci90_upper", ci90_hi);
    b.add("ci95_lower", ci95_lo);
    b.add("ci95_upper", ci95_hi);
    b.add("half_width_90_rel_pct", hw90);
    b.add("half_width_95_rel_pct", hw95);
    b.add("precision_level", level);
    b.add("precision_threshold_pct", threshold);
    b.add("half_width_rel_pct", hw_level);
    b.add("meets_precision_threshold", meets);
    b.add("uncertainty_deduction_frac", deduction);
    b.add("conservative_mean", conservative);
  }
};

std::uint64_t projection_seed(std::uint64_t seed, std::size_t index) {
  std::uint64_t state = seed;
  std::uint64_t mixed = ml::splitmix64_next(state);
  state = mixed ^ kProjectionSeedPurpose;
  mixed = ml::splitmix64_next(state);
  state = mixed ^ static_cast<std::uint64_t>(index);
  return ml::splitmix64_next(state);
}

}  // namespace

// ---------------------------------------------------------------- the stage

void check_vegetation_params(const VegetationParams& p, const ParamProblem& fail) {
  for (const auto& [key, value] :
       {std::pair<const char*, double>{"carbon_fraction", p.carbon_fraction},
        {"carbon_fraction_understorey", p.carbon_fraction_understorey},
        {"carbon_fraction_litter", p.carbon_fraction_litter},
        {"carbon_fraction_dead_wood", p.carbon_fraction_dead_wood}}) {
    if (!(value > 0 && value <= 1))
      fail(key, "is " + fmt(value) +
                    "; must be in (0, 1] (t C per t dry matter; 0.5 Chinese practice, 0.47 IPCC)");
  }
  if (p.height_model != "best") {
    try {
      (void)carbon::parse_height_diameter_model(p.height_model);
    } catch (const ConfigError&) {
      fail("height_model", "'" + p.height_model + "' is not a model; expected best or one of " +
                               carbon::height_diameter_model_choices());
    }
  }
  if (p.height_model_min_trees < 3)
    fail("height_model_min_trees", "must be >= 3 (trees with measured heights per model)");
  if (!(p.precision_threshold_pct > 0))
    fail("precision_threshold_pct", "must be > 0 (%; 10 CDM A/R, 15 VM0047)");
  if (!(p.precision_confidence > 0 && p.precision_confidence < 1))
    fail("precision_confidence", "must be in (0, 1), e.g. 0.90");
  if (p.growth && p.growth_models.empty())
    fail("growth_models", "is empty; name at least one model: " + carbon::growth_model_choices());
  if (!(p.horizon_yr > 0)) fail("horizon_yr", "must be > 0 (years)");
  if (!(p.step_yr > 0) || p.step_yr > p.horizon_yr)
    fail("step_yr", "must be > 0 and <= horizon_yr (years)");
  if (!(p.saturation_fraction > 0 && p.saturation_fraction < 1))
    fail("saturation_fraction", "must be in (0, 1), e.g. 0.95");
  if (!std::isnan(p.increment_threshold_per_yr) && !(p.increment_threshold_per_yr > 0))
    fail("increment_threshold_per_yr", "must be > 0 (unit of the response per year), or absent");
  if (!(p.band_level > 0 && p.band_level < 1)) fail("band_level", "must be in (0, 1), e.g. 0.95");
  if (p.monte_carlo_draws < 0) fail("monte_carlo_draws", "must be >= 0 (0 disables)");
  if (p.inventory_year < 0) fail("inventory_year", "must be a year >= 0 (0 = not given)");
}

namespace {

struct Mine {
  std::string id;
  double area_ha = kNaN;
  std::string area_source = "none";
  std::size_t feature = 0;
};

struct MineStratum {
  std::string land_use;
  std::vector<std::size_t> plots;
  double area_ha = kNaN;
  std::string area_source;
};

struct StratumGrowth {
  std::string land_use;
  std::size_t index = 0;  // into land_uses (for the Monte Carlo seed)
  std::vector<std::size_t> plots;
  std::vector<double> t, y;
  std::vector<carbon::GrowthFit> fits;
  std::vector<carbon::RankedGrowthFit> ranks;
  int selected = -1;  // index into fits
  std::size_t excluded = 0;
  std::string failure;
};

// What the steps of the stage share: the inputs, the inventory as read, the per-plot results,
// the strata, mines and growth curves, and the result being built.
struct Stage {
  Stage(const VegetationParams& p, const VegetationInputs& i, const RunContext& c)
      : params(p), inputs(i), context(c) {}
  const VegetationParams& params;
  const VegetationInputs& inputs;
  const RunContext& context;
  VegetationResult result;
  Problems problems;
  std::vector<Plot> plots;
  std::map<std::string, std::size_t> plot_of;
  std::vector<Tree> trees;
  std::vector<HarvestLayers> harvest;
  std::vector<std::string> species;
  std::vector<std::size_t> species_trees;  // trees per species
  FactorTables tables;
  std::vector<carbon::BiomassSpec> specs;  // per species
  std::size_t n_missing_heights = 0;
  std::size_t n_clamped = 0;  // estimated heights set to 1.3 m
  std::vector<HeightFitRecord> height_records;
  std::vector<std::vector<std::size_t>> plot_trees;  // tree indices per plot
  std::vector<PlotResult> plot_results;
  std::map<std::string, std::vector<std::size_t>> land_uses;  // plot indices per land use
  std::vector<Mine> mines;
  std::map<std::string, std::size_t> mine_of;
  std::string mines_source;
  bool mine_areas_given = false;
  std::vector<std::vector<MineStratum>> mine_strata;  // per mine
  std::string u;                // unit suffix per hectare of the growth response
  std::string total_unit;       // unit suffix of totals
  std::string response_column;  // column of the plots table the curves are fitted to
  std::vector<StratumGrowth> growth;
  nlohmann::json growth_json;
  std::map<std::string, std::size_t> growth_of;   // land use -> fitted StratumGrowth
  std::vector<carbon::FittedGrowthCurve> curves;  // per StratumGrowth (fitted ones)
};

// 1. Inventory: plots, trees, harvest quadrats. All problems are collected, then reported.
void read_inventory(Stage& s) {
  const auto& inputs = s.inputs;
  const auto& context = s.context;
  auto& problems = s.problems;
  auto& plots = s.plots;
  auto& plot_of = s.plot_of;
  auto& trees = s.trees;
  auto& harvest = s.harvest;
  plots = read_plots(inputs.plots, problems);
  for (std::size_t idx = 0; idx < plots.size(); ++idx)
    plot_of.emplace(plots[idx].id, idx);
  trees = read_trees(inputs.trees, plot_of, inputs.plots.source, problems);
  harvest.assign(plots.size(), HarvestLayers{});
  if (inputs.understorey)
    harvest = read_understorey(*inputs.understorey, plot_of, plots.size(), problems);
  problems.throw_if_any();
  if (plots.empty()) throw DataError("vegetation: " + inputs.plots.source + " has no plots");
  context.say("vegetation: " + std::to_string(plots.size()) + " plots, " +
              std::to_string(trees.size()) + " tree rows");
}

// 2. Species recipes.
void resolve_recipes(Stage& s) {
  const auto& params = s.params;
  const auto& inputs = s.inputs;
  auto& trees = s.trees;
  auto& species = s.species;
  auto& species_trees = s.species_trees;
  auto& tables = s.tables;
  auto& specs = s.specs;
  {
    std::map<std::string, std::size_t> index;
    for (auto& t : trees) {
      auto [it, fresh] = index.emplace(t.species, species.size());
      if (fresh) {
        species.push_back(t.species);
        species_trees.push_back(0);
      }
      t.spec = it->second;
      ++species_trees[it->second];
    }
  }
  tables = load_factor_tables(inputs.tables);
  specs = resolve_species(species, params, inputs.species, tables, species_trees);
  if (params.growth && params.growth_response == GrowthResponse::volume) {
    std::vector<std::string> without;
    for (const auto& s : specs)
      if (!s.volume) without.push_back("'" + s.species + "'");
    if (!without.empty()) {
      throw DataError(
          "vegetation: growth_response = volume needs a volume equation for every species, and " +
          species_list(without) + " have none in " + tables.volume.files() +
          "; add rows to your own table given as volume_equations = \"...\", or fit carbon or "
          "biomass instead");
    }
  }
}

// 3. Heights.
void estimate_missing_heights(Stage& s) {
  const auto& params = s.params;
  std::vector<std::string>& warnings = s.result.warnings;
  auto& plots = s.plots;
  auto& trees = s.trees;
  auto& n_clamped = s.n_clamped;
  auto& n_missing_heights = s.n_missing_heights;
  auto& height_records = s.height_records;
  n_missing_heights = static_cast<std::size_t>(std::count_if(
      trees.begin(), trees.end(), [](const Tree& t) { return std::isnan(t.height_m); }));
  height_records = estimate_heights(trees, plots, params, n_clamped);
  if (n_missing_heights > 0) {
    warnings.push_back("heights estimated for " + std::to_string(n_missing_heights) + " of " +
                       std::to_string(trees.size()) +
                       " trees from height-diameter models (table height_models)");
  }
  if (n_clamped > 0) {
    warnings.push_back(std::to_string(n_clamped) +
                       " estimated heights below breast height were set to 1.3 m");
  }
}

// 4. Biomass and carbon of every plot.
void compute_plots(Stage& s) {
  const auto& params = s.params;
  const auto& inputs = s.inputs;
  const auto& context = s.context;
  std::vector<std::string>& warnings = s.result.warnings;
  auto& plots = s.plots;
  auto& trees = s.trees;
  auto& harvest = s.harvest;
  auto& specs = s.specs;
  auto& plot_trees = s.plot_trees;
  auto& plot_results = s.plot_results;
  plot_trees.assign(plots.size(), {});
  for (std::size_t idx = 0; idx < trees.size(); ++idx)
    plot_trees[trees[idx].plot].push_back(idx);
  plot_results.assign(plots.size(), PlotResult{});
  parallel_for(plots.size(), context.threads, [&](std::size_t plot_idx, std::size_t) {
    const Plot& plot = plots[plot_idx];
    const double area_ha = plot.area_m2 / kM2PerHa;
    std::vector<carbon::StandTree> stand_trees;
    stand_trees.reserve(plot_trees[plot_idx].size());
    PlotResult& r = plot_results[plot_idx];
    for (const std::size_t idx : plot_trees[plot_idx]) {
      const Tree& t = trees[idx];
      stand_trees.push_back({t.spec, t.dbh_cm, t.height_m, t.stems, t.live});
      (t.live ? r.live_stems_ha : r.dead_stems_ha) += t.stems / area_ha;
      if (t.height_estimated) ++r.heights_estimated;
    }
    try {
      r.stand = carbon::stand_biomass(specs, stand_trees, area_ha);
    } catch (const DataError& e) {
      throw DataError("vegetation: plot '" + plot.id + "' (" + plot.where + "): " + e.what());
    }
    r.harvest = harvest[plot_idx];
    r.shrub_carbon = r.harvest.shrub_t_ha * params.carbon_fraction_understorey;
    r.herb_carbon = r.harvest.herb_t_ha * params.carbon_fraction_understorey;
    r.litter_carbon = r.harvest.litter_t_ha * params.carbon_fraction_litter;
    r.dead_wood_carbon =
        r.harvest.dead_wood_t_ha * params.carbon_fraction_dead_wood + r.stand.dead_carbon_tC_ha;
    r.total_carbon = r.stand.carbon_tC_ha + r.shrub_carbon + r.herb_carbon + r.litter_carbon +
                     r.dead_wood_carbon;
  });
  {
    std::size_t outside_volume = 0, outside_allometry = 0;
    for (const auto& t : trees) {
      const auto& spec = specs[t.spec];
      if (spec.volume && !carbon::in_range(*spec.volume, t.dbh_cm)) ++outside_volume;
      if (spec.method == carbon::BiomassMethod::allometry && spec.allometry &&
          !carbon::in_dbh_range(*spec.allometry, t.dbh_cm))
        ++outside_allometry;
    }
    if (outside_volume > 0)
      warnings.push_back(
          std::to_string(outside_volume) +
          " trees lie outside the DBH range of their volume equation (extrapolated)");
    if (outside_allometry > 0)
      warnings.push_back(
          std::to_string(outside_allometry) +
          " trees lie outside the DBH range of their allometric equation (extrapolated)");
    if (inputs.understorey) {
      const auto unsampled = std::count_if(harvest.begin(), harvest.end(),
                                           [](const HarvestLayers& h) { return !h.sampled; });
      if (unsampled > 0)
        warnings.push_back(std::to_string(unsampled) +
                           " plots have no harvest-quadrat rows: their shrub, herb, litter and "
                           "lying dead wood count as 0");
    } else {
      warnings.push_back(
          "no understorey table: shrub, herb, litter and lying dead wood are not measured and "
          "count as 0");
    }
  }
}

// 5. Tables of the inventory.
// Tree table: one row per inventory row, with the height used and its biomass.
void tabulate_trees(Stage& s) {
  VegetationResult& result = s.result;
  const auto& plots = s.plots;
  const auto& trees = s.trees;
  const auto& specs = s.specs;
  const auto& plot_trees = s.plot_trees;
  const auto& plot_results = s.plot_results;
  std::vector<std::string> plot_id, sp, status, method;
  std::vector<double> dbh, height, stems, volume, above, below, total, carbon_kg;
  std::vector<std::int64_t> estimated;
  for (std::size_t plot_idx = 0; plot_idx < plots.size(); ++plot_idx) {
    const auto& indices = plot_trees[plot_idx];
    for (std::size_t k = 0; k < indices.size(); ++k) {
      const Tree& t = trees[indices[k]];
      const carbon::TreeBiomass& b = plot_results[plot_idx].stand.trees[k];
      plot_id.push_back(plots[plot_idx].id);
      sp.push_back(t.species);
      status.push_back(t.live ? "live" : "dead");
      dbh.push_back(t.dbh_cm);
      height.push_back(t.height_m);
      estimated.push_back(t.height_estimated ? 1 : 0);
      stems.push_back(t.stems);
      volume.push_back(b.volume_m3);
      above.push_back(b.above_kg);
      below.push_back(b.below_kg);
      total.push_back(b.total_kg);
      carbon_kg.push_back(b.carbon_kg);
      method.push_back(std::string(carbon::to_string(specs[t.spec].method)));
    }
  }
  TableBuilder b{result.trees};
  b.add("plot_id", plot_id);
  b.add("species", sp);
  b.add("status", status);
  b.add("dbh_cm", dbh);
  b.add("height_m", height);
  b.add("height_estimated", estimated);
  b.add("stems", stems);
  b.add("volume_m3", volume);
  b.add("biomass_method", method);
  b.add("above_ground_biomass_kg", above);
  b.add("below_ground_biomass_kg", below);
  b.add("biomass_kg", total);
  b.add("carbon_kg", carbon_kg);
}

// Plot table: per-hectare stocks of every pool.
void tabulate_plots(Stage& s) {
  VegetationResult& result = s.result;
  const auto& plots = s.plots;
  const auto& plot_results = s.plot_results;
  TableBuilder b{result.plots};
  std::vector<std::string> id, mine, lu;
  std::vector<double> age, area, lon, lat, live, dead, vol, above, below, bio, tree_c, shrub, herb,
      litter, dead_wood, shrub_c, herb_c, litter_c, dead_wood_c, total_c, co2e;
  std::vector<std::int64_t> n_est;
  for (std::size_t idx = 0; idx < plots.size(); ++idx) {
    const Plot& p = plots[idx];
    const PlotResult& r = plot_results[idx];
    id.push_back(p.id);
    mine.push_back(p.mine_id);
    lu.push_back(p.land_use);
    age.push_back(p.age_yr);
    area.push_back(p.area_m2);
    lon.push_back(p.lon);
    lat.push_back(p.lat);
    live.push_back(r.live_stems_ha);
    dead.push_back(r.dead_stems_ha);
    n_est.push_back(static_cast<std::int64_t>(r.heights_estimated));
    vol.push_back(r.stand.live_without_volume > 0 ? kNaN : r.stand.volume_m3_ha);
    above.push_back(r.stand.above_t_ha);
    below.push_back(r.stand.below_t_ha);
    bio.push_back(r.stand.biomass_t_ha);
    tree_c.push_back(r.stand.carbon_tC_ha);
    shrub.push_back(r.harvest.shrub_t_ha);
    herb.push_back(r.harvest.herb_t_ha);
    litter.push_back(r.harvest.litter_t_ha);
    dead_wood.push_back(r.harvest.dead_wood_t_ha + r.stand.dead_biomass_t_ha);
    shrub_c.push_back(r.shrub_carbon);
    herb_c.push_back(r.herb_carbon);
    litter_c.push_back(r.litter_carbon);
    dead_wood_c.push_back(r.dead_wood_carbon);
    total_c.push_back(r.total_carbon);
    co2e.push_back(r.total_carbon * carbon::kCo2PerCarbon);
  }
  b.add("plot_id", id);
  b.add("mine_id", mine);
  b.add("land_use", lu);
  b.add("stand_age_yr", age);
  b.add("area_m2", area);
  b.add("lon", lon);
  b.add("lat", lat);
  b.add("live_stems_ha", live);
  b.add("dead_stems_ha", dead);
  b.add("heights_estimated", n_est);
  b.add("volume_m3_ha", vol);
  b.add("tree_above_ground_t_ha", above);
  b.add("tree_below_ground_t_ha", below);
  b.add("tree_biomass_t_ha", bio);
  b.add("tree_carbon_tC_ha", tree_c);
  b.add("shrub_t_ha", shrub);
  b.add("herb_t_ha", herb);
  b.add("litter_t_ha", litter);
  b.add("dead_wood_t_ha", dead_wood);
  b.add("shrub_carbon_tC_ha", shrub_c);
  b.add("herb_carbon_tC_ha", herb_c);
  b.add("litter_carbon_tC_ha", litter_c);
  b.add("dead_wood_carbon_tC_ha", dead_wood_c);
  b.add("total_carbon_tC_ha", total_c);
  b.add("total_co2e_t_ha", co2e);
}

// Species table: each species' recipe and the table rows (source, status) behind it.
void tabulate_species(Stage& s) {
  VegetationResult& result = s.result;
  const auto& species_trees = s.species_trees;
  const auto& specs = s.specs;
  TableBuilder b{result.species};
  std::vector<std::string> name, method, vol_key, vol_source, vol_status, factor, factor_source,
      factor_status, root, root_key, root_source, root_status;
  std::vector<std::int64_t> n;
  std::vector<double> cf;
  for (std::size_t idx = 0; idx < specs.size(); ++idx) {
    const carbon::BiomassSpec& s = specs[idx];
    name.push_back(s.species);
    n.push_back(static_cast<std::int64_t>(species_trees[idx]));
    method.push_back(std::string(carbon::to_string(s.method)));
    vol_key.push_back(s.volume ? s.volume->key : "");
    vol_source.push_back(s.volume ? s.volume->source + " (" + s.volume->origin + ")" : "");
    vol_status.push_back(s.volume ? s.volume->status : "");
    std::string key, source, status;
    switch (s.method) {
      case carbon::BiomassMethod::bcef:
        if (!s.bcef_classes.empty()) {
          key = s.bcef_classes.front().key;
          source = s.bcef_classes.front().source + " (" + s.bcef_classes.front().origin + ")";
          status = s.bcef_classes.front().status;
        } else {
          key = "bcef_t_m3 = " + fmt(s.bcef_t_m3);
          source = "species table";
        }
        break;
      case carbon::BiomassMethod::bef:
        key = "wood_density_g_cm3 = " + fmt(s.wood_density_t_m3) + ", bef = " + fmt(s.bef);
        source = "species table";
        break;
      case carbon::BiomassMethod::continuous_bef:
        key = s.continuous->key;
        source = s.continuous->source + " (" + s.continuous->origin + ")";
        status = s.continuous->status;
        break;
      case carbon::BiomassMethod::allometry:
        key = s.allometry->key;
        source = s.allometry->source + " (" + s.allometry->origin + ")";
        status = s.allometry->status;
        break;
    }
    factor.push_back(key);
    factor_source.push_back(source);
    factor_status.push_back(status);
    root.push_back(std::string(carbon::to_string(s.root_method)));
    std::string rkey, rsource, rstatus;
    if (s.root_method == carbon::RootMethod::root_shoot) {
      if (!s.root_shoot_classes.empty()) {
        rkey = s.root_shoot_classes.front().key;
        rsource =
            s.root_shoot_classes.front().source + " (" + s.root_shoot_classes.front().origin + ")";
        rstatus = s.root_shoot_classes.front().status;
      } else {
        rkey = "root_shoot_ratio = " + fmt(s.root_shoot_ratio);
        rsource = "species table";
      }
    } else if (s.root_method == carbon::RootMethod::root_allometry) {
      rkey = s.root_allometry->key;
      rsource = s.root_allometry->source + " (" + s.root_allometry->origin + ")";
      rstatus = s.root_allometry->status;
    }
    root_key.push_back(rkey);
    root_source.push_back(rsource);
    root_status.push_back(rstatus);
    cf.push_back(s.carbon_fraction);
  }
  b.add("species", name);
  b.add("n_trees", n);
  b.add("volume_equation", vol_key);
  b.add("volume_source", vol_source);
  b.add("volume_status", vol_status);
  b.add("biomass_method", method);
  b.add("biomass_factor", factor);
  b.add("biomass_source", factor_source);
  b.add("biomass_status", factor_status);
  b.add("root_method", root);
  b.add("root_factor", root_key);
  b.add("root_source", root_source);
  b.add("root_status", root_status);
  b.add("carbon_fraction", cf);
}

// Height-model table: every height-diameter fit used.
void tabulate_height_models(Stage& s) {
  VegetationResult& result = s.result;
  const auto& height_records = s.height_records;
  TableBuilder b{result.height_models};
  std::vector<std::string> group, fitted_on, model, status, message;
  std::vector<std::int64_t> n_measured, n_estimated;
  std::vector<double> rse, bias;
  for (const auto& rec : height_records) {
    group.push_back(rec.group);
    fitted_on.push_back(rec.fitted_on);
    model.push_back(rec.fit ? std::string(carbon::to_string(rec.fit->model)) : "");
    status.push_back(rec.fit ? std::string(stats::to_string(rec.fit->fit.status)) : "failed");
    message.push_back(rec.message);
    n_measured.push_back(static_cast<std::int64_t>(rec.n_measured));
    n_estimated.push_back(static_cast<std::int64_t>(rec.n_estimated));
    rse.push_back(rec.fit ? rec.fit->rse_m : kNaN);
    bias.push_back(rec.fit ? kPercent * rec.fit->average_bias : kNaN);
  }
  b.add("group", group);
  b.add("fitted_on", fitted_on);
  b.add("model", model);
  b.add("status", status);
  b.add("n_measured", n_measured);
  b.add("n_estimated", n_estimated);
  b.add("rse_m", rse);
  b.add("average_bias_pct", bias);
  b.add("message", message);
}

// 6. Land-use strata: plot-to-plot statistics.
void tabulate_land_uses(Stage& s) {
  const auto& params = s.params;
  VegetationResult& result = s.result;
  auto& plots = s.plots;
  auto& plot_results = s.plot_results;
  auto& land_uses = s.land_uses;
  for (std::size_t idx = 0; idx < plots.size(); ++idx)
    land_uses[plots[idx].land_use].push_back(idx);
  {
    std::vector<std::string> lu;
    StatColumns stats_columns;
    const std::array<std::pair<const char*, GrowthResponse>, 4> variables = {{
        {"volume_m3_ha", GrowthResponse::volume},
        {"tree_biomass_t_ha", GrowthResponse::tree_biomass},
        {"tree_carbon_tC_ha", GrowthResponse::tree_carbon},
        {"total_carbon_tC_ha", GrowthResponse::total_carbon},
    }};
    for (const auto& [name, indices] : land_uses) {
      for (const auto& [var, response] : variables) {
        std::vector<double> values;
        for (const std::size_t idx : indices)
          values.push_back(response_of(plot_results[idx], response));
        lu.push_back(name);
        stats_columns.add(var, carbon::estimate_mean(values), params);
      }
      std::vector<double> co2e;
      for (const std::size_t idx : indices)
        co2e.push_back(plot_results[idx].total_carbon * carbon::kCo2PerCarbon);
      lu.push_back(name);
      stats_columns.add("total_co2e_t_ha", carbon::estimate_mean(co2e), params);
    }
    TableBuilder b{result.strata};
    b.add("land_use", lu);
    stats_columns.write(b);
  }
}

// 7. Mines: areas from polygons or a table, then stratified totals over each mine's land uses.
void compute_mines(Stage& s) {
  const auto& params = s.params;
  const auto& inputs = s.inputs;
  VegetationResult& result = s.result;
  std::vector<std::string>& warnings = s.result.warnings;
  auto& problems = s.problems;
  auto& plots = s.plots;
  auto& plot_results = s.plot_results;
  auto& mines = s.mines;
  auto& mine_of = s.mine_of;
  auto& mines_source = s.mines_source;
  auto& mine_areas_given = s.mine_areas_given;
  auto& mine_strata = s.mine_strata;
  if (inputs.mines) {
    const geo::PolygonLayer& layer = *inputs.mines;
    mines_source = layer.path;
    geo::CrsTransform to_lonlat(layer.crs_wkt, geo::kWgs84);
    for (std::size_t idx = 0; idx < layer.features.size(); ++idx) {
      const auto& feature = layer.features[idx];
      Mine m;
      m.id = feature.id;
      m.area_ha = geo::geodesic_area_m2(
                      to_lonlat.apply(feature.shape, layer.path + " feature " + feature.id)) /
                  kM2PerHa;
      m.area_source = "polygon";
      m.feature = idx;
      mine_of.emplace(m.id, mines.size());
      mines.push_back(std::move(m));
    }
  } else if (inputs.mine_areas) {
    const CsvText& csv = *inputs.mine_areas;
    mines_source = csv.source;
    carbon::require_columns(csv, {"mine_id", "area_ha"}, "mine area");
    for (std::size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
      const carbon::FactorRow row(csv, row_idx);
      Mine m;
      m.id = row.text("mine_id");
      m.area_ha = row.number("area_ha");
      m.area_source = "mine_areas";
      if (m.id.empty()) {
        problems.add(row.where() + ": mine_id is empty");
        continue;
      }
      if (!(m.area_ha > 0) || !std::isfinite(m.area_ha)) {
        problems.add(row.where() + ": mine '" + m.id + "' area_ha = " + fmt(m.area_ha) +
                     ": must be > 0 (hectares)");
        continue;
      }
      if (!mine_of.emplace(m.id, mines.size()).second) {
        problems.add(row.where() + ": mine '" + m.id + "' appears twice");
        continue;
      }
      mines.push_back(std::move(m));
    }
  }
  mine_areas_given = inputs.mines || inputs.mine_areas;
  for (const Plot& p : plots) {
    if (p.mine_id.empty() || mine_of.count(p.mine_id)) continue;
    if (mine_areas_given) {
      problems.add(p.where + ": plot '" + p.id + "' mine_id '" + p.mine_id + "' is not in " +
                   mines_source + "; correct the id or add the mine");
      continue;
    }
    mine_of.emplace(p.mine_id, mines.size());
    mines.push_back(Mine{p.mine_id, kNaN, "none", 0});
  }
  std::map<std::pair<std::string, std::string>, std::pair<double, std::string>> stratum_area;
  if (inputs.stratum_areas) {
    const CsvText& csv = *inputs.stratum_areas;
    carbon::require_columns(csv, {"mine_id", "land_use", "area_ha"}, "stratum area");
    for (std::size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
      const carbon::FactorRow row(csv, row_idx);
      const std::string mine = row.text("mine_id");
      std::string lu = row.text("land_use");
      if (lu.empty()) lu = kUnspecifiedLandUse;
      const double area = row.number("area_ha");
      if (!mine_of.count(mine)) {
        problems.add(row.where() + ": mine_id '" + mine +
                     "' is neither in the mines nor in the plots; correct the id");
        continue;
      }
      if (!(area > 0) || !std::isfinite(area)) {
        problems.add(row.where() + ": area_ha = " + fmt(area) +
                     ": must be > 0 (hectares of land use '" + lu + "' in mine '" + mine + "')");
        continue;
      }
      if (!stratum_area.emplace(std::make_pair(mine, lu), std::make_pair(area, row.where())).second)
        problems.add(row.where() + ": mine '" + mine + "', land use '" + lu + "' appears twice");
    }
  }
  problems.throw_if_any();
  if (!mine_areas_given && !mines.empty()) {
    warnings.push_back(
        "no mine areas (mines or mine_areas): mine totals are not computed, only means per "
        "hectare");
  }

  // Per mine and land use: plots, area, estimates.
  mine_strata.assign(mines.size(), {});
  {
    std::vector<std::map<std::string, std::vector<std::size_t>>> by_mine(mines.size());
    for (std::size_t idx = 0; idx < plots.size(); ++idx) {
      if (plots[idx].mine_id.empty()) continue;
      by_mine[mine_of.at(plots[idx].mine_id)][plots[idx].land_use].push_back(idx);
    }
    std::vector<std::string> share_mines, mismatch_mines, unsampled;
    for (std::size_t m = 0; m < mines.size(); ++m) {
      const std::size_t n_mine_plots = [&] {
        std::size_t n = 0;
        for (const auto& [lu, idx] : by_mine[m])
          n += idx.size();
        return n;
      }();
      double sum_area = 0.0;
      for (const auto& [lu, indices] : by_mine[m]) {
        MineStratum s;
        s.land_use = lu;
        s.plots = indices;
        if (inputs.stratum_areas) {
          const auto it = stratum_area.find({mines[m].id, lu});
          if (it == stratum_area.end()) {
            problems.add(inputs.stratum_areas->source + ": no row for mine '" + mines[m].id +
                         "', land use '" + lu + "', which has " + std::to_string(indices.size()) +
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
        mismatch_mines.push_back(mines[m].id + " (" + fmt(sum_area) + " of " +
                                 fmt(mines[m].area_ha) + " ha)");
    }
    for (const auto& [key, value] : stratum_area) {
      const std::size_t m = mine_of.at(key.first);
      if (!by_mine[m].count(key.second))
        unsampled.push_back(key.first + "/" + key.second + " (" + value.second + ")");
    }
    if (!share_mines.empty() && mine_areas_given)
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
  }
  problems.throw_if_any();
  {
    std::vector<std::string> id, source, status;
    std::vector<double> area, total, se, df, lo90, hi90, lo95, hi95, hw90, hw95, hw_level,
        threshold, deduction, conservative, co2e, per_ha, tree_total;
    std::vector<std::int64_t> n_plots, n_strata, meets;
    std::vector<std::string> s_mine, s_lu, s_area_source;
    std::vector<double> s_area, s_mean, s_se, s_age, s_total, s_tree;
    std::vector<std::int64_t> s_n;
    for (std::size_t m = 0; m < mines.size(); ++m) {
      std::vector<carbon::StratumSample> samples;
      double tree_sum = 0.0;
      std::size_t n = 0;
      for (const MineStratum& s : mine_strata[m]) {
        std::vector<double> values, tree_values, ages;
        for (const std::size_t idx : s.plots) {
          values.push_back(plot_results[idx].total_carbon);
          tree_values.push_back(plot_results[idx].stand.carbon_tC_ha);
          ages.push_back(plots[idx].age_yr);
        }
        const carbon::MeanEstimate e = carbon::estimate_mean(values);
        const carbon::MeanEstimate e_tree = carbon::estimate_mean(tree_values);
        samples.push_back({s.area_ha, e});
        tree_sum += s.area_ha * e_tree.mean;
        n += s.plots.size();
        s_mine.push_back(mines[m].id);
        s_lu.push_back(s.land_use);
        s_area.push_back(s.area_ha);
        s_area_source.push_back(s.area_source);
        s_n.push_back(static_cast<std::int64_t>(s.plots.size()));
        s_mean.push_back(e.mean);
        s_se.push_back(e.se);
        s_age.push_back(carbon::estimate_mean(ages).mean);
        s_total.push_back(s.area_ha * e.mean);
        s_tree.push_back(e_tree.mean);
      }
      const carbon::TotalEstimate t = carbon::stratified_total(samples);
      const auto c90 = carbon::confidence_interval(t.total, t.se, t.df, kLevel90);
      const auto c95 = carbon::confidence_interval(t.total, t.se, t.df, kLevel95);
      const auto p = carbon::check_precision(t.total, t.se, t.df, params.precision_confidence,
                                             params.precision_threshold_pct);
      id.push_back(mines[m].id);
      area.push_back(mines[m].area_ha);
      source.push_back(mines[m].area_source);
      n_plots.push_back(static_cast<std::int64_t>(n));
      n_strata.push_back(static_cast<std::int64_t>(mine_strata[m].size()));
      status.push_back(n == 0                    ? "no_plots"
                       : !std::isfinite(t.total) ? "no_area"
                       : !std::isfinite(t.se)    ? "variance_unknown"
                                                 : "ok");
      total.push_back(t.total);
      se.push_back(t.se);
      df.push_back(t.df);
      lo90.push_back(c90.lower);
      hi90.push_back(c90.upper);
      lo95.push_back(c95.lower);
      hi95.push_back(c95.upper);
      hw90.push_back(c90.half_width_rel_pct);
      hw95.push_back(c95.half_width_rel_pct);
      hw_level.push_back(p.half_width_rel_pct);
      threshold.push_back(p.threshold_pct);
      meets.push_back(p.meets_threshold ? 1 : 0);
      deduction.push_back(p.deduction_frac);
      conservative.push_back(p.conservative);
      co2e.push_back(t.total * carbon::kCo2PerCarbon);
      per_ha.push_back(t.total / mines[m].area_ha);
      tree_total.push_back(n == 0 ? kNaN : tree_sum);
      if (inputs.mines) result.mine_feature.push_back(mines[m].feature);
    }
    TableBuilder b{result.mines};
    b.add("mine_id", id);
    b.add("area_ha", area);
    b.add("area_source", source);
    b.add("n_plots", n_plots);
    b.add("n_land_uses", n_strata);
    b.add("status", status);
    b.add("total_carbon_tC", total);
    b.add("total_carbon_se_tC", se);
    b.add("total_carbon_df", df);
    b.add("total_carbon_ci90_lower_tC", lo90);
    b.add("total_carbon_ci90_upper_tC", hi90);
    b.add("total_carbon_ci95_lower_tC", lo95);
    b.add("total_carbon_ci95_upper_tC", hi95);
    b.add("half_width_90_rel_pct", hw90);
    b.add("half_width_95_rel_pct", hw95);
    b.add("precision_level", std::vector<double>(id.size(), params.precision_confidence));
    b.add("precision_threshold_pct", threshold);
    b.add("half_width_rel_pct", hw_level);
    b.add("meets_precision_threshold", meets);
    b.add("uncertainty_deduction_frac", deduction);
    b.add("total_carbon_conservative_tC", conservative);
    b.add("total_co2e_t", co2e);
    b.add("total_carbon_tC_ha", per_ha);
    b.add("tree_carbon_tC", tree_total);
    TableBuilder sb{result.mine_strata};
    sb.add("mine_id", s_mine);
    sb.add("land_use", s_lu);
    sb.add("area_ha", s_area);
    sb.add("area_source", s_area_source);
    sb.add("n_plots", s_n);
    sb.add("mean_stand_age_yr", s_age);
    sb.add("total_carbon_tC_ha", s_mean);
    sb.add("total_carbon_se_tC_ha", s_se);
    sb.add("tree_carbon_tC_ha", s_tree);
    sb.add("total_carbon_tC", s_total);
  }
}

// 8. Growth curves: per land use, stand age against the per-hectare response.
void fit_growth_curves(Stage& s) {
  const auto& params = s.params;
  const auto& context = s.context;
  VegetationResult& result = s.result;
  std::vector<std::string>& warnings = s.result.warnings;
  auto& plots = s.plots;
  auto& plot_results = s.plot_results;
  auto& land_uses = s.land_uses;
  auto& growth = s.growth;
  auto& growth_json = s.growth_json;
  auto& u = s.u;
  auto& total_unit = s.total_unit;
  auto& response_column = s.response_column;
  u = growth_response_unit_ha(params.growth_response);
  total_unit = growth_response_unit_total(params.growth_response);
  response_column = growth_response_column(params.growth_response);
  growth_json = nlohmann::json::array();
  if (params.growth) {
    std::vector<std::string> names = params.growth_land_uses;
    if (names.empty()) {
      for (const auto& [name, indices] : land_uses) {
        if (std::any_of(indices.begin(), indices.end(),
                        [&](std::size_t idx) { return plot_results[idx].live_stems_ha > 0; }))
          names.push_back(name);
      }
    }
    for (const auto& name : names) {
      const auto it = land_uses.find(name);
      if (it == land_uses.end()) {
        std::vector<std::string> have;
        for (const auto& [lu, idx] : land_uses)
          have.push_back(lu);
        throw DataError("vegetation: growth_land_uses names '" + name +
                        "', which no plot has (land uses: " + join(have) + "); correct the name");
      }
      StratumGrowth g;
      g.land_use = name;
      g.index = static_cast<std::size_t>(std::distance(land_uses.begin(), it));
      for (const std::size_t idx : it->second) {
        const double y = response_of(plot_results[idx], params.growth_response);
        if (!std::isfinite(plots[idx].age_yr) || !std::isfinite(y)) {
          ++g.excluded;
          continue;
        }
        g.plots.push_back(idx);
        g.t.push_back(plots[idx].age_yr);
        g.y.push_back(y);
      }
      growth.push_back(std::move(g));
    }
    parallel_for(growth.size(), context.threads, [&](std::size_t idx, std::size_t) {
      StratumGrowth& g = growth[idx];
      g.fits = carbon::fit_growth_models(params.growth_models, g.t, g.y);
      g.ranks = carbon::rank_growth_fits(g.fits, params.selection_criterion);
      for (const auto& r : g.ranks) {
        const auto& fit = g.fits[r.fit_index].fit;
        if (r.rank > 0 && fit.covariance_available && fit.df_residual > 0) {
          g.selected = static_cast<int>(r.fit_index);
          break;
        }
      }
    });
    std::vector<std::string> failures;
    for (StratumGrowth& g : growth) {
      if (g.selected >= 0) continue;
      std::string text = "growth curve of land use '" + g.land_use + "' (" + response_column +
                         " against stand_age_yr, " + std::to_string(g.t.size()) + " plots";
      if (!g.t.empty()) {
        text += ", ages " + fmt(*std::min_element(g.t.begin(), g.t.end())) + "-" +
                fmt(*std::max_element(g.t.begin(), g.t.end()));
      }
      if (g.excluded > 0) text += "; " + std::to_string(g.excluded) + " without age or value";
      text += "): no model gave a usable fit:";
      const carbon::GrowthFit* best = nullptr;
      for (const auto& f : g.fits) {
        const std::size_t p = carbon::growth_parameter_count(f.model);
        text += " " + std::string(carbon::to_string(f.model)) + " " +
                std::string(stats::to_string(f.fit.status)) + " (" +
                (g.t.size() <= p ? "fewer points (" + std::to_string(g.t.size()) +
                                       ") than parameters + 1 (" + std::to_string(p + 1) + ")"
                 : f.fit.status == stats::FitStatus::converged ? std::string("no standard errors")
                                                               : f.fit.message) +
                ");";
        if (!f.fit.estimates.empty() && (!best || f.fit.criteria.rss < best->fit.criteria.rss))
          best = &f;
      }
      if (best) {
        text += " best attempt " + std::string(carbon::to_string(best->model)) + ":";
        for (std::size_t k = 0; k < best->fit.estimates.size(); ++k)
          text += " " + best->fit.parameter_names[k] + " = " + fmt(best->fit.estimates[k]);
        text += " (RSS " + fmt(best->fit.criteria.rss) + ", not used)";
      }
      text +=
          ". Add plots of other ages, fit models with fewer parameters (growth_models), or set "
          "growth_on_failure = \"skip\" to report this and go on";
      g.failure = text;
      failures.push_back(text);
    }
    if (!failures.empty()) {
      if (params.growth_on_failure == GrowthFailurePolicy::error) {
        std::string text = "vegetation: " + failures.front();
        for (std::size_t k = 1; k < failures.size(); ++k)
          text += "\n  " + failures[k];
        throw DataError(text);
      }
      for (const auto& f : failures)
        warnings.push_back("skipped: " + f);
    }

    // Fits and parameters tables.
    std::vector<std::string> f_lu, f_model, f_status, f_message, f_criterion, f_response;
    std::vector<std::int64_t> f_n, f_p, f_rank, f_selected;
    std::vector<double> f_rss, f_rse, f_rmse, f_r2, f_aic, f_aic_ls, f_aicc, f_bic, f_prec, f_value;
    std::vector<std::string> p_lu, p_model, p_name, p_unit;
    std::vector<double> p_est, p_se;
    for (const StratumGrowth& g : growth) {
      nlohmann::json gj = {
          {"land_use", g.land_use},
          {"response", response_column},
          {"n_points", g.t.size()},
          {"excluded_plots", g.excluded},
          {"selected_model",
           g.selected >= 0
               ? std::string(carbon::to_string(g.fits[static_cast<std::size_t>(g.selected)].model))
               : std::string()},
          {"status", g.selected >= 0 ? "fitted" : "no_usable_fit"}};
      if (!g.failure.empty()) gj["message"] = g.failure;
      nlohmann::json models = nlohmann::json::array();
      for (const auto& r : g.ranks) {
        const carbon::GrowthFit& f = g.fits[r.fit_index];
        const auto& c = f.fit.criteria;
        f_lu.push_back(g.land_use);
        f_response.push_back(response_column);
        f_model.push_back(std::string(carbon::to_string(f.model)));
        f_status.push_back(std::string(stats::to_string(f.fit.status)));
        f_message.push_back(r.note.empty() ? f.fit.message : f.fit.message + "; " + r.note);
        f_n.push_back(static_cast<std::int64_t>(g.t.size()));
        f_p.push_back(static_cast<std::int64_t>(carbon::growth_parameter_count(f.model)));
        f_rss.push_back(c.rss);
        f_rse.push_back(c.rse);
        f_rmse.push_back(c.rmse);
        f_r2.push_back(c.r_squared);
        f_aic.push_back(c.aic_loglik);
        f_aic_ls.push_back(c.aic_least_squares);
        f_aicc.push_back(c.aicc_least_squares);
        f_bic.push_back(c.bic_loglik);
        f_prec.push_back(c.precision_pct);
        f_criterion.push_back(std::string(carbon::to_string(params.selection_criterion)));
        f_value.push_back(r.value);
        f_rank.push_back(r.rank);
        f_selected.push_back(static_cast<int>(r.fit_index) == g.selected ? 1 : 0);
        models.push_back({{"model", carbon::to_string(f.model)},
                          {"status", stats::to_string(f.fit.status)},
                          {"rank", r.rank},
                          {"message", f.fit.message}});
        const auto& info = carbon::growth_model_info(f.model);
        for (std::size_t k = 0; k < f.fit.estimates.size(); ++k) {
          p_lu.push_back(g.land_use);
          p_model.push_back(std::string(carbon::to_string(f.model)));
          p_name.push_back(f.fit.parameter_names[k]);
          const std::string_view unit = info.parameters[k].unit;
          p_unit.push_back(unit == "y" ? u : std::string(unit));
          p_est.push_back(f.fit.estimates[k]);
          p_se.push_back(k < f.fit.std_errors.size() ? f.fit.std_errors[k] : kNaN);
        }
      }
      gj["models"] = models;
      growth_json.push_back(gj);
    }
    TableBuilder fb{result.growth_fits};
    fb.add("land_use", f_lu);
    fb.add("response", f_response);
    fb.add("model", f_model);
    fb.add("status", f_status);
    fb.add("n_points", f_n);
    fb.add("n_parameters", f_p);
    fb.add("rss", f_rss);
    fb.add("rse", f_rse);
    fb.add("rmse", f_rmse);
    fb.add("r_squared", f_r2);
    fb.add("aic_loglik", f_aic);
    fb.add("aic_least_squares", f_aic_ls);
    fb.add("aicc_least_squares", f_aicc);
    fb.add("bic_loglik", f_bic);
    fb.add("precision_pct", f_prec);
    fb.add("criterion", f_criterion);
    fb.add("criterion_value", f_value);
    fb.add("rank", f_rank);
    fb.add("selected", f_selected);
    fb.add("message", f_message);
    TableBuilder pb{result.growth_parameters};
    pb.add("land_use", p_lu);
    pb.add("model", p_model);
    pb.add("parameter", p_name);
    pb.add("unit", p_unit);
    pb.add("estimate", p_est);
    pb.add("std_error", p_se);
  }
}

// 9. Projection with the selected curve: per land use, per stand and per mine.
void project_growth_curves(Stage& s) {
  const auto& params = s.params;
  const auto& context = s.context;
  VegetationResult& result = s.result;
  std::vector<std::string>& warnings = s.result.warnings;
  auto& plots = s.plots;
  auto& mines = s.mines;
  auto& mine_strata = s.mine_strata;
  auto& growth = s.growth;
  auto& growth_of = s.growth_of;
  auto& curves = s.curves;
  auto& u = s.u;
  auto& total_unit = s.total_unit;
  for (std::size_t idx = 0; idx < growth.size(); ++idx)
    if (growth[idx].selected >= 0) growth_of.emplace(growth[idx].land_use, idx);
  curves.assign(growth.size(), carbon::FittedGrowthCurve{});
  for (const auto& [lu, idx] : growth_of)
    curves[idx] =
        carbon::fitted_curve(growth[idx].fits[static_cast<std::size_t>(growth[idx].selected)]);
  auto options_for = [&](std::size_t growth_idx, double start_yr, double end_yr) {
    carbon::ProjectionOptions o;
    o.age_start_yr = start_yr;
    o.age_end_yr = end_yr;
    o.age_step_yr = params.step_yr;
    o.saturation_fraction = params.saturation_fraction;
    o.increment_threshold_per_yr = params.increment_threshold_per_yr;
    o.search_max_age_yr = kSearchMaxAgeYr;
    o.band_level = params.band_level;
    o.monte_carlo_draws = params.monte_carlo_draws;
    o.seed = projection_seed(context.seed, growth[growth_idx].index);
    return o;
  };
  auto model_name = [&](std::size_t growth_idx) {
    return std::string(carbon::to_string(curves[growth_idx].model));
  };

  // Saturation rows (stratum, stand, mine × land use).
  std::vector<std::string> sat_scope, sat_id, sat_lu, sat_model;
  std::vector<double> sat_age, sat_area, sat_asym, sat_asym_se, sat_now, sat_rem, sat_rem_dlo,
      sat_rem_dhi, sat_rem_mlo, sat_rem_mhi, sat_age_sat, sat_age_dlo, sat_age_dhi, sat_age_mlo,
      sat_age_mhi, sat_years, sat_inc, sat_rem_total;
  auto add_saturation = [&](const std::string& scope, const std::string& id, std::size_t growth_idx,
                            double age, double area_ha, const carbon::GrowthProjection& p) {
    sat_scope.push_back(scope);
    sat_id.push_back(id);
    sat_lu.push_back(growth[growth_idx].land_use);
    sat_model.push_back(model_name(growth_idx));
    sat_age.push_back(age);
    sat_area.push_back(area_ha);
    sat_asym.push_back(p.asymptote.value);
    sat_asym_se.push_back(p.asymptote.se_delta);
    sat_now.push_back(p.current_stock.value);
    sat_rem.push_back(p.remaining_potential.value);
    sat_rem_dlo.push_back(p.remaining_potential.delta.lower);
    sat_rem_dhi.push_back(p.remaining_potential.delta.upper);
    sat_rem_mlo.push_back(p.remaining_potential.monte_carlo.lower);
    sat_rem_mhi.push_back(p.remaining_potential.monte_carlo.upper);
    sat_age_sat.push_back(p.saturation_age_yr.value);
    sat_age_dlo.push_back(p.saturation_age_yr.delta.lower);
    sat_age_dhi.push_back(p.saturation_age_yr.delta.upper);
    sat_age_mlo.push_back(p.saturation_age_yr.monte_carlo.lower);
    sat_age_mhi.push_back(p.saturation_age_yr.monte_carlo.upper);
    sat_years.push_back(std::max(0.0, p.saturation_age_yr.value - age));
    sat_inc.push_back(p.increment_saturation_age_yr.value);
    sat_rem_total.push_back(area_ha * p.remaining_potential.value);
  };

  {
    // Curves of each land use from age 0 to beyond its oldest plot, and its saturation row.
    std::vector<std::string> c_lu, c_model;
    std::vector<double> c_age, c_stock, c_se, c_dlo, c_dhi, c_mlo, c_mhi, c_sink, c_sink_dlo,
        c_sink_dhi;
    for (const auto& [lu, idx] : growth_of) {
      const StratumGrowth& g = growth[idx];
      const double max_age = *std::max_element(g.t.begin(), g.t.end());
      const carbon::GrowthProjection p =
          carbon::project_growth(curves[idx], options_for(idx, 0.0, max_age + params.horizon_yr));
      for (const auto& w : p.warnings)
        warnings.push_back("land use '" + lu + "': " + w);
      for (std::size_t k = 0; k < p.age_yr.size(); ++k) {
        c_lu.push_back(lu);
        c_model.push_back(model_name(idx));
        c_age.push_back(p.age_yr[k]);
        c_stock.push_back(p.stock[k].value);
        c_se.push_back(p.stock[k].se_delta);
        c_dlo.push_back(p.stock[k].delta.lower);
        c_dhi.push_back(p.stock[k].delta.upper);
        c_mlo.push_back(p.stock[k].monte_carlo.lower);
        c_mhi.push_back(p.stock[k].monte_carlo.upper);
        c_sink.push_back(p.sink_per_yr[k].value);
        c_sink_dlo.push_back(p.sink_per_yr[k].delta.lower);
        c_sink_dhi.push_back(p.sink_per_yr[k].delta.upper);
      }
      const double mean_age = carbon::estimate_mean(g.t).mean;
      const carbon::GrowthProjection now =
          carbon::project_growth(curves[idx], options_for(idx, mean_age, mean_age));
      add_saturation("land_use", lu, idx, mean_age, kNaN, now);
    }
    TableBuilder b{result.growth_curves};
    b.add("land_use", c_lu);
    b.add("model", c_model);
    b.add("age_yr", c_age);
    b.add("stock_" + u, c_stock);
    b.add("stock_se_" + u, c_se);
    b.add("stock_delta_lower_" + u, c_dlo);
    b.add("stock_delta_upper_" + u, c_dhi);
    b.add("stock_mc_lower_" + u, c_mlo);
    b.add("stock_mc_upper_" + u, c_mhi);
    b.add("sink_" + u + "_yr", c_sink);
    b.add("sink_delta_lower_" + u + "_yr", c_sink_dlo);
    b.add("sink_delta_upper_" + u + "_yr", c_sink_dhi);
  }

  {
    // Stands: each plot with an age in a fitted land use, from its age over the horizon.
    std::vector<std::pair<std::size_t, std::size_t>> stands;  // (growth idx, plot idx)
    for (const auto& [lu, idx] : growth_of)
      for (const std::size_t plot_idx : growth[idx].plots)
        stands.emplace_back(idx, plot_idx);
    std::sort(stands.begin(), stands.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    // A projection depends only on (curve, age): stands of one land use and age share it.
    std::map<std::pair<std::size_t, double>, std::size_t> unique_of;
    std::vector<std::pair<std::size_t, double>> unique;
    std::vector<std::size_t> projection_of(stands.size());
    for (std::size_t task = 0; task < stands.size(); ++task) {
      const auto key = std::make_pair(stands[task].first, plots[stands[task].second].age_yr);
      const auto [it, fresh] = unique_of.emplace(key, unique.size());
      if (fresh) unique.push_back(key);
      projection_of[task] = it->second;
    }
    std::vector<carbon::GrowthProjection> unique_projections(unique.size());
    parallel_for(unique.size(), context.threads, [&](std::size_t task, std::size_t) {
      const auto [idx, age] = unique[task];
      unique_projections[task] =
          carbon::project_growth(curves[idx], options_for(idx, age, age + params.horizon_yr));
    });
    std::vector<std::string> s_plot, s_lu, s_mine, s_model;
    std::vector<double> s_offset, s_year, s_age, s_stock, s_se, s_dlo, s_dhi, s_mlo, s_mhi, s_sink,
        s_cum, s_cum_dlo, s_cum_dhi, s_cum_mlo, s_cum_mhi;
    for (std::size_t task = 0; task < stands.size(); ++task) {
      const auto [idx, plot_idx] = stands[task];
      const Plot& plot = plots[plot_idx];
      const carbon::GrowthProjection& p = unique_projections[projection_of[task]];
      add_saturation("stand", plot.id, idx, plot.age_yr, kNaN, p);
      for (std::size_t k = 0; k < p.age_yr.size(); ++k) {
        const double offset = p.age_yr[k] - plot.age_yr;
        s_plot.push_back(plot.id);
        s_lu.push_back(plot.land_use);
        s_mine.push_back(plot.mine_id);
        s_model.push_back(model_name(idx));
        s_offset.push_back(offset);
        s_year.push_back(params.inventory_year > 0 ? params.inventory_year + offset : kNaN);
        s_age.push_back(p.age_yr[k]);
        s_stock.push_back(p.stock[k].value);
        s_se.push_back(p.stock[k].se_delta);
        s_dlo.push_back(p.stock[k].delta.lower);
        s_dhi.push_back(p.stock[k].delta.upper);
        s_mlo.push_back(p.stock[k].monte_carlo.lower);
        s_mhi.push_back(p.stock[k].monte_carlo.upper);
        s_sink.push_back(p.sink_per_yr[k].value);
        s_cum.push_back(p.cumulative_sink[k].value);
        s_cum_dlo.push_back(p.cumulative_sink[k].delta.lower);
        s_cum_dhi.push_back(p.cumulative_sink[k].delta.upper);
        s_cum_mlo.push_back(p.cumulative_sink[k].monte_carlo.lower);
        s_cum_mhi.push_back(p.cumulative_sink[k].monte_carlo.upper);
      }
    }
    TableBuilder b{result.projection_stands};
    b.add("plot_id", s_plot);
    b.add("land_use", s_lu);
    b.add("mine_id", s_mine);
    b.add("model", s_model);
    b.add("years_from_inventory", s_offset);
    b.add("year", s_year);
    b.add("age_yr", s_age);
    b.add("stock_" + u, s_stock);
    b.add("stock_se_" + u, s_se);
    b.add("stock_delta_lower_" + u, s_dlo);
    b.add("stock_delta_upper_" + u, s_dhi);
    b.add("stock_mc_lower_" + u, s_mlo);
    b.add("stock_mc_upper_" + u, s_mhi);
    b.add("sink_" + u + "_yr", s_sink);
    b.add("cumulative_sink_" + u, s_cum);
    b.add("cumulative_sink_delta_lower_" + u, s_cum_dlo);
    b.add("cumulative_sink_delta_upper_" + u, s_cum_dhi);
    b.add("cumulative_sink_mc_lower_" + u, s_cum_mlo);
    b.add("cumulative_sink_mc_upper_" + u, s_cum_mhi);
  }

  {
    // Mines: Σ over the mine's land uses with a curve of area × curve from the mean stand age.
    // Land uses are fitted independently, so delta variances add; Monte Carlo bands are given
    // only where one land use makes the whole projection (quantiles do not add).
    const double z = boost::math::quantile(boost::math::normal(), 0.5 + params.band_level / 2.0);
    std::vector<std::string> m_id, m_strata;
    std::vector<double> m_offset, m_year, m_area, m_stock, m_se, m_dlo, m_dhi, m_mlo, m_mhi, m_sink,
        m_cum, m_cum_se, m_cum_dlo, m_cum_dhi;
    for (std::size_t m = 0; m < mines.size(); ++m) {
      std::vector<carbon::GrowthProjection> parts;
      std::vector<double> areas;
      std::vector<std::string> names;
      for (const MineStratum& s : mine_strata[m]) {
        const auto it = growth_of.find(s.land_use);
        if (it == growth_of.end() || !std::isfinite(s.area_ha)) continue;
        std::vector<double> ages;
        for (const std::size_t idx : s.plots)
          ages.push_back(plots[idx].age_yr);
        const double age = carbon::estimate_mean(ages).mean;
        if (!std::isfinite(age)) continue;
        parts.push_back(carbon::project_growth(
            curves[it->second], options_for(it->second, age, age + params.horizon_yr)));
        areas.push_back(s.area_ha);
        names.push_back(s.land_use);
        add_saturation("mine_land_use", mines[m].id, it->second, age, s.area_ha, parts.back());
      }
      if (parts.empty()) continue;
      double area_sum = 0.0;
      for (const double a : areas)
        area_sum += a;
      for (std::size_t k = 0; k < parts.front().age_yr.size(); ++k) {
        double stock = 0, var = 0, sink = 0, cum = 0, cum_var = 0;
        for (std::size_t j = 0; j < parts.size(); ++j) {
          const double a = areas[j];
          stock += a * parts[j].stock[k].value;
          var += a * a * parts[j].stock[k].se_delta * parts[j].stock[k].se_delta;
          sink += a * parts[j].sink_per_yr[k].value;
          cum += a * parts[j].cumulative_sink[k].value;
          cum_var +=
              a * a * parts[j].cumulative_sink[k].se_delta * parts[j].cumulative_sink[k].se_delta;
        }
        const double offset = parts.front().age_yr[k] - parts.front().age_yr.front();
        m_id.push_back(mines[m].id);
        m_strata.push_back(join(names, "; "));
        m_area.push_back(area_sum);
        m_offset.push_back(offset);
        m_year.push_back(params.inventory_year > 0 ? params.inventory_year + offset : kNaN);
        m_stock.push_back(stock);
        m_se.push_back(std::sqrt(var));
        m_dlo.push_back(stock - z * std::sqrt(var));
        m_dhi.push_back(stock + z * std::sqrt(var));
        m_mlo.push_back(parts.size() == 1 ? areas[0] * parts[0].stock[k].monte_carlo.lower : kNaN);
        m_mhi.push_back(parts.size() == 1 ? areas[0] * parts[0].stock[k].monte_carlo.upper : kNaN);
        m_sink.push_back(sink);
        m_cum.push_back(cum);
        m_cum_se.push_back(std::sqrt(cum_var));
        m_cum_dlo.push_back(cum - z * std::sqrt(cum_var));
        m_cum_dhi.push_back(cum + z * std::sqrt(cum_var));
      }
    }
    TableBuilder b{result.projection_mines};
    b.add("mine_id", m_id);
    b.add("land_uses", m_strata);
    b.add("area_projected_ha", m_area);
    b.add("years_from_inventory", m_offset);
    b.add("year", m_year);
    b.add("stock_" + total_unit, m_stock);
    b.add("stock_se_" + total_unit, m_se);
    b.add("stock_delta_lower_" + total_unit, m_dlo);
    b.add("stock_delta_upper_" + total_unit, m_dhi);
    b.add("stock_mc_lower_" + total_unit, m_mlo);
    b.add("stock_mc_upper_" + total_unit, m_mhi);
    b.add("sink_" + total_unit + "_yr", m_sink);
    b.add("cumulative_sink_" + total_unit, m_cum);
    b.add("cumulative_sink_se_" + total_unit, m_cum_se);
    b.add("cumulative_sink_delta_lower_" + total_unit, m_cum_dlo);
    b.add("cumulative_sink_delta_upper_" + total_unit, m_cum_dhi);
  }
  {
    TableBuilder b{result.saturation};
    b.add("scope", sat_scope);
    b.add("id", sat_id);
    b.add("land_use", sat_lu);
    b.add("model", sat_model);
    b.add("age_yr", sat_age);
    b.add("area_ha", sat_area);
    b.add("asymptote_" + u, sat_asym);
    b.add("asymptote_se_" + u, sat_asym_se);
    b.add("current_stock_" + u, sat_now);
    b.add("remaining_potential_" + u, sat_rem);
    b.add("remaining_potential_delta_lower_" + u, sat_rem_dlo);
    b.add("remaining_potential_delta_upper_" + u, sat_rem_dhi);
    b.add("remaining_potential_mc_lower_" + u, sat_rem_mlo);
    b.add("remaining_potential_mc_upper_" + u, sat_rem_mhi);
    b.add("remaining_potential_" + total_unit, sat_rem_total);
    b.add("saturation_age_yr", sat_age_sat);
    b.add("saturation_age_delta_lower_yr", sat_age_dlo);
    b.add("saturation_age_delta_upper_yr", sat_age_dhi);
    b.add("saturation_age_mc_lower_yr", sat_age_mlo);
    b.add("saturation_age_mc_upper_yr", sat_age_mhi);
    b.add("years_to_saturation", sat_years);
    b.add("increment_saturation_age_yr", sat_inc);
  }
}

// 10. Summary.
void summarize(Stage& s) {
  const auto& params = s.params;
  const auto& inputs = s.inputs;
  const auto& context = s.context;
  VegetationResult& result = s.result;
  std::vector<std::string>& warnings = s.result.warnings;
  auto& plots = s.plots;
  auto& trees = s.trees;
  auto& tables = s.tables;
  auto& specs = s.specs;
  auto& n_clamped = s.n_clamped;
  auto& n_missing_heights = s.n_missing_heights;
  auto& land_uses = s.land_uses;
  auto& mines = s.mines;
  auto& mines_source = s.mines_source;
  auto& growth = s.growth;
  auto& growth_json = s.growth_json;
  auto& growth_of = s.growth_of;
  std::size_t live = 0, dead = 0, measured = 0;
  for (const Tree& t : trees) {
    (t.live ? live : dead) += 1;
    if (!t.height_estimated) ++measured;
  }
  nlohmann::json growth_models = nlohmann::json::array();
  for (const auto m : params.growth_models)
    growth_models.push_back(carbon::to_string(m));
  nlohmann::json& summary = result.summary;
  summary["stage"] = "vegetation";
  summary["parameters"] = {
      {"biomass_method", carbon::to_string(params.biomass_method)},
      {"root_method", params.root_method ? std::string(carbon::to_string(*params.root_method))
                                         : std::string("auto")},
      {"root_shoot_class", params.root_shoot_class},
      {"root_allometry", params.root_allometry},
      {"allometry", params.allometry},
      {"bcef_group", params.bcef_group},
      {"carbon_fraction", params.carbon_fraction},
      {"carbon_fraction_understorey", params.carbon_fraction_understorey},
      {"carbon_fraction_litter", params.carbon_fraction_litter},
      {"carbon_fraction_dead_wood", params.carbon_fraction_dead_wood},
      {"height_model", params.height_model},
      {"height_model_by", to_string(params.height_model_by)},
      {"height_model_min_trees", params.height_model_min_trees},
      {"precision_threshold_pct", params.precision_threshold_pct},
      {"precision_confidence", params.precision_confidence},
      {"growth", params.growth},
      {"growth_models", growth_models},
      {"growth_response", to_string(params.growth_response)},
      {"selection_criterion", carbon::to_string(params.selection_criterion)},
      {"growth_on_failure", to_string(params.growth_on_failure)},
      {"growth_land_uses", params.growth_land_uses},
      {"horizon_yr", params.horizon_yr},
      {"step_yr", params.step_yr},
      {"saturation_fraction", params.saturation_fraction},
      {"increment_threshold_per_yr", std::isnan(params.increment_threshold_per_yr)
                                         ? nlohmann::json(nullptr)
                                         : nlohmann::json(params.increment_threshold_per_yr)},
      {"band_level", params.band_level},
      {"monte_carlo_draws", params.monte_carlo_draws},
      {"inventory_year", params.inventory_year},
      {"seed", context.seed},
  };
  summary["inputs"] = {
      {"trees", inputs.trees.source},
      {"plots", inputs.plots.source},
      {"understorey", inputs.understorey ? inputs.understorey->source : ""},
      {"species", inputs.species ? inputs.species->source : ""},
      {"mines", mines_source},
      {"stratum_areas", inputs.stratum_areas ? inputs.stratum_areas->source : ""},
      {"volume_equations", tables.volume.files()},
      {"bcef_table", tables.bcef.files()},
      {"continuous_bef_table", tables.continuous_bef.files()},
      {"root_shoot_table", tables.root_shoot.files()},
      {"allometry_table", tables.allometry.files()},
  };
  summary["counts"] = {
      {"plots", plots.size()},
      {"tree_rows", trees.size()},
      {"live_tree_rows", live},
      {"dead_tree_rows", dead},
      {"species", specs.size()},
      {"heights_measured", measured},
      {"heights_estimated", n_missing_heights},
      {"heights_set_to_breast_height", n_clamped},
      {"land_uses", land_uses.size()},
      {"mines", mines.size()},
      {"growth_land_uses", growth.size()},
      {"growth_land_uses_fitted", growth_of.size()},
  };
  summary["growth"] = growth_json;
  summary["warnings"] = warnings;
  context.say("vegetation: " + std::to_string(growth_of.size()) + " of " +
              std::to_string(growth.size()) + " land uses with a growth curve, " +
              std::to_string(mines.size()) + " mines");
}

}  // namespace

VegetationResult run_vegetation(const VegetationParams& params, const VegetationInputs& inputs,
                                const RunContext& context) {
  check_vegetation_params(params, [](const std::string& key, const std::string& problem) {
    throw ConfigError("vegetation: " + key + ": " + problem);
  });
  Stage s{params, inputs, context};
  read_inventory(s);
  resolve_recipes(s);
  estimate_missing_heights(s);
  compute_plots(s);
  tabulate_trees(s);
  tabulate_plots(s);
  tabulate_species(s);
  tabulate_height_models(s);
  tabulate_land_uses(s);
  compute_mines(s);
  fit_growth_curves(s);
  project_growth_curves(s);
  summarize(s);
  return std::move(s.result);
}

}  // namespace minecarbon::assess
