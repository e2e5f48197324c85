// The vegetation stage: forest and grass carbon of restored mine land from plot inventories, the
// growth of the stock with stand age, and the sink until saturation.
//
//   trees (plot, species, D, H, stems, live/dead) ─┐
//   plots (id, area, mine, stand age, land use)   ─┤
//   harvest quadrats (shrub, herb, litter,         │
//     dead wood, g m⁻²)                            │
//   factor tables (data/*.csv + user rows)        ─┤
//   ┌──────────────────────────────────────────────┘
//   ├─► heights   missing H from an H–D model fitted per species (BIOMASS models, best RSE)
//   ├─► volume    V = a D^b H^c | f g H                                   (carbon/volume.h)
//   ├─► biomass   bef | bcef | continuous_bef | allometry; roots by root:shoot or allometry
//   │                                                                     (carbon/biomass.h)
//   └─► carbon    × CF; CO₂e × 44/12
//              │
//              ▼
//   plot (t ha⁻¹) ─► land-use stratum (mean, SE, Student-t CI, precision rule) ─► mine (stratified
//   total over the mine's land uses, areas from polygons or tables)       (carbon/carbon_stock.h)
//              │
//              ▼
//   growth: models fitted to stand age vs per-ha response per land use, ranked, the best projected
//   per stand and per mine over a horizon with delta-method and Monte Carlo bands, saturation ages
//   and remaining potential                  (carbon/growth_models.h, carbon/growth_projection.h)
//
// The steps live in assess/vegetation/ (README there), one function each with explicit inputs and
// outputs; run_vegetation below calls them in order.
// Every plot, mine and fit is reported; data problems stop the run before anything is written
// (DataError, exit 3) with the file, line and field, what was expected and what to do.
// Details, options and sources: docs/vegetation.md.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/assess/vegetation/growth.h"
#include "minecarbon/assess/vegetation/heights.h"
#include "minecarbon/assess/vegetation/inventory.h"
#include "minecarbon/assess/vegetation/mine_totals.h"
#include "minecarbon/assess/vegetation/plot_carbon.h"
#include "minecarbon/assess/vegetation/projection.h"
#include "minecarbon/assess/vegetation/species_recipes.h"
#include "minecarbon/assess/vegetation/strata.h"
#include "minecarbon/assess/vegetation/vegetation_tables.h"
#include "minecarbon/carbon/biomass.h"
#include "minecarbon/carbon/growth_models.h"
#include "minecarbon/carbon/volume.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/core/table.h"
#include "minecarbon/geo/polygon_layer.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

// What the growth curves are fitted to (per hectare, per plot).
enum class GrowthResponse {
  tree_carbon,   // tree_carbon_tC_ha: live trees, above + below ground
  total_carbon,  // total_carbon_tC_ha: trees, understorey, litter, dead wood
  tree_biomass,  // tree_biomass_t_ha
  volume,        // volume_m3_ha
};
std::string_view to_string(GrowthResponse response);
GrowthResponse parse_growth_response(std::string_view name);  // ConfigError listing choices
std::string growth_response_choices();
// Column of the plots table (`tree_carbon_tC_ha`) and unit suffixes per hectare and in total.
std::string growth_response_column(GrowthResponse response);
std::string growth_response_unit_ha(GrowthResponse response);     // "tC_ha", "t_ha", "m3_ha"
std::string growth_response_unit_total(GrowthResponse response);  // "tC", "t", "m3"

// Which trees share a height–diameter model.
enum class HeightGrouping { species, species_land_use, all };
std::string_view to_string(HeightGrouping grouping);
HeightGrouping parse_height_grouping(std::string_view name);  // ConfigError listing choices

// What to do when no growth model gives a usable fit for a land use.
enum class GrowthFailurePolicy { error, skip };
std::string_view to_string(GrowthFailurePolicy policy);
GrowthFailurePolicy parse_growth_failure_policy(std::string_view name);

struct VegetationParams {
  // Defaults of the per-species recipe (a species table overrides them species by species).
  // continuous_bef is the Chinese national-inventory practice (Fang et al.); allometry needs an
  // equation per species; bef/bcef need expansion factors.
  carbon::BiomassMethod biomass_method = carbon::BiomassMethod::continuous_bef;
  // nullopt = auto: `included` for continuous_bef (Fang's B is taken as total), root_shoot else.
  std::optional<carbon::RootMethod> root_method;
  // Root:shoot class (data/root_shoot_ipcc2019.csv) when a species names none; the CDM AR-TOOL14
  // default R = 0.25 is a conservative fallback, a zone class is better.
  std::string root_shoot_class = "cdm_ar_tool14_default";
  std::string root_allometry = "cairns1997";  // root allometry id when a species names none
  std::string allometry;                      // above-ground allometry id; empty = species name
  std::string bcef_group;                     // BCEF forest group; empty = species name
  // Carbon fractions of dry matter: trees 0.5 (Chinese practice; IPCC default 0.47), understorey
  // and litter 0.45 (Chinese practice), lying dead wood as trees.
  double carbon_fraction = carbon::kCarbonFractionChina;
  double carbon_fraction_understorey = carbon::kCarbonFractionUnderstoreyChina;
  double carbon_fraction_litter = carbon::kCarbonFractionUnderstoreyChina;
  double carbon_fraction_dead_wood = carbon::kCarbonFractionChina;

  // Missing heights: "best" fits log1, log2, weibull and michaelis and keeps the lowest RSE (m);
  // or one model by name. Groups with fewer measured trees than the minimum use the pooled fit.
  std::string height_model = "best";
  HeightGrouping height_model_by = HeightGrouping::species;
  int height_model_min_trees = 10;

  // Precision rule (carbon-credit discounting): relative CI half-width at this level against
  // this threshold. 10 % at 90 % is the CDM A/R rule (AR-AMS0007); VM0047 uses 15 % (2nd-hand).
  double precision_threshold_pct = 10.0;
  double precision_confidence = 0.90;

  // Growth curves.
  bool growth = true;
  std::vector<carbon::GrowthModel> growth_models = {
      carbon::GrowthModel::chapman_richards3, carbon::GrowthModel::logistic,
      carbon::GrowthModel::gompertz, carbon::GrowthModel::mitscherlich};
  GrowthResponse growth_response = GrowthResponse::tree_carbon;
  carbon::SelectionCriterion selection_criterion = carbon::SelectionCriterion::aic_loglik;
  GrowthFailurePolicy growth_on_failure = GrowthFailurePolicy::error;
  // Land uses to fit; empty = every land use with live trees.
  std::vector<std::string> growth_land_uses;

  // Projection.
  double horizon_yr = 50.0;
  double step_yr = 1.0;
  double saturation_fraction = 0.95;
  std::optional<double> increment_threshold_per_yr;  // unset: saturation by fraction only
  double band_level = 0.95;
  int monte_carlo_draws = 1000;
  int inventory_year = 0;  // calendar year of the inventory; 0 = years are offsets only

  // Every option, declared once (key, member, unit, default, range or choices, doc): the project
  // file, the command-line flags, `minecarbon help vegetation`, docs/options/vegetation.md and
  // the summary's `parameters` echo are all made from it.
  static const OptionTable<VegetationParams>& options();

  // Checks every option's range and choices, then the rules between options; throws
  // OptionError("vegetation", key, problem) for the first bad one. run_vegetation calls it, so a
  // library caller gets the same checks as the command line.
  void validate() const;
};

// Factor tables as read: for each kind the shipped table first, then the user's (whose rows
// replace shipped rows of the same key).
struct VegetationTables {
  std::vector<CsvText> volume_equations;
  std::vector<CsvText> bcef;
  std::vector<CsvText> continuous_bef;
  std::vector<CsvText> root_shoot;
  std::vector<CsvText> allometry;
};

struct VegetationInputs {
  CsvText trees;
  CsvText plots;
  std::optional<CsvText> understorey;  // harvest quadrats
  std::optional<CsvText> species;      // per-species recipe
  VegetationTables tables;
  std::shared_ptr<const geo::PolygonLayer> mines;  // areas from polygons (geodesic), or
  std::optional<CsvText> mine_areas;               // mine_id, area_ha
  std::optional<CsvText> stratum_areas;            // mine_id, land_use, area_ha
};

// What the stage computed, as typed records; to_tables() (vegetation/vegetation_tables.h) lays
// them out as the published tables and `summary` is the JSON written beside them.
struct VegetationResult {
  VegetationParams params;                   // as used
  vegetation::Inventory inventory;           // plots, trees, harvest quadrats as read
  vegetation::SpeciesRecipes recipes;        // per species, and the factor tables used
  vegetation::TreeHeights heights;           // per tree: height used; the H-D models fitted
  vegetation::PlotCarbonResult plot_carbon;  // per plot: stocks per hectare
  vegetation::LandUseStrata strata;          // per land use: plot-to-plot statistics
  vegetation::MineTotals mines;              // per mine: stratified totals
  vegetation::GrowthFits growth;             // per land use: fitted and ranked growth models
  vegetation::Projections projections;       // curves, stands, mines, saturation
  nlohmann::json summary;
  // Non-fatal problems in the order of the steps, coded by the step that found them
  // (inventory, heights, plot_carbon, mine_totals, growth, projection); pipeline::record_warnings
  // writes them.
  ProblemList warnings;
};

// The stage as a pipeline of steps (vegetation/*.h), each taking what it reads and returning what
// it computed: inventory → species recipes → heights → plot carbon → land-use strata → mine
// totals → growth fits → projection → summary. Throws ConfigError for bad parameters (validate)
// and DataError (exit 3) for bad data, before anything is returned.
VegetationResult run_vegetation(const VegetationParams& params, const VegetationInputs& inputs,
                                const RunContext& context);

// Building blocks shared with the synthetic inventory (FactorTables, load_factor_tables,
// resolve_species) are declared in vegetation/species_recipes.h.

}  // namespace minecarbon::assess
