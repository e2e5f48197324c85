// Step 3 of the vegetation stage: heights of trees without a measured height, from
// height–diameter models fitted to the measured trees of their group (species, species × land
// use, or all), falling back to a model pooled over all trees (carbon/height_diameter.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/vegetation/inventory.h"
#include "minecarbon/carbon/height_diameter.h"

namespace minecarbon::assess {
struct VegetationParams;
}

namespace minecarbon::assess::vegetation {

// One height–diameter model used (a group's own, or the pooled one standing in for it).
struct HeightFitRecord {
  std::string group;
  std::string fitted_on;  // "group" or "pooled"
  std::optional<carbon::HeightDiameterFit> fit;
  std::size_t n_measured = 0;
  std::size_t n_estimated = 0;
  std::string message;
};

struct TreeHeights {
  std::vector<double> height_m;  // per tree: measured, or estimated (≥ 1.3 m)
  std::vector<bool> estimated;   // per tree
  std::vector<HeightFitRecord> models;
  std::size_t n_missing = 0;  // trees without a measured height
  std::size_t n_clamped = 0;  // estimates below breast height set to 1.3 m
  std::vector<std::string> warnings;
};

// Fits a model per group that has trees without a height ("best": the converged model of lowest
// RSE (m), else the named one), from groups of ≥ height_model_min_trees measured trees, else the
// pooled fit; predicts H(D) for the missing heights, setting predictions below 1.3 m to 1.3 m.
// No missing height: no fit, heights as measured. DataError when a group needs a model and
// neither its own nor the pooled one can be fitted.
TreeHeights estimate_heights(const std::vector<Tree>& trees, const std::vector<Plot>& plots,
                             const VegetationParams& params);

}  // namespace minecarbon::assess::vegetation
