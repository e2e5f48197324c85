#include "minecarbon/assess/vegetation/species_recipes.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "minecarbon/assess/vegetation.h"
#include "minecarbon/assess/vegetation/support.h"
#include "minecarbon/core/errors.h"

namespace minecarbon::assess {

using vegetation::join;

namespace {
// Basic wood density: the Global Wood Density Database (Chave et al. 2009, Ecology Letters
// 12:351, doi:10.1111/j.1461-0248.2009.01285.x; Zanne et al. 2009) spans about 0.08 (balsa) to
// 1.39 g/cm³; outside [0.05, 1.5] the value is a typing or unit error (kg/m³ is 1000× larger).
constexpr double kMinWoodDensityGCm3 = 0.05;
constexpr double kMaxWoodDensityGCm3 = 1.5;
}  // namespace

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
          problems.push_back(row->where() + ": bcef_t_m3 = " + format_number(spec.bcef_t_m3) +
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
        problems.push_back(row->where() +
                           ": root_shoot_ratio = " + format_number(spec.root_shoot_ratio) +
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
    const double density = number("wood_density_g_cm3");
    if (density > 0 && (density < kMinWoodDensityGCm3 || density > kMaxWoodDensityGCm3)) {
      problems.push_back(
          row->where() + ": wood_density_g_cm3 = " + row->text("wood_density_g_cm3") +
          ": implausible basic wood density; plausible range " +
          format_number(kMinWoodDensityGCm3) + " to " + format_number(kMaxWoodDensityGCm3) +
          " g/cm³ (oven-dry mass per green volume; is it in kg/m³?)");
    }
    const double cf = number("carbon_fraction");
    spec.carbon_fraction = std::isnan(cf) ? params.carbon_fraction : cf;
    if (!(spec.carbon_fraction > 0 && spec.carbon_fraction <= 1)) {
      problems.push_back(
          (row ? row->where() + ": " : std::string()) + "species '" + name +
          "' carbon_fraction = " + format_number(spec.carbon_fraction) +
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

}  // namespace minecarbon::assess

namespace minecarbon::assess::vegetation {

SpeciesRecipes resolve_recipes(const std::vector<Tree>& trees, const VegetationParams& params,
                               const std::optional<CsvText>& species_table,
                               const VegetationTables& factor_tables) {
  SpeciesRecipes out;
  out.species_of_tree.reserve(trees.size());
  std::map<std::string, std::size_t> index;
  for (const Tree& t : trees) {
    auto [it, fresh] = index.emplace(t.species, out.species.size());
    if (fresh) {
      out.species.push_back(t.species);
      out.tree_counts.push_back(0);
    }
    out.species_of_tree.push_back(it->second);
    ++out.tree_counts[it->second];
  }
  out.tables = load_factor_tables(factor_tables);
  out.specs = resolve_species(out.species, params, species_table, out.tables, out.tree_counts);
  if (params.growth && params.growth_response == GrowthResponse::volume) {
    std::vector<std::string> without;
    for (const auto& spec : out.specs)
      if (!spec.volume) without.push_back("'" + spec.species + "'");
    if (!without.empty()) {
      throw DataError(
          "vegetation: growth_response = volume needs a volume equation for every species, and " +
          join(without) + " have none in " + out.tables.volume.files() +
          "; add rows to your own table given as volume_equations = \"...\", or fit carbon or "
          "biomass instead");
    }
  }
  return out;
}

}  // namespace minecarbon::assess::vegetation
