// Step 2 of the soil stage: stocks per profile and interval, fixed depth and ESM (stocks.h).
#include "minecarbon/assess/soil/stocks.h"

#include <cmath>
#include <optional>
#include <string>

#include "minecarbon/core/nan.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess::soil {
namespace {

using carbon::DepthInterval;
using carbon::SoilHorizon;

// Mean fine-earth mass to `depth_cm` over the reference profiles `refs` that reach it.
double reference_mass(const std::vector<Profile>& profiles, const std::vector<std::size_t>& refs,
                      double depth_cm) {
  double sum = 0.0;
  std::size_t n = 0;
  for (std::size_t idx : refs) {
    const double m = carbon::fine_earth_to_depth_Mg_ha(profiles[idx].horizons, depth_cm);
    if (std::isnan(m)) continue;
    sum += m;
    ++n;
  }
  return n == 0 ? kNaN : sum / static_cast<double>(n);
}

}  // namespace

IntervalStocks interval_stocks(const SoilParams& params, const std::vector<Profile>& profiles,
                               ProblemList& warnings) {
  const std::size_t n_int = params.intervals.size();
  IntervalStocks out;
  out.of.assign(profiles.size(), std::vector<ProfileStock>(n_int));
  for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
    const Profile& p = profiles[pi];
    std::optional<carbon::EqualAreaSpline> spline;
    if (params.method == StockMethod::spline) {
      std::vector<double> knots = {p.horizons.front().top_cm}, density;
      for (const SoilHorizon& h : p.horizons) {
        knots.push_back(h.bottom_cm);
        density.push_back(carbon::horizon_carbon_density_tC_ha_cm(h));
      }
      spline = carbon::fit_equal_area_spline(knots, density, params.spline_lambda);
    }
    for (std::size_t ii = 0; ii < n_int; ++ii) {
      const DepthInterval& interval = params.intervals[ii];
      ProfileStock& s = out.of[pi][ii];
      if (spline) {
        const carbon::SplineStock st = carbon::spline_interval_stock_tC_ha(*spline, interval);
        s.stock = st.stock_tC_ha;
        s.clipped = st.clipped;
        if (st.clipped) ++out.clipped;
      } else {
        s.stock = carbon::interval_stock_tC_ha(p.horizons, interval);
      }
      s.fine_earth = carbon::fine_earth_to_depth_Mg_ha(p.horizons, interval.bottom_cm) -
                     carbon::fine_earth_to_depth_Mg_ha(p.horizons, interval.top_cm);
      for (std::size_t k = 0; k < p.horizons.size(); ++k) {
        if (p.bd_estimated[k] && p.horizons[k].top_cm < interval.bottom_cm &&
            p.horizons[k].bottom_cm > interval.top_cm)
          ++s.bd_estimated;
      }
      if (std::isnan(s.stock)) {
        ++out.too_shallow;
        warnings.add("profiles_too_shallow_for_interval",
                     "profile '" + p.id + "' ends at " + format_plain(p.horizons.back().bottom_cm) +
                         " cm: no " + interval.label() + " cm stock");
      }
    }
  }
  return out;
}

std::vector<std::size_t> reference_profiles(const SoilParams& params,
                                            const std::vector<Profile>& profiles) {
  std::vector<std::size_t> refs;
  if (params.reference.empty()) return refs;
  const CompareBy by = params.grouping();
  for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
    if (profiles[pi].group(by) == params.reference) refs.push_back(pi);
  }
  return refs;
}

double esm_stock(const SoilParams& params, const std::vector<Profile>& profiles,
                 const std::vector<std::size_t>& refs, std::size_t pi, std::size_t ii) {
  const DepthInterval& interval = params.intervals[ii];
  const double m_top =
      interval.top_cm == 0.0 ? 0.0 : reference_mass(profiles, refs, interval.top_cm);
  const double m_bottom = reference_mass(profiles, refs, interval.bottom_cm);
  return carbon::esm_interval_stock_tC_ha(profiles[pi].horizons, m_top, m_bottom);
}

void add_esm_stocks(const SoilParams& params, const std::vector<Profile>& profiles,
                    const std::vector<std::size_t>& refs, IntervalStocks& stocks) {
  if (!params.esm || refs.empty()) return;
  for (std::size_t pi = 0; pi < profiles.size(); ++pi)
    for (std::size_t ii = 0; ii < params.intervals.size(); ++ii)
      stocks.of[pi][ii].esm = esm_stock(params, profiles, refs, pi, ii);
}

std::vector<ProfileStockRecord> profile_stock_records(const SoilParams& params,
                                                      const std::vector<Profile>& profiles,
                                                      const IntervalStocks& stocks) {
  std::vector<ProfileStockRecord> out;
  for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
    const Profile& p = profiles[pi];
    for (std::size_t ii = 0; ii < params.intervals.size(); ++ii) {
      const ProfileStock& s = stocks.of[pi][ii];
      ProfileStockRecord r;
      r.profile_id = p.id;
      r.mine_id = p.mine_id;
      r.land_use = p.land_use;
      r.date = p.date;
      r.interval = params.intervals[ii];
      r.method = params.method;
      r.soc_stock_tC_ha = s.stock;
      r.esm_soc_stock_tC_ha = s.esm;
      r.fine_earth_Mg_ha = s.fine_earth;
      r.bd_estimated_horizons = s.bd_estimated;
      r.spline_clipped = s.clipped;
      r.status =
          std::isnan(s.stock) ? ProfileStockStatus::profile_too_shallow : ProfileStockStatus::ok;
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace minecarbon::assess::soil
