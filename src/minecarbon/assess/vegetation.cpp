#include "minecarbon/assess/vegetation.h"

#include <array>
#include <cmath>

#include "minecarbon/assess/vegetation/summary.h"
#include "minecarbon/carbon/height_diameter.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"

namespace minecarbon::assess {
namespace {

using vegetation::fmt;

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
  if (!(p.precision_threshold_pct > 0) || !std::isfinite(p.precision_threshold_pct))
    fail("precision_threshold_pct", "must be a finite number > 0 (%; 10 CDM A/R, 15 VM0047)");
  if (!(p.precision_confidence > 0 && p.precision_confidence < 1))
    fail("precision_confidence", "must be in (0, 1), e.g. 0.90");
  if (p.growth && p.growth_models.empty())
    fail("growth_models", "is empty; name at least one model: " + carbon::growth_model_choices());
  if (!(p.horizon_yr > 0 && p.horizon_yr <= kMaxHorizonYr))
    fail("horizon_yr", "is " + fmt(p.horizon_yr) + "; must be in (0, " + fmt(kMaxHorizonYr) +
                           "] (years; saturation is searched up to " + fmt(kMaxHorizonYr) +
                           " years)");
  if (!(p.step_yr > 0) || p.step_yr > p.horizon_yr)
    fail("step_yr", "must be > 0 and <= horizon_yr (years)");
  if (p.horizon_yr / p.step_yr > kMaxProjectionSteps)
    fail("step_yr",
         "is " + fmt(p.step_yr) + ": horizon_yr / step_yr = " + fmt(p.horizon_yr / p.step_yr) +
             " ages per stand, more than " + fmt(kMaxProjectionSteps) + "; use a longer step");
  if (!(p.saturation_fraction > 0 && p.saturation_fraction < 1))
    fail("saturation_fraction", "must be in (0, 1), e.g. 0.95");
  if (!std::isnan(p.increment_threshold_per_yr) &&
      !(p.increment_threshold_per_yr > 0 && std::isfinite(p.increment_threshold_per_yr)))
    fail("increment_threshold_per_yr",
         "must be a finite number > 0 (unit of the response per year), or absent");
  if (!(p.band_level > 0 && p.band_level < 1)) fail("band_level", "must be in (0, 1), e.g. 0.95");
  if (p.monte_carlo_draws < 0) fail("monte_carlo_draws", "must be >= 0 (0 disables)");
  if (p.inventory_year < 0) fail("inventory_year", "must be a year >= 0 (0 = not given)");
}

void VegetationParams::validate() const {
  check_vegetation_params(*this, [](const std::string& key, const std::string& problem) {
    throw ConfigError("vegetation: " + key + ": " + problem);
  });
}

// ---------------------------------------------------------------- the stage

VegetationResult run_vegetation(const VegetationParams& params, const VegetationInputs& inputs,
                                const RunContext& context) {
  params.validate();
  VegetationResult r;
  r.params = params;
  auto add_warnings = [&](const std::vector<std::string>& warnings) {
    r.warnings.insert(r.warnings.end(), warnings.begin(), warnings.end());
  };
  r.inventory = vegetation::read_inventory(inputs.plots, inputs.trees, inputs.understorey);
  context.say("vegetation: " + std::to_string(r.inventory.plots.size()) + " plots, " +
              std::to_string(r.inventory.trees.size()) + " tree rows");
  add_warnings(r.inventory.warnings);
  r.recipes = vegetation::resolve_recipes(r.inventory.trees, params, inputs.species, inputs.tables);
  r.heights = vegetation::estimate_heights(r.inventory.trees, r.inventory.plots, params);
  add_warnings(r.heights.warnings);
  r.plot_carbon =
      vegetation::compute_plot_carbon(r.inventory, r.heights, r.recipes, params, context.threads);
  add_warnings(r.plot_carbon.warnings);
  r.strata = vegetation::compute_land_use_strata(r.inventory.plots, r.plot_carbon.plots, params);
  r.mines = vegetation::compute_mine_totals(inputs, r.inventory.plots, r.plot_carbon.plots, params);
  add_warnings(r.mines.warnings);
  r.growth = vegetation::fit_growth_curves(r.inventory.plots, r.plot_carbon.plots,
                                           r.strata.plots_of, params, context.threads);
  add_warnings(r.growth.warnings);
  r.projections = vegetation::project_growth_curves(r.inventory.plots, r.growth, r.mines.mines,
                                                    params, context.seed, context.threads);
  add_warnings(r.projections.warnings);
  r.summary = vegetation_summary(r, inputs, context.seed);
  context.say("vegetation: " + std::to_string(r.growth.fitted.size()) + " of " +
              std::to_string(r.growth.strata.size()) + " land uses with a growth curve, " +
              std::to_string(r.mines.mines.size()) + " mines");
  return r;
}

}  // namespace minecarbon::assess
