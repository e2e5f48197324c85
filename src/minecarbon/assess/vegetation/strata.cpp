#include "minecarbon/assess/vegetation/strata.h"

#include <array>
#include <utility>

#include "minecarbon/assess/vegetation.h"
#include "minecarbon/carbon/biomass.h"
#include "minecarbon/core/units.h"

namespace minecarbon::assess::vegetation {

Precision assess_precision(double estimate, double se, double df, const VegetationParams& params) {
  Precision out;
  out.ci90 = carbon::confidence_interval(estimate, se, df, kLevel90);
  out.ci95 = carbon::confidence_interval(estimate, se, df, kLevel95);
  out.rule = carbon::check_precision(estimate, se, df, params.precision_confidence,
                                     params.precision_threshold_pct);
  return out;
}

LandUseStrata compute_land_use_strata(const std::vector<Plot>& plots,
                                      const std::vector<PlotCarbon>& plot_carbon,
                                      const VegetationParams& params) {
  LandUseStrata out;
  for (std::size_t idx = 0; idx < plots.size(); ++idx)
    out.plots_of[plots[idx].land_use].push_back(idx);
  const std::array<std::pair<const char*, GrowthResponse>, 4> variables = {{
      {"volume_m3_ha", GrowthResponse::volume},
      {"tree_biomass_t_ha", GrowthResponse::tree_biomass},
      {"tree_carbon_tC_ha", GrowthResponse::tree_carbon},
      {"total_carbon_tC_ha", GrowthResponse::total_carbon},
  }};
  auto add = [&](const std::string& land_use, const char* variable,
                 const std::vector<double>& values) {
    LandUseStatistic stat{land_use, variable, carbon::estimate_mean(values), {}};
    stat.precision =
        assess_precision(stat.estimate.mean, stat.estimate.se, stat.estimate.df, params);
    out.statistics.push_back(std::move(stat));
  };
  for (const auto& [name, indices] : out.plots_of) {
    for (const auto& [variable, response] : variables) {
      std::vector<double> values;
      for (const std::size_t idx : indices)
        values.push_back(response_of(plot_carbon[idx], response));
      add(name, variable, values);
    }
    std::vector<double> co2e;
    for (const std::size_t idx : indices)
      co2e.push_back(plot_carbon[idx].total_carbon_tC_ha * units::kCo2PerC);
    add(name, "total_co2e_t_ha", co2e);
  }
  return out;
}

}  // namespace minecarbon::assess::vegetation
