// The topography stage: the terrain of every mine from a DEM, and how the mines' sink rates differ
// with it (Hu Zhenqi et al. 2023, Coal Sci. Technol. 51(1):474, ask for the effect of slope,
// aspect, slope length and elevation on the sink). Formulas and sources: docs/topography.md.
//
//   1. On the whole DEM (held in memory; true cell sizes on lon/lat grids, geo/terrain.h):
//      slope and aspect (Zevenbergen–Thorne or Horn), a depression-filled DEM (Wang & Liu),
//      D8 or MFD flow accumulation → specific catchment area → LS factor (Moore et al. 1991, as
//      SAGA; the slope of the filled DEM), TPI in a circle of tpi_radius_m standardised over the
//      DEM → Weiss (2001) slope positions (geo/flow_accumulation.h, geo/tpi.h).
//   2. Per mine, over the cells its polygon covers with weights w = coverage × true cell area
//      (cells whose 3×3 window is complete): area-weighted mean, SD (population, Σw(x − x̄)²/Σw)
//      and percentiles 10/25/50/75/90 (the smallest value whose cumulative weight reaches p·Σw)
//      of elevation, slope and LS; circular mean aspect atan2(Σw sin A, Σw cos A) and resultant
//      length R = |Σw (cos A, sin A)| / Σw (1 = one direction, 0 = no preferred one), over the
//      non-flat cells; northness = Σw cos A / Σw and eastness likewise (flat cells count 0);
//      area shares of the slope bands, of the aspect classes N, NE, …, NW (45° sectors centred
//      on the direction) and flat (slope < flat_slope_deg), and of the six slope positions. The
//      dominant class of each factor (largest share; the first on a tie) groups the mine.
//   3. Relation to sink rates (per mine, from earlier stages or a table): for each sink variable
//      and factor (slope_band, aspect_class, slope_position): per group n, mean, median, SD;
//      Kruskal–Wallis across groups with ≥ 1 mine (stats/kruskal.h); pairwise Wilcoxon rank-sum
//      with Holm's adjustment (stats/wilcoxon.h); Spearman's ρ against each continuous terrain
//      value (stats/spearman.h).
//   4. Partial dependence of the potential stage's forest on each terrain covariate it uses
//      (Friedman 2001, Ann. Stat. 29(5):1189-1232): over a grid of pd_grid_points quantiles of
//      the covariate among the training mines, PD(v) = mean over training mines of the forest's
//      prediction with the covariate set to v (other covariates as observed), and the 10/50/90 %
//      quantiles of those individual (ICE) predictions (Goldstein et al. 2015, J. Comput. Graph.
//      Stat. 24(1):44-65). Covariates enter the forest as the potential stage transformed them.
//
// A mine whose polygon misses the DEM is reported (status "outside"), one covering only nodata
// "nodata"; neither stops the run.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/core/options.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/core/table.h"
#include "minecarbon/geo/flow_accumulation.h"
#include "minecarbon/geo/grid.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/geo/terrain.h"
#include "minecarbon/geo/tpi.h"
#include "minecarbon/ml/forest.h"
#include "minecarbon/stats/yeo_johnson.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

inline constexpr std::array<std::pair<geo::SlopeMethod, const char*>, 2> kSlopeMethodNames{{
    {geo::SlopeMethod::zevenbergen_thorne, "zevenbergen_thorne"},
    {geo::SlopeMethod::horn, "horn"},
}};
inline constexpr std::array<std::pair<geo::FlowMethod, const char*>, 2> kFlowMethodNames{{
    {geo::FlowMethod::d8, "d8"},
    {geo::FlowMethod::mfd, "mfd"},
}};

struct TopographyParams {
  // Upper bounds of the slope bands, degrees, increasing; the last band is open. The default
  // 0–8–15–25–35–∞ follows Chinese slope grading (25° is the limit for cultivation).
  std::vector<double> slope_breaks_deg{8, 15, 25, 35};
  // Cells flatter than this have no aspect class ("flat") and no direction in the circular mean.
  double flat_slope_deg = 1.0;
  geo::SlopeMethod slope_method = geo::SlopeMethod::zevenbergen_thorne;
  // Flow routing for the catchment area of the LS factor: MFD (SAGA's default) spreads flow on
  // hillslopes, D8 concentrates it in single-cell lines (higher LS in channels, lower beside).
  geo::FlowMethod flow_method = geo::FlowMethod::mfd;
  double mfd_convergence = 1.1;  // Freeman's exponent; larger = closer to D8
  // Minimum slope kept across filled depressions (Wang & Liu; SAGA's default 0.1°). 0 leaves
  // flats, across which no flow is routed.
  double fill_min_slope_deg = 0.1;
  // TPI neighbourhood radius: small radii see hillslope positions, large ones valleys and ridges
  // of the landscape (Weiss 2001 used several). At least one cell spacing.
  double tpi_radius_m = 300.0;
  double weiss_flat_slope_deg = geo::kWeissFlatSlopeDeg;  // flat vs middle slope
  // Partial dependence grid points per covariate (quantiles of the training mines).
  std::int64_t pd_grid_points = 20;

  static const OptionTable<TopographyParams>& options();
  void validate() const;  // throws OptionError naming the key
};

// The DEM, read whole (the LS factor and the TPI standardisation need the whole grid).
struct DemRaster {
  std::string path;
  geo::Grid grid;
  std::string crs_wkt;
  bool geographic = false;
  double metres_per_unit = 1.0;
  std::vector<double> z;  // row-major, NaN = nodata
};

// One per-mine sink rate (gC m⁻² yr⁻¹ or the source's unit), by mine id.
struct SinkVariable {
  std::string name;    // column name, with its unit
  std::string source;  // "damage (in memory)", a file
  std::vector<std::pair<std::string, double>> values;
};

// The potential stage's forest and what it was trained on, for partial dependence.
struct ForestModel {
  const ml::Forest* forest = nullptr;      // alive for the run
  std::vector<std::string> feature_names;  // the forest's columns
  std::vector<std::vector<double>> raw;    // [feature][training mine], raw covariate scale
  // Per feature: the transform the potential stage applied (nullopt = none).
  std::vector<std::optional<stats::YeoJohnsonColumn>> transform;
};

struct TopographyInputs {
  std::shared_ptr<const geo::PolygonLayer> mines;
  DemRaster dem;
  std::vector<SinkVariable> sinks;
  std::optional<ForestModel> model;
};

inline constexpr std::array<const char*, 9> kAspectClassNames = {"N",  "NE", "E",  "SE",  "S",
                                                                 "SW", "W",  "NW", "flat"};

struct Distribution {
  double mean = 0, sd = 0;
  std::array<double, 5> percentile{};  // 10, 25, 50, 75, 90
};
inline constexpr std::array<double, 5> kPercentiles = {10, 25, 50, 75, 90};

struct MineTerrain {
  std::string id;
  std::string status;          // ok, outside, nodata
  double area_m2 = 0;          // geodesic area of the polygon
  double covered_area_m2 = 0;  // DEM cells the mine covers (coverage × cell area)
  double valid_area_m2 = 0;    // … with slope (complete 3×3 window)
  Distribution elevation_m, slope_deg, ls;
  double aspect_mean_deg = 0, aspect_resultant_length = 0;
  double northness = 0, eastness = 0;
  std::vector<double> slope_band_share;                  // per band
  std::array<double, 9> aspect_class_share{};            // kAspectClassNames
  std::array<double, 6> slope_position_share{};          // geo::SlopePosition order
  std::string slope_band, aspect_class, slope_position;  // dominant; empty when not ok
};

struct TerrainGroupRow {
  std::string sink, factor, group;
  std::size_t n = 0;
  double mean = 0, median = 0, sd = 0;  // SD with n − 1
};

struct TerrainTestRow {
  std::string sink, factor, test;  // kruskal_wallis, wilcoxon_holm, spearman
  std::string group_a, group_b;    // pairwise; covariate in group_a for spearman
  std::size_t n = 0;
  double statistic = 0, df = 0, p = 0, p_holm = 0;
  bool exact = false;
};

struct PartialDependenceRow {
  std::string covariate;
  std::size_t point = 0;
  double value = 0;  // raw covariate scale
  double pd = 0;
  double ice_q10 = 0, ice_q50 = 0, ice_q90 = 0;
};

struct TopographyResult {
  std::vector<std::string> slope_band_names;  // "0-8", …, "35+"
  std::vector<MineTerrain> mines;             // layer order
  std::vector<TerrainGroupRow> groups;
  std::vector<TerrainTestRow> tests;
  std::vector<PartialDependenceRow> partial_dependence;
  nlohmann::json summary;
  ProblemList warnings;  // codes: mine_outside_dem, mine_partly_outside, mine_nodata,
                         // sink_unmatched, too_few_groups
};

struct TopographyTables {
  Table mine_terrain{"mine_terrain"};
  Table groups{"terrain_groups"};
  Table tests{"terrain_tests"};
  Table partial_dependence{"partial_dependence"};
  std::vector<const Table*> all() const {
    return {&mine_terrain, &groups, &tests, &partial_dependence};
  }
};
TopographyTables to_tables(const TopographyResult& result);

// "0-8", "8-15", …, "35+".
std::vector<std::string> slope_band_names(const std::vector<double>& breaks_deg);
// Index of the band of `slope_deg` (a value equal to a break goes to the band above).
std::size_t slope_band(double slope_deg, const std::vector<double>& breaks_deg);
// Index into kAspectClassNames: 8 (flat) when slope < flat_slope_deg or aspect is NaN.
std::size_t aspect_class(double aspect_deg, double slope_deg, double flat_slope_deg);

// DataError for a DEM whose size disagrees with its grid; mines that cannot be transformed to the
// DEM's CRS (naming the feature).
TopographyResult run_topography(const TopographyParams& params, const TopographyInputs& inputs,
                                const RunContext& context);

}  // namespace minecarbon::assess
