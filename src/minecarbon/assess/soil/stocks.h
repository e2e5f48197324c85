// Step 2 of the soil stage: the stock of every profile in every interval, at fixed depth
// (proportional or spline) and at the reference's equivalent soil mass (ESM).
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "minecarbon/assess/soil.h"
#include "minecarbon/assess/soil/profiles.h"
#include "minecarbon/assess/soil/soil_records.h"
#include "minecarbon/core/problems.h"

namespace minecarbon::assess::soil {

struct ProfileStock {
  double stock = kSoilNaN;       // fixed depth, t C/ha; NaN when the profile is too shallow
  double esm = kSoilNaN;         // at the pooled reference mass, t C/ha
  double fine_earth = kSoilNaN;  // Mg/ha within the interval
  bool clipped = false;          // spline cut at 0
  int bd_estimated = 0;          // horizons in the interval with an estimated bulk density
};

// Stocks of every profile (outer) in every interval (inner).
struct IntervalStocks {
  std::vector<std::vector<ProfileStock>> of;
  std::size_t too_shallow = 0;  // profile-interval pairs deeper than the profile
  std::size_t clipped = 0;      // spline stocks clipped at 0
};

// Fixed-depth stock, fine earth and flags of every profile in every interval of `params`
// (carbon::interval_stock_tC_ha, or the equal-area spline of the carbon density with
// params.spline_lambda). A profile too shallow for an interval: NaN and a warning.
IntervalStocks interval_stocks(const SoilParams& params, const std::vector<Profile>& profiles,
                               ProblemList& warnings);

// The indices of the reference profiles: those whose compare_by class is params.reference (none
// without a reference).
std::vector<std::size_t> reference_profiles(const SoilParams& params,
                                            const std::vector<Profile>& profiles);

// Equivalent-soil-mass stock of profile `pi` in interval `ii` (carbon::esm_interval_stock_tC_ha)
// between the mean fine-earth masses of the reference profiles `refs` to the interval's top and
// bottom. NaN when the profile holds less fine earth than the bottom mass, or no reference
// profile reaches the depth.
double esm_stock(const SoilParams& params, const std::vector<Profile>& profiles,
                 const std::vector<std::size_t>& refs, std::size_t pi, std::size_t ii);

// Fills stocks.of[·][·].esm against all reference profiles `refs` (pooled); nothing with
// esm = false or without reference profiles.
void add_esm_stocks(const SoilParams& params, const std::vector<Profile>& profiles,
                    const std::vector<std::size_t>& refs, IntervalStocks& stocks);

// One record per profile (outer) and interval (inner).
std::vector<ProfileStockRecord> profile_stock_records(const SoilParams& params,
                                                      const std::vector<Profile>& profiles,
                                                      const IntervalStocks& stocks);

// Fixed-depth stocks in interval `ii` of the profiles `pick` accepts, in profile order.
template <class Pick>
std::vector<double> stock_values(const std::vector<Profile>& profiles, const IntervalStocks& stocks,
                                 std::size_t ii, Pick&& pick) {
  std::vector<double> values;
  for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
    if (pick(profiles[pi])) values.push_back(stocks.of[pi][ii].stock);
  }
  return values;
}

}  // namespace minecarbon::assess::soil
