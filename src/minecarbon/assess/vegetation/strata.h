// Step 5 of the vegetation stage: land-use strata. Plots are grouped by land use and each
// per-hectare stock is summarised plot to plot (mean, SE, Student-t intervals at 90 % and 95 %,
// and the precision rule of the project) (carbon/carbon_stock.h).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "minecarbon/assess/vegetation/plot_carbon.h"
#include "minecarbon/carbon/carbon_stock.h"

namespace minecarbon::assess {
struct VegetationParams;
}

namespace minecarbon::assess::vegetation {

// An estimate (mean or total) with its intervals and the precision rule applied to it.
struct Precision {
  carbon::ConfidenceInterval ci90;
  carbon::ConfidenceInterval ci95;
  carbon::PrecisionCheck rule;  // at params.precision_confidence against precision_threshold_pct
};
// Student-t intervals of `estimate` ± t·se with `df`, and the precision rule of `params`.
Precision assess_precision(double estimate, double se, double df, const VegetationParams& params);

struct LandUseStatistic {
  std::string land_use;
  std::string variable;  // column of the plots table: volume_m3_ha, …, total_co2e_t_ha
  carbon::MeanEstimate estimate;
  Precision precision;
};

struct LandUseStrata {
  std::map<std::string, std::vector<std::size_t>> plots_of;  // land use -> plot indices
  // Per land use (sorted by name): volume, tree biomass, tree carbon, total carbon, total CO2e.
  std::vector<LandUseStatistic> statistics;
};

// Means over the plots of each land use; non-finite values (volume without an equation) are
// left out of the mean, and a land use of one plot has NaN SE and intervals.
LandUseStrata compute_land_use_strata(const std::vector<Plot>& plots,
                                      const std::vector<PlotCarbon>& plot_carbon,
                                      const VegetationParams& params);

}  // namespace minecarbon::assess::vegetation
