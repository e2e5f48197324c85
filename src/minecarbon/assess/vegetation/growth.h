// Step 7 of the vegetation stage: growth curves. Per land use, the candidate models
// (carbon/growth_models.h) are fitted to stand age against the per-hectare response of its
// plots, ranked by the selection criterion, and the best usable one is selected.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "minecarbon/assess/vegetation/plot_carbon.h"
#include "minecarbon/carbon/growth_models.h"

namespace minecarbon::assess {
struct VegetationParams;
}

namespace minecarbon::assess::vegetation {

struct StratumGrowth {
  std::string land_use;
  std::size_t index = 0;  // rank of the land use among all land uses (seeds its Monte Carlo)
  std::vector<std::size_t> plots;              // plots with an age and a finite response
  std::vector<double> t, y;                    // stand age (yr), response (per ha) of those plots
  std::vector<carbon::GrowthFit> fits;         // one per params.growth_models
  std::vector<carbon::RankedGrowthFit> ranks;  // best first
  int selected = -1;                           // index into fits; -1 = no usable fit
  std::size_t excluded = 0;                    // plots without age or response
  std::string failure;                         // why nothing was selected
};

struct GrowthFits {
  std::vector<StratumGrowth> strata;          // in order of params.growth_land_uses or name
  std::map<std::string, std::size_t> fitted;  // land use -> index into strata (selected only)
  std::vector<std::string> warnings;          // skipped land uses
};

// With params.growth: fits every land use of params.growth_land_uses (empty: each land use with
// a live tree). A fit is usable when it ranks (> 0) and has a covariance and residual degrees of
// freedom (bands need both). A land use without one is a DataError (growth_on_failure = error,
// the message names each model's failure and the best attempt) or a warning (skip). A named land
// use no plot has is a DataError. Land uses are fitted in parallel; each alone.
GrowthFits fit_growth_curves(const std::vector<Plot>& plots,
                             const std::vector<PlotCarbon>& plot_carbon,
                             const std::map<std::string, std::vector<std::size_t>>& land_uses,
                             const VegetationParams& params, int threads);

}  // namespace minecarbon::assess::vegetation
