// Step 3 of the soil stage: land-use and mine totals (totals.h).
#include "minecarbon/assess/soil/totals.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace minecarbon::assess::soil {
namespace {

using carbon::MeanSe;

AreaStock area_stock(const carbon::DepthInterval& interval, std::size_t n, double mean, double se,
                     double area_ha) {
  AreaStock s;
  s.interval = interval;
  s.n_profiles = n;
  s.soc_stock_tC_ha = mean;
  s.soc_stock_se_tC_ha = se;
  s.area_ha = area_ha;
  return s;
}

}  // namespace

std::vector<LandUseStockRecord> land_use_stock_records(const SoilParams& params,
                                                       const std::vector<Profile>& profiles,
                                                       const IntervalStocks& stocks,
                                                       const std::vector<AreaRow>& areas) {
  std::vector<std::string> land_uses;
  for (const Profile& p : profiles) {
    if (std::find(land_uses.begin(), land_uses.end(), p.land_use) == land_uses.end())
      land_uses.push_back(p.land_use);
  }
  std::vector<LandUseStockRecord> out;
  for (const std::string& lu : land_uses) {
    double area = kSoilNaN;
    for (const AreaRow& a : areas) {
      if (a.land_use == lu) area = (std::isnan(area) ? 0.0 : area) + a.area_ha;
    }
    for (std::size_t ii = 0; ii < params.intervals.size(); ++ii) {
      const MeanSe s = carbon::mean_and_se(
          stock_values(profiles, stocks, ii, [&](const Profile& p) { return p.land_use == lu; }));
      out.push_back({lu, area_stock(params.intervals[ii], s.n, s.mean, s.se, area)});
    }
  }
  return out;
}

std::vector<MineStockRecord> mine_stock_records(const SoilParams& params,
                                                const std::vector<Profile>& profiles,
                                                const IntervalStocks& stocks,
                                                const std::vector<AreaRow>& areas, bool have_areas,
                                                ProblemList& warnings) {
  std::vector<std::string> mines;
  for (const Profile& p : profiles) {
    if (std::find(mines.begin(), mines.end(), p.mine_id) == mines.end()) mines.push_back(p.mine_id);
  }
  for (const AreaRow& a : areas) {
    if (std::find(mines.begin(), mines.end(), a.mine_id) == mines.end()) mines.push_back(a.mine_id);
  }
  std::vector<MineStockRecord> out;
  for (const std::string& mine : mines) {
    for (std::size_t ii = 0; ii < params.intervals.size(); ++ii) {
      const carbon::DepthInterval& interval = params.intervals[ii];
      double total = 0.0, var = 0.0, area_sum = 0.0;
      std::size_t n = 0;
      bool any_stratum = false;
      if (have_areas) {
        for (const AreaRow& a : areas) {
          if (a.mine_id != mine) continue;
          any_stratum = true;
          MeanSe s = carbon::mean_and_se(stock_values(profiles, stocks, ii, [&](const Profile& p) {
            return p.mine_id == mine && p.land_use == a.land_use;
          }));
          n += s.n;
          if (s.n == 0) {
            s = carbon::mean_and_se(stock_values(
                profiles, stocks, ii, [&](const Profile& p) { return p.land_use == a.land_use; }));
            warnings.add("strata_without_profiles_use_land_use_mean",
                         "mine '" + mine + "', land use '" + a.land_use + "', " + interval.label() +
                             " cm: no profile; the land-use mean over all mines is used");
          }
          total += a.area_ha * s.mean;
          var += a.area_ha * a.area_ha * s.se * s.se;
          area_sum += a.area_ha;
        }
      }
      if (any_stratum) {
        const double mean = area_sum > 0 ? total / area_sum : kSoilNaN;
        const double se = area_sum > 0 ? std::sqrt(var) / area_sum : kSoilNaN;
        out.push_back({mine, true, area_stock(interval, n, mean, se, area_sum)});
      } else {
        const MeanSe s = carbon::mean_and_se(stock_values(
            profiles, stocks, ii, [&](const Profile& p) { return p.mine_id == mine; }));
        out.push_back({mine, false, area_stock(interval, s.n, s.mean, s.se, kSoilNaN)});
      }
    }
  }
  return out;
}

}  // namespace minecarbon::assess::soil
