#include "minecarbon/assess/vegetation.h"

#include <array>
#include <cmath>

#include "minecarbon/assess/vegetation/summary.h"
#include "minecarbon/carbon/height_diameter.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"

namespace minecarbon::assess {
namespace {

// Longest growth projection, years: the saturation age is searched up to 1,000 years, and a
// longer horizon only lengthens every stand's table.
constexpr double kMaxHorizonYr = 1000.0;
// Most ages per projected stand (horizon_yr / step_yr): beyond this a table is all rows and no
// information (and tables of 10⁵ stands × 10⁶ ages do not fit in memory).
constexpr double kMaxProjectionSteps = 100000.0;

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

// ---------------------------------------------------------------- parameters

namespace {

// A codec over a parse function that throws ConfigError listing the choices: the option machinery
// expects std::invalid_argument.
template <class T, class Parse>
T parse_or_invalid(Parse parse, const std::string& text) {
  try {
    return parse(text);
  } catch (const ConfigError& e) {
    throw std::invalid_argument(e.what());
  }
}

OptionCodec<carbon::GrowthModel> growth_model_codec() {
  return {[](const std::string& text) {
            return parse_or_invalid<carbon::GrowthModel>(
                [](const std::string& t) { return carbon::parse_growth_model(t); }, text);
          },
          [](const carbon::GrowthModel& m) { return std::string(carbon::to_string(m)); }};
}

// root_method: "auto" (unset) or a root method.
OptionCodec<std::optional<carbon::RootMethod>> root_method_codec() {
  return {[](const std::string& text) -> std::optional<carbon::RootMethod> {
            if (text == "auto") return std::nullopt;
            return parse_or_invalid<carbon::RootMethod>(
                [](const std::string& t) { return carbon::parse_root_method(t); }, text);
          },
          [](const std::optional<carbon::RootMethod>& m) {
            return m ? std::string(carbon::to_string(*m)) : std::string("auto");
          }};
}

std::vector<std::string> height_model_names() {
  std::vector<std::string> out = {"best"};
  for (const auto m : carbon::height_diameter_models())
    out.emplace_back(carbon::to_string(m));
  return out;
}

}  // namespace

const OptionTable<VegetationParams>& VegetationParams::options() {
  static const OptionTable<VegetationParams> table = [] {
    using P = VegetationParams;
    using carbon::BiomassMethod;
    using carbon::SelectionCriterion;
    OptionTable<P> t("vegetation");
    t.add_choice(
        "biomass_method", [](P& p) -> BiomassMethod& { return p.biomass_method; },
        enum_names({BiomassMethod::bcef, BiomassMethod::bef, BiomassMethod::continuous_bef,
                    BiomassMethod::allometry},
                   [](BiomassMethod m) { return carbon::to_string(m); }),
        "default biomass method of a species");
    t.add_custom(
         "root_method", [](P& p) -> std::optional<carbon::RootMethod>& { return p.root_method; },
         root_method_codec(),
         "default roots: auto (included for continuous_bef, else root_shoot), root_shoot, "
         "root_allometry, included, none")
        .choices({"auto", "root_shoot", "root_allometry", "included", "none"});
    t.add(
        "root_shoot_class", [](P& p) -> std::string& { return p.root_shoot_class; },
        "default root:shoot class (data/root_shoot_ipcc2019.csv)");
    t.add(
        "root_allometry", [](P& p) -> std::string& { return p.root_allometry; },
        "default root allometry id");
    t.add(
         "allometry", [](P& p) -> std::string& { return p.allometry; },
         "default above-ground allometry id")
        .shown_default("species name");
    t.add(
         "bcef_group", [](P& p) -> std::string& { return p.bcef_group; },
         "default BCEF forest group")
        .shown_default("species name");
    t.add(
         "carbon_fraction", [](P& p) -> double& { return p.carbon_fraction; },
         "carbon fraction of tree dry matter (0.5 Chinese practice, 0.47 IPCC)")
        .unit("tC/t")
        .above(0)
        .at_most(1);
    t.add(
         "carbon_fraction_understorey",
         [](P& p) -> double& { return p.carbon_fraction_understorey; },
         "carbon fraction of shrubs and herbs")
        .unit("tC/t")
        .above(0)
        .at_most(1);
    t.add(
         "carbon_fraction_litter", [](P& p) -> double& { return p.carbon_fraction_litter; },
         "carbon fraction of litter")
        .unit("tC/t")
        .above(0)
        .at_most(1);
    t.add(
         "carbon_fraction_dead_wood", [](P& p) -> double& { return p.carbon_fraction_dead_wood; },
         "carbon fraction of lying dead wood from quadrats")
        .unit("tC/t")
        .above(0)
        .at_most(1);
    t.add(
         "height_model", [](P& p) -> std::string& { return p.height_model; },
         "missing heights: best (lowest RSE) or one height-diameter model")
        .choices(height_model_names());
    t.add_choice(
        "height_model_by", [](P& p) -> HeightGrouping& { return p.height_model_by; },
        enum_names({HeightGrouping::species, HeightGrouping::species_land_use, HeightGrouping::all},
                   [](HeightGrouping g) { return to_string(g); }),
        "trees sharing one height-diameter model");
    t.add(
         "height_model_min_trees", [](P& p) -> int& { return p.height_model_min_trees; },
         "measured heights needed for a group's own model")
        .at_least(3);
    t.add(
         "precision_threshold_pct", [](P& p) -> double& { return p.precision_threshold_pct; },
         "allowed relative CI half-width (10 CDM A/R, 15 VM0047)")
        .unit("%")
        .above(0);
    t.add(
         "precision_confidence", [](P& p) -> double& { return p.precision_confidence; },
         "confidence level of the precision rule")
        .above(0)
        .below(1);
    t.add(
        "growth", [](P& p) -> bool& { return p.growth; }, "fit growth curves and project");
    t.add_custom(
         "growth_models", [](P& p) -> std::vector<carbon::GrowthModel>& { return p.growth_models; },
         growth_model_codec(), "growth models to fit and rank")
        .flag("--growth-model")
        .choices([] {
          std::vector<std::string> names;
          for (const auto& info : carbon::growth_model_table())
            names.emplace_back(info.name);
          return names;
        }());
    t.add_choice(
        "growth_response", [](P& p) -> GrowthResponse& { return p.growth_response; },
        enum_names({GrowthResponse::tree_carbon, GrowthResponse::total_carbon,
                    GrowthResponse::tree_biomass, GrowthResponse::volume},
                   [](GrowthResponse r) { return to_string(r); }),
        "what the growth curves are fitted to");
    t.add_choice(
         "selection_criterion", [](P& p) -> SelectionCriterion& { return p.selection_criterion; },
         enum_names({SelectionCriterion::aic_loglik, SelectionCriterion::aic_least_squares,
                     SelectionCriterion::aicc_least_squares, SelectionCriterion::bic_loglik,
                     SelectionCriterion::rse, SelectionCriterion::rmse,
                     SelectionCriterion::r_squared, SelectionCriterion::precision},
                    [](SelectionCriterion c) { return carbon::to_string(c); }),
         "criterion ranking the fitted growth models")
        .flag("--criterion");
    t.add_choice(
        "growth_on_failure", [](P& p) -> GrowthFailurePolicy& { return p.growth_on_failure; },
        enum_names({GrowthFailurePolicy::error, GrowthFailurePolicy::skip},
                   [](GrowthFailurePolicy f) { return to_string(f); }),
        "no usable fit for a land use: error or skip");
    t.add(
         "growth_land_uses", [](P& p) -> std::vector<std::string>& { return p.growth_land_uses; },
         "land uses to fit")
        .shown_default("land uses with trees")
        .flag("--growth-land-use");
    t.add(
         "horizon_yr", [](P& p) -> double& { return p.horizon_yr; },
         "projection horizon from the inventory (saturation is searched up to 1000 years)")
        .unit("yr")
        .above(0)
        .at_most(kMaxHorizonYr);
    t.add(
         "step_yr", [](P& p) -> double& { return p.step_yr; },
         "projection step; <= horizon_yr, at most 100000 steps")
        .unit("yr")
        .above(0);
    t.add(
         "saturation_fraction", [](P& p) -> double& { return p.saturation_fraction; },
         "saturation: C = fraction x asymptote")
        .above(0)
        .below(1);
    t.add(
         "increment_threshold_per_yr",
         [](P& p) -> std::optional<double>& { return p.increment_threshold_per_yr; },
         "saturation: annual increment below this (unit of the response per year)")
        .above(0)
        .shown_default("(off)")
        .flag("--increment-threshold");
    t.add(
         "band_level", [](P& p) -> double& { return p.band_level; },
         "level of the delta-method and Monte Carlo bands")
        .above(0)
        .below(1);
    t.add(
         "monte_carlo_draws", [](P& p) -> int& { return p.monte_carlo_draws; },
         "parameter draws for the bands (0 = off)")
        .range(0, 1e7)
        .flag("--mc-draws");
    t.add(
         "inventory_year", [](P& p) -> int& { return p.inventory_year; },
         "calendar year of the inventory (0 = offsets only)")
        .range(0, 9999);
    return t;
  }();
  return table;
}

void VegetationParams::validate() const {
  check_options(options(), *this);
  if (growth && growth_models.empty())
    throw OptionError("vegetation", "growth_models",
                      "is empty; name at least one model: " + carbon::growth_model_choices());
  if (step_yr > horizon_yr)
    throw OptionError("vegetation", "step_yr",
                      "= " + format_plain(step_yr) + ": must be <= horizon_yr (" +
                          format_plain(horizon_yr) + " years)");
  if (horizon_yr / step_yr > kMaxProjectionSteps)
    throw OptionError("vegetation", "step_yr",
                      "= " + format_plain(step_yr) + ": horizon_yr / step_yr = " +
                          format_plain(horizon_yr / step_yr) + " ages per stand, more than " +
                          format_plain(kMaxProjectionSteps) + "; use a longer step");
}

// ---------------------------------------------------------------- the stage

VegetationResult run_vegetation(const VegetationParams& params, const VegetationInputs& inputs,
                                const RunContext& context) {
  params.validate();
  VegetationResult r;
  r.params = params;
  auto add_warnings = [&](const char* code, const std::vector<std::string>& warnings) {
    for (const auto& w : warnings)
      r.warnings.add(code, w);
  };
  r.inventory = vegetation::read_inventory(inputs.plots, inputs.trees, inputs.understorey);
  context.say("vegetation: " + std::to_string(r.inventory.plots.size()) + " plots, " +
              std::to_string(r.inventory.trees.size()) + " tree rows");
  add_warnings("inventory", r.inventory.warnings);
  r.recipes = vegetation::resolve_recipes(r.inventory.trees, params, inputs.species, inputs.tables);
  r.heights = vegetation::estimate_heights(r.inventory.trees, r.inventory.plots, params);
  add_warnings("heights", r.heights.warnings);
  r.plot_carbon =
      vegetation::compute_plot_carbon(r.inventory, r.heights, r.recipes, params, context.threads);
  add_warnings("plot_carbon", r.plot_carbon.warnings);
  r.strata = vegetation::compute_land_use_strata(r.inventory.plots, r.plot_carbon.plots, params);
  r.mines = vegetation::compute_mine_totals(inputs, r.inventory.plots, r.plot_carbon.plots, params);
  add_warnings("mine_totals", r.mines.warnings);
  r.growth = vegetation::fit_growth_curves(r.inventory.plots, r.plot_carbon.plots,
                                           r.strata.plots_of, params, context.threads);
  add_warnings("growth", r.growth.warnings);
  r.projections = vegetation::project_growth_curves(r.inventory.plots, r.growth, r.mines.mines,
                                                    params, context.seed, context.threads);
  add_warnings("projection", r.projections.warnings);
  r.summary = vegetation_summary(r, inputs, context.seed);
  context.say("vegetation: " + std::to_string(r.growth.fitted.size()) + " of " +
              std::to_string(r.growth.strata.size()) + " land uses with a growth curve, " +
              std::to_string(r.mines.mines.size()) + " mines");
  return r;
}

}  // namespace minecarbon::assess
