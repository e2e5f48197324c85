// Step 3 of the soil stage: mean stocks per land use and per mine, with their totals over the
// areas table (mean × area, SE × area).
#pragma once

#include <vector>

#include "minecarbon/assess/soil.h"
#include "minecarbon/assess/soil/profiles.h"
#include "minecarbon/assess/soil/soil_records.h"
#include "minecarbon/assess/soil/stocks.h"
#include "minecarbon/core/problems.h"

namespace minecarbon::assess::soil {

// Per land use (first-appearance order) and interval: mean and SE of the fixed-depth stocks of
// its profiles (carbon::mean_and_se); the area is the sum of the land use's rows in `areas`
// (NaN when it has none).
std::vector<LandUseStockRecord> land_use_stock_records(const SoilParams& params,
                                                       const std::vector<Profile>& profiles,
                                                       const IntervalStocks& stocks,
                                                       const std::vector<AreaRow>& areas);

// Per mine (of the profiles, then of `areas`) and interval. With an areas table and rows for the
// mine, strata (mine × land use) weighted by area: mean = Σ a_s·m_s / Σ a_s,
// SE = √(Σ a_s²·se_s²) / Σ a_s (independent strata); a stratum without a profile takes the land
// use's mean over all mines (warning strata_without_profiles_use_land_use_mean). Otherwise the
// mine's own profiles, without an area.
std::vector<MineStockRecord> mine_stock_records(const SoilParams& params,
                                                const std::vector<Profile>& profiles,
                                                const IntervalStocks& stocks,
                                                const std::vector<AreaRow>& areas, bool have_areas,
                                                ProblemList& warnings);

}  // namespace minecarbon::assess::soil
