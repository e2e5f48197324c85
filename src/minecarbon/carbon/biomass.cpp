#include "minecarbon/carbon/biomass.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <stdexcept>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/text.h"
#include "minecarbon/core/units.h"

namespace minecarbon::carbon {
namespace {

struct MethodName {
  BiomassMethod method;
  std::string_view name;
};
constexpr std::array<MethodName, 4> kMethodNames = {
    {{BiomassMethod::bcef, "bcef"},
     {BiomassMethod::bef, "bef"},
     {BiomassMethod::continuous_bef, "continuous_bef"},
     {BiomassMethod::allometry, "allometry"}}};
struct RootName {
  RootMethod method;
  std::string_view name;
};
constexpr std::array<RootName, 4> kRootNames = {{{RootMethod::root_shoot, "root_shoot"},
                                                 {RootMethod::root_allometry, "root_allometry"},
                                                 {RootMethod::included, "included"},
                                                 {RootMethod::none, "none"}}};

std::string join_files(const std::vector<std::string>& files) {
  std::string out;
  for (const auto& f : files)
    out += (out.empty() ? "" : ", ") + f;
  return out;
}

// Reads the (min, max] classes of a stepwise-factor table.
void add_classes(const CsvText& csv, const std::string& what, const std::string& key_column,
                 const std::string& min_column, const std::string& max_column,
                 const std::string& value_column, const std::string& value_doc,
                 std::map<std::string, std::vector<FactorClass>>& rows) {
  require_columns(csv, {key_column, min_column, max_column, value_column, "source"}, what);
  std::map<std::string, std::vector<FactorClass>> fresh;
  for (std::size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
    const FactorRow row(csv, row_idx);
    FactorClass cls;
    cls.key = row.text(key_column);
    cls.origin = row.where();
    if (cls.key.empty()) row.fail(key_column, "is empty; expected a class name");
    const double lo = row.number(min_column), hi = row.number(max_column);
    cls.min = std::isnan(lo) ? 0.0 : lo;
    cls.max = std::isnan(hi) ? std::numeric_limits<double>::infinity() : hi;
    if (!(cls.min >= 0) || !(cls.max > cls.min))
      row.fail(max_column, "must be > " + min_column + " >= 0 (class (min, max]; empty = open)");
    cls.value = row.required_number(value_column, value_doc);
    if (!(cls.value > 0)) row.fail(value_column, "must be > 0 (" + value_doc + ")");
    cls.source = row.text("source");
    if (cls.source.empty()) row.fail("source", "is empty; every row needs the source of its value");
    cls.status = row.text("status");
    fresh[cls.key].push_back(std::move(cls));
  }
  for (auto& [key, classes] : fresh) {
    std::sort(classes.begin(), classes.end(),
              [](const FactorClass& a, const FactorClass& b) { return a.min < b.min; });
    for (std::size_t idx = 1; idx < classes.size(); ++idx) {
      if (classes[idx].min < classes[idx - 1].max) {
        throw DataError(classes[idx].origin + ": " + what + " class '" + key + "' (" +
                        format_number(classes[idx].min) + ", " + format_number(classes[idx].max) +
                        "] overlaps the row at " + classes[idx - 1].origin +
                        "; classes of one key must not overlap");
      }
    }
    rows[key] = std::move(classes);
  }
}

double tonnes_per_ha(double kg, double stems, double area_ha) {
  return kg * stems / units::kKgPerMg / area_ha;
}

}  // namespace

std::string_view to_string(BiomassMethod method) {
  for (const auto& m : kMethodNames)
    if (m.method == method) return m.name;
  return "?";
}

std::string biomass_method_choices() {
  std::string out;
  for (const auto& m : kMethodNames)
    out += (out.empty() ? "" : ", ") + std::string(m.name);
  return out;
}

BiomassMethod parse_biomass_method(std::string_view name) {
  for (const auto& m : kMethodNames)
    if (m.name == name) return m.method;
  throw ConfigError("unknown biomass method '" + std::string(name) +
                    "'; choices: " + biomass_method_choices());
}

bool needs_volume(BiomassMethod method) {
  return method != BiomassMethod::allometry;
}

std::string_view to_string(RootMethod method) {
  for (const auto& m : kRootNames)
    if (m.method == method) return m.name;
  return "?";
}

std::string root_method_choices() {
  std::string out;
  for (const auto& m : kRootNames)
    out += (out.empty() ? "" : ", ") + std::string(m.name);
  return out;
}

RootMethod parse_root_method(std::string_view name) {
  for (const auto& m : kRootNames)
    if (m.name == name) return m.method;
  throw ConfigError("unknown root method '" + std::string(name) +
                    "'; choices: " + root_method_choices());
}

double aboveground_biomass_bef_t(double volume_m3, double wood_density_t_m3, double bef) {
  return volume_m3 * wood_density_t_m3 * bef;
}

double aboveground_biomass_bcef_t(double volume_m3, double bcef_t_m3) {
  return volume_m3 * bcef_t_m3;
}

double biomass_with_roots(double aboveground, double root_shoot_ratio) {
  return aboveground * (1.0 + root_shoot_ratio);
}

double continuous_bef_biomass_t_ha(const ContinuousBef& row, double volume_m3_ha) {
  return row.a_t_m3 * volume_m3_ha + row.b_t_ha;
}

double continuous_bef_factor_t_m3(const ContinuousBef& row, double stand_volume_m3_ha) {
  if (!(stand_volume_m3_ha > 0)) return row.a_t_m3;
  return row.a_t_m3 + row.b_t_ha / stand_volume_m3_ha;
}

std::string_view to_string(AllometryForm form) {
  switch (form) {
    case AllometryForm::power_dh:
      return "power_dh";
    case AllometryForm::rho_d2h:
      return "rho_d2h";
    case AllometryForm::stand_log:
      return "stand_log";
  }
  return "?";
}

std::string_view to_string(BiomassComponent component) {
  return component == BiomassComponent::above_ground ? "above_ground" : "below_ground";
}

double tree_allometric_biomass_kg(const AllometricEquation& eq, double dbh_cm, double height_m,
                                  double wood_density_g_cm3) {
  switch (eq.form) {
    case AllometryForm::power_dh:
      return eq.a * std::pow(dbh_cm, eq.b) * std::pow(height_m, eq.c);
    case AllometryForm::rho_d2h:
      return eq.a * std::pow(wood_density_g_cm3 * dbh_cm * dbh_cm * height_m, eq.b);
    case AllometryForm::stand_log:
      return kNaN;
  }
  return kNaN;
}

double stand_allometric_biomass_t_ha(const AllometricEquation& eq, double aboveground_t_ha) {
  if (eq.form != AllometryForm::stand_log) return kNaN;
  if (!(aboveground_t_ha > 0)) return 0.0;
  return std::exp(eq.a + eq.b * std::log(aboveground_t_ha) + eq.c);
}

bool in_dbh_range(const AllometricEquation& eq, double dbh_cm) {
  return dbh_cm >= eq.dbh_min_cm && dbh_cm <= eq.dbh_max_cm;
}

const FactorClass& find_class(std::span<const FactorClass> classes, double x,
                              const std::string& what) {
  for (std::size_t idx = 0; idx < classes.size(); ++idx) {
    const FactorClass& cls = classes[idx];
    const bool above_min = idx == 0 ? x >= cls.min : x > cls.min;
    if (above_min && x <= cls.max) return cls;
  }
  std::string covered;
  for (const auto& cls : classes)
    covered += (covered.empty() ? "" : ", ") + std::string("(") + format_number(cls.min) + ", " +
               format_number(cls.max) + "]";
  const std::string key = classes.empty() ? std::string("?") : classes.front().key;
  throw DataError(what + " '" + key + "' has no class for " + format_number(x) +
                  " (its rows cover " + covered + ", " +
                  (classes.empty() ? std::string("none") : classes.front().origin) +
                  "); add a row or choose another class");
}

void BcefTable::add(const CsvText& csv) {
  add_classes(csv, "BCEF", "forest_group", "growing_stock_min_m3_ha", "growing_stock_max_m3_ha",
              "bcef_t_m3", "BCEF in t d.m. per m3 of stem volume", rows_);
  files_.push_back(csv.source);
}

const std::vector<FactorClass>* BcefTable::find(const std::string& key) const {
  const auto it = rows_.find(key);
  return it == rows_.end() ? nullptr : &it->second;
}

std::string BcefTable::files() const {
  return join_files(files_);
}

void RootShootTable::add(const CsvText& csv) {
  add_classes(csv, "root:shoot", "class", "agb_min_t_ha", "agb_max_t_ha", "ratio",
              "root:shoot ratio, t root per t shoot", rows_);
  files_.push_back(csv.source);
}

const std::vector<FactorClass>* RootShootTable::find(const std::string& key) const {
  const auto it = rows_.find(key);
  return it == rows_.end() ? nullptr : &it->second;
}

std::string RootShootTable::files() const {
  return join_files(files_);
}

void ContinuousBefTable::add(const CsvText& csv) {
  require_columns(csv, {"forest_type", "a_t_m3", "b_t_ha", "source"}, "continuous BEF");
  std::set<std::string> seen;
  for (std::size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
    const FactorRow row(csv, row_idx);
    ContinuousBef bef;
    bef.key = row.text("forest_type");
    bef.origin = row.where();
    if (bef.key.empty()) row.fail("forest_type", "is empty; expected a forest type name");
    if (!seen.insert(bef.key).second)
      row.fail("forest_type", "appears twice in this table; keep one row per forest type");
    bef.a_t_m3 = row.required_number("a_t_m3", "the slope a of B = aV + b, t/m3");
    bef.b_t_ha = row.required_number("b_t_ha", "the intercept b of B = aV + b, t/ha");
    if (!(bef.a_t_m3 > 0)) row.fail("a_t_m3", "must be > 0 (slope of B = aV + b, t/m3)");
    if (!(bef.b_t_ha >= 0)) row.fail("b_t_ha", "must be >= 0 (intercept of B = aV + b, t/ha)");
    bef.source = row.text("source");
    if (bef.source.empty()) row.fail("source", "is empty; every row needs the source of a and b");
    bef.status = row.text("status");
    rows_[bef.key] = std::move(bef);
  }
  files_.push_back(csv.source);
}

const ContinuousBef* ContinuousBefTable::find(const std::string& key) const {
  const auto it = rows_.find(key);
  return it == rows_.end() ? nullptr : &it->second;
}

std::string ContinuousBefTable::files() const {
  return join_files(files_);
}

void AllometryTable::add(const CsvText& csv) {
  require_columns(csv, {"id", "component", "form", "a", "b", "c", "source"}, "allometry");
  std::set<std::string> seen;
  for (std::size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
    const FactorRow row(csv, row_idx);
    AllometricEquation eq;
    eq.key = row.text("id");
    eq.origin = row.where();
    if (eq.key.empty()) row.fail("id", "is empty; expected an equation id");
    if (!seen.insert(eq.key).second)
      row.fail("id", "appears twice in this table; keep one row per id");
    const std::string component = row.text("component");
    if (component == "above_ground") {
      eq.component = BiomassComponent::above_ground;
    } else if (component == "below_ground") {
      eq.component = BiomassComponent::below_ground;
    } else {
      row.fail("component", "must be above_ground or below_ground");
    }
    const std::string form = row.text("form");
    if (form == "power_dh") {
      eq.form = AllometryForm::power_dh;
    } else if (form == "rho_d2h") {
      eq.form = AllometryForm::rho_d2h;
    } else if (form == "stand_log") {
      eq.form = AllometryForm::stand_log;
      if (eq.component != BiomassComponent::below_ground)
        row.fail("form",
                 "stand_log gives roots from the stand's AGB: component must be below_ground");
    } else {
      row.fail("form",
               "must be one of power_dh (a D^b H^c), rho_d2h (a (rho D^2 H)^b), stand_log (exp(a + "
               "b ln AGB + c))");
    }
    eq.a = row.required_number("a", "the coefficient a");
    eq.b = row.required_number("b", "the exponent b");
    const double c = row.number("c");
    eq.c = std::isnan(c) ? 0.0 : c;
    if (eq.form != AllometryForm::stand_log && !(eq.a > 0))
      row.fail("a", "must be > 0 (B = a ..., kg)");
    const double d_min = row.number("dbh_min_cm"), d_max = row.number("dbh_max_cm");
    if (!std::isnan(d_min)) eq.dbh_min_cm = d_min;
    if (!std::isnan(d_max)) eq.dbh_max_cm = d_max;
    eq.source = row.text("source");
    if (eq.source.empty())
      row.fail("source", "is empty; every row needs the source of its coefficients");
    eq.status = row.text("status");
    rows_[eq.key] = std::move(eq);
  }
  files_.push_back(csv.source);
}

const AllometricEquation* AllometryTable::find(const std::string& key) const {
  const auto it = rows_.find(key);
  return it == rows_.end() ? nullptr : &it->second;
}

std::string AllometryTable::files() const {
  return join_files(files_);
}

StandBiomass stand_biomass(std::span<const BiomassSpec> specs, std::span<const StandTree> trees,
                           double area_ha) {
  if (!(area_ha > 0)) throw std::invalid_argument("stand_biomass: area_ha must be > 0");
  StandBiomass stand;
  stand.trees.resize(trees.size());

  // 1. Volumes, and the live growing stock of the stand.
  for (std::size_t tree_idx = 0; tree_idx < trees.size(); ++tree_idx) {
    const StandTree& tree = trees[tree_idx];
    const BiomassSpec& spec = specs[tree.spec];
    TreeBiomass& out = stand.trees[tree_idx];
    if (spec.volume) out.volume_m3 = stem_volume_m3(*spec.volume, tree.dbh_cm, tree.height_m);
    if (!tree.live) continue;
    if (std::isfinite(out.volume_m3)) {
      stand.volume_m3_ha += out.volume_m3 * tree.stems / area_ha;
    } else {
      ++stand.live_without_volume;
    }
  }

  // 2. Above-ground (or total, for continuous BEF with roots included) biomass per stem.
  for (std::size_t tree_idx = 0; tree_idx < trees.size(); ++tree_idx) {
    const StandTree& tree = trees[tree_idx];
    const BiomassSpec& spec = specs[tree.spec];
    TreeBiomass& out = stand.trees[tree_idx];
    double above_kg = kNaN;
    switch (spec.method) {
      case BiomassMethod::bef:
        above_kg = aboveground_biomass_bef_t(out.volume_m3, spec.wood_density_t_m3, spec.bef) *
                   units::kKgPerMg;
        break;
      case BiomassMethod::bcef: {
        double bcef = spec.bcef_t_m3;
        if (std::isnan(bcef)) {
          bcef = find_class(spec.bcef_classes, stand.volume_m3_ha,
                            "BCEF growing-stock class (m3/ha) of forest group")
                     .value;
        }
        above_kg = aboveground_biomass_bcef_t(out.volume_m3, bcef) * units::kKgPerMg;
        break;
      }
      case BiomassMethod::continuous_bef:
        if (!spec.continuous) throw std::invalid_argument(spec.species + ": no continuous BEF");
        above_kg = out.volume_m3 *
                   continuous_bef_factor_t_m3(*spec.continuous, stand.volume_m3_ha) *
                   units::kKgPerMg;
        break;
      case BiomassMethod::allometry:
        if (!spec.allometry) throw std::invalid_argument(spec.species + ": no allometry");
        above_kg = tree_allometric_biomass_kg(*spec.allometry, tree.dbh_cm, tree.height_m,
                                              spec.wood_density_t_m3);
        break;
    }
    if (spec.root_method == RootMethod::included) {
      out.above_known = false;
      out.total_kg = above_kg;
    } else {
      out.above_kg = above_kg;
    }
    if (tree.live) {
      stand.class_agb_t_ha +=
          tonnes_per_ha(out.above_known ? out.above_kg : out.total_kg, tree.stems, area_ha);
    }
  }

  // 3. Below-ground biomass, totals and carbon.
  for (std::size_t tree_idx = 0; tree_idx < trees.size(); ++tree_idx) {
    const StandTree& tree = trees[tree_idx];
    const BiomassSpec& spec = specs[tree.spec];
    TreeBiomass& out = stand.trees[tree_idx];
    if (out.above_known) {
      switch (spec.root_method) {
        case RootMethod::root_shoot: {
          double ratio = spec.root_shoot_ratio;
          if (std::isnan(ratio)) {
            ratio = find_class(spec.root_shoot_classes, stand.class_agb_t_ha,
                               "root:shoot AGB class (t/ha) of class")
                        .value;
          }
          out.below_kg = out.above_kg * ratio;
          break;
        }
        case RootMethod::root_allometry: {
          if (!spec.root_allometry)
            throw std::invalid_argument(spec.species + ": no root allometry");
          const AllometricEquation& eq = *spec.root_allometry;
          if (eq.form == AllometryForm::stand_log) {
            // The stand's roots, shared among its trees by above-ground biomass.
            const double stand_roots = stand_allometric_biomass_t_ha(eq, stand.class_agb_t_ha);
            out.below_kg =
                stand.class_agb_t_ha > 0 ? out.above_kg * stand_roots / stand.class_agb_t_ha : 0.0;
          } else {
            out.below_kg =
                tree_allometric_biomass_kg(eq, tree.dbh_cm, tree.height_m, spec.wood_density_t_m3);
          }
          break;
        }
        case RootMethod::none:
        case RootMethod::included:
          out.below_kg = 0.0;
          break;
      }
      out.total_kg = out.above_kg + out.below_kg;
    }
    out.carbon_kg = out.total_kg * spec.carbon_fraction;
    if (tree.live) {
      if (out.above_known) {
        stand.above_t_ha += tonnes_per_ha(out.above_kg, tree.stems, area_ha);
        stand.below_t_ha += tonnes_per_ha(out.below_kg, tree.stems, area_ha);
      } else {
        stand.above_t_ha = kNaN;
        stand.below_t_ha = kNaN;
      }
      stand.biomass_t_ha += tonnes_per_ha(out.total_kg, tree.stems, area_ha);
      stand.carbon_tC_ha += tonnes_per_ha(out.carbon_kg, tree.stems, area_ha);
    } else {
      stand.dead_biomass_t_ha += tonnes_per_ha(out.total_kg, tree.stems, area_ha);
      stand.dead_carbon_tC_ha += tonnes_per_ha(out.carbon_kg, tree.stems, area_ha);
    }
  }
  return stand;
}

}  // namespace minecarbon::carbon
